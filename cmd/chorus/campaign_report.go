package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/experiment"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// campaignReportCmd is `chorus campaign report`.
func (a *app) campaignReportCmd() *cobra.Command {
	var o struct {
		by, window, viewWindow  string
		viewThrough, sequential bool
		asJSON                  bool
		tuning                  int
	}
	cmd := &cobra.Command{
		Use:   "report NAME",
		Short: "What a campaign achieved: per variant, channel or segment, and against its holdout",
		Long: `Per variant (and per --by cell) it shows the recipients, the messages
delivered, the people who opened (human opens; a click counts as an open;
Apple Mail Privacy Protection and scanner fetches are left out) and
clicked, CTR (clicks / delivered), CTOR (clicks / opens), the conversions
(people with an order credited to the campaign: their last human click
within the attribution window, default 7 days, before the order; opens too
with --view-through), CVR (conversions / recipients), revenue net of refunds
(the rule RFM and CLV use) and revenue per recipient, and unsubscribes,
bounces and complaints.

Against the holdout (people held back, sent nothing) it compares every
purchase in each person's measurement window (the attribution window from
their planned send), clicked or not, so both groups are measured alike:
the lift in conversion rate and in revenue per recipient, treated minus
holdout, with a 95% interval and p-value. With several variants it also
tests them against the first (p-values, intervals, win probabilities, the
decision). Without --sequential these figures are fixed-horizon (valid at
the planned end of the campaign); with it they are always valid, so a
running campaign may be looked at any time.`,
		Example: `  chorus campaign report double11
  chorus campaign report double11 --by variant,channel --json
  chorus campaign report double11 --by segment --sequential`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			by, err := tracking.ParseBy(o.by)
			if err != nil {
				return err
			}
			att := a.cfg.Tracking.Attribution
			if o.window != "" {
				d, err := config.ParseDuration(o.window)
				if err != nil || d.Std() < time.Hour {
					return apperr.New(apperr.Invalid, "--window %q: use a duration of at least 1h, e.g. 7d or 72h", o.window)
				}
				att.Window = d
			}
			if cmd.Flags().Changed("view-through") {
				att.ViewThrough = o.viewThrough
			}
			if o.viewWindow != "" {
				d, err := config.ParseDuration(o.viewWindow)
				if err != nil || d.Std() < time.Minute {
					return apperr.New(apperr.Invalid, "--view-window %q: use a duration of at least 1m, e.g. 1d", o.viewWindow)
				}
				att.ViewWindow, att.ViewThrough = d, true
			}
			exp := experiment.OptionsFromConfig(a.cfg.Experiment)
			exp.Sequential = o.sequential
			if o.tuning > 0 {
				exp.Tuning = int64(o.tuning)
			}
			ctx := cmd.Context()
			return a.withStore(ctx, func(st store.Store) error {
				rep, err := tracking.Reporter{Store: st}.Report(ctx, args[0], tracking.ReportOptions{
					By: by, Rule: tracking.RuleFromConfig(att), Experiment: exp, Segments: a.rfmSegments(st),
				})
				if err != nil {
					return err
				}
				if o.asJSON {
					enc := json.NewEncoder(a.stdout)
					enc.SetIndent("", "  ")
					return enc.Encode(rep)
				}
				printReport(a.stdout, rep)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.by, "by", "", "split the cells by variant, channel and/or segment (comma-separated)")
	f.StringVar(&o.window, "window", "", "attribution and measurement window (default tracking.attribution.window, 7d)")
	f.BoolVar(&o.viewThrough, "view-through", false, "also credit orders to the last human open (tracking.attribution.view_through)")
	f.StringVar(&o.viewWindow, "view-window", "", "view-through window (default tracking.attribution.view_window, 1d); implies --view-through")
	f.BoolVar(&o.sequential, "sequential", false, "always-valid p-values and intervals (safe to look at a running campaign)")
	f.IntVar(&o.tuning, "tuning", 0, "sequential: the planned recipients of two arms, where the interval is narrowest")
	f.BoolVar(&o.asJSON, "json", false, "print the report as JSON")
	return cmd
}

// rfmSegments names customers' current RFM segments (for --by segment).
func (a *app) rfmSegments(st store.Store) tracking.Segmenter {
	return func(ctx context.Context, ids []string) (map[string]string, error) {
		ds, err := insight.Load(ctx, st)
		if err != nil {
			return nil, err
		}
		snap, err := insight.Compute(ds, insight.OptionsFromConfig(a.cfg.Insight))
		if err != nil {
			return nil, err
		}
		out := make(map[string]string, len(ids))
		for _, id := range ids {
			if m, ok := snap.Get(id); ok && m.RFM.Segment != "" {
				out[id] = m.RFM.Segment
			}
		}
		return out, nil
	}
}

func printReport(w io.Writer, r tracking.Report) {
	fmt.Fprintf(w, "Campaign %s (%s) · attribution: last click within %s", r.Campaign, r.State, days(r.Attribution.Window))
	if r.Attribution.ViewThrough {
		fmt.Fprintf(w, ", else last open within %s", days(r.Attribution.ViewWindow))
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"recipients", "delivered", "opens", "clicks", "CTR", "CTOR", "conv", "CVR", "revenue", "rev/recip", "unsub", "bounce", "complaint"}
	row := func(label string, c tracking.Cell) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%s\t%d\t%s\t%.2f\t%.2f\t%d\t%d\t%d\t\n", label, c.Recipients, c.Delivered, c.Opens, c.Clicks,
			pct(c.CTR), pct(c.CTOR), c.Conversions, pct(c.CVR), c.Revenue, c.RevenuePerRecipient, c.Unsubscribes, c.Bounces, c.Complaints)
	}
	fmt.Fprintf(tw, "\t%s\t\n", strings.Join(head, "\t"))
	for _, c := range r.Variants {
		row("variant "+c.Variant, c)
	}
	if len(r.Variants) > 1 {
		row("all variants", r.Total)
	}
	if r.Rest != nil {
		label := "rest (awaiting the winner)"
		if r.Rest.Variant != "" {
			label = "rest: winner " + r.Rest.Variant
		}
		row(label, *r.Rest)
	}
	if r.Holdout != nil {
		fmt.Fprintf(tw, "holdout\t%d\t-\t-\t-\t-\t-\t%d\t%s\t%.2f\t%.2f\t-\t-\t-\t\n", r.Holdout.Recipients,
			liftConv(r), pct(liftCVR(r)), liftRev(r), liftRPR(r))
	}
	tw.Flush()
	if len(r.Cells) > 0 {
		fmt.Fprintf(w, "\nBy %s:\n", strings.Join(r.By, ", "))
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "\t%s\t\n", strings.Join(head, "\t"))
		for _, c := range r.Cells {
			var parts []string
			for _, p := range []string{c.Variant, c.Channel, c.Segment} {
				if p != "" {
					parts = append(parts, p)
				}
			}
			row(strings.Join(parts, " · "), c)
		}
		tw.Flush()
	}
	if l := r.Lift; l != nil {
		fmt.Fprintf(w, "\nAgainst the holdout (purchases within %s of the planned send, %s):\n", days(r.Window), r.Method)
		fmt.Fprintf(w, "  conversion rate %s vs %s: lift %+.2f pp (95%% CI %+.2f to %+.2f pp), p = %.4g, P(treated better) = %.3f\n",
			pct(l.Treated.CVR), pct(l.Holdout.CVR), 100*l.Estimate.Estimate, 100*l.CILow, 100*l.CIHigh, l.PValue, l.WinProbability)
		if rv := l.RevenuePerRecipient; rv != nil {
			fmt.Fprintf(w, "  revenue per recipient %.2f vs %.2f: lift %+.2f (95%% CI %+.2f to %+.2f), p = %.4g (%s)\n",
				l.Treated.RevenuePerRecipient, l.Holdout.RevenuePerRecipient, rv.Estimate.Estimate, rv.CILow, rv.CIHigh, rv.PValue, rv.Method)
		}
		fmt.Fprintf(w, "  incremental conversions %.1f (95%% CI %.1f to %.1f)\n", l.IncrementalConversions.Estimate, l.IncrementalConversions.CILow, l.IncrementalConversions.CIHigh)
	}
	if t := r.Test; t != nil {
		fmt.Fprintf(w, "\nVariants against %s (%s):\n", t.Control, t.Method)
		for _, v := range t.Variants {
			if v.Comparison == nil {
				continue
			}
			fmt.Fprintf(w, "  %s: %+.2f pp (95%% CI %+.2f to %+.2f pp), p = %.4g (Holm %.4g), P(beats %s) = %.3f\n", v.Variant,
				100*v.Difference, 100*v.CILow, 100*v.CIHigh, v.PValue, v.PValueHolm, t.Control, v.WinProbability)
		}
		fmt.Fprintf(w, "  decision: %s\n", t.Decision.Reason)
	}
	if p := r.TestPlan; p != nil {
		fmt.Fprintf(w, "\nTest on %.4g%% for %s, then the winner to the rest: ", 100*p.Share, p.Window)
		if p.Decision == nil {
			fmt.Fprintln(w, "not decided yet")
		} else {
			fmt.Fprintf(w, "%s went out (%s, %s): %s\n", p.Winner, p.Decision.Code, p.DecidedAt.Format(time.RFC3339), p.Decision.Reason)
		}
	}
	for _, m := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", m)
	}
}

func liftConv(r tracking.Report) int64 {
	if r.Lift != nil {
		return r.Lift.Holdout.Conversions
	}
	return 0
}

func liftCVR(r tracking.Report) float64 {
	if r.Lift != nil {
		return r.Lift.Holdout.CVR
	}
	return 0
}

func liftRev(r tracking.Report) float64 {
	if r.Lift != nil {
		return r.Lift.Holdout.Revenue
	}
	return 0
}

func liftRPR(r tracking.Report) float64 {
	if r.Lift != nil {
		return r.Lift.Holdout.RevenuePerRecipient
	}
	return 0
}

func pct(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) }

func days(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}
