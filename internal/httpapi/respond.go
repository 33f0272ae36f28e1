package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// handlerFunc is a route's handler: it writes a success itself and
// returns an error for handle to render.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts h: an error is answered with the status of its kind and
// the JSON error body (a page route renders its own errors first).
func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			writeError(w, r, s.log, err)
		}
	})
}

// statusCodes is the HTTP status of every error kind.
var statusCodes = map[apperr.Kind]int{
	apperr.Invalid:     http.StatusBadRequest,
	apperr.NotFound:    http.StatusNotFound,
	apperr.Conflict:    http.StatusConflict,
	apperr.Forbidden:   http.StatusForbidden,
	apperr.Unavailable: http.StatusServiceUnavailable,
	apperr.Internal:    http.StatusInternalServerError,
}

// statusOf is the status of err: its kind's, with a cancelled request
// without a kind of its own unavailable.
func statusOf(err error) (int, apperr.Kind) {
	k := apperr.KindOf(err)
	var ae *apperr.Error
	if !errors.As(err, &ae) && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		k = apperr.Unavailable
	}
	if st, ok := statusCodes[k]; ok {
		return st, k
	}
	return http.StatusInternalServerError, apperr.Internal
}

// errorBody is the JSON of every error response:
// {"error":{"kind":"not_found","message":"…"}}.
type errorBody struct {
	Error struct {
		Kind    apperr.Kind `json:"kind"`
		Message string      `json:"message"`
	} `json:"error"`
}

// writeError answers err. An internal error's message is logged, not
// shown.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	status, kind := statusOf(err)
	var body errorBody
	body.Error.Kind, body.Error.Message = kind, err.Error()
	if status >= 500 {
		if kind == apperr.Internal {
			body.Error.Message = "internal error; the server log has the details"
		}
		log.LogAttrs(r.Context(), slog.LevelError, "request failed", slog.String("route", r.Pattern),
			slog.Int("status", status), slog.String("error", err.Error()))
	}
	if kind == apperr.Unavailable {
		w.Header().Set("Retry-After", "5")
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v) // the status is sent; a failed write is the client's
}
