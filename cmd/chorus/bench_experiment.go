package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/experiment/experimentbench"
)

func (a *app) benchExperimentCmd() *cobra.Command {
	var o experimentbench.Options
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "experiment",
		Short: "Check the experiment statistics on simulated campaigns with known truth",
		Long: `Simulates --sims A/A tests (both arms at --rate) and as many A/B tests (the
variant at --rate × (1 + --lift)), each with --recipients per arm reached in
--looks even steps, buyers spending lognormal amounts; and --bandit-sims
Thompson-sampling runs against a uniform split. It reports, with the Monte
Carlo 95% interval of each figure:

  - the A/A false-positive rate at --alpha: fixed-horizon (one look), naive
    peeking (the fixed test at every look) and the sequential test at every
    look, for conversion rate and revenue per recipient (targets <= 5.5%);
  - the coverage of 95% intervals: each rate (Wilson), the difference
    (Newcombe), the relative lift, revenue per recipient (Welch), a 90/10
    holdout lift (targets 94% to 96%) and the sequential interval at every
    look at once (target >= 95%);
  - the power at the stated lift, fixed and sequential, and how often the
    decision rule sends the better variant;
  - the bandit's regret (conversions lost against always sending the best
    arm) against a uniform split;
  - where revenue is too skewed for the sample (400 recipients per arm,
    lognormal orders with σ 1.5), the coverage of Welch's interval and of
    the percentile bootstrap, in an A/B test and against a holdout.

Simulations are seeded (--seed): the same options give the same figures.`,
		Example: `  chorus bench experiment
  chorus bench experiment --sims 2000 --json
  chorus bench experiment --rate 0.02 --lift 0.1 --recipients 50000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			total := int64(2*o.Sims + o.BanditSims + o.HeavySims)
			if o.Sims <= 0 || o.BanditSims <= 0 || o.HeavySims <= 0 {
				total = 0 // defaults fill them in: unknown here
			}
			p := a.progress("simulations", total, "runs")
			rep, err := experimentbench.Run(cmd.Context(), o, p)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(rep)
			}
			a.printExperimentBench(rep)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Sims, "sims", 10000, "simulated A/A tests, and as many A/B tests")
	f.Int64Var(&o.Recipients, "recipients", 10000, "recipients per arm at the last look")
	f.IntVar(&o.Looks, "looks", 20, "looks of the peeking and sequential tests")
	f.Float64Var(&o.Rate, "rate", 0.05, "true conversion rate of the control")
	f.Float64Var(&o.Lift, "lift", 0.20, "true relative lift of the variant in the A/B tests")
	f.Float64Var(&o.Alpha, "alpha", 0.05, "significance level")
	f.IntVar(&o.BanditSims, "bandit-sims", 200, "Thompson-sampling runs")
	f.IntVar(&o.BanditRecipients, "bandit-recipients", 20000, "recipients per bandit run")
	f.IntVar(&o.BanditBatch, "bandit-batch", 500, "recipients between posterior updates (conversions arrive late)")
	f.Float64SliceVar(&o.BanditRates, "bandit-rates", []float64{0.04, 0.05, 0.06}, "true rates of the bandit's arms")
	f.IntVar(&o.HeavySims, "heavy-sims", 1000, "runs of the heavy-tailed revenue check")
	f.Uint64Var(&o.Seed, "seed", 1, "random seed")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) printExperimentBench(r experimentbench.Report) {
	w := a.stdout
	o := r.Options
	fmt.Fprintf(w, "experiment statistics on simulated campaigns: %d A/A and %d A/B tests, %d recipients per arm, %d looks, control rate %.2f%%, alpha %g (%.1f s)\n",
		o.Sims, o.Sims, o.Recipients, o.Looks, 100*o.Rate, o.Alpha, r.Seconds)
	line := func(label string, s experimentbench.Share, goal string, met *bool) {
		status := ""
		if met != nil {
			status = "  met"
			if !*met {
				status = "  NOT MET"
			}
		}
		fmt.Fprintln(w, strings.TrimRight(fmt.Sprintf("  %-44s %6.2f%%  [%5.2f%%, %5.2f%%]  %s%s", label, 100*s.Value, 100*s.Low, 100*s.High, goal, status), " "))
	}
	tl := func(label string, t experimentbench.Target, goal string) { line(label, t.Share, goal, &t.Met) }
	fp := r.FalsePositives
	fmt.Fprintln(w, "\nA/A false-positive rate (value, Monte Carlo 95% interval, target):")
	tl("fixed horizon, one look", fp.FixedHorizon, "<= 5.5%")
	line(fmt.Sprintf("naive peeking, %d looks", o.Looks), fp.NaivePeeking, "inflated (shown)", nil)
	tl(fmt.Sprintf("sequential, %d looks", o.Looks), fp.Sequential, "<= 5.5%")
	tl("revenue per recipient, Welch, one look", fp.RevenueFixed, "<= 5.5%")
	tl(fmt.Sprintf("revenue per recipient, sequential, %d looks", o.Looks), fp.RevenueSequential, "<= 5.5%")
	cv := r.Coverage
	fmt.Fprintln(w, "\n95% interval coverage:")
	tl("rate, Wilson (each arm)", cv.Rate, "94% to 96%")
	tl("difference in rates, Newcombe", cv.Difference, "94% to 96%")
	tl("relative lift, delta method", cv.Lift, "94% to 96%")
	tl("revenue per recipient, Welch", cv.Revenue, "94% to 96%")
	tl("holdout lift, 90/10 split", cv.Holdout, "94% to 96%")
	tl(fmt.Sprintf("sequential, at all %d looks at once", o.Looks), cv.Sequential, ">= 95%")
	pw := r.Power
	fmt.Fprintf(w, "\npower at %.2f%% -> %.2f%% (lift %+.0f%%):\n", 100*pw.TrueControl, 100*pw.TrueVariant, 100*o.Lift)
	line(fmt.Sprintf("fixed horizon (theory %.2f%%)", 100*pw.FixedTheory), pw.Fixed, "", nil)
	line(fmt.Sprintf("sequential (stops at look %.1f on average)", pw.SequentialMeanLook), pw.Sequential, "", nil)
	line("decision rule sends the variant", pw.WinnerPicked, "", nil)
	b := r.Bandit
	fmt.Fprintf(w, "\nThompson sampling, arms at %v, %d recipients, updates every %d, %d runs:\n", b.Rates, b.Recipients, b.Batch, b.Sims)
	fmt.Fprintf(w, "  regret            %.1f conversions (uniform split %.1f): ratio %.3f\n", b.ThompsonRegret, b.UniformRegret, b.RegretRatio)
	fmt.Fprintf(w, "  conversions       %.1f (uniform split %.1f)\n", b.ThompsonConversions, b.UniformConversions)
	fmt.Fprintf(w, "  best arm's share  %.1f%% overall, %.1f%% in the last batch\n", 100*b.BestArmShare, 100*b.BestArmShareLast)
	ht := r.HeavyTail
	fmt.Fprintf(w, "\nheavy-tailed revenue, %d recipients per arm, orders lognormal σ %.1f (%.0f%% flagged by Cochran's rule), 95%% interval coverage:\n",
		ht.Recipients, ht.Sigma, 100*ht.HeavyShare)
	line("A/B, Welch", ht.Welch, "", nil)
	line("A/B, percentile bootstrap", ht.Bootstrap, "", nil)
	line("against a holdout 9x smaller, Welch", ht.HoldoutWelch, "", nil)
	line("against a holdout 9x smaller, bootstrap", ht.HoldoutBootstrap, "", nil)
}
