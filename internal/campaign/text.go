package campaign

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// The text forms of the campaign views, as `chorus campaign …` prints them
// (--json prints the same values as JSON).

// String lists the counts in the order of SendStates: "pending 3 · sent 5 …".
func (c Counts) String() string {
	parts := make([]string, 0, len(SendStates))
	for _, s := range SendStates {
		parts = append(parts, fmt.Sprintf("%s %d", s, c[s]))
	}
	return strings.Join(parts, " · ")
}

// CountList is "key value · key value" in key order, or "none".
func CountList[V any](m map[string]V) string {
	if len(m) == 0 {
		return "none"
	}
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %v", k, m[k]))
	}
	return strings.Join(parts, " · ")
}

// WriteText writes the state, the recipients by state, channel, variant
// and reason, and what is retried or deferred.
func (st Status) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "campaign %s: %s · %d recipients rows · %s\n", st.Campaign.Name, st.State, st.Total, st.Counts)
	for _, ch := range slices.Sorted(maps.Keys(st.ByChannel)) {
		fmt.Fprintf(w, "  %-6s %s\n", ch, st.ByChannel[ch])
	}
	if len(st.ByVariant) > 1 {
		for _, v := range slices.Sorted(maps.Keys(st.ByVariant)) {
			fmt.Fprintf(w, "  variant %s: %s\n", v, st.ByVariant[v])
		}
	}
	if len(st.Skipped) > 0 {
		fmt.Fprintf(w, "  skipped by reason: %s\n", CountList(st.Skipped))
	}
	if len(st.Failed) > 0 {
		fmt.Fprintf(w, "  failed by reason: %s\n", CountList(st.Failed))
	}
	for _, k := range slices.Sorted(maps.Keys(st.Fallbacks)) {
		fmt.Fprintf(w, "  fallback %s: %s\n", k, CountList(st.Fallbacks[k]))
	}
	fmt.Fprintf(w, "  retries after an unrecorded outcome (possible duplicates, same Message-ID/webhook-id): %d · in flight: %d\n", st.Resends, st.InFlight)
	if !st.NextAt.IsZero() {
		fmt.Fprintf(w, "  next deferred or retried send: %s\n", st.NextAt.Local().Format(time.DateTime))
	}
	return nil
}

// WriteText writes the audience, its split, the skips and the model calls.
func (p Plan) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "campaign %s · segment %s · audience %d · holdout %d · reached %d\n", p.Campaign, p.Segment, p.Audience, p.Holdout, p.Reached)
	fmt.Fprintf(w, "messages by channel: %s\n", CountList(p.ByChannel))
	fmt.Fprintf(w, "by variant: %s\n", CountList(p.ByVariant))
	if len(p.Fallbacks) > 0 {
		fmt.Fprintf(w, "fallbacks: %s\n", CountList(p.Fallbacks))
	}
	fmt.Fprintf(w, "skipped at launch: %s\n", CountList(p.Skipped))
	for _, ch := range slices.Sorted(maps.Keys(p.Closed)) {
		fmt.Fprintf(w, "  %s closed for: %s\n", ch, CountList(p.Closed[ch]))
	}
	fmt.Fprintf(w, "content: %d model calls for a clean run (at most %d with repairs), depth %s\n", p.Calls, p.MaxCalls, p.Content.Depth)
	_, err := fmt.Fprintln(w, p.Content.String())
	return err
}

// WriteText writes what the launch wrote, approved and froze, then the status.
func (l Launched) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "campaign %s %s: %d recipients; content run %s (%d model calls, %d items auto-approved)\n",
		l.Campaign.Name, l.Campaign.State, l.Recipients, l.Content.Run, l.Content.ModelCalls+l.Fallback.ModelCalls, l.Approved)
	return l.Status.WriteText(w)
}

// WriteText writes the campaign's one-line state.
func (c Campaign) WriteText(w io.Writer) error {
	_, err := fmt.Fprintf(w, "campaign %s is %s\n", c.Name, c.State)
	return err
}

// Created is a new draft and its test plan (nil without one).
type Created struct {
	Campaign Campaign
	Test     *TestPlan
}

// WriteText writes the draft's settings and its test.
func (c Created) WriteText(w io.Writer) error {
	d := c.Campaign
	fmt.Fprintf(w, "campaign %s created (draft): segment %s, channels %s, mode %s, %d variant(s), holdout %.4g%%, approval %s\n",
		d.Name, d.Segment, strings.Join(d.Channels, ","), d.Mode, len(d.Variants), d.Holdout*100, d.Approval)
	if p := c.Test; p != nil {
		def := p.Default
		if def == "" {
			def = d.Variants[0].Name
		}
		fmt.Fprintf(w, "test: %.4g%% of the audience get the variants; after %s the winner (%s, else %s) goes to the rest\n",
			p.Share*100, p.Window, p.Metric, def)
	}
	return nil
}

// List is campaigns as `chorus campaign list` shows them.
type List []Campaign

// WriteText writes one row per campaign.
func (cs List) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATE\tSEGMENT\tCHANNELS\tMODE\tRECIPIENTS\tLAUNCHED")
	for _, c := range cs {
		launched := "-"
		if !c.LaunchedAt.IsZero() {
			launched = c.LaunchedAt.Local().Format(time.DateTime)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", c.Name, c.State, c.Segment, strings.Join(c.Channels, ","), c.Mode, c.Recipients, launched)
	}
	return tw.Flush()
}

// Sends are recipients as `chorus campaign recipients` shows them.
type Sends []Send

// WriteText writes one row per send with its state and reason.
func (ss Sends) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SEND\tCUSTOMER\tCHANNEL\tSTATE\tVARIANT\tATTEMPTS\tREASON")
	for _, s := range ss {
		why := s.Code
		if s.Reason != "" {
			why += ": " + s.Reason
		}
		if s.FallbackFrom != "" {
			why = strings.TrimPrefix(why+"; fallback from "+s.FallbackFrom+" ("+s.FallbackCode+")", "; ")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", s.ID, s.CustomerID, dash(s.Channel), s.State, dash(s.Variant), s.Attempts, why)
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
