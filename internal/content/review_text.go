package content

import (
	"fmt"
	"io"
	"strings"
)

// WriteItems writes items one line each (id, status, channel, language,
// cohort and the first field), or "no items".
func WriteItems(w io.Writer, items []Item) error {
	if len(items) == 0 {
		_, err := fmt.Fprintln(w, "no items")
		return err
	}
	for _, it := range items {
		spec, _ := SpecFor(it.Channel)
		first := ""
		if len(spec.Fields) > 0 {
			first = it.Copy.Field(spec.Fields[0].Name)
		}
		fmt.Fprintf(w, "%s  %-8s %-11s %s  %-34s %s\n", it.ID, it.Status, it.Channel, it.Language, truncate(it.Cohort, 34), oneLine(first, 40))
	}
	_, err := fmt.Fprintf(w, "%d item(s)\n", len(items))
	return err
}

// WriteText writes an item with its fields and budgets, its checks and its
// audit trail, for a reviewer.
func (it Item) WriteText(w io.Writer, trail []Audit) error {
	spec, _ := SpecFor(it.Channel)
	fmt.Fprintf(w, "%s · %s · %s · %s · run %s · %s\n", it.ID, spec.Label, it.Language, it.Status, it.RunID, it.Cohort)
	fmt.Fprintf(w, "product %s · model %s · prompt %s · repairs %d\n\n", it.SKU, it.Model, it.PromptVersion, it.Rounds)
	for _, f := range spec.Fields {
		v := it.Copy.Field(f.Name)
		if f.Array {
			v = "#" + strings.Join(it.Copy.Hashtags, " #")
		}
		budget := ""
		if m := f.Max[it.Language]; m > 0 {
			budget = fmt.Sprintf(" (%d/%d)", Runes(v), m)
		}
		fmt.Fprintf(w, "%s%s:\n  %s\n", f.Name, budget, strings.ReplaceAll(v, "\n", "\n  "))
	}
	if it.SMS != nil {
		fmt.Fprintf(w, "sms: %s, %d units, %d segment(s)\n", it.SMS.Encoding, it.SMS.Units, it.SMS.Segments)
	}
	if it.HTML != "" {
		fmt.Fprintf(w, "html: %d bytes (chorus content review show %s --html)\n", len(it.HTML), it.ID)
	}
	for _, v := range it.Violations {
		fmt.Fprintf(w, "⚠ [%s] %s\n", v.Rule, v)
	}
	fmt.Fprintln(w, "\naudit:")
	for _, e := range trail {
		fmt.Fprintf(w, "  %s  %-8s %-9s %s→%s  %s\n", e.At.Format("2006-01-02 15:04:05"), e.Actor, e.Action, e.From, e.To, e.Note)
	}
	return nil
}

// truncate cuts s to n runes, the last an ellipsis when it cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// oneLine is s with its white space folded to single spaces, cut to n
// runes.
func oneLine(s string, n int) string { return truncate(strings.Join(strings.Fields(s), " "), n) }
