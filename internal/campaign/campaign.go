// Package campaign is a marketing campaign from plan to last send: its
// audience (a segment frozen into recipients at launch), its channels and
// how they act together per person (mode best or all, with fallbacks), its
// content (approved items of the content studio), its variants and holdout,
// its schedule and send rates, and its life cycle
//
//	draft → scheduled → running ⇄ paused → completed | cancelled
//
// A campaign is completed only when every recipient is terminal: sent,
// failed with a reason, skipped with a reason, or held out. The work a
// launch causes (one job per batch of recipients) commits in the launch's
// transaction, so a launched campaign always has its jobs.
package campaign

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// States of a campaign.
const (
	Draft     = "draft"
	Scheduled = "scheduled"
	Running   = "running"
	Paused    = "paused"
	Completed = "completed"
	Cancelled = "cancelled"
)

// Actions move a campaign between states.
const (
	ActSchedule = "schedule" // launch with a start time in the future
	ActStart    = "start"    // launch now, or a scheduled start is due
	ActPause    = "pause"
	ActResume   = "resume"
	ActComplete = "complete" // every recipient is terminal
	ActCancel   = "cancel"
)

// transitions lists, per state, where each allowed action leads.
var transitions = map[string]map[string]string{
	Draft:     {ActSchedule: Scheduled, ActStart: Running, ActCancel: Cancelled},
	Scheduled: {ActStart: Running, ActPause: Paused, ActCancel: Cancelled},
	Running:   {ActPause: Paused, ActComplete: Completed, ActCancel: Cancelled},
	Paused:    {ActResume: Running, ActCancel: Cancelled},
	Completed: {},
	Cancelled: {},
}

// Transition returns the state that action leads to from state, or a
// Conflict error naming what is allowed.
func Transition(state, action string) (string, error) {
	next, ok := transitions[state][action]
	if ok {
		return next, nil
	}
	if _, known := transitions[state]; !known {
		return "", apperr.New(apperr.Internal, "campaign state %q is unknown", state)
	}
	var allowed []string
	for a := range transitions[state] {
		allowed = append(allowed, a)
	}
	slices.Sort(allowed)
	if len(allowed) == 0 {
		return "", apperr.New(apperr.Conflict, "the campaign is %s: it cannot %s any more", state, action)
	}
	return "", apperr.New(apperr.Conflict, "a %s campaign cannot %s (it can: %s)", state, action, strings.Join(allowed, ", "))
}

// Terminal reports whether a campaign in state s will never send again.
func Terminal(s string) bool { return s == Completed || s == Cancelled }

// Modes of acting across channels.
const (
	ModeBest = "best" // one message per person, on the best channel she allows
	ModeAll  = "all"  // one message on every channel she allows
)

// Approval policies for content.
const (
	ApprovalAuto   = "auto"   // items that passed every check are approved
	ApprovalManual = "manual" // items wait for a reviewer
)

// Schedule kinds.
const (
	StartNow    = "now"    // at launch
	StartAt     = "at"     // at a time
	StartWindow = "window" // each person's next allowed window (quiet hours)
)

// Schedule says when a campaign starts sending.
type Schedule struct {
	Kind string    `json:"kind"`
	At   time.Time `json:"at,omitzero"`
	// DeferQuiet re-plans a send that quiet hours skip to the window's
	// opening instead of skipping it (implied by StartWindow).
	DeferQuiet bool `json:"defer_quiet,omitempty"`
}

// Variant is one arm of an A/B test; Weight is its share of the
// non-holdout recipients relative to the other variants.
type Variant struct {
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
}

// Campaign is the plan and the state of one campaign.
type Campaign struct {
	ID       int64    `json:"id"`
	Name     string   `json:"name"`
	State    string   `json:"state"`
	Segment  string   `json:"segment"`
	Channels []string `json:"channels"`
	Mode     string   `json:"mode"`
	// Brief is the campaign brief as given (YAML or JSON text).
	Brief string `json:"brief,omitempty"`
	// BriefFile names the file the brief came from (its format and the
	// messages that point at it).
	BriefFile string    `json:"brief_file,omitempty"`
	Depth     string    `json:"depth"`
	Variants  []Variant `json:"variants"`
	// Holdout is the share of the audience that gets nothing, 0 to 0.5.
	Holdout  float64  `json:"holdout"`
	Approval string   `json:"approval"`
	Schedule Schedule `json:"schedule"`
	// Rates are messages per second per channel; 0 or absent is the
	// configured default.
	Rates map[string]float64 `json:"rates,omitempty"`
	// ContentRun is the content studio run that holds the campaign's copy.
	ContentRun string `json:"content_run,omitempty"`
	// FallbackRun holds the segment-level items that recipients of a
	// flagged or rejected item (and those who opted out of personalised
	// marketing) receive instead; "" at segment depth.
	FallbackRun string `json:"fallback_run,omitempty"`
	// Recipients is the audience frozen at launch.
	Recipients  int       `json:"recipients"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	LaunchedAt  time.Time `json:"launched_at,omitzero"`
	CompletedAt time.Time `json:"completed_at,omitzero"`
}

// Validate checks a campaign plan before it is stored; every message names
// the setting to change.
func (c Campaign) Validate(knownChannel func(string) bool) error {
	switch {
	case strings.TrimSpace(c.Name) == "":
		return apperr.New(apperr.Invalid, "a campaign needs a name")
	case strings.ContainsAny(c.Name, "/\\ \t\n"):
		return apperr.New(apperr.Invalid, "campaign name %q: use letters, digits, '-' or '_' (no spaces or slashes)", c.Name)
	case c.Segment == "":
		return apperr.New(apperr.Invalid, "campaign %s: --segment is required (the audience)", c.Name)
	case len(c.Channels) == 0:
		return apperr.New(apperr.Invalid, "campaign %s: give at least one channel (--channels email,sms)", c.Name)
	case c.Mode != ModeBest && c.Mode != ModeAll:
		return apperr.New(apperr.Invalid, "campaign %s: mode %q: use best or all", c.Name, c.Mode)
	case c.Holdout < 0 || c.Holdout > 0.5:
		return apperr.New(apperr.Invalid, "campaign %s: holdout %.4g%%: use 0 to 50%%", c.Name, c.Holdout*100)
	case c.Approval != ApprovalAuto && c.Approval != ApprovalManual:
		return apperr.New(apperr.Invalid, "campaign %s: approval %q: use auto or manual", c.Name, c.Approval)
	case len(c.Variants) == 0:
		return apperr.New(apperr.Invalid, "campaign %s: at least one variant is needed", c.Name)
	}
	seen := map[string]bool{}
	for _, ch := range c.Channels {
		if knownChannel != nil && !knownChannel(ch) {
			return apperr.New(apperr.Invalid, "campaign %s: unknown channel %q", c.Name, ch)
		}
		if seen[ch] {
			return apperr.New(apperr.Invalid, "campaign %s: channel %s is listed twice", c.Name, ch)
		}
		seen[ch] = true
	}
	names := map[string]bool{}
	for _, v := range c.Variants {
		if v.Weight <= 0 {
			return apperr.New(apperr.Invalid, "campaign %s: variant %s has weight %g: use a positive weight", c.Name, v.Name, v.Weight)
		}
		if names[v.Name] {
			return apperr.New(apperr.Invalid, "campaign %s: variant %s is listed twice", c.Name, v.Name)
		}
		names[v.Name] = true
	}
	for ch, r := range c.Rates {
		if r < 0 {
			return apperr.New(apperr.Invalid, "campaign %s: rate for %s is negative", c.Name, ch)
		}
	}
	switch c.Schedule.Kind {
	case StartNow, StartWindow:
	case StartAt:
		if c.Schedule.At.IsZero() {
			return apperr.New(apperr.Invalid, "campaign %s: a scheduled start needs a time", c.Name)
		}
	default:
		return apperr.New(apperr.Invalid, "campaign %s: schedule %q: use now, a time (RFC 3339) or window", c.Name, c.Schedule.Kind)
	}
	return nil
}

// EvenVariants returns n variants named A, B, C… with equal weights.
func EvenVariants(n int) []Variant {
	vs := make([]Variant, n)
	for i := range vs {
		vs[i] = Variant{Name: VariantName(i), Weight: 1}
	}
	return vs
}

// VariantName is the letter name of variant i (0 → A, 25 → Z, 26 → V27).
func VariantName(i int) string {
	if i < 26 {
		return string(rune('A' + i))
	}
	return fmt.Sprintf("V%d", i+1)
}
