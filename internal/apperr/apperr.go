// Package apperr is the one error type of Chorus: a kind that callers can
// branch on (and that the CLI maps to an exit status and the HTTP API to a
// status code) plus a message that is safe to show to a user.
package apperr

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error for callers; it never carries detail.
type Kind string

// The kinds an error can have. Internal is the default for unknown errors.
const (
	Invalid     Kind = "invalid"     // bad input: a flag, a file, a row, an expression
	NotFound    Kind = "not_found"   // a named thing does not exist
	Conflict    Kind = "conflict"    // the state does not allow it (duplicate, already running)
	Forbidden   Kind = "forbidden"   // policy says no (consent, suppression, compliance)
	Unavailable Kind = "unavailable" // a dependency is down or rate-limited; retry may help
	// Unauthenticated: no valid credentials (a missing, wrong, expired or
	// revoked token or session); signing in again may help.
	Unauthenticated Kind = "unauthenticated"
	// TooMany: the caller sent too many requests (login attempts); retry later.
	TooMany Kind = "too_many"
	// TooLarge: the request or the input is larger than allowed.
	TooLarge Kind = "too_large"
	Internal Kind = "internal" // a bug or an unexpected failure
)

// Error is an error with a kind and a user-safe message. Err, when set, is the
// underlying cause and is reachable with errors.Is / errors.As.
type Error struct {
	Kind Kind
	Msg  string
	Err  error
}

func (e *Error) Error() string {
	switch {
	case e.Msg != "" && e.Err != nil:
		return e.Msg + ": " + e.Err.Error()
	case e.Msg != "":
		return e.Msg
	case e.Err != nil:
		return e.Err.Error()
	}
	return string(e.Kind)
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error of kind k with a formatted message.
func New(k Kind, format string, args ...any) error {
	return &Error{Kind: k, Msg: fmt.Sprintf(format, args...)}
}

// Wrap returns err with kind k and a message; nil stays nil.
func Wrap(err error, k Kind, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return &Error{Kind: k, Msg: fmt.Sprintf(format, args...), Err: err}
}

// KindOf reports the kind of the outermost *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Is reports whether err's kind is k.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }

// Kinds lists every kind, for tables that must cover them all (the CLI's
// exit statuses, the HTTP API's status codes).
func Kinds() []Kind {
	return []Kind{Invalid, NotFound, Conflict, Forbidden, Unavailable, Unauthenticated, TooMany, TooLarge, Internal}
}

// Has reports whether err's chain holds an *Error, i.e. whether some layer
// gave it a kind and a user-safe message.
func Has(err error) bool {
	var e *Error
	return errors.As(err, &e)
}

// Wrapf records where *errp happened (an operation, in a developer's
// words) when it is non-nil, keeping its kind. The operation is not part
// of the message a user sees (Error returns the wrapped message
// unchanged); Trace shows it, for logs and bug reports.
// Use as: defer apperr.Wrapf(&err, "Store.Get(%q)", id).
func Wrapf(errp *error, format string, args ...any) {
	if *errp == nil {
		return
	}
	*errp = &traced{op: fmt.Sprintf(format, args...), err: *errp}
}

// traced is an error with the operation it happened in.
type traced struct {
	op  string
	err error
}

func (t *traced) Error() string { return t.err.Error() }
func (t *traced) Unwrap() error { return t.err }

// Trace is err's message preceded by the operations Wrapf recorded along
// its chain, outermost first: "Store.GetItem(\"ci_1\"): not found".
func Trace(err error) string {
	if err == nil {
		return ""
	}
	var ops []string
	for e := err; e != nil; e = errors.Unwrap(e) {
		if t, ok := e.(*traced); ok {
			ops = append(ops, t.op)
		}
	}
	if len(ops) == 0 {
		return err.Error()
	}
	return strings.Join(ops, ": ") + ": " + err.Error()
}
