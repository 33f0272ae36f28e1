package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/httpapi/apibench"
	"github.com/chorusmkt/chorus/internal/store"
)

// benchAPICmd is `chorus bench api`: batched event ingest over the REST
// API against the store's own bulk insert.
func (a *app) benchAPICmd() *cobra.Command {
	var o apibench.Options
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "api",
		Short: "Time POST /v1/events/batch against the store's own bulk event insert",
		Long: `Starts the API server on loopback over a scratch database (SQLite, or a new
schema in the --db PostgreSQL database) with a write token, then for each
round posts --batches batches of --batch events (the auth service checks the
token, the importer validates each record, the store inserts them, the saved
segments follow) and, as the baseline, inserts the same events with the
store's InsertEvents into a fresh scratch database. It reports events per
second of each (best round) and their ratio. Target: ≥ 20,000 events/s.`,
		Example: `  chorus bench api
  chorus bench api --batch 10000 --batches 20 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			rep, err := apibench.Run(cmd.Context(), func(ctx context.Context) (store.Store, func() error, error) {
				return store.OpenScratch(ctx, a.cfg.DB)
			}, o)
			if err != nil {
				return err
			}
			return a.render(asJSON, rep)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Batch, "batch", 5000, "events per request")
	f.IntVar(&o.Batches, "batches", 10, "requests per round")
	f.IntVar(&o.Customers, "customers", 20000, "distinct customers the events name")
	f.IntVar(&o.Rounds, "rounds", 3, "rounds (API, then baseline)")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
