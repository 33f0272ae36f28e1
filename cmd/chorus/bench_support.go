package main

import (
	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/support"
	"github.com/chorusmkt/chorus/internal/support/supportbench"
)

func (a *app) benchSupportCmd() *cobra.Command {
	var runs int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "support",
		Short: "Answers per second of the support assistant on the demo shop's evaluation questions",
		Long: `Answers the shipped evaluation set's questions (internal/support/testdata/
eval_demo.jsonl) one at a time, --runs times, on the --db store (run chorus demo
first), with conversations kept in memory. Prints the best run's answers/s and
latency percentiles, the time to build the search index from the store, and as
the baseline of the same run the retrieval alone (searches/s).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return a.withApp(ctx, func(ap *chorusapp.App) error {
				as, done, err := ap.Support(ctx, support.NewMemoryRecorder())
				if err != nil {
					return err
				}
				defer done()
				provider := "offline"
				if !as.Offline() {
					provider = a.cfg.LLM.Provider
				}
				r, err := supportbench.Measure(ctx, as, ap.Store, provider, support.DemoEvalSet(), runs)
				if err != nil {
					return err
				}
				return a.render(asJSON, r)
			})
		},
	}
	cmd.Flags().IntVar(&runs, "runs", 3, "how many times to answer the set (the best run is reported)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
