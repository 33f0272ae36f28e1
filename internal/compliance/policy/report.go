package policy

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Verdict is one planned message's decision as a person or a script reads
// it (the JSON of `chorus policy check --json`).
type Verdict struct {
	Decision
	CustomerID string `json:"customer_id"`
	Channel    string `json:"channel"`
	Purpose    string `json:"purpose"`
	LocalTime  string `json:"local_time"`

	loc *time.Location
}

// Check decides whether a message to customerID on channel for purpose may
// go out at at: RFC 3339, or a wall-clock time ("2026-03-08 08:30") in the
// customer's own zone; "" is now. Nothing is written. An unknown customer
// is NotFound, a time it cannot read Invalid.
func (g *Gate) Check(ctx context.Context, customerID, channel, purpose, at string) (Verdict, error) {
	c, err := g.st.GetCustomer(ctx, customerID)
	if err != nil {
		return Verdict{}, err
	}
	loc := g.Location(c)
	when := g.now().Truncate(time.Second)
	if at != "" {
		if when, err = ParseAt(at, loc); err != nil {
			return Verdict{}, err
		}
	}
	d, err := g.Decide(ctx, Message{CustomerID: c.ID, Channel: channel, Purpose: purpose, At: when})
	if err != nil {
		return Verdict{}, err
	}
	return Verdict{Decision: d, CustomerID: c.ID, Channel: strings.ToLower(channel), Purpose: cmp.Or(strings.ToLower(purpose), Marketing),
		LocalTime: d.At.In(loc).Format(time.RFC3339), loc: loc}, nil
}

// ParseAt reads a planned send time: RFC 3339 with its offset, or a
// wall-clock time in loc.
func ParseAt(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, apperr.New(apperr.Invalid, `--at %q: want RFC 3339 (2026-03-08T08:30:00-04:00) or "2026-03-08 08:30" in the customer's zone`, s)
}

// WriteText writes the verdict for a person.
func (c Verdict) WriteText(w io.Writer) error {
	loc := c.loc
	if loc == nil {
		loc = time.UTC
	}
	verdict := "allow"
	if !c.Allow {
		verdict = "skip " + c.Code
	}
	fmt.Fprintf(w, "%s: %s %s at %s (%s): %s\n", c.CustomerID, c.Purpose, c.Channel, c.LocalTime, c.TimeZone, verdict)
	if !c.Allow {
		fmt.Fprintf(w, "  reason: %s\n", c.Reason)
		if !c.NextAt.IsZero() {
			fmt.Fprintf(w, "  next allowed: %s (%s)\n", c.NextAt.In(loc).Format(time.RFC3339), c.NextAt.UTC().Format(time.RFC3339))
		}
	}
	if c.Personalize {
		_, err := fmt.Fprintln(w, "  personalised content: yes")
		return err
	}
	_, err := fmt.Fprintln(w, "  personalised content: no (opted out of personalised marketing; send segment-level content)")
	return err
}

// WriteSkips writes skipped messages for a person: the count by code,
// most frequent first, then one row each.
func WriteSkips(w io.Writer, skips []Skip) error {
	counts := map[string]int{}
	for _, s := range skips {
		counts[s.Code]++
	}
	codes := make([]string, 0, len(counts))
	for c := range counts {
		codes = append(codes, c)
	}
	slices.SortFunc(codes, func(x, y string) int { return cmp.Or(counts[y]-counts[x], strings.Compare(x, y)) })
	fmt.Fprintf(w, "%d skipped", len(skips))
	for _, c := range codes {
		fmt.Fprintf(w, ", %s %d", c, counts[c])
	}
	fmt.Fprintln(w)
	if len(skips) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CUSTOMER\tCHANNEL\tPURPOSE\tPLANNED\tCODE\tNEXT\tREASON")
	for _, s := range skips {
		next := "-"
		if !s.NextAt.IsZero() {
			next = s.NextAt.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.CustomerID, s.Channel, s.Purpose, s.PlannedAt.Format(time.RFC3339), s.Code, next, s.Reason)
	}
	return tw.Flush()
}

// PruneReport is what PruneLogs did (the JSON of `chorus policy prune
// --json`).
type PruneReport struct {
	Cutoff time.Time `json:"cutoff"`
	// Default is true when the cutoff is now minus the retention.
	Default         bool  `json:"default_cutoff"`
	RetentionHours  int64 `json:"retention_hours"`
	LongestCapHours int64 `json:"longest_cap_window_hours"`
	DryRun          bool  `json:"dry_run"`
	Deleted         int64 `json:"deleted"`
	WouldDelete     int64 `json:"would_delete"`
	// The skips log (why messages were not sent) is pruned by its own
	// retention, compliance.contact.skip_retention.
	SkipsCutoff        time.Time `json:"skips_cutoff"`
	SkipRetentionHours int64     `json:"skip_retention_hours"`
	SkipsDeleted       int64     `json:"skips_deleted"`
	SkipsWouldDelete   int64     `json:"skips_would_delete"`

	retention, longest, skipRetention time.Duration
	now                               time.Time
}

// PruneLogs prunes the sends log before the cutoff (before: RFC 3339, a
// UTC date or "YYYY-MM-DD HH:MM"; "" is now minus the retention; a cutoff
// inside the longest cap window is refused, see Prune) and the skips log
// by its own retention; with dryRun it only counts.
func (g *Gate) PruneLogs(ctx context.Context, before string, dryRun bool) (PruneReport, error) {
	r := PruneReport{Cutoff: g.PruneCutoff().Truncate(time.Second), Default: before == "", DryRun: dryRun,
		RetentionHours: int64(g.Retention() / time.Hour), LongestCapHours: int64(g.LongestCapWindow() / time.Hour),
		retention: g.Retention(), longest: g.LongestCapWindow(), skipRetention: g.SkipRetention(), now: g.now()}
	if before != "" {
		var err error
		if r.Cutoff, err = ParseCutoff(before); err != nil {
			return r, err
		}
	}
	n, err := g.Prune(ctx, r.Cutoff, dryRun)
	if err != nil {
		return r, err
	}
	r.SkipsCutoff, r.SkipRetentionHours = g.SkipPruneCutoff().Truncate(time.Second), int64(g.SkipRetention()/time.Hour)
	k, err := g.PruneSkips(ctx, r.SkipsCutoff, dryRun)
	if err != nil {
		return r, err
	}
	if dryRun {
		r.WouldDelete, r.SkipsWouldDelete = n, k
	} else {
		r.Deleted, r.SkipsDeleted = n, k
	}
	return r, nil
}

// ParseCutoff reads a prune cutoff: RFC 3339 with its offset, or a UTC
// date or date and time.
func ParseCutoff(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, apperr.New(apperr.Invalid, `--before %q: want RFC 3339 (2026-09-01T00:00:00+08:00), "2026-09-01" or "2026-09-01 08:00" (UTC)`, s)
}

// WriteText writes the report for a person.
func (r PruneReport) WriteText(w io.Writer) error {
	n, k := r.Deleted, r.SkipsDeleted
	if r.DryRun {
		n, k = r.WouldDelete, r.SkipsWouldDelete
	}
	how := fmt.Sprintf("retention %s", Span(r.retention))
	if !r.Default {
		how = "--before"
	}
	if r.DryRun {
		fmt.Fprintf(w, "would prune %d sends made before %s (%s); dry run: nothing deleted\n", n, r.Cutoff.UTC().Format(time.RFC3339), how)
	} else {
		fmt.Fprintf(w, "pruned %d sends made before %s (%s)\n", n, r.Cutoff.UTC().Format(time.RFC3339), how)
	}
	fmt.Fprintf(w, "  longest cap window %s: nothing after %s is deleted\n", Span(r.longest),
		r.now.Add(-r.longest).UTC().Format(time.RFC3339))
	verb := "pruned"
	if r.DryRun {
		verb = "would prune"
	}
	_, err := fmt.Fprintf(w, "%s %d skips decided before %s (skip retention %s)\n", verb, k, r.SkipsCutoff.UTC().Format(time.RFC3339), Span(r.skipRetention))
	return err
}

// Span writes a duration in days when it is whole days, else as Go does.
func Span(d time.Duration) string {
	if d > 0 && d%(24*time.Hour) == 0 {
		if d == 24*time.Hour {
			return "1 day"
		}
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return d.String()
}
