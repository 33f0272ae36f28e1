package adlaw

import (
	"fmt"
	"io"
	"strings"

	"github.com/rivo/uniseg"
)

// WriteText writes the report as a verdict line, a table of findings and
// each finding's explanation and law, then the findings a category gate
// permitted for rep.Category.
func (rep Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "verdict: %s (%d findings, lexicon %s)\n", rep.Verdict, len(rep.Findings), rep.LexiconVersion)
	if len(rep.Findings) > 0 {
		writeFindings(w, rep.Findings)
		for _, f := range rep.Findings {
			fmt.Fprintf(w, "  %s: %s (%s)\n", f.MatchedText, f.Explanation, f.LawRef)
		}
	}
	if len(rep.Permitted) > 0 {
		fmt.Fprintf(w, "permitted for category %s by a category gate:\n", rep.Category)
		writeFindings(w, rep.Permitted)
	}
	return nil
}

// writeFindings writes a table aligned by display width: tabwriter counts
// runes, which misaligns Chinese and full-width text.
func writeFindings(w io.Writer, fs []Finding) {
	rows := [][]string{{"BYTES", "MATCHED", "TERM", "CATEGORY", "SEVERITY", "SUGGESTION"}}
	for _, f := range fs {
		rows = append(rows, []string{fmt.Sprintf("%d-%d", f.Start, f.End), f.MatchedText, f.Term, f.Category, f.Severity, f.Suggestion})
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], uniseg.StringWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		b.Reset()
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-uniseg.StringWidth(c)+2))
			}
		}
		fmt.Fprintln(w, b.String())
	}
}
