package main

import (
	"fmt"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/store"
)

// insightBench is the JSON of `chorus bench insight --json`.
type insightBench struct {
	Customers  int     `json:"customers"`
	Buyers     int     `json:"customers_with_purchases"`
	Lines      int     `json:"purchase_lines"`
	Runs       int     `json:"runs"`
	LoadSec    float64 `json:"load_seconds"`
	ComputeMin float64 `json:"compute_seconds_min"`
	ComputeMed float64 `json:"compute_seconds_median"`
	CLVFitSec  float64 `json:"clv_fit_seconds"`
	CLVPredSec float64 `json:"clv_predict_seconds"`
	CLVNote    string  `json:"clv_note,omitempty"`
}

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
			if runs < 1 {
				return apperr.New(apperr.Invalid, "--runs %d: want at least 1", runs)
			}
			opts := insight.OptionsFromConfig(a.cfg.Insight)
			opts.CLVHorizonDays = 0 // timed separately
			t0 := time.Now()
			return a.withInsight(cmd.Context(), func(_ store.Store, ds *insight.Dataset) error {
				r := insightBench{Customers: len(ds.Customers), Lines: ds.Purchases(), Runs: runs, LoadSec: time.Since(t0).Seconds()}
				var times []float64
				for range runs {
					t := time.Now()
					snap, err := insight.Compute(ds, opts)
					if err != nil {
						return err
					}
					times = append(times, time.Since(t).Seconds())
					r.Buyers = snap.Scored
				}
				slices.Sort(times)
				r.ComputeMin, r.ComputeMed = times[0], times[len(times)/2]
				t := time.Now()
				model, inputs, err := insight.FitCLV(ds, opts.AsOf)
				switch {
				case apperr.Is(err, apperr.Invalid):
					r.CLVNote = err.Error()
				case err != nil:
					return err
				default:
					r.CLVFitSec = time.Since(t).Seconds()
					t = time.Now()
					for _, in := range inputs {
						model.Predict(in, a.cfg.Insight.CLV.HorizonDays, a.cfg.Insight.CLV.DiscountRate)
					}
					r.CLVPredSec = time.Since(t).Seconds()
				}
				if asJSON {
					return a.printJSON(r)
				}
				fmt.Fprintf(a.stdout, "insight benchmark: %d customers (%d with purchases), %d purchase lines\n", r.Customers, r.Buyers, r.Lines)
				fmt.Fprintf(a.stdout, "  load from store                    %8.3f s\n", r.LoadSec)
				fmt.Fprintf(a.stdout, "  RFM + lifecycle + affinities       %8.3f s  (min of %d runs; median %.3f s)\n", r.ComputeMin, runs, r.ComputeMed)
				if r.CLVNote != "" {
					fmt.Fprintf(a.stdout, "  CLV: not fitted: %s\n", r.CLVNote)
				} else {
					fmt.Fprintf(a.stdout, "  CLV fit (BG/NBD + Gamma-Gamma)     %8.3f s\n", r.CLVFitSec)
					fmt.Fprintf(a.stdout, "  CLV projection, every customer     %8.3f s\n", r.CLVPredSec)
				}
				return nil
			})
		},
	}
	cmd.Flags().IntVar(&runs, "runs", 5, "times to repeat the compute step")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
