package policy

import (
	"fmt"
	"time"
)

// window is a channel's send window in minutes after local midnight;
// from > until wraps midnight (e.g. 22:00–06:00).
type window struct{ from, until int }

// open reports whether minute-of-day m is inside the window.
func (w window) open(m int) bool {
	if w.from < w.until {
		return m >= w.from && m < w.until
	}
	return m >= w.from || m < w.until
}

// next reports whether t is in quiet hours in loc and, if so, the next
// opening of the window: the first local from-time after t. Local times
// come from the zone's rules, so a day of 23 or 25 hours (a DST change)
// moves the instant, not the wall clock.
func (w window) next(t time.Time, loc *time.Location) (time.Time, bool) {
	local := t.In(loc)
	if w.open(local.Hour()*60 + local.Minute()) {
		return time.Time{}, false
	}
	y, mo, d := local.Date()
	open := time.Date(y, mo, d, w.from/60, w.from%60, 0, 0, loc)
	if !open.After(t) {
		open = time.Date(y, mo, d+1, w.from/60, w.from%60, 0, 0, loc)
	}
	return open.UTC(), true
}

func (w window) describe(channel string, t time.Time, loc *time.Location) string {
	return fmt.Sprintf("%s is quiet at %s in %s (send window %s–%s)", channel, t.In(loc).Format("15:04 Mon"), loc,
		clock(w.from), clock(w.until))
}

func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }
