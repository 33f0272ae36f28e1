package pii

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Finding is an entity with its masked preview, never its value: what
// `chorus privacy scan --json` shows.
type Finding struct {
	Entity
	Preview string `json:"preview"`
}

// Scan is what a scan of a text found (`chorus privacy scan`): in JSON
// the findings with their masked previews, never the values.
type Scan struct {
	Findings []Finding `json:"findings"`
}

// ScanText scans text with sc, customer names included.
func ScanText(sc *Scanner, text string, names ...string) Scan {
	ents := sc.Scan(text, NameRecords(names)...)
	out := Scan{Findings: make([]Finding, 0, len(ents))}
	for _, e := range ents {
		out.Findings = append(out.Findings, Finding{e, e.Masked()})
	}
	return out
}

// WriteText writes what the scan found as a table of types, byte offsets,
// labels and masked previews (never the values).
func (s Scan) WriteText(w io.Writer) error {
	if len(s.Findings) == 0 {
		_, err := fmt.Fprintln(w, "no personal data found")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TYPE\tSTART\tEND\tLABEL\tPREVIEW")
	for _, e := range s.Findings {
		label := e.Label
		if label == "" {
			label = "-"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\n", e.Type, e.Start, e.End, label, e.Preview)
	}
	return tw.Flush()
}

// Redacted is a text as a model would receive it, and what was replaced
// (types and byte offsets into the input, never the values), in JSON in
// that order (`chorus privacy redact --json` has always printed them so).
type Redacted struct {
	Entities []Entity `json:"entities"`
	Text     string   `json:"text"`
	// Distinct is how many distinct values were tokenised.
	Distinct int `json:"-"`
}

// WriteText writes the redacted text, ending with a line break.
func (r Redacted) WriteText(w io.Writer) error {
	_, err := io.WriteString(w, r.Text)
	if err == nil && !strings.HasSuffix(r.Text, "\n") {
		_, err = io.WriteString(w, "\n")
	}
	return err
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
