package main

import (
	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/insight/insightbench"
	"github.com/chorusmkt/chorus/internal/store"
)

func (a *app) benchInsightCmd() *cobra.Command {
	var runs int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "insight",
		Short: "Time loading, RFM + lifecycle + affinities, and the CLV fit over the store",
		Long: `Loads customers, products and events from the store once (timed as load),
then times insight.Compute (RFM, lifecycle, category/brand affinity, price
band, preferred channel, next purchase) over the loaded data --runs times,
and the BG/NBD + Gamma-Gamma fit with a one-year projection for every
customer. Import the Online Retail data first for the issue's figures.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd.Context(), func(st store.Store) error {
				r, err := insightbench.Measure(cmd.Context(), st, insightbench.Options{Insight: insight.OptionsFromConfig(a.cfg.Insight), Runs: runs,
					HorizonDays: a.cfg.Insight.CLV.HorizonDays, DiscountRate: a.cfg.Insight.CLV.DiscountRate})
				if err != nil {
					return err
				}
				return a.render(asJSON, r)
			})
		},
	}
	cmd.Flags().IntVar(&runs, "runs", 5, "times to repeat the compute step")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
