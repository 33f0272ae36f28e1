package llm

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Breaker stops calling a provider that keeps failing: after Threshold
// calls in a row fail with a transient error (after their retries), it
// opens for Cooldown and fails calls at once with an error that says so;
// then it lets one probe through and closes again when it succeeds.
// Invalid answers and cancelled calls do not count: they say nothing about
// the provider's health.
type Breaker struct {
	inner     Model
	threshold int
	cooldown  time.Duration
	now       func() time.Time

	mu        sync.Mutex
	fails     int
	openUntil time.Time
	probing   bool
	lastErr   error
}

// NewBreaker wraps m; threshold defaults to 5 and cooldown to 30 s.
func NewBreaker(m Model, threshold int, cooldown time.Duration) *Breaker {
	if threshold < 1 {
		threshold = 5
	}
	if cooldown <= 0 {
		cooldown = 30 * time.Second
	}
	return &Breaker{inner: m, threshold: threshold, cooldown: cooldown, now: time.Now}
}

// Name is the inner model's name.
func (b *Breaker) Name() string { return b.inner.Name() }

// State is "closed", "open" or "half-open".
func (b *Breaker) State() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.fails < b.threshold:
		return "closed"
	case b.now().Before(b.openUntil):
		return "open"
	}
	return "half-open"
}

func (b *Breaker) admit() (probe bool, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fails < b.threshold {
		return false, nil
	}
	if b.now().Before(b.openUntil) || b.probing {
		return false, apperr.Wrap(b.lastErr, apperr.Unavailable,
			"circuit open: %s failed %d calls in a row; not calling it again before %s", b.inner.Name(), b.fails, b.openUntil.Format(time.TimeOnly))
	}
	b.probing = true
	return true, nil
}

func (b *Breaker) record(probe bool, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if probe {
		b.probing = false
	}
	if err == nil || apperr.KindOf(err) != apperr.Unavailable || errors.Is(err, context.Canceled) {
		if err == nil || probe {
			b.fails = 0
		}
		return
	}
	b.fails++
	b.lastErr = err
	if b.fails >= b.threshold {
		b.openUntil = b.now().Add(b.cooldown)
	}
}

// Generate calls the inner model unless the circuit is open.
func (b *Breaker) Generate(ctx context.Context, req Request) (Result, error) {
	probe, err := b.admit()
	if err != nil {
		return Result{}, err
	}
	res, err := b.inner.Generate(ctx, req)
	b.record(probe, err)
	return res, err
}

// Stream streams from the inner model unless the circuit is open.
func (b *Breaker) Stream(ctx context.Context, req Request, onDelta func(string) error) (Result, error) {
	probe, err := b.admit()
	if err != nil {
		return Result{}, err
	}
	res, err := b.inner.Stream(ctx, req, onDelta)
	b.record(probe, err)
	return res, err
}
