package main

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/compliance/policy/policybench"
	"github.com/chorusmkt/chorus/internal/store"
)

func (a *app) benchPolicyCmd() *cobra.Command {
	var customers, sends, stale, n, workers int
	var maxPhase time.Duration
	var seed uint64
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Time the contact-policy gate: Decide, Admit and Record per message, and pruning the sends log",
		Long: `Builds a scratch database (a temporary SQLite file, or a new schema of the
--db PostgreSQL database, dropped afterwards) with --customers synthetic
customers (consent, suppressions), --sends sends over 30 days and --stale
older ones. With the configured contact policy it times pruning the stale
sends, then Decide, Admit (decide and record) and Record over --n messages
each at noon Shanghai time on --workers goroutines (a phase stops after
--max-phase): per-message wall time and the p50 and p99 of single calls.`,
		Example: `  chorus bench policy
  chorus bench policy --db 'postgres://postgres@127.0.0.1:5432/chorus?sslmode=disable' --json
  chorus bench policy --customers 100000 --sends 2000000 --n 50000 --max-phase 30s`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, drop, err := store.OpenScratch(ctx, a.cfg.DB)
			if err != nil {
				return err
			}
			defer drop()
			r, err := policybench.Measure(ctx, a.cfg.Compliance.Contact, st, policybench.Options{Customers: customers, Sends: sends,
				Stale: stale, N: n, Workers: workers, MaxPhase: maxPhase, Seed: seed})
			if err != nil {
				return err
			}
			return a.render(asJSON, r)
		},
	}
	cmd.Flags().IntVar(&customers, "customers", 10000, "synthetic customers")
	cmd.Flags().IntVar(&sends, "sends", 200000, "past sends over the last 30 days")
	cmd.Flags().IntVar(&stale, "stale", 50000, "sends older than the retention, for the prune")
	cmd.Flags().IntVar(&n, "n", 20000, "messages per timed phase (Decide, Admit, Record)")
	cmd.Flags().DurationVar(&maxPhase, "max-phase", 5*time.Second, "stop a phase after this long")
	cmd.Flags().IntVar(&workers, "workers", 1, "goroutines calling the gate")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "seed of the synthetic shop and messages")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
