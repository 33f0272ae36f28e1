package httpapi

import (
	"context"
	"net/http"

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

// maxSupportBody bounds a support request's body: a message is at most
// a few thousand characters.
const maxSupportBody = 64 << 10

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

// supportMessageReq is POST /v1/support/messages.
type supportMessageReq struct {
	ConversationID string `json:"conversation_id,omitempty" description:"the conversation to continue (empty: a new one)"`
	CustomerID     string `json:"customer_id,omitempty" description:"the shop's signed-in customer; needs an API token"`
	Language       string `json:"language,omitempty" enum:"zh,en" description:"the reply's language (empty: the message's)"`
	Text           string `json:"text" required:"true"`
}

// supportMessage answers one customer message. As server-sent events
// (send set) it streams "token" {"text"} fragments, "citation"
// {"kind","id"}, "handoff" {"handoff_id","reason"} and a final "done"
// {"reply"} with the whole answer, citations and hand-off. A customer id
// is taken only from a principal (a shop's back end speaking for its
// signed-in customer): an anonymous caller cannot claim to be a customer.
func (s *Server) supportMessage(ctx context.Context, req *supportMessageReq, send sendEvent) (support.Reply, error) {
	as, err := s.supportAssistant()
	if err != nil {
		return support.Reply{}, err
	}
	if req.CustomerID != "" {
		p, ok := auth.PrincipalFrom(ctx)
		if !ok {
			return support.Reply{}, apperr.New(apperr.Unauthenticated, "customer_id needs an API token; an anonymous chat cannot name a customer")
		}
		if !p.Can(auth.Read) {
			return support.Reply{}, apperr.New(apperr.Forbidden, "this token may not act for a customer")
		}
	}
	in := support.Request{ConversationID: req.ConversationID, CustomerID: req.CustomerID, Language: req.Language, Text: req.Text, Channel: "web"}
	var emit func(support.Event) error
	if send != nil {
		emit = func(ev support.Event) error { return supportEvent(send, ev) }
	}
	return as.Answer(ctx, in, emit)
}

// supportEvent sends one of the assistant's events as its server-sent
// event.
func supportEvent(send sendEvent, ev support.Event) error {
	switch ev.Type {
	case support.EventToken:
		return send(ev.Type, map[string]string{"text": ev.Text})
	case support.EventCitation:
		return send(ev.Type, ev.Citation)
	case support.EventHandoff:
		return send(ev.Type, map[string]any{"handoff_id": ev.Reply.HandoffID, "reason": ev.Reply.HandoffReason})
	case support.EventDone:
		return send(ev.Type, map[string]any{"reply": ev.Reply})
	}
	return nil
}

// supportFeedbackReq is POST /v1/support/feedback (the widget's 👍/👎).
type supportFeedbackReq struct {
	ConversationID string `json:"conversation_id" required:"true"`
	MessageID      int64  `json:"message_id" required:"true" minimum:"1"`
	Thumb          int    `json:"thumb,omitempty" enum:"-1,0,1"`
	CSAT           int    `json:"csat,omitempty" minimum:"0" maximum:"5"`
	Comment        string `json:"comment,omitempty"`
}

// supportFeedback rates one answer of the caller's conversation.
func (s *Server) supportFeedback(ctx context.Context, req *supportFeedbackReq) (struct{}, error) {
	in, err := s.supportInbox()
	if err != nil {
		return struct{}{}, err
	}
	if req.ConversationID == "" || req.MessageID <= 0 {
		return struct{}{}, apperr.New(apperr.Invalid, "say which answer you rate: conversation_id and message_id")
	}
	f := support.Feedback{MessageID: req.MessageID, Thumb: req.Thumb, CSAT: req.CSAT, Comment: req.Comment}
	return struct{}{}, in.Rate(ctx, req.ConversationID, f)
}

// supportHandoffsReq is GET /v1/support/handoffs.
type supportHandoffsReq struct {
	Status string `query:"status" enum:"open,queued,taken,closed" description:"only entries in this state (open: queued or taken; empty: all)"`
	Limit  *int   `query:"limit" minimum:"1" maximum:"1000" default:"100"`
}

// HandoffList is the hand-off queue.
type HandoffList struct {
	Handoffs []support.InboxItem `json:"handoffs"`
}

// supportHandoffs lists the queue.
func (s *Server) supportHandoffs(ctx context.Context, req *supportHandoffsReq) (HandoffList, error) {
	in, err := s.supportInbox()
	if err != nil {
		return HandoffList{}, err
	}
	f := support.HandoffFilter{Status: req.Status, Limit: 100}
	if req.Limit != nil {
		if *req.Limit < 1 || *req.Limit > 1000 {
			return HandoffList{}, apperr.New(apperr.Invalid, "limit %d: use a number from 1 to 1000", *req.Limit)
		}
		f.Limit = *req.Limit
	}
	items, err := in.List(ctx, f)
	if err != nil {
		return HandoffList{}, err
	}
	return HandoffList{Handoffs: items}, nil
}

// handoffID is GET /v1/support/handoffs/{id}.
type handoffID struct {
	ID int64 `path:"id" minimum:"1"`
}

func checkHandoffID(id int64) error {
	if id <= 0 {
		return apperr.New(apperr.Invalid, "hand-off id %d: use a positive number", id)
	}
	return nil
}

// HandoffDetail is one hand-off and its conversation.
type HandoffDetail struct {
	Handoff support.Handoff `json:"handoff"`
	Thread  support.Thread  `json:"thread"`
}

// supportHandoff returns one entry with its conversation.
func (s *Server) supportHandoff(ctx context.Context, req *handoffID) (HandoffDetail, error) {
	in, err := s.supportInbox()
	if err != nil {
		return HandoffDetail{}, err
	}
	if err := checkHandoffID(req.ID); err != nil {
		return HandoffDetail{}, err
	}
	h, err := in.Get(ctx, req.ID)
	if err != nil {
		return HandoffDetail{}, err
	}
	th, err := in.Thread(ctx, h.ConversationID)
	if err != nil {
		return HandoffDetail{}, err
	}
	return HandoffDetail{Handoff: h, Thread: th}, nil
}

// supportConversationReq is GET /v1/support/conversations/{id}.
type supportConversationReq struct {
	ID string `path:"id"`
}

// supportConversation returns a conversation with its messages,
// citations and queue entries.
func (s *Server) supportConversation(ctx context.Context, req *supportConversationReq) (support.Thread, error) {
	in, err := s.supportInbox()
	if err != nil {
		return support.Thread{}, err
	}
	return in.Thread(ctx, req.ID)
}

// supportReplyReq is POST /v1/support/handoffs/{id}/reply.
type supportReplyReq struct {
	ID   int64  `path:"id" minimum:"1"`
	Text string `json:"text" required:"true"`
}

// supportReply answers the customer as the principal.
func (s *Server) supportReply(ctx context.Context, req *supportReplyReq) (support.Message, error) {
	in, err := s.supportInbox()
	if err != nil {
		return support.Message{}, err
	}
	if err := checkHandoffID(req.ID); err != nil {
		return support.Message{}, err
	}
	return in.Reply(ctx, req.ID, principalName(ctx), req.Text)
}

// supportResolveReq is POST /v1/support/handoffs/{id}/resolve.
type supportResolveReq struct {
	ID         int64  `path:"id" minimum:"1"`
	Resolution string `json:"resolution,omitempty" description:"what was done, for the record"`
}

// supportResolve closes the entry; the assistant answers the
// conversation again.
func (s *Server) supportResolve(ctx context.Context, req *supportResolveReq) (support.Handoff, error) {
	in, err := s.supportInbox()
	if err != nil {
		return support.Handoff{}, err
	}
	if err := checkHandoffID(req.ID); err != nil {
		return support.Handoff{}, err
	}
	return in.Resolve(ctx, req.ID, principalName(ctx), req.Resolution)
}

// principalName is the name of the request's principal (v1 sets it for
// a route that needs an action).
func principalName(ctx context.Context) string {
	p, _ := auth.PrincipalFrom(ctx)
	return p.Name
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
