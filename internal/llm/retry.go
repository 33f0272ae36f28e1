package llm

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// RetryPolicy says how hard to try. Zero fields take the defaults.
type RetryPolicy struct {
	// MaxAttempts is the most HTTP requests per call, repairs included
	// (default 4).
	MaxAttempts int
	// BaseDelay is the first backoff (default 500 ms), doubled per retry
	// with jitter, capped at MaxDelay (default 20 s).
	BaseDelay, MaxDelay time.Duration
	// Timeout bounds each attempt (default 60 s); a timed-out attempt is
	// retried.
	Timeout time.Duration
	// MaxRetryAfter is the longest Retry-After honoured (default 2 min);
	// a provider asking for more fails the call with its reason.
	MaxRetryAfter time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts < 1 {
		p.MaxAttempts = 4
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 500 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 20 * time.Second
	}
	if p.Timeout <= 0 {
		p.Timeout = 60 * time.Second
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = 2 * time.Minute
	}
	return p
}

// Retry retries transient failures: HTTP 408, 409, 429 and 5xx, connection
// errors, timed-out attempts, cut-off bodies and answers that stayed
// invalid after the provider's repair. It waits with exponential backoff
// and full jitter, or as long as the provider's Retry-After says if that is
// longer. It never exceeds MaxAttempts HTTP requests per call, and it stops
// at once when the caller's context ends.
type Retry struct {
	inner  Model
	policy RetryPolicy
}

// NewRetry wraps m.
func NewRetry(m Model, p RetryPolicy) *Retry {
	return &Retry{inner: m, policy: p.withDefaults()}
}

// Name is the inner model's name.
func (r *Retry) Name() string { return r.inner.Name() }

// Generate calls the inner model until it succeeds, fails for good, or the
// budget is spent. The error keeps the last failure's kind and says how
// many attempts were made.
func (r *Retry) Generate(ctx context.Context, req Request) (Result, error) {
	return r.do(ctx, func(actx context.Context) (Result, error) { return r.inner.Generate(actx, req) }, nil)
}

// Stream retries only while nothing has been passed to onDelta: once text
// has reached the caller a retry would repeat it.
func (r *Retry) Stream(ctx context.Context, req Request, onDelta func(string) error) (Result, error) {
	sent := false
	wrapped := func(s string) error { sent = true; return onDelta(s) }
	return r.do(ctx, func(actx context.Context) (Result, error) { return r.inner.Stream(actx, req, wrapped) }, func() bool { return sent })
}

func (r *Retry) do(ctx context.Context, call func(context.Context) (Result, error), committed func() bool) (Result, error) {
	p := r.policy
	used := 0
	for n := 1; ; n++ {
		actx, cancel := context.WithTimeout(WithAttemptBudget(ctx, p.MaxAttempts-used), p.Timeout)
		res, err := call(actx)
		timedOut := errors.Is(actx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
		cancel()
		attempts := 1
		pe, isPE := AsProviderError(err)
		if err == nil && res.Attempts > 0 {
			attempts = res.Attempts
		} else if isPE && pe.Attempts > 0 {
			attempts = pe.Attempts
		}
		used += attempts
		res.Attempts = used
		if err == nil {
			return res, nil
		}
		if ctx.Err() != nil {
			return res, apperr.Wrap(ctx.Err(), apperr.Unavailable, "llm call stopped after %d attempt(s)", used)
		}
		retryable, wait := classify(err, isPE, pe, timedOut)
		if !retryable {
			return res, withAttempts(err, used)
		}
		if used >= p.MaxAttempts {
			return res, apperr.Wrap(err, apperr.KindOf(err), "gave up after %d attempts", used)
		}
		if committed != nil && committed() {
			return res, withAttempts(err, used)
		}
		if wait > p.MaxRetryAfter {
			return res, apperr.Wrap(err, apperr.Unavailable, "provider asked to wait %s (more than %s); giving up", wait, p.MaxRetryAfter)
		}
		backoff := p.BaseDelay << (n - 1)
		if backoff > p.MaxDelay || backoff <= 0 {
			backoff = p.MaxDelay
		}
		backoff = backoff/2 + rand.N(backoff/2+1) // jitter: spread the herd
		wait = max(wait, backoff)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return res, apperr.Wrap(ctx.Err(), apperr.Unavailable, "llm call stopped after %d attempt(s)", used)
		case <-t.C:
		}
	}
}

func classify(err error, isPE bool, pe *ProviderError, timedOut bool) (bool, time.Duration) {
	if timedOut {
		return true, 0
	}
	if isPE {
		return pe.Retryable, pe.RetryAfter
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true, 0
	}
	return false, 0
}

func withAttempts(err error, used int) error {
	if used <= 1 {
		return err
	}
	return apperr.Wrap(err, apperr.KindOf(err), "after %d attempts", used)
}
