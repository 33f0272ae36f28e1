package experimentbench

import (
	"fmt"
	"io"
	"strings"
)

// WriteText writes the report for a person: each figure with its Monte
// Carlo interval and target.
func (r Report) WriteText(w io.Writer) error {
	o := r.Options
	fmt.Fprintf(w, "experiment statistics on simulated campaigns: %d A/A and %d A/B tests, %d recipients per arm, %d looks, control rate %.2f%%, alpha %g (%.1f s)\n",
		o.Sims, o.Sims, o.Recipients, o.Looks, 100*o.Rate, o.Alpha, r.Seconds)
	line := func(label string, s Share, goal string, met *bool) {
		status := ""
		if met != nil {
			status = "  met"
			if !*met {
				status = "  NOT MET"
			}
		}
		fmt.Fprintln(w, strings.TrimRight(fmt.Sprintf("  %-44s %6.2f%%  [%5.2f%%, %5.2f%%]  %s%s", label, 100*s.Value, 100*s.Low, 100*s.High, goal, status), " "))
	}
	tl := func(label string, t Target, goal string) { line(label, t.Share, goal, &t.Met) }
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
	return nil
}

// Runs is how many simulations o makes (for a progress bar), 0 when a
// count is left to its default.
func (o Options) Runs() int64 {
	if o.Sims <= 0 || o.BanditSims <= 0 || o.HeavySims <= 0 {
		return 0
	}
	return int64(2*o.Sims + o.BanditSims + o.HeavySims)
}
