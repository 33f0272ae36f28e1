package llm

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// ProviderError describes one failed provider call in the terms the
// decorators decide on: may it be retried, after how long, and was it the
// answer (not the transport) that was wrong. Providers return it wrapped in
// an *apperr.Error so callers still branch on the kind.
type ProviderError struct {
	Provider string
	// Status is the HTTP status, 0 for transport errors.
	Status int
	// RetryAfter is the wait the provider asked for (Retry-After,
	// retry-after-ms), 0 when it said nothing.
	RetryAfter time.Duration
	// Retryable marks 408/409/429/5xx, connection errors, cut-off bodies
	// and answers that broke the schema (a fresh sample usually passes).
	Retryable bool
	// BadOutput marks an answer that was not valid JSON or broke the schema.
	BadOutput bool
	// Attempts is the number of HTTP requests the call made (a repair
	// round-trip makes it 2).
	Attempts int
	Msg      string
	Err      error
}

func (e *ProviderError) Error() string {
	s := e.Msg
	if e.Status != 0 {
		s = fmt.Sprintf("HTTP %d: %s", e.Status, s)
	}
	if e.Err != nil && e.Msg == "" {
		s = e.Err.Error()
	} else if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *ProviderError) Unwrap() error { return e.Err }

// AsProviderError finds the ProviderError in err's chain.
func AsProviderError(err error) (*ProviderError, bool) {
	var pe *ProviderError
	ok := errors.As(err, &pe)
	return pe, ok
}

// Reason is a short, user-facing reason for a failed item, suitable for a
// per-item report: "rate limited (HTTP 429)", "timeout", "invalid JSON", ….
func Reason(err error) string {
	if err == nil {
		return ""
	}
	switch {
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	}
	if pe, ok := AsProviderError(err); ok {
		switch {
		case pe.BadOutput:
			return "invalid answer: " + pe.Msg
		case pe.Status == 429:
			return "rate limited (HTTP 429)"
		case pe.Status >= 500:
			return fmt.Sprintf("provider error (HTTP %d)", pe.Status)
		case pe.Status != 0:
			return fmt.Sprintf("rejected (HTTP %d): %s", pe.Status, pe.Msg)
		default:
			return "connection error: " + pe.Msg
		}
	}
	return err.Error()
}

type budgetKey struct{}

// WithAttemptBudget tells the provider how many HTTP requests the current
// call may still make, so an optional repair round-trip never pushes an
// item past its retry budget.
func WithAttemptBudget(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, budgetKey{}, n)
}

// AttemptBudget is the budget set by WithAttemptBudget, or 2 (one call and
// one repair) when none is set.
func AttemptBudget(ctx context.Context) int {
	if n, ok := ctx.Value(budgetKey{}).(int); ok {
		return n
	}
	return 2
}

// unavailable wraps err as a transient failure with a message.
func unavailable(err error, format string, args ...any) error {
	return apperr.Wrap(err, apperr.Unavailable, format, args...)
}
