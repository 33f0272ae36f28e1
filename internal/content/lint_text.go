package content

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// WriteText writes a lint report for a person: counts by code, the most
// used sentence skeleton per run and channel (marked ! above
// SkeletonLimit), then the worst items' findings, or every item's when
// Details is set.
func (r LintReport) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "checked %d items: %d with findings (%d findings)\n", r.Items, r.ItemsWithFindings, r.Findings)
	if r.Unchecked > 0 {
		fmt.Fprintf(w, "  %d items could not be checked (their channel or run is gone)\n", r.Unchecked)
	}
	fmt.Fprintf(w, "  %s\n", r.codeCounts())
	if len(r.Skeletons) > 0 {
		fmt.Fprintf(w, "most used sentence skeleton per run and channel (limit %.0f%%):\n", 100*SkeletonLimit)
		for _, s := range r.Skeletons {
			mark := " "
			if s.Share > SkeletonLimit {
				mark = "!"
			}
			fmt.Fprintf(w, "%s %-18s %-12s %5.1f%%  %3d of %-4d %q\n", mark, s.Run, s.Channel, 100*s.Share, s.Count, s.Messages, s.Skeleton)
		}
	}
	list, title := r.Worst, "items with the most findings:"
	if r.Details != nil {
		list, title = r.Details, "every item with findings:"
	}
	if len(list) > 0 {
		fmt.Fprintln(w, title)
		for _, it := range list {
			for _, f := range it.Findings {
				fmt.Fprintf(w, "  %s %-11s %s  %s: %s: %s\n", it.ID, it.Channel, it.Language, f.Field, f.Code, f.Reason)
			}
		}
	}
	return nil
}

// WriteFigures writes the report's figures in two lines, as the demo
// prints them: findings by code, and per channel the largest share of
// messages one sentence skeleton takes.
func (r LintReport) WriteFigures(w io.Writer) error {
	fmt.Fprintf(w, "copy lint 文案检查: %d items, %d with findings · %s\n", r.Items, r.ItemsWithFindings, r.codeCounts())
	top := map[string]float64{}
	var chans []string
	for _, s := range r.Skeletons {
		if _, ok := top[s.Channel]; !ok {
			chans = append(chans, s.Channel)
		}
		top[s.Channel] = max(top[s.Channel], s.Share)
	}
	sort.Strings(chans)
	var sk []string
	for _, c := range chans {
		sk = append(sk, fmt.Sprintf("%s %.1f%%", c, 100*top[c]))
	}
	if len(sk) > 0 {
		fmt.Fprintf(w, "most used sentence skeleton 句式重复 (limit %.0f%%): %s\n", 100*SkeletonLimit, strings.Join(sk, " · "))
	}
	return nil
}

// codeCounts are the findings per code, every code in LintCodes order.
func (r LintReport) codeCounts() string {
	parts := make([]string, 0, len(LintCodes))
	for _, c := range LintCodes {
		parts = append(parts, fmt.Sprintf("%s %d", c, r.ByCode[c]))
	}
	return strings.Join(parts, " · ")
}
