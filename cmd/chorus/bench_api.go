package main

import (
	"context"
	"fmt"

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
			if asJSON {
				return a.printJSON(rep)
			}
			w := a.stdout
			fmt.Fprintf(w, "event ingest, %d rounds of %d batches of %d events, %d CPUs, %s (best round of each)\n",
				rep.Options.Rounds, rep.Options.Batches, rep.Options.Batch, rep.CPUs, rep.Engine)
			fmt.Fprintf(w, "  %-34s %9.0f events/s  rounds %s\n", "store InsertEvents (baseline)", rep.BasePerSecond, secs(rep.BaselineSeconds))
			fmt.Fprintf(w, "  %-34s %9.0f events/s  rounds %s  %.1f ms CPU per 1,000 events\n", "POST /v1/events/batch", rep.APIPerSecond, secs(rep.APISeconds), rep.APICPUPerK)
			fmt.Fprintf(w, "  ratio %.2f of the baseline; %d events stored; target ≥ %.0f events/s: %s\n",
				rep.Ratio, rep.Stored, rep.Target, passFail(rep.APIPerSecond >= rep.Target))
			return nil
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

func secs(xs []float64) string {
	s := ""
	for i, x := range xs {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("%.2fs", x)
	}
	return s
}

func passFail(ok bool) string {
	if ok {
		return "pass"
	}
	return "FAIL"
}
