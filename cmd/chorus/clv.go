package main

import (
	"cmp"
	"fmt"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/insight"
)

// clvRow is one customer of `chorus clv --json`.
type clvRow struct {
	CustomerID string  `json:"customer_id"`
	Frequency  float64 `json:"frequency"` // repeat purchase days
	Recency    float64 `json:"recency"`   // days from first to last purchase day
	T          float64 `json:"T"`         // days from first purchase day to as_of
	Monetary   float64 `json:"monetary"`  // mean spend of repeat purchase days
	insight.CLV
}

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
				model, inputs, ds, err := ap.Insight.FitCLV(cmd.Context(), opts)
				if err != nil {
					return err
				}
				rows := make([]clvRow, len(inputs))
				for i, in := range inputs {
					rows[i] = clvRow{CustomerID: ds.Customers[in.Customer], Frequency: in.X, Recency: in.Tx, T: in.T, Monetary: in.Monetary,
						CLV: model.Predict(in, horizon, rate)}
				}
				slices.SortFunc(rows, func(x, y clvRow) int {
					return cmp.Or(cmp.Compare(y.Value, x.Value), insight.CompareIDs(x.CustomerID, y.CustomerID))
				})
				if limit > 0 && len(rows) > limit {
					rows = rows[:limit]
				}
				if asJSON {
					return a.printJSON(map[string]any{"model": model, "horizon_days": horizon, "discount_rate": rate, "customers": rows})
				}
				fmt.Fprintf(a.stdout, "CLV as of %s over %d days, annual discount %.1f%% (BG/NBD r=%.4g alpha=%.4g a=%.4g b=%.4g; Gamma-Gamma p=%.4g q=%.4g v=%.4g)\n\n",
					model.AsOf.Format(time.DateOnly), horizon, rate*100, model.BGNBD.R, model.BGNBD.Alpha, model.BGNBD.A, model.BGNBD.B,
					model.GammaGamma.P, model.GammaGamma.Q, model.GammaGamma.V)
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
				fmt.Fprintln(tw, "customer\tx\tt_x\tT\tmonetary\tp_alive\tpurchases\tavg_value\tclv\t")
				for _, r := range rows {
					fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%.0f\t%.2f\t%.3f\t%.2f\t%.2f\t%.2f\t\n", r.CustomerID, r.Frequency, r.Recency, r.T, r.Monetary,
						r.PAlive, r.ExpectedPurchases, r.ExpectedAvgValue, r.Value)
				}
				return tw.Flush()
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
				start := time.Now()
				model, _, _, err := ap.Insight.FitCLV(cmd.Context(), opts)
				if err != nil {
					return err
				}
				elapsed := time.Since(start)
				if asJSON {
					return a.printJSON(map[string]any{"as_of": model.AsOf.Format(time.DateOnly), "time_unit": model.Unit,
						"bg_nbd": model.BGNBD, "gamma_gamma": model.GammaGamma, "fit_seconds": elapsed.Seconds()})
				}
				bg, gg := model.BGNBD, model.GammaGamma
				fmt.Fprintf(a.stdout, "CLV models as of %s (time unit: day), fitted in %s\n", model.AsOf.Format(time.DateOnly), elapsed.Round(time.Millisecond))
				fmt.Fprintf(a.stdout, "BG/NBD       r=%.4f alpha=%.4f a=%.4f b=%.4f  log-likelihood %.2f  (%d customers)\n", bg.R, bg.Alpha, bg.A, bg.B, bg.LogLik, bg.N)
				fmt.Fprintf(a.stdout, "Gamma-Gamma  p=%.4f q=%.4f v=%.4f  log-likelihood %.2f  (%d repeat customers with spend)\n", gg.P, gg.Q, gg.V, gg.LogLik, gg.N)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "analysis date YYYY-MM-DD (default: the day after the last event)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
