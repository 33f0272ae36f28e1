package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rivo/uniseg"
	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
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

func (a *app) experimentAnalyzeCmd() *cobra.Command {
	var o struct {
		control, metric, def       string
		sequential, signif, asJSON bool
		tuning, minSample          int
		alpha, threshold, srm      float64
	}
	cmd := &cobra.Command{
		Use:   "analyze FILE",
		Short: "Compare each variant with the control from a CSV of per-variant counts",
		Long: `Reads a CSV (or tab- or semicolon-separated file; - for standard input) of
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
status 64).`,
		Example: `  chorus experiment analyze results.csv --json
  chorus experiment analyze results.csv --control A
  chorus experiment analyze running.csv --sequential --tuning 40000
  printf 'variant,recipients,conversions\nA,1000,120\nB,1000,150\n' | chorus experiment analyze - --control A`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var in io.Reader = a.stdin
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return apperr.Wrap(err, apperr.Invalid, "open %s", args[0])
				}
				defer f.Close()
				in = f
			}
			tab, err := experiment.ReadTable(in, o.control)
			if err != nil {
				return apperr.Wrap(err, apperr.Invalid, "%s", args[0])
			}
			metric := experiment.MetricConversion
			switch o.metric {
			case "conversion", string(experiment.MetricConversion):
			case "revenue", string(experiment.MetricRevenue):
				metric = experiment.MetricRevenue
			default:
				return apperr.New(apperr.Invalid, "--metric %q: use conversion or revenue", o.metric)
			}
			opt := experiment.OptionsFromConfig(a.cfg.Experiment)
			opt.Sequential = o.sequential
			opt.Alpha = flagOr(o.alpha, opt.Alpha)
			opt.Tuning = int64(flagOrInt(o.tuning, int(opt.Tuning)))
			opt.SRMAlpha = flagOr(o.srm, opt.SRMAlpha)
			opt.Rule.MinSample = int64(flagOrInt(o.minSample, int(opt.Rule.MinSample)))
			opt.Rule.Threshold = flagOr(o.threshold, opt.Rule.Threshold)
			opt.Rule.Metric, opt.Rule.Default, opt.Rule.RequireSignificance = metric, o.def, o.signif
			if err := checkExperimentOptions(opt); err != nil {
				return err
			}
			rep, err := experiment.Analyze(tab.Arms, opt)
			if err != nil {
				return err
			}
			if len(tab.Ignored) > 0 {
				rep.Warnings = append(rep.Warnings, "ignored columns: "+strings.Join(tab.Ignored, ", "))
			}
			if tab.ControlFrom == "name" {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("no control was marked; %q is taken as the control by its name", rep.Control))
			}
			if o.asJSON {
				return a.printJSON(rep)
			}
			a.printExperiment(rep)
			return nil
		},
	}
	f := cmd.Flags()
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

// printExperiment prints a report as a table per variant, the revenue
// comparison, the SRM check, the decision and the warnings.
func (a *app) printExperiment(r experiment.Report) {
	w := a.stdout
	pct := func(x float64) string { return fmt.Sprintf("%.2f%%", 100*x) }
	pp := func(x float64) string { return fmt.Sprintf("%+.2fpp", 100*x) }
	kind := "fixed-horizon (valid for one look at a planned size; use --sequential for a running test)"
	if r.Method == experiment.Sequential {
		kind = fmt.Sprintf("sequential (always valid at any look; tuned for %d recipients per comparison)", r.Tuning)
	}
	fmt.Fprintf(w, "%d arms, control %s; p-values and %.0f%% intervals are %s\n\n", len(r.Variants), r.Control, 100*r.Level, kind)
	rows := [][]string{{"VARIANT", "RECIPIENTS", "CONV.", "RATE", "RATE CI", "DIFF", "DIFF CI", "P", "P HOLM", "LIFT", "P(BEATS)", "P(BEST)"}}
	for _, v := range r.Variants {
		row := []string{v.Variant, fmt.Sprint(v.Recipients), fmt.Sprint(v.Conversions), pct(v.Rate),
			fmt.Sprintf("[%s, %s]", pct(v.RateCILow), pct(v.RateCIHigh))}
		if c := v.Comparison; c != nil {
			lift := "-"
			if c.RelativeLift != nil {
				lift = fmt.Sprintf("%+.1f%%", 100*c.RelativeLift.Estimate)
			}
			row = append(row, pp(c.Difference), fmt.Sprintf("[%s, %s]", pp(c.CILow), pp(c.CIHigh)),
				fmt.Sprintf("%.4g", c.PValue), fmt.Sprintf("%.4g", c.PValueHolm), lift, fmt.Sprintf("%.1f%%", 100*c.WinProbability))
		} else {
			row = append(row, "control", "", "", "", "", "")
		}
		rows = append(rows, append(row, fmt.Sprintf("%.1f%%", 100*v.ProbBest)))
	}
	printExperimentTable(w, rows)
	if r.Variants[0].Revenue != nil {
		fmt.Fprintln(w, "\nrevenue per recipient:")
		rows := [][]string{{"VARIANT", "PER RECIPIENT", "SD", "DIFF", "CI", "P", "METHOD"}}
		for _, v := range r.Variants {
			row := []string{v.Variant, fmt.Sprintf("%.2f", v.Revenue.PerRecipient), fmt.Sprintf("%.2f", v.Revenue.SD)}
			if c := v.Comparison; c != nil && c.Revenue != nil {
				row = append(row, fmt.Sprintf("%+.2f", c.Revenue.Estimate.Estimate), fmt.Sprintf("[%+.2f, %+.2f]", c.Revenue.CILow, c.Revenue.CIHigh),
					fmt.Sprintf("%.4g", c.Revenue.PValue), c.Revenue.Method)
			}
			rows = append(rows, row)
		}
		printExperimentTable(w, rows)
	}
	srm := "ok"
	if r.SRM.Mismatch {
		srm = "MISMATCH"
	}
	fmt.Fprintf(w, "\nsample ratio: %s (chi-square %.2f, df %d, p = %.3g)\n", srm, r.SRM.ChiSquare, r.SRM.DF, r.SRM.PValue)
	verdict := "no clear winner"
	if r.Decision.Winner {
		verdict = "winner"
	}
	fmt.Fprintf(w, "decision: send %s (%s): %s\n          %s\n", r.Decision.Send, verdict, r.Decision.Reason, r.Decision.ReasonZh)
	for _, s := range r.Warnings {
		fmt.Fprintln(w, "warning:", s)
	}
}

// printTable prints rows in columns two spaces apart, padded by rune
// count.
func printExperimentTable(w io.Writer, rows [][]string) {
	widths := map[int]int{}
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], uniseg.StringWidth(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-uniseg.StringWidth(c)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}
