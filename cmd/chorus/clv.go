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
	return a.command("", cmdSpec{Use: "clv", Args: cobra.NoArgs, Opts: o, Subs: []*cobra.Command{a.clvFitCmd()},
		Run: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("horizon") {
				o.Horizon = a.cfg.Insight.CLV.HorizonDays
			}
			if !cmd.Flags().Changed("discount") {
				o.Discount = a.cfg.Insight.CLV.DiscountRate
			}
			if err := insight.CheckCLV(o.Horizon, o.Discount); err != nil {
				return err
			}
			opts, err := a.insightOptions(o.AsOf, "")
			if err != nil {
				return err
			}
			return renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (insight.CLVTable, error) {
				return ap.Insight.CLV(ctx, opts, o.Horizon, o.Discount, o.Limit)
			})(cmd, args)
		}})
}

func (a *app) clvFitCmd() *cobra.Command {
	o := &struct {
		AsOf string `flag:"as-of"`
		JSON bool   `flag:"json"`
	}{}
	return a.command("clv", cmdSpec{Use: "fit", Args: cobra.NoArgs, Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		opts, err := a.insightOptions(o.AsOf, "")
		if err != nil {
			return err
		}
		return renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (insight.CLVFit, error) {
			return ap.Insight.CLVFit(ctx, opts)
		})(cmd, args)
	}})
}
