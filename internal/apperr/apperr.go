// Package apperr is the one error type of Chorus: a kind that callers can
// branch on (and that the CLI maps to an exit status and the HTTP API to a
// status code) plus a message that is safe to show to a user.
package apperr

import (
	"errors"
	"fmt"
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
	Internal    Kind = "internal"    // a bug or an unexpected failure
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

// Wrapf adds context to *errp in place when it is non-nil, keeping its kind.
// Use as: defer apperr.Wrapf(&err, "Store.Get(%q)", id).
func Wrapf(errp *error, format string, args ...any) {
	if *errp == nil {
		return
	}
	*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
}
