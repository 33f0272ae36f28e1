package pii

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// Finding is an entity with its masked preview, never its value: what
// `chorus privacy scan --json` shows.
type Finding struct {
	Entity
	Preview string `json:"preview"`
}

// Findings are ents with their masked previews.
func Findings(ents []Entity) []Finding {
	out := make([]Finding, 0, len(ents))
	for _, e := range ents {
		out = append(out, Finding{e, e.Masked()})
	}
	return out
}

// WriteEntities writes what a scan found as a table of types, byte offsets,
// labels and masked previews (never the values).
func WriteEntities(w io.Writer, ents []Entity) error {
	if len(ents) == 0 {
		_, err := fmt.Fprintln(w, "no personal data found")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TYPE\tSTART\tEND\tLABEL\tPREVIEW")
	for _, e := range ents {
		label := e.Label
		if label == "" {
			label = "-"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\n", e.Type, e.Start, e.End, label, e.Masked())
	}
	return tw.Flush()
}

// Redacted is a text as a model would receive it, and what was replaced
// (types and byte offsets into the input, never the values).
type Redacted struct {
	Text     string   `json:"text"`
	Entities []Entity `json:"entities"`
	// Distinct is how many distinct values were tokenised.
	Distinct int `json:"-"`
}

// RedactText tokenises the personal data sc finds in text, customer names
// included; Entities is never nil.
func RedactText(sc *Scanner, text string, names ...string) Redacted {
	v := NewVault()
	out, ents := v.Redact(sc, text, NameRecords(names)...)
	if ents == nil {
		ents = []Entity{}
	}
	return Redacted{Text: out, Entities: ents, Distinct: v.Len()}
}

// NameRecords are names as known values of a scan.
func NameRecords(names []string) []Record {
	out := make([]Record, 0, len(names))
	for _, n := range names {
		out = append(out, Record{Name: n})
	}
	return out
}
