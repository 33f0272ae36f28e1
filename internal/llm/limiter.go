package llm

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits are a provider's budgets. Zero RPM or TPM means unlimited.
type Limits struct {
	// Concurrency is the most requests in flight (default 8).
	Concurrency int
	// RPM is requests per minute.
	RPM int
	// TPM is tokens (prompt + completion) per minute.
	TPM int
}

// Limiter keeps calls within a provider's concurrency, request-per-minute
// and token-per-minute budgets: token buckets refilled continuously, with a
// burst of a tenth of a second's allowance so a batch starts promptly but
// never runs ahead of the rate. Tokens are estimated before a call
// (EstimateTokens) and corrected from the usage the provider reports:
// overruns are charged to the bucket, underruns become credit for later
// calls.
type Limiter struct {
	inner  Model
	limits Limits
	sem    chan struct{}
	rpm    *rate.Limiter
	tpm    *rate.Limiter

	mu     sync.Mutex
	credit int
}

// NewLimiter wraps m.
func NewLimiter(m Model, l Limits) *Limiter {
	if l.Concurrency < 1 {
		l.Concurrency = 8
	}
	lm := &Limiter{inner: m, limits: l, sem: make(chan struct{}, l.Concurrency)}
	if l.RPM > 0 {
		lm.rpm = rate.NewLimiter(rate.Limit(float64(l.RPM)/60), burst(l.RPM))
	}
	if l.TPM > 0 {
		b := burst(l.TPM)
		if b < 4096 {
			b = min(4096, l.TPM) // a single large prompt must fit
		}
		lm.tpm = rate.NewLimiter(rate.Limit(float64(l.TPM)/60), b)
	}
	return lm
}

// burst is a tenth of a second's allowance, at least 1.
func burst(perMinute int) int {
	return max(1, perMinute/600)
}

// RPMBurst is the request burst NewLimiter uses for rpm; a server that
// enforces rpm with at least this burst never sees a request over the limit.
func RPMBurst(rpm int) int { return burst(rpm) }

// Name is the inner model's name.
func (l *Limiter) Name() string { return l.inner.Name() }

func (l *Limiter) acquire(ctx context.Context, est int) (func(Usage), error) {
	select {
	case l.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release := func() { <-l.sem }
	if l.rpm != nil {
		if err := l.rpm.Wait(ctx); err != nil {
			release()
			return nil, err
		}
	}
	charged := 0
	if l.tpm != nil {
		l.mu.Lock()
		use := min(l.credit, est)
		l.credit -= use
		l.mu.Unlock()
		charged = est - use
		if n := min(charged, l.tpm.Burst()); n > 0 {
			if err := l.tpm.WaitN(ctx, n); err != nil {
				release()
				return nil, err
			}
		}
	}
	return func(u Usage) {
		release()
		if l.tpm == nil || u.TotalTokens == 0 {
			return
		}
		diff := u.TotalTokens - est
		switch {
		case diff > 0:
			// charge the overrun against future refill; later callers wait
			l.tpm.ReserveN(time.Now(), min(diff, l.tpm.Burst()))
		case diff < 0:
			l.mu.Lock()
			l.credit = min(l.credit-diff, l.tpm.Burst())
			l.mu.Unlock()
		}
	}, nil
}

// Generate waits for budget, then calls the inner model.
func (l *Limiter) Generate(ctx context.Context, req Request) (Result, error) {
	done, err := l.acquire(ctx, EstimateTokens(req))
	if err != nil {
		return Result{}, unavailable(err, "waiting for the llm rate limit")
	}
	res, err := l.inner.Generate(ctx, req)
	done(res.Usage)
	return res, err
}

// Stream waits for budget, then streams from the inner model.
func (l *Limiter) Stream(ctx context.Context, req Request, onDelta func(string) error) (Result, error) {
	done, err := l.acquire(ctx, EstimateTokens(req))
	if err != nil {
		return Result{}, unavailable(err, "waiting for the llm rate limit")
	}
	res, err := l.inner.Stream(ctx, req, onDelta)
	done(res.Usage)
	return res, err
}
