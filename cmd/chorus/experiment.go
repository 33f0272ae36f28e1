package main

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/chorusmkt/chorus/internal/experiment"
)

// experimentCmd is `chorus experiment …`: the statistics of A/B tests and
// holdouts, for analysts.
func (a *app) experimentCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "experiment",
		Short: "Analyse A/B tests and holdouts with honest statistics",
	}
	cmd.AddCommand(a.experimentAnalyzeCmd())
	return cmd
}

// analyzeHelp is the help of `chorus experiment analyze`.
const analyzeHelp = `Reads a CSV (or tab- or semicolon-separated file; - for standard input) of
per-variant counts:

  variant,recipients,conversions[,revenue_sum,revenue_sumsq][,control][,weight]

revenue_sum is the variant's total revenue, revenue_sumsq the sum of each
recipient's revenue squared (non-buyers count 0). The control is --control,
else the line marked in the control column (true/yes/1/x/是), else a variant
called control, holdout or 对照组. weight is the planned share (e.g. 90 and
10 for a holdout) for the sample-ratio-mismatch check; without it the split
is expected even.

Per variant against the control: the difference in conversion rate with its
95% interval and p-value, the Holm-adjusted p-value, the relative lift, the
Bayesian probabilities of beating the control and of being best, and with
revenue the difference per recipient (Welch's t). It checks the split (SRM,
chi-square) and decides what goes to the rest: the variant whose win
probability reaches --threshold when every arm has --min-sample recipients,
else the control (or --default), with the reason.

Without --sequential the figures are fixed-horizon (valid for one look at a
planned size); with it they are always valid (a normal-mixture sequential
test, --tuning set before the test starts). Defaults come from the
configuration (experiment:, CHORUS_EXPERIMENT_*). Bad lines are reported
with their line numbers (exit status 64).`

// bindAnalyze defines the flags of `chorus experiment analyze` on f.
func bindAnalyze(f *pflag.FlagSet, o *experiment.Overrides, control *string, asJSON *bool) {
	f.StringVar(control, "control", "", "name of the control variant (overrides the control column)")
	f.BoolVar(&o.Sequential, "sequential", false, "always-valid p-values and intervals, for a test looked at while it runs")
	f.IntVar(&o.Tuning, "tuning", 0, "sequential: planned recipients of a variant and the control together (default experiment.sequential_tuning, 10000)")
	f.Float64Var(&o.Alpha, "alpha", 0, "significance level; intervals are at 1-alpha (default experiment.alpha, 0.05)")
	f.IntVar(&o.MinSample, "min-sample", 0, "recipients every arm needs before a winner is named (default experiment.min_sample, 500)")
	f.Float64Var(&o.Threshold, "threshold", 0, "win probability a variant needs against the control (default experiment.threshold, 0.95)")
	f.Float64Var(&o.SRMAlpha, "srm-alpha", 0, "p-value under which the split is a sample ratio mismatch (default experiment.srm_alpha, 0.001)")
	f.StringVar(&o.Metric, "metric", "conversion", "what the decision is on: conversion or revenue (per recipient)")
	f.StringVar(&o.Default, "default", "", "variant sent when there is no clear winner (default the control)")
	f.BoolVar(&o.Signif, "require-significance", false, "the winner must also be significant after Holm's correction")
	f.BoolVar(asJSON, "json", false, "print JSON")
}

func (a *app) experimentAnalyzeCmd() *cobra.Command {
	var o experiment.Overrides
	var control string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "analyze FILE",
		Short: "Compare each variant with the control from a CSV of per-variant counts",
		Long:  analyzeHelp,
		Example: `  chorus experiment analyze results.csv --json
  chorus experiment analyze results.csv --control A
  chorus experiment analyze running.csv --sequential --tuning 40000
  printf 'variant,recipients,conversions\nA,1000,120\nB,1000,150\n' | chorus experiment analyze - --control A`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, err := o.Options(a.cfg.Experiment)
			if err != nil {
				return err
			}
			tab, err := experiment.ReadTableFile(args[0], a.stdin, control)
			if err != nil {
				return err
			}
			rep, err := tab.Analyze(opt)
			if err != nil {
				return err
			}
			return a.render(asJSON, rep)
		},
	}
	bindAnalyze(cmd.Flags(), &o, &control, &asJSON)
	return cmd
}
