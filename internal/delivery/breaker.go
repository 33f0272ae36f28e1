package delivery

import (
	"sync"
	"time"
)

// BreakerConfig configures a Breaker. Zero fields take the defaults named.
type BreakerConfig struct {
	// Threshold is how many peer failures in a row open the breaker
	// (default 5).
	Threshold int
	// Cooldown is how long the breaker stays open before it lets one probe
	// through (default 5 s); each failed probe doubles it, up to
	// MaxCooldown (default 2 min).
	Cooldown    time.Duration
	MaxCooldown time.Duration
	// Now is the clock (default time.Now); tests inject one.
	Now func() time.Time
}

// BreakerState is the state of a Breaker.
type BreakerState string

// Breaker states.
const (
	BreakerClosed   BreakerState = "closed"
	BreakerOpen     BreakerState = "open"
	BreakerHalfOpen BreakerState = "half_open"
)

// Breaker is a circuit breaker for one sender: after Threshold peer
// failures in a row (PeerFailure: unreachable, timing out, answering 5xx)
// it fails sends at once for a cooldown, so a peer that is down is not
// hammered and workers do not tie themselves up in timeouts; then one probe
// is let through, and its outcome closes the breaker or reopens it for
// twice as long. Safe for concurrent use.
type Breaker struct {
	name string
	cfg  BreakerConfig

	mu       sync.Mutex
	state    BreakerState
	failures int
	until    time.Time
	cooldown time.Duration
	probing  bool
}

// NewBreaker returns a closed breaker; name appears in its errors (a
// channel or a peer, never an address).
func NewBreaker(name string, cfg BreakerConfig) *Breaker {
	if cfg.Threshold <= 0 {
		cfg.Threshold = 5
	}
	if cfg.Cooldown <= 0 {
		cfg.Cooldown = 5 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxCooldown < cfg.Cooldown {
		cfg.MaxCooldown = max(cfg.Cooldown, 2*time.Minute)
	}
	return &Breaker{name: name, cfg: cfg, state: BreakerClosed, cooldown: cfg.Cooldown}
}

// Allow asks to send. When the breaker lets the send through it returns a
// done function that must be called once with the send's error (nil on
// success). When it does not, it returns a Temporary *Error with code
// circuit_open and RetryAfter set to the time left in the cooldown.
func (b *Breaker) Allow() (done func(error), err error) {
	now := b.cfg.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case BreakerOpen:
		if now.Before(b.until) {
			return nil, b.openErr(b.until.Sub(now))
		}
		b.state = BreakerHalfOpen
		fallthrough
	case BreakerHalfOpen:
		if b.probing {
			return nil, b.openErr(b.cooldown / 4)
		}
		b.probing = true
		return b.doneFunc(true), nil
	}
	return b.doneFunc(false), nil
}

func (b *Breaker) openErr(after time.Duration) *Error {
	return &Error{Class: Temporary, Code: CodeCircuitOpen, RetryAfter: max(after, time.Second), Scope: b.name,
		Msg: b.name + " is failing; sends pause until it recovers"}
}

func (b *Breaker) doneFunc(probe bool) func(error) {
	var once sync.Once
	return func(err error) { once.Do(func() { b.record(probe, err) }) }
}

func (b *Breaker) record(probe bool, err error) {
	now := b.cfg.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if probe {
		b.probing = false
	}
	if ClassOf(err) == Temporary && AsError(err).Code == CodeCancelled {
		return // no news about the peer
	}
	if !PeerFailure(err) {
		// The peer answered (accepted, refused one message or asked us to
		// slow down): it is up.
		b.failures = 0
		if probe || b.state == BreakerHalfOpen {
			b.state, b.cooldown = BreakerClosed, b.cfg.Cooldown
		}
		return
	}
	if probe {
		b.cooldown = min(2*b.cooldown, b.cfg.MaxCooldown)
		b.state, b.until = BreakerOpen, now.Add(b.cooldown)
		return
	}
	if b.state != BreakerClosed {
		return
	}
	if b.failures++; b.failures >= b.cfg.Threshold {
		b.state, b.until, b.cooldown = BreakerOpen, now.Add(b.cfg.Cooldown), b.cfg.Cooldown
	}
}

// Probing reports whether a probe is in flight (the breaker is half open
// and waits for its outcome).
func (b *Breaker) Probing() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.probing
}

// State reports the breaker's state now.
func (b *Breaker) State() BreakerState {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == BreakerOpen && !b.cfg.Now().Before(b.until) {
		return BreakerHalfOpen
	}
	return b.state
}
