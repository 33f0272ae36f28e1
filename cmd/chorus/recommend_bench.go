package main

import (
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
				return a.render(asJSON, r)
			})
		},
	}
	cmd.Flags().IntVar(&runs, "runs", 3, "times to repeat training and recommending")
	cmd.Flags().IntVar(&k, "k", 10, "items per customer")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
