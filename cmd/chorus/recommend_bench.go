package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/recommend"
	"github.com/chorusmkt/chorus/internal/recommend/recommendbench"
	"github.com/chorusmkt/chorus/internal/store"
)

func (a *app) benchRecommendCmd() *cobra.Command {
	var runs, k int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "recommend",
		Short: "Time loading, training (ALS separately) and recommendations for every customer",
		Long: `Loads the events and products from the store once, then --runs times trains
every recommender (with the configured blend, no tuning: tuning is timed by
'chorus recommend eval') and recommends --k items for every customer with
all business rules and explanations. Import the Online Retail data first for
the issue's figures (ALS training under 10 s, every customer under 2 s).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withStore(ctx, func(st store.Store) error {
				r, err := recommendbench.Measure(ctx, st, recommend.FromConfig(a.cfg.Recommend), runs, k)
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(r)
				}
				fmt.Fprintf(a.stdout, "recommend benchmark: %d events, %d customers, %d items (%d runs)\n", r.Events, r.Customers, r.Items, runs)
				fmt.Fprintf(a.stdout, "  load from store                      %8.3f s\n", r.LoadSec)
				for _, s := range []string{"matrix", recommend.SourcePopularity, recommend.SourceItemKNN, recommend.SourceContent} {
					fmt.Fprintf(a.stdout, "  train %-30s %8.3f s\n", s, r.TrainSec[s])
				}
				fmt.Fprintf(a.stdout, "  train ALS (%d factors, %d iterations) %8.3f s  (min; median %.3f s; %.2f CPU s)\n", r.ALSFactors, r.ALSIteration, r.ALSMin, r.ALSMed, r.ALSCPU)
				fmt.Fprintf(a.stdout, "  top-%d for every customer            %8.3f s  (min; median %.3f s; %.0f µs each; %.2f CPU s)\n", k, r.AllMin, r.AllMed, r.PerCustomer, r.AllCPU)
				fmt.Fprintf(a.stdout, "  saved model: %.1f MB, encoded in %.3f s, restored in %.3f s (what 'chorus recommend' does instead of training)\n", r.SnapshotMB, r.SnapshotEncode, r.SnapshotDecode)
				if r.LoadAvg != "" {
					fmt.Fprintf(a.stdout, "  load average during the run: %s on %d cores (wall times stretch when it exceeds the cores; CPU s do not)\n", r.LoadAvg, runtime.NumCPU())
				}
				return nil
			})
		},
	}
	cmd.Flags().IntVar(&runs, "runs", 3, "times to repeat training and recommending")
	cmd.Flags().IntVar(&k, "k", 10, "items per customer")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
