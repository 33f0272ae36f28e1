package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/support"
	"github.com/chorusmkt/chorus/internal/support/widget"
)

// The customer-service routes (issue 16): customers' messages (JSON or
// server-sent events) and ratings, which are public (the widget on the
// shop's site has no account; a conversation id is random and is the
// conversation's only key), and the hand-off queue, which only a signed-in
// principal reads and works.

// maxSupportBody bounds a customer's request body: a message is at most
// a few thousand characters.
const maxSupportBody = 64 << 10

// supportMessageBody is POST /v1/support/messages.
type supportMessageBody struct {
	ConversationID string `json:"conversation_id"`
	CustomerID     string `json:"customer_id"`
	Language       string `json:"language"`
	Text           string `json:"text"`
}

func (s *Server) supportAssistant() (*support.Assistant, error) {
	if s.deps.Support == nil {
		return nil, apperr.New(apperr.Unavailable, "the support assistant is not running on this server")
	}
	return s.deps.Support, nil
}

func (s *Server) supportInbox() (*support.Inbox, error) {
	if s.deps.Inbox == nil {
		return nil, apperr.New(apperr.Unavailable, "the support queue is not running on this server")
	}
	return s.deps.Inbox, nil
}

// decodeJSON reads a JSON body of at most max bytes into v; unknown
// fields are refused so that a typo is not silently ignored.
func decodeJSON(r *http.Request, max int64, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return apperr.New(apperr.Invalid, "send the body as application/json")
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, max))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return apperr.New(apperr.Invalid, "the body is larger than %d bytes", max)
		case errors.Is(err, io.EOF):
			return apperr.New(apperr.Invalid, "the body is empty; send a JSON object")
		}
		return apperr.New(apperr.Invalid, "the body is not valid JSON: %s", jsonProblem(err))
	}
	return nil
}

// jsonProblem says what is wrong with a body without Go type names.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %q has the wrong type", te.Field)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if strings.HasPrefix(msg, "unknown field") {
		return msg
	}
	return "malformed JSON"
}

// supportMessage answers one customer message, as one JSON reply or, for
// Accept: text/event-stream, as server-sent events: "token" {"text"}
// fragments, "citation" {"kind","id"}, "handoff" {"handoff_id","reason"}
// and a final "done" {"reply"} with the whole answer, citations and
// hand-off. A customer id is taken only from a signed-in principal (a
// shop's back end speaking for its signed-in customer): an anonymous
// caller cannot claim to be a customer.
func (s *Server) supportMessage(w http.ResponseWriter, r *http.Request) error {
	as, err := s.supportAssistant()
	if err != nil {
		return err
	}
	var body supportMessageBody
	if err := decodeJSON(r, maxSupportBody, &body); err != nil {
		return err
	}
	if body.CustomerID != "" {
		p, ok := auth.PrincipalFrom(r.Context())
		if !ok {
			return apperr.New(apperr.Unauthenticated, "customer_id needs an API token; an anonymous chat cannot name a customer")
		}
		if !p.Can(auth.Read) {
			return apperr.New(apperr.Forbidden, "this token may not act for a customer")
		}
	}
	req := support.Request{ConversationID: body.ConversationID, CustomerID: body.CustomerID, Language: body.Language, Text: body.Text, Channel: "web"}
	if !wantsEventStream(r) {
		rep, err := as.Answer(r.Context(), req, nil)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, rep)
		return nil
	}
	sse := &eventStream{w: w, rc: http.NewResponseController(w)}
	_, err = as.Answer(r.Context(), req, sse.emit)
	if err != nil && !sse.started {
		return err // nothing sent yet: an ordinary error response
	}
	if err != nil {
		s.log.LogAttrs(r.Context(), slog.LevelWarn, "support stream failed", slog.String("error", apperr.Trace(err)))
		sse.send("error", map[string]string{"message": BodyOf(err).Error.Message})
	}
	return nil
}

func wantsEventStream(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == "text/event-stream" {
			return true
		}
	}
	return false
}

// eventStream writes server-sent events, flushing each.
type eventStream struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	started bool
}

func (e *eventStream) emit(ev support.Event) error {
	switch ev.Type {
	case support.EventToken:
		return e.send(ev.Type, map[string]string{"text": ev.Text})
	case support.EventCitation:
		return e.send(ev.Type, ev.Citation)
	case support.EventHandoff:
		return e.send(ev.Type, map[string]any{"handoff_id": ev.Reply.HandoffID, "reason": ev.Reply.HandoffReason})
	case support.EventDone:
		return e.send(ev.Type, map[string]any{"reply": ev.Reply})
	}
	return nil
}

func (e *eventStream) send(name string, v any) error {
	if !e.started {
		h := e.w.Header()
		h.Set("Content-Type", "text/event-stream; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Accel-Buffering", "no") // a proxy must not hold the stream back
		e.w.WriteHeader(http.StatusOK)
		e.started = true
	}
	b, err := json.Marshal(v)
	if err != nil {
		return apperr.Wrap(err, apperr.Internal, "encode the %s event", name)
	}
	if _, err := fmt.Fprintf(e.w, "event: %s\ndata: %s\n\n", name, b); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "the client went away")
	}
	if err := e.rc.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return apperr.Wrap(err, apperr.Unavailable, "the client went away")
	}
	return nil
}

// supportFeedbackBody is POST /v1/support/feedback (the widget's 👍/👎).
type supportFeedbackBody struct {
	ConversationID string `json:"conversation_id"`
	MessageID      int64  `json:"message_id"`
	Thumb          int    `json:"thumb"`
	CSAT           int    `json:"csat"`
	Comment        string `json:"comment"`
}

// supportFeedback rates one answer of the caller's conversation.
func (s *Server) supportFeedback(w http.ResponseWriter, r *http.Request) error {
	in, err := s.supportInbox()
	if err != nil {
		return err
	}
	var body supportFeedbackBody
	if err := decodeJSON(r, maxSupportBody, &body); err != nil {
		return err
	}
	if body.ConversationID == "" || body.MessageID <= 0 {
		return apperr.New(apperr.Invalid, "say which answer you rate: conversation_id and message_id")
	}
	f := support.Feedback{MessageID: body.MessageID, Thumb: body.Thumb, CSAT: body.CSAT, Comment: body.Comment}
	if err := in.Rate(r.Context(), body.ConversationID, f); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// staff is the principal working the queue: 401 when there is none, 403
// when it may not do a.
func staff(r *http.Request, a auth.Action) (auth.Principal, error) {
	p, ok := auth.PrincipalFrom(r.Context())
	if !ok {
		return p, apperr.New(apperr.Unauthenticated, "sign in or send an API token to work the support queue")
	}
	if !p.Can(a) {
		return p, apperr.New(apperr.Forbidden, "your role may not do this in the support queue")
	}
	return p, nil
}

// staffInbox is the hand-off queue for a signed-in person (or token)
// allowed to do a there.
func (s *Server) staffInbox(r *http.Request, a auth.Action) (auth.Principal, *support.Inbox, error) {
	p, err := staff(r, a)
	if err != nil {
		return p, nil, err
	}
	in, err := s.supportInbox()
	return p, in, err
}

func handoffIDOf(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.Invalid, "hand-off id %q is not a number", r.PathValue("id"))
	}
	return id, nil
}

// supportHandoffs lists the queue: ?status=queued|taken|closed, ?limit=N.
func (s *Server) supportHandoffs(w http.ResponseWriter, r *http.Request) error {
	_, in, err := s.staffInbox(r, auth.Read)
	if err != nil {
		return err
	}
	f := support.HandoffFilter{Status: r.URL.Query().Get("status"), Limit: 100}
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return apperr.New(apperr.Invalid, "limit %q: use a number from 1 to 1000", v)
		}
		f.Limit = n
	}
	items, err := in.List(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"handoffs": items})
	return nil
}

// supportHandoff returns one entry with its conversation.
func (s *Server) supportHandoff(w http.ResponseWriter, r *http.Request) error {
	_, in, err := s.staffInbox(r, auth.Read)
	if err != nil {
		return err
	}
	id, err := handoffIDOf(r)
	if err != nil {
		return err
	}
	h, err := in.Get(r.Context(), id)
	if err != nil {
		return err
	}
	th, err := in.Thread(r.Context(), h.ConversationID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"handoff": h, "thread": th})
	return nil
}

// supportConversation returns a conversation with its messages,
// citations and queue entries.
func (s *Server) supportConversation(w http.ResponseWriter, r *http.Request) error {
	_, in, err := s.staffInbox(r, auth.Read)
	if err != nil {
		return err
	}
	th, err := in.Thread(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, th)
	return nil
}

type supportReplyBody struct {
	Text string `json:"text"`
}

// supportReply answers the customer as the signed-in person.
func (s *Server) supportReply(w http.ResponseWriter, r *http.Request) error {
	p, in, err := s.staffInbox(r, auth.AnswerSupport)
	if err != nil {
		return err
	}
	id, err := handoffIDOf(r)
	if err != nil {
		return err
	}
	var body supportReplyBody
	if err := decodeJSON(r, maxSupportBody, &body); err != nil {
		return err
	}
	m, err := in.Reply(r.Context(), id, p.Name, body.Text)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, m)
	return nil
}

type supportResolveBody struct {
	Resolution string `json:"resolution"`
}

// supportResolve closes the entry; the assistant answers the
// conversation again.
func (s *Server) supportResolve(w http.ResponseWriter, r *http.Request) error {
	p, in, err := s.staffInbox(r, auth.AnswerSupport)
	if err != nil {
		return err
	}
	id, err := handoffIDOf(r)
	if err != nil {
		return err
	}
	var body supportResolveBody
	if r.ContentLength != 0 {
		if err := decodeJSON(r, maxSupportBody, &body); err != nil {
			return err
		}
	}
	h, err := in.Resolve(r.Context(), id, p.Name, body.Resolution)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h)
	return nil
}

// chatLimit bounds each client's customer-service requests (the routes
// are public and each answer costs retrieval, perhaps a model call).
func (s *Server) chatLimit(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := s.chat.allow(s.clientAddr(r)); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			WriteError(w, r, s.log, apperr.New(apperr.TooMany, "too many messages; wait a moment and send again"))
			return
		}
		if err := h(w, r); err != nil {
			WriteError(w, r, s.log, err)
		}
	})
}

// widgetFiles serves the embeddable chat widget (widget.js, widget.css).
func widgetFiles() http.Handler {
	fs := http.StripPrefix("/support/", http.FileServerFS(widget.FS()))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		fs.ServeHTTP(w, r)
	})
}
