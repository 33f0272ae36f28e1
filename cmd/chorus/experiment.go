package main

import (
	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/experiment"
)

// experimentCmd is `chorus experiment …`: the statistics of A/B tests and
// holdouts, for analysts.
func (a *app) experimentCmd() *cobra.Command {
	return a.command("", cmdSpec{Use: "experiment", Subs: []*cobra.Command{a.experimentAnalyzeCmd()}})
}

func (a *app) experimentAnalyzeCmd() *cobra.Command {
	var o experiment.Overrides
	o.Metric = "conversion"
	var control string
	var asJSON bool
	flags := map[string]any{"control": &control, "sequential": &o.Sequential, "tuning": &o.Tuning, "alpha": &o.Alpha,
		"min-sample": &o.MinSample, "threshold": &o.Threshold, "srm-alpha": &o.SRMAlpha, "metric": &o.Metric,
		"default": &o.Default, "require-significance": &o.Signif, "json": &asJSON}
	return a.command("experiment", cmdSpec{Use: "analyze FILE", Args: cobra.ExactArgs(1), Flags: flags, Run: func(cmd *cobra.Command, args []string) error {
		opt, err := o.Options(a.cfg.Experiment)
		if err != nil {
			return err
		}
		tab, err := experiment.ReadTableFile(args[0], a.stdin, control)
		if err != nil {
			return err
		}
		return renderResult[experiment.Report](a, asJSON)(tab.Analyze(opt))
	}})
}
