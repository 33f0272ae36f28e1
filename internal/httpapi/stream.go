package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
)

// sendEvent sends one server-sent event: its name, and its data as JSON.
type sendEvent func(name string, data any) error

// streamOp is op for a route that answers its Resp as JSON or, to a
// client that accepts text/event-stream, with the events fn sends while it
// works. fn gets send nil for a JSON answer. The route has v1's
// authentication, limits and error table; an error before the first
// event is an ordinary error response, one after it an "error" event
// {"message"} that ends the stream.
func streamOp[Req, Resp any](method, path string, action auth.Action, tag, summary string,
	fn func(ctx context.Context, req *Req, send sendEvent) (Resp, error)) apiRoute {
	rt := op(method, path, action, tag, summary, func(ctx context.Context, req *Req) (Resp, error) {
		return fn(ctx, req, nil)
	}, nil)
	rt.stream = func(w http.ResponseWriter, r *http.Request, body []byte) (*eventStream, error) {
		req := new(Req)
		if err := bind(r, body, req); err != nil {
			return nil, err
		}
		es := &eventStream{w: w, rc: http.NewResponseController(w)}
		_, err := fn(r.Context(), req, es.send)
		return es, err
	}
	return rt
}

// serveStream runs a streaming route for a client that asked for events.
func (s *Server) serveStream(w http.ResponseWriter, r *http.Request, rt apiRoute, p auth.Principal, body []byte) error {
	es, err := rt.stream(w, r, body)
	if err != nil && (es == nil || !es.started) {
		return err // nothing sent yet
	}
	if err != nil {
		s.log.LogAttrs(r.Context(), slog.LevelWarn, "event stream failed", slog.String("route", rt.Path), slog.String("error", apperr.Trace(err)))
		_ = es.send("error", map[string]string{"message": BodyOf(err).Error.Message})
		return nil
	}
	s.audit(r.Context(), p, rt, "")
	return nil
}

// wantsEventStream reports whether the request accepts text/event-stream.
func wantsEventStream(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == "text/event-stream" {
			return true
		}
	}
	return false
}

// eventStream writes server-sent events, flushing each; the headers go
// with the first.
type eventStream struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	started bool
}

func (e *eventStream) send(name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return apperr.Wrap(err, apperr.Internal, "encode the %s event", name)
	}
	if !e.started {
		h := e.w.Header()
		h.Set("Content-Type", "text/event-stream; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Accel-Buffering", "no") // a proxy must not hold the stream back
		e.w.WriteHeader(http.StatusOK)
		e.started = true
	}
	if _, err := fmt.Fprintf(e.w, "event: %s\ndata: %s\n\n", name, b); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "the client went away")
	}
	if err := e.rc.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return apperr.Wrap(err, apperr.Unavailable, "the client went away")
	}
	return nil
}

// eventStreamDoc documents a streaming route's text/event-stream answer.
type eventStreamDoc string
