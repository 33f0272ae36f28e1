package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
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

revenue_sum is the total revenue of the variant's recipients and
revenue_sumsq the sum of each recipient's revenue squared (recipients who
bought nothing count as 0). The control is --control NAME, else the line
marked in the control column (true/yes/1/x/是), else a variant called
control, holdout or 对照组. weight is the planned share of recipients
(e.g. 90 and 10 for a holdout), for the sample-ratio-mismatch check; without
it the split is expected to be even.

For each variant against the control it prints the difference in conversion
rate (variant minus control) with its 95% interval and p-value, the
Holm-adjusted p-value over all variants, the relative lift, the Bayesian
probability that the variant beats the control (exact, uniform Beta prior)
and that it is the best arm, and, with revenue, the difference in revenue
per recipient (Welch's t). It checks the split (SRM, chi-square,
p < 0.001) and decides what to send to the rest of the audience: the variant
whose win probability reaches --threshold when every arm has --min-sample
recipients, else the control (or --default), with the reason.

Without --sequential the p-values and intervals are fixed-horizon: valid when
the data are looked at once, at a size planned in advance. With --sequential
they are always valid (a normal-mixture sequential test): a running test may
be looked at as often as you like and stopped at any look without inflating
false positives. Set --tuning to the planned recipients of a variant and the
control together, before the test starts.

Defaults come from the configuration (experiment: in the config file, or
CHORUS_EXPERIMENT_*). Bad lines are reported with their line numbers (exit
status 64).`

// analyzeFlags are the flags of `chorus experiment analyze`.
type analyzeFlags struct {
	control, metric, def       string
	sequential, signif, asJSON bool
	tuning, minSample          int
	alpha, threshold, srm      float64
}

// bind defines the flags on f.
func (o *analyzeFlags) bind(f *pflag.FlagSet) {
	f.StringVar(&o.control, "control", "", "name of the control variant (overrides the control column)")
	f.BoolVar(&o.sequential, "sequential", false, "always-valid p-values and intervals, for a test looked at while it runs")
	f.IntVar(&o.tuning, "tuning", 0, "sequential: planned recipients of a variant and the control together (default experiment.sequential_tuning, 10000)")
	f.Float64Var(&o.alpha, "alpha", 0, "significance level; intervals are at 1-alpha (default experiment.alpha, 0.05)")
	f.IntVar(&o.minSample, "min-sample", 0, "recipients every arm needs before a winner is named (default experiment.min_sample, 500)")
	f.Float64Var(&o.threshold, "threshold", 0, "win probability a variant needs against the control (default experiment.threshold, 0.95)")
	f.Float64Var(&o.srm, "srm-alpha", 0, "p-value under which the split is a sample ratio mismatch (default experiment.srm_alpha, 0.001)")
	f.StringVar(&o.metric, "metric", "conversion", "what the decision is on: conversion or revenue (per recipient)")
	f.StringVar(&o.def, "default", "", "variant sent when there is no clear winner (default the control)")
	f.BoolVar(&o.signif, "require-significance", false, "the winner must also be significant after Holm's correction")
	f.BoolVar(&o.asJSON, "json", false, "print JSON")
}

// options are the configured analysis options with the flags set over
// them, checked.
func (o analyzeFlags) options(cfg config.Experiment) (experiment.Options, error) {
	metric, err := experiment.ParseMetric(o.metric)
	if err != nil {
		return experiment.Options{}, err
	}
	opt := experiment.OptionsFromConfig(cfg)
	opt.Sequential = o.sequential
	opt.Alpha = flagOr(o.alpha, opt.Alpha)
	opt.Tuning = int64(flagOrInt(o.tuning, int(opt.Tuning)))
	opt.SRMAlpha = flagOr(o.srm, opt.SRMAlpha)
	opt.Rule.MinSample = int64(flagOrInt(o.minSample, int(opt.Rule.MinSample)))
	opt.Rule.Threshold = flagOr(o.threshold, opt.Rule.Threshold)
	opt.Rule.Metric, opt.Rule.Default, opt.Rule.RequireSignificance = metric, o.def, o.signif
	return opt, checkExperimentOptions(opt)
}

// readExperimentTable reads the counts of path ("-": standard input).
func (a *app) readExperimentTable(path, control string) (experiment.Table, error) {
	var in io.Reader = a.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return experiment.Table{}, apperr.Wrap(err, apperr.Invalid, "open %s", path)
		}
		defer f.Close()
		in = f
	}
	tab, err := experiment.ReadTable(in, control)
	if err != nil {
		return tab, apperr.Wrap(err, apperr.Invalid, "%s", path)
	}
	return tab, nil
}

func (a *app) experimentAnalyzeCmd() *cobra.Command {
	var o analyzeFlags
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
			opt, err := o.options(a.cfg.Experiment)
			if err != nil {
				return err
			}
			tab, err := a.readExperimentTable(args[0], o.control)
			if err != nil {
				return err
			}
			rep, err := tab.Analyze(opt)
			if err != nil {
				return err
			}
			return a.render(o.asJSON, rep)
		},
	}
	o.bind(cmd.Flags())
	return cmd
}

// flagOr is the flag's value when set (non-zero), else the configured one.
func flagOr(flag, cfg float64) float64 {
	if flag != 0 {
		return flag
	}
	return cfg
}

func flagOrInt(flag, cfg int) int {
	if flag != 0 {
		return flag
	}
	return cfg
}

// checkExperimentOptions rejects flag values the analysis would otherwise replace by
// its defaults.
func checkExperimentOptions(o experiment.Options) error {
	switch {
	case !(o.Alpha > 0 && o.Alpha < 0.5):
		return apperr.New(apperr.Invalid, "--alpha %g: use a level between 0 and 0.5, e.g. 0.05", o.Alpha)
	case !(o.Rule.Threshold > 0.5 && o.Rule.Threshold < 1):
		return apperr.New(apperr.Invalid, "--threshold %g: a win probability between 0.5 and 1, e.g. 0.95", o.Rule.Threshold)
	case o.Rule.MinSample < 1:
		return apperr.New(apperr.Invalid, "--min-sample %d: at least 1", o.Rule.MinSample)
	case o.Tuning < 2:
		return apperr.New(apperr.Invalid, "--tuning %d: the planned recipients of two arms, at least 2", o.Tuning)
	case !(o.SRMAlpha > 0 && o.SRMAlpha < 0.5):
		return apperr.New(apperr.Invalid, "--srm-alpha %g: use a level between 0 and 0.5, e.g. 0.001", o.SRMAlpha)
	}
	return nil
}
