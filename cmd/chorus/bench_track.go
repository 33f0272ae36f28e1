package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/tracking/trackingbench"
)

func (a *app) benchTrackCmd() *cobra.Command {
	var o trackingbench.Options
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "track",
		Short: "Load the click redirect (/t/c/) and compare it with a bare net/http redirect",
		Long: `Seeds a scratch database (SQLite, or a new schema of the --db PostgreSQL
database) with a sent campaign of --sends recipients and a signed click
link each. On loopback, --concurrency keep-alive clients send --requests
GETs (after --warmup) to a bare net/http redirect and to the tracking
server's /t/c/{token} (token check, machine detection, the hit recorder
writing batches behind it): req/s, p50 and p99, the ratio to the bare
handler, and the clicks stored as hits and events. Targets on 2 cores:
≥ 20,000 req/s, ≥ 50% of the bare handler, p99 < 10 ms, every event stored.`,
		Example: `  chorus bench track
  chorus bench track --requests 500000 --concurrency 32 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			rounds := max(o.Rounds, 1)
			p := a.progress("requests", int64(2*rounds*max(o.Requests, 1)), "req")
			rep, err := trackingbench.Run(cmd.Context(), func(ctx context.Context) (store.Store, func() error, error) {
				return store.OpenScratch(ctx, a.cfg.DB)
			}, o, p)
			p.Done()
			if err != nil {
				return err
			}
			return a.render(asJSON, rep)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Requests, "requests", 100_000, "timed requests per handler and round")
	f.IntVar(&o.Rounds, "rounds", 3, "alternating rounds of each handler (the best is reported)")
	f.IntVar(&o.Concurrency, "concurrency", 16, "keep-alive client connections")
	f.IntVar(&o.Sends, "sends", 10_000, "distinct sends (tokens) clicked")
	f.IntVar(&o.Warmup, "warmup", 5_000, "untimed requests before each measurement")
	f.DurationVar(&o.FlushInterval, "flush-interval", 0, "tracking.flush_interval for the run (default 250ms)")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
