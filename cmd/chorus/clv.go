package main

import (
	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
)

func (a *app) clvCmd() *cobra.Command {
	var asOf string
	var horizon, limit int
	var rate float64
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "clv",
		Short: "Customer lifetime value per customer (BG/NBD + Gamma-Gamma)",
		Long: `Fits the BG/NBD purchase model and the Gamma-Gamma spend model by maximum
likelihood on every customer's purchase days before the analysis date, then
prints per customer: P(alive), expected purchases and expected spend per
purchase over the horizon, and the CLV discounted month by month at the
annual discount rate. Sorted by CLV, highest first.`,
		Example: `  chorus clv --horizon 365 --limit 20
  chorus clv fit --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if horizon <= 0 {
				return apperr.New(apperr.Invalid, "--horizon %d: want a positive number of days", horizon)
			}
			if rate < 0 || rate >= 1 {
				return apperr.New(apperr.Invalid, "--discount %g: want an annual rate in [0,1), e.g. 0.1", rate)
			}
			opts, err := a.insightOptions(asOf, "")
			if err != nil {
				return err
			}
			return a.withApp(cmd.Context(), func(ap *chorusapp.App) error {
				tab, err := ap.Insight.CLV(cmd.Context(), opts, horizon, rate, limit)
				if err != nil {
					return err
				}
				return a.render(asJSON, tab)
			})
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "analysis date YYYY-MM-DD (default: the day after the last event)")
	cmd.Flags().IntVar(&horizon, "horizon", 0, "projection horizon in days (default: insight.clv.horizon_days, 365)")
	cmd.Flags().Float64Var(&rate, "discount", 0, "annual discount rate (default: insight.clv.discount_rate, 0.10)")
	cmd.Flags().IntVar(&limit, "limit", 0, "print only the N most valuable customers (0: all)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON: the model and one row per customer")
	cmd.PreRunE = func(cmd *cobra.Command, args []string) error {
		if !cmd.Flags().Changed("horizon") {
			horizon = a.cfg.Insight.CLV.HorizonDays
		}
		if !cmd.Flags().Changed("discount") {
			rate = a.cfg.Insight.CLV.DiscountRate
		}
		return nil
	}
	cmd.AddCommand(a.clvFitCmd())
	return cmd
}

func (a *app) clvFitCmd() *cobra.Command {
	var asOf string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "fit",
		Short: "Fit BG/NBD and Gamma-Gamma; print parameters and log-likelihoods",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := a.insightOptions(asOf, "")
			if err != nil {
				return err
			}
			return a.withApp(cmd.Context(), func(ap *chorusapp.App) error {
				fit, err := ap.Insight.CLVFit(cmd.Context(), opts)
				if err != nil {
					return err
				}
				return a.render(asJSON, fit)
			})
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "analysis date YYYY-MM-DD (default: the day after the last event)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
