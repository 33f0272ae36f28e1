package experiment

import (
	"fmt"
	"io"
	"strings"

	"github.com/rivo/uniseg"
)

// WriteText writes the report for a person: a table per variant, the
// revenue comparison, the SRM check, the decision and the warnings.
func (r Report) WriteText(w io.Writer) error {
	pct := func(x float64) string { return fmt.Sprintf("%.2f%%", 100*x) }
	pp := func(x float64) string { return fmt.Sprintf("%+.2fpp", 100*x) }
	kind := "fixed-horizon (valid for one look at a planned size; use --sequential for a running test)"
	if r.Method == Sequential {
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
	writeTable(w, rows)
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
		writeTable(w, rows)
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
	return nil
}

// writeTable writes rows in columns two spaces apart, padded by display
// width.
func writeTable(w io.Writer, rows [][]string) {
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
