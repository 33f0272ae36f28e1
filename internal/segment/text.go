package segment

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// ReadExpression returns s, or the content of the file s names as "@FILE" (long
// expressions read better over several lines, and errors then point at
// the line).
func ReadExpression(s string) (string, error) {
	path, ok := strings.CutPrefix(s, "@")
	if !ok {
		return s, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", apperr.Wrap(err, apperr.Invalid, "--expr @%s: cannot read the expression file", path)
	}
	return string(b), nil
}

// WriteWarnings writes likely mistakes (a map key nobody has) and how many
// customers the expression could not be evaluated for, so that a typo or a
// nil attrs key never silently empties a segment.
func (p Preview) WriteWarnings(w io.Writer) {
	for _, m := range p.Warnings {
		fmt.Fprintln(w, "warning:", m)
	}
	if p.Errors == 0 || p.FirstError == nil {
		return
	}
	fmt.Fprintf(w, "warning: the expression failed for %d of %d customers, who therefore do not match; first: %s\n"+
		"  (a missing attrs key is nil: give it a default, e.g. (attrs[\"points\"] ?? 0) > 100)\n",
		p.Errors, p.Total, p.FirstError)
}

// WriteText writes how many match and the first matches, for a person.
func (p Preview) WriteText(w io.Writer, name string) {
	share := 0.0
	if p.Total > 0 {
		share = 100 * float64(p.Count) / float64(p.Total)
	}
	fmt.Fprintf(w, "segment %s: %d of %d customers match (%.1f%%); records computed in %s, evaluated in %s\n",
		name, p.Count, p.Total, share, p.RecordsElapsed.Round(time.Millisecond), p.Elapsed.Round(time.Microsecond))
	if len(p.Sample) == 0 {
		return
	}
	fmt.Fprintf(w, "first %d:\n", len(p.Sample))
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "  CUSTOMER\tRFM SEGMENT\tLIFECYCLE\tORDERS\tREVENUE\tCLV\tDAYS SINCE\tCONSENT")
	for _, r := range p.Sample {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\t%.2f\t%.2f\t%d\t%s\n", r.ID, dash(r.RFM.Segment), dash(r.Lifecycle),
			r.Orders, r.Revenue, r.CLV, r.DaysSinceLastPurchase, consentList(r.Consent))
	}
	tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func consentList(c Consent) string {
	var out []string
	for _, x := range []struct {
		ok   bool
		name string
	}{{c.Email, "email"}, {c.SMS, "sms"}, {c.Push, "push"}, {c.WeChat, "wechat"}} {
		if x.ok {
			out = append(out, x.name)
		}
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, ",")
}

// Deleted is the saved segment a delete removed.
type Deleted struct {
	Name string `json:"deleted"`
}

// WriteText says which segment went.
func (d Deleted) WriteText(w io.Writer) error {
	_, err := fmt.Fprintf(w, "deleted segment %s\n", d.Name)
	return err
}

// List is saved segments, as `chorus segment list` prints them.
type List []Segment

// WriteText writes the segments as a table (or how to create one).
func (segs List) WriteText(w io.Writer) error {
	if len(segs) == 0 {
		_, err := fmt.Fprintln(w, "no segments yet: create one with chorus segment create NAME --expr '…'")
		return err
	}
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVERSION\tMEMBERS\tUPDATED\tEXPRESSION")
	for _, s := range segs {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\n", s.Name, s.Version, s.Members, s.UpdatedAt.Format(time.DateTime), oneLine(s.Expression, 80))
	}
	return tw.Flush()
}

// oneLine is s with its white space folded to single spaces, cut to n
// runes, the last an ellipsis when it cut.
func oneLine(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}

// FirstMembers is a segment's first n members in customer id order.
func (e *Engine) FirstMembers(ctx context.Context, name string, n int) ([]Member, error) {
	members := []Member{}
	if n <= 0 {
		return members, nil
	}
	errEnough := errors.New("enough")
	err := e.store.ScanSegmentMembers(ctx, name, func(m Member) error {
		if len(members) >= n {
			return errEnough
		}
		members = append(members, m)
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return nil, err
	}
	return members, nil
}

// WriteText writes a segment and its first members for a person.
func (s Segment) WriteText(w io.Writer, members []Member) error {
	fmt.Fprintf(w, "segment:     %s\nexpression:  %s\n", s.Name, s.Expression)
	if s.Description != "" {
		fmt.Fprintf(w, "description: %s\n", s.Description)
	}
	fmt.Fprintf(w, "version:     %d\nmembers:     %d\ncreated:     %s\nupdated:     %s\n",
		s.Version, s.Members, s.CreatedAt.Format(time.RFC3339), s.UpdatedAt.Format(time.RFC3339))
	if !s.RefreshedAt.IsZero() {
		fmt.Fprintf(w, "rebuilt:     %s\n", s.RefreshedAt.Format(time.RFC3339))
	}
	if len(members) > 0 {
		fmt.Fprintf(w, "first %d members (customer, since):\n", len(members))
		for _, m := range members {
			fmt.Fprintf(w, "  %s\t%s\n", m.CustomerID, m.Since.Format(time.RFC3339))
		}
	}
	return nil
}

// WriteText writes who joined and left each segment, and how long the
// refresh took.
func (r Refreshed) WriteText(w io.Writer) error {
	cs := r.Changes
	if len(cs) == 0 {
		if r.Customers > 0 {
			_, err := fmt.Fprintf(w, "no segment membership changed for %d customer(s)\n", r.Customers)
			return err
		}
		_, err := fmt.Fprintln(w, "no segments to refresh")
		return err
	}
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "SEGMENT\tVERSION\tJOINED\tLEFT")
	for _, c := range cs {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", c.Segment, c.Version, idSummary(c.Joined), idSummary(c.Left))
	}
	tw.Flush()
	_, err := fmt.Fprintf(w, "updated %d segment(s) in %s\n", len(cs), r.Took.Round(time.Millisecond))
	return err
}

// idSummary prints a count, and the ids themselves when there are few.
func idSummary(ids []string) string {
	switch {
	case len(ids) == 0:
		return "0"
	case len(ids) <= 5:
		return fmt.Sprintf("%d (%s)", len(ids), strings.Join(ids, ", "))
	}
	return fmt.Sprint(len(ids))
}

// WriteText writes the preview and what was saved, for a person.
func (s Saved) WriteText(w io.Writer) error {
	name := s.name
	s.Preview.WriteText(w, name)
	var err error
	switch {
	case s.DryRun:
		_, err = fmt.Fprintf(w, "dry run: segment %s not saved\n", name)
	case s.Change != nil:
		_, err = fmt.Fprintf(w, "replaced segment %s: version %d, %d members (%d joined, %d left)\n",
			name, s.Segment.Version, s.Segment.Members, len(s.Change.Joined), len(s.Change.Left))
	default:
		_, err = fmt.Fprintf(w, "saved segment %s: version %d, %d members\n", name, s.Segment.Version, s.Segment.Members)
	}
	return err
}

// Detail is a saved segment with its first members (`chorus segment show`).
type Detail struct {
	Segment
	FirstMembers []Member `json:"first_members"`
}

// Detail is the saved segment name with its first n members by customer
// id; an unknown segment is NotFound.
func (e *Engine) Detail(ctx context.Context, name string, n int) (Detail, error) {
	s, err := e.store.GetSegment(ctx, name)
	if err != nil {
		return Detail{}, err
	}
	members, err := e.FirstMembers(ctx, s.Name, n)
	return Detail{Segment: s, FirstMembers: members}, err
}

// WriteText writes the segment and its first members for a person.
func (d Detail) WriteText(w io.Writer) error { return d.Segment.WriteText(w, d.FirstMembers) }

// Counted is a count of customers matching now: of a saved segment next
// to its stored member count, or of an unsaved expression (Segment "").
type Counted struct {
	Segment string `json:"segment,omitempty"`
	Version int    `json:"version,omitempty"`
	Stored  *int   `json:"stored,omitempty"`
	Preview
}

// WriteText writes the count in one line.
func (c Counted) WriteText(w io.Writer) error {
	if c.Stored != nil {
		_, err := fmt.Fprintf(w, "segment %s (version %d): %d stored members; %d of %d customers match now\n",
			c.Segment, c.Version, *c.Stored, c.Count, c.Total)
		return err
	}
	_, err := fmt.Fprintf(w, "%d of %d customers match\n", c.Count, c.Total)
	return err
}

// CountFor counts the members of saved segment name now or, when name is "",
// the customers expression matches (`chorus segment count NAME | --expr`).
func (e *Engine) CountFor(ctx context.Context, name, expression string) (Counted, error) {
	if name != "" {
		return e.CountSaved(ctx, name)
	}
	return e.CountExpression(ctx, expression)
}

// CountExpression counts the customers an unsaved expression matches now.
func (e *Engine) CountExpression(ctx context.Context, expression string) (Counted, error) {
	p, err := e.Preview(ctx, expression, 0)
	return Counted{Preview: p}, err
}

// CountSaved counts saved segment name's members now, next to the stored
// count.
func (e *Engine) CountSaved(ctx context.Context, name string) (Counted, error) {
	s, p, err := e.Count(ctx, name)
	return Counted{Segment: s.Name, Version: s.Version, Stored: &s.Members, Preview: p}, err
}

// WriteSummary writes how saved segments followed a write in one line.
func (cs Changes) WriteSummary(w io.Writer, saved int) {
	joined, left := 0, 0
	for _, c := range cs {
		joined, left = joined+len(c.Joined), left+len(c.Left)
	}
	fmt.Fprintf(w, "segments: %d saved, %d joined, %d left\n", saved, joined, left)
}

// FieldList is the fields an expression can use.
type FieldList []Field

// WriteText writes the fields as a table.
func (fs FieldList) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "FIELD\tTYPE\tMEANING")
	for _, f := range fs {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Path, f.Type, f.Doc)
	}
	return tw.Flush()
}

// Exports is the log of contact exports.
type Exports []ContactExport

// WriteText writes the log as a table.
func (log Exports) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tWHEN (UTC)\tWHO\tSEGMENT\tFIELDS\tROWS\tHELD BACK\tPURPOSE")
	for _, e := range log {
		p := e.Purpose
		if e.IgnoredConsent {
			p = "consent ignored: " + p
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", e.ID, e.At.Format("2006-01-02 15:04"), e.Actor, e.Segment,
			strings.Join(e.Fields, ","), e.Rows, e.Withheld, p)
	}
	return tw.Flush()
}

// ExportFile is Export to the file path: it writes to a temporary file
// beside path and renames it, so a failed export never leaves a
// half-written file under the requested name.
func (e *Engine) ExportFile(ctx context.Context, name, path string, opts ExportOptions) (int, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return 0, apperr.Wrap(err, apperr.Invalid, "export: cannot write beside %s", path)
	}
	defer os.Remove(f.Name())
	n, err := e.Export(ctx, name, f, opts)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return 0, apperr.Wrap(err, apperr.Invalid, "export: write %s", path)
	}
	return n, nil
}
