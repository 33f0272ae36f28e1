package main

import (
	"context"
	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/insight"
)

func (a *app) clvCmd() *cobra.Command {
	o := &struct {
		AsOf     string  `flag:"as-of"`
		Horizon  int     `flag:"horizon"`
		Discount float64 `flag:"discount"`
		Limit    int     `flag:"limit"`
		JSON     bool    `flag:"json"`
	}{}
	var opts insight.Options
	return a.command("", cmdSpec{Use: "clv", Args: cobra.NoArgs, Opts: o, Subs: []*cobra.Command{a.clvFitCmd()},
		Check: func(cmd *cobra.Command, _ []string) (err error) {
			if !cmd.Flags().Changed("horizon") {
				o.Horizon = a.cfg.Insight.CLV.HorizonDays
			}
			if !cmd.Flags().Changed("discount") {
				o.Discount = a.cfg.Insight.CLV.DiscountRate
			}
			if err = insight.CheckCLV(o.Horizon, o.Discount); err == nil {
				opts, err = a.insightOptions(o.AsOf, "")
			}
			return err
		},
		Run: renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (insight.CLVTable, error) {
			return ap.Insight.CLV(ctx, opts, o.Horizon, o.Discount, o.Limit)
		})})
}

func (a *app) clvFitCmd() *cobra.Command {
	o := &struct {
		AsOf string `flag:"as-of"`
		JSON bool   `flag:"json"`
	}{}
	var opts insight.Options
	return a.command("clv", cmdSpec{Use: "fit", Args: cobra.NoArgs, Opts: o,
		Check: func(*cobra.Command, []string) (err error) { opts, err = a.insightOptions(o.AsOf, ""); return err },
		Run: renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (insight.CLVFit, error) {
			return ap.Insight.CLVFit(ctx, opts)
		})})
}
