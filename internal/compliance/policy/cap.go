package policy

import (
	"fmt"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/config"
)

// capRule is a frequency cap: at most max messages of the cap's channel
// (all channels when "") and purpose (all when "") to one customer in any
// rolling window.
type capRule struct {
	channel, purpose string
	max              int
	window           time.Duration
	code             string
}

func newCapRule(c config.Cap) capRule {
	r := capRule{channel: strings.ToLower(strings.TrimSpace(c.Channel)), purpose: strings.ToLower(strings.TrimSpace(c.Purpose)),
		max: c.Max, window: c.Window.Std()}
	if r.channel == "*" {
		r.channel = ""
	}
	scope := "channel"
	if r.channel == "" {
		scope = "all"
	}
	r.code = "cap_" + scope + "_" + windowName(r.window)
	return r
}

// windowName names the common windows; others are written as a duration.
func windowName(w time.Duration) string {
	switch w {
	case time.Hour:
		return "hour"
	case 24 * time.Hour:
		return "day"
	case 7 * 24 * time.Hour:
		return "week"
	case 30 * 24 * time.Hour:
		return "month"
	}
	if w%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", w/(24*time.Hour))
	}
	if w%time.Hour == 0 {
		return fmt.Sprintf("%dh", w/time.Hour)
	}
	return strings.ReplaceAll(w.String(), ".", "_")
}

func (r capRule) matches(channel, purpose string) bool {
	return (r.channel == "" || r.channel == channel) && (r.purpose == "" || r.purpose == purpose)
}

func (r capRule) describe(n int) string {
	what := "messages"
	if r.purpose != "" {
		what = r.purpose + " messages"
	}
	where := "on any channel"
	if r.channel != "" {
		where = "on " + r.channel
	}
	return fmt.Sprintf("%d %s %s in the last %s; the cap is %d", n, what, where, humanWindow(r.window), r.max)
}

func humanWindow(w time.Duration) string {
	switch {
	case w%(24*time.Hour) == 0 && w > 24*time.Hour:
		return fmt.Sprintf("%d days", w/(24*time.Hour))
	case w%time.Hour == 0:
		return fmt.Sprintf("%d h", w/time.Hour)
	}
	return w.String()
}

// checkCaps counts prior (the customer's sends, oldest first) against every
// cap that applies to m. A send counts when it is within the cap's window
// before m.At: after m.At-window and not after m.At. The first full cap
// names the skip; its NextAt is when enough sends have left the window.
func (g *Gate) checkCaps(m Message, prior []Send) (Skip, bool) {
	var times []time.Time
	for _, r := range g.caps {
		if !r.matches(m.Channel, m.Purpose) {
			continue
		}
		from := m.At.Add(-r.window)
		times = times[:0]
		for _, s := range prior {
			if s.SentAt.After(from) && !s.SentAt.After(m.At) && r.matches(s.Channel, s.Purpose) {
				times = append(times, s.SentAt)
			}
		}
		if n := len(times); n >= r.max {
			sk := Skip{Code: r.code, Reason: r.describe(n)}
			if r.max > 0 {
				sk.NextAt = times[n-r.max].Add(r.window).UTC()
			}
			return sk, false
		}
	}
	return Skip{}, true
}
