package main

import (
	"context"
	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/insight"
)

// insightOptions applies --as-of and --map over the configured defaults.
func (a *app) insightOptions(asOf, mapName string) (insight.Options, error) {
	return insight.OptionsFromConfig(a.cfg.Insight).With(asOf, mapName)
}

func (a *app) rfmCmd() *cobra.Command {
	o := &struct {
		AsOf        string `flag:"as-of"`
		Map         string `flag:"map"`
		JSON        bool   `flag:"json"`
		PerCustomer bool   `flag:"per-customer"`
	}{}
	var opts insight.Options
	return a.command("", cmdSpec{Use: "rfm", Args: cobra.NoArgs, Opts: o,
		Check: func(*cobra.Command, []string) (err error) { opts, err = a.insightOptions(o.AsOf, o.Map); return err },
		Run: renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (insight.RFMReport, error) {
			return ap.Insight.RFM(ctx, opts, o.PerCustomer)
		})})
}
