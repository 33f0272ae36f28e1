package tracking

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// reportHead are the columns of a report's cell tables.
var reportHead = []string{"recipients", "delivered", "opens", "clicks", "CTR", "CTOR", "conv", "CVR", "revenue", "rev/recip", "unsub", "bounce", "complaint"}

// WriteText writes the report as `chorus campaign report` prints it: the
// cells, the holdout comparison, the variants' test and any warnings.
func (r Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "Campaign %s (%s) · attribution: last click within %s", r.Campaign, r.State, days(r.Attribution.Window))
	if r.Attribution.ViewThrough {
		fmt.Fprintf(w, ", else last open within %s", days(r.Attribution.ViewWindow))
	}
	fmt.Fprintln(w)
	if err := r.writeCells(w); err != nil {
		return err
	}
	r.writeLift(w)
	r.writeTest(w)
	for _, m := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", m)
	}
	return nil
}

func cellRow(tw io.Writer, label string, c Cell) {
	fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%s\t%d\t%s\t%.2f\t%.2f\t%d\t%d\t%d\t\n", label, c.Recipients, c.Delivered, c.Opens, c.Clicks,
		pct(c.CTR), pct(c.CTOR), c.Conversions, pct(c.CVR), c.Revenue, c.RevenuePerRecipient, c.Unsubscribes, c.Bounces, c.Complaints)
}

// writeCells writes the variants (with the rest and the holdout), then
// the cells of --by.
func (r Report) writeCells(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\t%s\t\n", strings.Join(reportHead, "\t"))
	for _, c := range r.Variants {
		cellRow(tw, "variant "+c.Variant, c)
	}
	if len(r.Variants) > 1 {
		cellRow(tw, "all variants", r.Total)
	}
	if r.Rest != nil {
		label := "rest (awaiting the winner)"
		if r.Rest.Variant != "" {
			label = "rest: winner " + r.Rest.Variant
		}
		cellRow(tw, label, *r.Rest)
	}
	if r.Holdout != nil {
		var h Arm
		if r.Lift != nil {
			h = r.Lift.Holdout
		}
		fmt.Fprintf(tw, "holdout\t%d\t-\t-\t-\t-\t-\t%d\t%s\t%.2f\t%.2f\t-\t-\t-\t\n", r.Holdout.Recipients,
			h.Conversions, pct(h.CVR), h.Revenue, h.RevenuePerRecipient)
	}
	if err := tw.Flush(); err != nil || len(r.Cells) == 0 {
		return err
	}
	fmt.Fprintf(w, "\nBy %s:\n", strings.Join(r.By, ", "))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\t%s\t\n", strings.Join(reportHead, "\t"))
	for _, c := range r.Cells {
		var parts []string
		for _, p := range []string{c.Variant, c.Channel, c.Segment} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		cellRow(tw, strings.Join(parts, " · "), c)
	}
	return tw.Flush()
}

// writeLift writes the comparison with the holdout.
func (r Report) writeLift(w io.Writer) {
	l := r.Lift
	if l == nil {
		return
	}
	fmt.Fprintf(w, "\nAgainst the holdout (purchases within %s of the planned send, %s):\n", days(r.Window), r.Method)
	fmt.Fprintf(w, "  conversion rate %s vs %s: lift %+.2f pp (95%% CI %+.2f to %+.2f pp), p = %.4g, P(treated better) = %.3f\n",
		pct(l.Treated.CVR), pct(l.Holdout.CVR), 100*l.Estimate.Estimate, 100*l.CILow, 100*l.CIHigh, l.PValue, l.WinProbability)
	if rv := l.RevenuePerRecipient; rv != nil {
		fmt.Fprintf(w, "  revenue per recipient %.2f vs %.2f: lift %+.2f (95%% CI %+.2f to %+.2f), p = %.4g (%s)\n",
			l.Treated.RevenuePerRecipient, l.Holdout.RevenuePerRecipient, rv.Estimate.Estimate, rv.CILow, rv.CIHigh, rv.PValue, rv.Method)
	}
	fmt.Fprintf(w, "  incremental conversions %.1f (95%% CI %.1f to %.1f)\n", l.IncrementalConversions.Estimate, l.IncrementalConversions.CILow, l.IncrementalConversions.CIHigh)
}

// writeTest writes the variants against the first and the test plan's
// decision.
func (r Report) writeTest(w io.Writer) {
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
}

func pct(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) }

// days is d in whole days ("7d") when it is whole, else as Go writes it.
func days(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}
