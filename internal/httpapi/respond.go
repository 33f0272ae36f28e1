package httpapi

import (
	"encoding/json"
	"net/http"
)

// handlerFunc is a route's handler: it writes a success itself and
// returns an error for handle to render.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts h: an error is answered with the status of its kind and
// the JSON error body (a page route renders its own errors first).
func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			WriteError(w, r, s.log, err)
		}
	})
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
