// This file holds the one mapping from error kinds to HTTP status codes
// and the JSON error body every handler answers a failure with; routes and
// handlers (every route in routes.go) call the same domain services as the
// CLI.

package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// statusCodes is the HTTP status of every error kind. It is exhaustive:
// TestStatusOf fails for a kind without a row.
var statusCodes = map[apperr.Kind]int{
	apperr.Invalid:         http.StatusBadRequest,            // 400: the request must change
	apperr.NotFound:        http.StatusNotFound,              // 404
	apperr.Conflict:        http.StatusConflict,              // 409: the state does not allow it
	apperr.Forbidden:       http.StatusForbidden,             // 403: policy says no
	apperr.Unavailable:     http.StatusServiceUnavailable,    // 503: retry may help
	apperr.Unauthenticated: http.StatusUnauthorized,          // 401: sign in or send a valid token
	apperr.TooMany:         http.StatusTooManyRequests,       // 429: slow down
	apperr.TooLarge:        http.StatusRequestEntityTooLarge, // 413: send less per request
	apperr.Internal:        http.StatusInternalServerError,
}

// StatusOf is the HTTP status code for an error of kind k; an unknown kind
// is a 500.
func StatusOf(k apperr.Kind) int {
	if s, ok := statusCodes[k]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// ErrorBody is the JSON of every error response:
// {"error":{"kind":"not_found","message":"customer C1 not found"}}.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the kind (one of apperr's) and a message safe to show.
type ErrorDetail struct {
	Kind    apperr.Kind `json:"kind"`
	Message string      `json:"message"`
}

// internalMessage replaces the message of an internal error, which may
// carry a driver's or a library's words, in the response; the log has it.
const internalMessage = "internal error; the server log has the details"

// BodyOf is the response body for err. An internal error's message is not
// shown (it may hold implementation detail); a client that cancelled its
// request gets kind unavailable.
func BodyOf(err error) ErrorBody {
	k := KindOf(err)
	msg := err.Error()
	if k == apperr.Internal {
		msg = internalMessage
	}
	return ErrorBody{Error: ErrorDetail{Kind: k, Message: msg}}
}

// KindOf is err's kind as the API reports it: a request cancelled or out
// of time without a kind of its own is unavailable (the client may retry).
func KindOf(err error) apperr.Kind {
	if !apperr.Has(err) && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return apperr.Unavailable
	}
	return apperr.KindOf(err)
}

// WriteError answers w with err's status code and JSON body. Internal
// errors are logged with their trace (apperr.Trace), since the body hides
// them; the others are the client's to fix and are not logged.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	body := BodyOf(err)
	status := StatusOf(body.Error.Kind)
	if status >= 500 && log != nil {
		log.LogAttrs(r.Context(), slog.LevelError, "request failed",
			slog.String("method", r.Method), slog.String("route", r.Pattern),
			slog.Int("status", status), slog.String("error", apperr.Trace(err)))
	}
	if body.Error.Kind == apperr.Unavailable {
		w.Header().Set("Retry-After", "5")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(body) // the status is sent; a failed write is the client's
}
