package delivery

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits is a rate: Rate events per second with bursts of Burst. A Rate of
// 0 means unlimited; a Burst of 0 means the rate rounded up (at least 1).
type Limits struct {
	Rate  float64 `json:"rate"`
	Burst int     `json:"burst,omitempty"`
}

func (l Limits) burst() int {
	if l.Burst > 0 {
		return l.Burst
	}
	return max(1, int(math.Ceil(l.Rate)))
}

// LimiterConfig configures a Limiter. Zero fields take the defaults named.
type LimiterConfig struct {
	// Channels limits each channel as a whole (email: 200/s …); a channel
	// not listed is unlimited.
	Channels map[string]Limits
	// Scope is, per channel, the default limit of each of its scopes: each
	// recipient domain of email (email: 20/s per domain), the endpoint of a
	// webhook channel. A channel not listed has unlimited scopes until one
	// throttles.
	Scope map[string]Limits
	// Scopes overrides Scope per scope ("gmail.com": 50/s).
	Scopes map[string]Limits
	// ThrottledRate is the rate given to an unlimited scope that throttles
	// (default 2/s). A limited scope's rate is multiplied by
	// ThrottleFactor instead (default 0.5), down to MinRate (default
	// 0.2/s).
	ThrottledRate  float64
	ThrottleFactor float64
	MinRate        float64
	// Recovery is how long a throttled scope must go without throttling
	// before its rate doubles back towards its configured limit (default
	// 30 s); an unlimited scope is unlimited again after 5 doublings.
	Recovery time.Duration
	// MaxWait is the longest Wait blocks (default 2 s). A send that would
	// wait longer gets a Throttled error with RetryAfter, so the queue can
	// schedule it instead of a worker sleeping on it.
	MaxWait time.Duration
	// IdleTTL is how long an unused scope is remembered (default 10 min);
	// it bounds the memory of many recipient domains.
	IdleTTL time.Duration
}

func (c *LimiterConfig) defaults() {
	if c.ThrottledRate <= 0 {
		c.ThrottledRate = 2
	}
	if c.ThrottleFactor <= 0 || c.ThrottleFactor >= 1 {
		c.ThrottleFactor = 0.5
	}
	if c.MinRate <= 0 {
		c.MinRate = 0.2
	}
	if c.Recovery <= 0 {
		c.Recovery = 30 * time.Second
	}
	if c.MaxWait <= 0 {
		c.MaxWait = 2 * time.Second
	}
	if c.IdleTTL <= 0 {
		c.IdleTTL = 10 * time.Minute
	}
}

// Limiter is the rate limit of the send path: one token bucket per channel
// and one per (channel, scope), where a scope is a recipient domain or an
// endpoint. A scope that throttles (Throttle) is slowed multiplicatively
// and paused for the peer's Retry-After, then recovers step by step. Safe
// for concurrent use.
type Limiter struct {
	cfg LimiterConfig

	mu        sync.Mutex
	channels  map[string]*rate.Limiter
	scopes    map[scopeKey]*scopeState
	lastSweep time.Time
}

type scopeKey struct{ channel, scope string }

type scopeState struct {
	lim         *rate.Limiter // nil: unlimited
	base        Limits        // the configured limit
	steps       int           // doublings left before an unlimited scope is unlimited again
	throttled   bool
	adjustedAt  time.Time
	pausedUntil time.Time
	lastUsed    time.Time
}

// NewLimiter returns a Limiter with cfg's limits.
func NewLimiter(cfg LimiterConfig) *Limiter {
	cfg.defaults()
	l := &Limiter{cfg: cfg, channels: map[string]*rate.Limiter{}, scopes: map[scopeKey]*scopeState{}}
	for ch, lim := range cfg.Channels {
		if lim.Rate > 0 {
			l.channels[ch] = rate.NewLimiter(rate.Limit(lim.Rate), lim.burst())
		}
	}
	return l
}

func (l *Limiter) scope(k scopeKey, now time.Time) *scopeState {
	st := l.scopes[k]
	if st == nil {
		base := l.cfg.Scope[k.channel]
		if o, ok := l.cfg.Scopes[k.scope]; ok {
			base = o
		}
		st = &scopeState{base: base}
		if base.Rate > 0 {
			st.lim = rate.NewLimiter(rate.Limit(base.Rate), base.burst())
		}
		l.scopes[k] = st
	}
	st.lastUsed = now
	if st.throttled && now.Sub(st.adjustedAt) >= l.cfg.Recovery && !now.Before(st.pausedUntil) {
		l.recover(st, now)
	}
	if now.Sub(l.lastSweep) >= l.cfg.IdleTTL {
		l.lastSweep = now
		for key, s := range l.scopes {
			if now.Sub(s.lastUsed) >= l.cfg.IdleTTL && !s.throttled {
				delete(l.scopes, key)
			}
		}
	}
	return st
}

// recover doubles a throttled scope's rate, restoring its configured
// limit (or none) when it gets there.
func (l *Limiter) recover(st *scopeState, now time.Time) {
	st.adjustedAt = now
	r := float64(st.lim.Limit()) * 2
	switch {
	case st.base.Rate > 0 && r >= st.base.Rate:
		st.lim.SetLimitAt(now, rate.Limit(st.base.Rate))
		st.lim.SetBurstAt(now, st.base.burst())
		st.throttled = false
	case st.base.Rate <= 0:
		if st.steps--; st.steps <= 0 {
			st.lim, st.throttled = nil, false
			return
		}
		fallthrough
	default:
		st.lim.SetLimitAt(now, rate.Limit(r))
		st.lim.SetBurstAt(now, max(1, int(math.Ceil(r))))
	}
}

// Wait blocks until a message of channel to scope may go, up to MaxWait.
// It returns a Throttled *Error with code throttled_local and RetryAfter
// when the wait would be longer (the scope is paused or its bucket is far
// behind), and a Temporary *Error with code cancelled when ctx ends first;
// in both cases no capacity is used.
func (l *Limiter) Wait(ctx context.Context, channel, scope string) error {
	now := time.Now()
	l.mu.Lock()
	var rs []*rate.Reservation
	cancel := func(at time.Time) {
		for _, r := range rs {
			r.CancelAt(at)
		}
	}
	var delay time.Duration
	if cl := l.channels[channel]; cl != nil {
		r := cl.ReserveN(now, 1)
		rs = append(rs, r)
		delay = max(delay, r.DelayFrom(now))
	}
	st := l.scope(scopeKey{channel, scope}, now)
	if st.pausedUntil.After(now) {
		delay = max(delay, st.pausedUntil.Sub(now))
	}
	if st.lim != nil {
		r := st.lim.ReserveN(now, 1)
		rs = append(rs, r)
		delay = max(delay, r.DelayFrom(now))
	}
	if delay > l.cfg.MaxWait {
		cancel(now)
		l.mu.Unlock()
		return &Error{Class: Throttled, Code: CodeThrottledLocal, RetryAfter: delay, Scope: scope,
			Msg: "rate limit of " + channel + " would wait too long"}
	}
	l.mu.Unlock()
	if delay <= 0 {
		return nil
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		l.mu.Lock()
		cancel(time.Now())
		l.mu.Unlock()
		return AsError(ctx.Err())
	}
}

// Throttle records that scope of channel asked us to slow down: its rate
// is cut (an unlimited scope gets ThrottledRate), and when retryAfter > 0
// it is paused that long.
func (l *Limiter) Throttle(channel, scope string, retryAfter time.Duration) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.scope(scopeKey{channel, scope}, now)
	if retryAfter > 0 && now.Add(retryAfter).After(st.pausedUntil) {
		st.pausedUntil = now.Add(retryAfter)
	}
	var r float64
	if st.lim == nil {
		r = l.cfg.ThrottledRate
		st.lim = rate.NewLimiter(rate.Limit(r), 1)
		st.steps = 5
	} else {
		r = max(l.cfg.MinRate, float64(st.lim.Limit())*l.cfg.ThrottleFactor)
		st.lim.SetLimitAt(now, rate.Limit(r))
		st.lim.SetBurstAt(now, max(1, int(math.Ceil(r))))
		if st.base.Rate <= 0 {
			st.steps = 5
		}
	}
	st.throttled, st.adjustedAt = true, now
}

// Rate reports the current rate of a scope of channel in messages per
// second, and false when it is unlimited.
func (l *Limiter) Rate(channel, scope string) (float64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.scope(scopeKey{channel, scope}, time.Now())
	if st.lim == nil {
		return 0, false
	}
	return float64(st.lim.Limit()), true
}
