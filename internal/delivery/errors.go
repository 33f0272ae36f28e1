package delivery

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Class says what the queue should do with a failed send.
type Class string

// The classes of a delivery error.
const (
	// Temporary: retry with backoff (after RetryAfter when set).
	Temporary Class = "temporary"
	// Throttled: the peer asks us to slow down; retry later (after
	// RetryAfter when set) and slow the Scope (recipient domain or
	// endpoint) for a while.
	Throttled Class = "throttled"
	// Permanent: never retry this message; suppress the address when
	// Suppress is set.
	Permanent Class = "permanent"
	// EndpointGone: the endpoint said it is gone for good (HTTP 410);
	// disable it and fail its pending sends with Code.
	EndpointGone Class = "endpoint_gone"
)

// Reason codes of delivery errors. A code is stable: reports count by it.
const (
	// Temporary
	CodeTemporary       = "temporary"        // a 4xx SMTP reply that is not throttling
	CodeConnection      = "connection"       // the connection failed or broke
	CodeTimeout         = "timeout"          // the peer did not answer in time
	CodePeerUnavailable = "peer_unavailable" // the peer answered 5xx (HTTP) or is down
	CodeEndpointError   = "endpoint_error"   // the endpoint refused us (401, 403, 404, 3xx): fix the configuration
	CodeCircuitOpen     = "circuit_open"     // the breaker is open after repeated peer failures
	CodeCancelled       = "cancelled"        // our context ended (shutdown); the outcome is unknown
	// Throttled
	CodeThrottled      = "throttled"       // the peer said slow down (421/451/454, 429)
	CodeThrottledLocal = "throttled_local" // our own rate limit would wait too long
	// Permanent
	CodeBounceHard      = "bounce_hard"      // a permanent SMTP failure about the mailbox
	CodeMailboxUnknown  = "mailbox_unknown"  // 5.1.1: no such mailbox
	CodeDomainUnknown   = "domain_unknown"   // 5.1.2, 5.1.10, 5.4.4: no such domain or null MX
	CodeMailboxDisabled = "mailbox_disabled" // 5.2.1: the mailbox is disabled
	CodeMailboxFull     = "mailbox_full"     // 5.2.2, 552: over quota
	CodeTooLarge        = "message_too_large"
	CodeRejected        = "message_rejected" // refused for policy, content or our own setup (5.7.x, 554, HTTP 400/422)
	CodeInvalidAddress  = "invalid_address"  // the address is malformed
	CodeInvalidMessage  = "invalid_message"  // the message lacks what the channel needs
	// EndpointGone
	CodeEndpointGone = "endpoint_gone"
)

// Error is a failed send. Its Msg is safe to show and log: it never holds
// an address, a phone number or message content. Detail is the peer's
// reply with addresses removed.
//
// Error unwraps to an *apperr.Error (Temporary and Throttled are
// Unavailable, Permanent is Invalid, EndpointGone Unavailable) and to the
// underlying cause, so apperr.KindOf and errors.Is both work on it.
type Error struct {
	Class Class
	// Code is a stable reason code (Code* constants).
	Code string
	// Suppress is set on permanent failures that prove the address bad
	// (hard bounces): the address should join the suppression list.
	Suppress bool
	// RetryAfter is the delay the peer or the breaker asked for; 0 means
	// use the retry schedule.
	RetryAfter time.Duration
	// Scope is the recipient domain or endpoint the error is about (what
	// a Throttled error asks to slow).
	Scope string
	// Status is the SMTP reply code or HTTP status; 0 when there was none.
	Status int
	// Enhanced is the RFC 3463 enhanced status code (5.1.1) when given.
	Enhanced string
	// Msg is a short user-safe description.
	Msg string
	// Detail is the peer's reply text with e-mail addresses redacted.
	Detail string
	// Err is the underlying cause, if any.
	Err error
}

func (e *Error) Error() string {
	s := e.Msg
	if s == "" {
		s = string(e.Class) + " delivery failure"
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	} else if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the apperr view of the error and its cause.
func (e *Error) Unwrap() []error {
	kind := apperr.Unavailable
	if e.Class == Permanent {
		kind = apperr.Invalid
	}
	out := []error{&apperr.Error{Kind: kind, Msg: e.Msg}}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// Retryable reports whether the queue should try the message again.
func (e *Error) Retryable() bool { return e.Class == Temporary || e.Class == Throttled }

// ClassOf returns the class of a send error: "" for nil, the class of a
// *Error in err's chain, Temporary with code cancelled for a cancelled or
// expired context, and Temporary for anything else (an unknown failure is
// retried rather than lost; the queue's attempt limit bounds it).
func ClassOf(err error) Class {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Class
	}
	return Temporary
}

// AsError returns err as a *Error, classifying an error that is not one:
// nil stays nil, context errors become Temporary/cancelled, others
// Temporary/connection.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &Error{Class: Temporary, Code: CodeCancelled, Msg: "send interrupted", Err: err}
	}
	return &Error{Class: Temporary, Code: CodeConnection, Msg: "send failed", Err: err}
}

// PeerFailure reports whether err says the peer itself is unhealthy
// (unreachable, timing out, answering 5xx): the failures a circuit breaker
// counts. Throttling, permanent refusals of one message and our own
// cancellation are not peer failures.
func PeerFailure(err error) bool {
	e := AsError(err)
	if e == nil || e.Class != Temporary {
		return false
	}
	switch e.Code {
	case CodeConnection, CodeTimeout, CodePeerUnavailable:
		return true
	}
	return false
}

var emailRE = regexp.MustCompile(`[^\s<>"'(),;:@]+@[^\s<>"'(),;:@]+`)

// Redact removes e-mail addresses from a peer's reply text, so that it can
// be logged and stored with a failed send.
func Redact(s string) string {
	if len(s) > 300 {
		s = strings.ToValidUTF8(s[:300], "")
	}
	return emailRE.ReplaceAllString(s, "<redacted>")
}

// Errorf returns a *Error of class c with a formatted user-safe message.
func Errorf(c Class, code, format string, args ...any) *Error {
	return &Error{Class: c, Code: code, Msg: fmt.Sprintf(format, args...)}
}
