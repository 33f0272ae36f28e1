package main

import (
	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/insight"
)

// insightOptions applies --as-of and --map over the configured defaults.
func (a *app) insightOptions(asOf, mapName string) (insight.Options, error) {
	return insight.OptionsFromConfig(a.cfg.Insight).With(asOf, mapName)
}

func (a *app) rfmCmd() *cobra.Command {
	var asOf, mapName string
	var asJSON, perCustomer bool
	cmd := &cobra.Command{
		Use:   "rfm",
		Short: "Score customers by recency, frequency and monetary value; print segment counts and bin edges",
		Long: `Scores every customer with a purchase by RFM quintiles with the semantics of
pandas qcut (recency in whole days to the analysis date, scored in reverse;
frequency = distinct orders, ranked first with ties broken by ascending
customer id; monetary = net revenue) and maps the scores to segments:
  grid         the 10-cell R×F grid of the Python RFM recipes
  rfm-package  the rule table of the R rfm package (first match wins)
or a custom map from insight.segment_maps in the config. Break points can be
fixed in insight.rfm_breaks. The analysis date defaults to the day after the
last event.`,
		Example: `  chorus rfm
  chorus rfm --map rfm-package --as-of 2011-12-10 --json
  chorus rfm --per-customer > rfm.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := a.insightOptions(asOf, mapName)
			if err != nil {
				return err
			}
			return a.withApp(cmd.Context(), func(ap *chorusapp.App) error {
				rep, err := ap.Insight.RFM(cmd.Context(), opts, perCustomer)
				if err != nil {
					return err
				}
				return a.render(asJSON, rep)
			})
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "analysis date YYYY-MM-DD (default: insight.as_of, else the day after the last event)")
	cmd.Flags().StringVar(&mapName, "map", "", "segment map: grid, rfm-package or a custom map name (default: insight.map)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON: segment counts, bin edges, as_of, customers")
	cmd.Flags().BoolVar(&perCustomer, "per-customer", false, "also print every customer's values, scores, segment and lifecycle stage")
	return cmd
}
