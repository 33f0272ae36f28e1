package support

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/pii"
	"github.com/chorusmkt/chorus/internal/customer"
)

// InboxStore is what the hand-off queue needs from persistence: a part
// of Store, so that the console's support inbox, the API and the CLI can
// work the queue without the assistant's index.
type InboxStore interface {
	GetCustomer(ctx context.Context, id string) (customer.Customer, error)
	GetConversation(ctx context.Context, id string) (Conversation, error)
	ConversationMessages(ctx context.Context, id string) ([]Message, error)
	ListHandoffs(ctx context.Context, f HandoffFilter) ([]Handoff, error)
	GetHandoff(ctx context.Context, id int64) (Handoff, error)
	TakeHandoff(ctx context.Context, id int64, assignee string, at time.Time) (Handoff, error)
	ReplyHandoff(ctx context.Context, id int64, m Message) (Message, error)
	CloseHandoff(ctx context.Context, id int64, resolution string, at time.Time) (Handoff, error)
	PutFeedback(ctx context.Context, f Feedback) error
}

// InboxOptions configure an Inbox.
type InboxOptions struct {
	// PII redacts what a person writes before it is stored, as the
	// assistant's answers are (nil: a scanner with no allowed values).
	PII *pii.Scanner
	Now func() time.Time
	// MaxRunes bounds a reply (default 4000).
	MaxRunes int
}

// Inbox is the hand-off queue as people work it: list the entries with
// their conversation's state, read a conversation with its citations,
// take an entry, reply as a person and resolve it. Resolving returns the
// conversation to the assistant. It is safe for concurrent use.
type Inbox struct {
	st InboxStore
	o  InboxOptions
}

// NewInbox returns the queue over st.
func NewInbox(st InboxStore, o InboxOptions) *Inbox {
	if o.PII == nil {
		o.PII = pii.NewScanner(nil)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxRunes <= 0 {
		o.MaxRunes = 4000
	}
	return &Inbox{st: st, o: o}
}

// InboxItem is one queue entry with what a person triages it by.
type InboxItem struct {
	Handoff
	// ConversationStatus is the conversation's (handoff while a person
	// has it, open again after it was resolved and the customer wrote).
	ConversationStatus string    `json:"conversation_status"`
	Channel            string    `json:"channel"`
	Script             string    `json:"script,omitempty"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// Thread is one conversation as a person reads it: its messages (stored
// redacted) with their citations, tool calls and flags, and its queue
// entries, oldest first.
type Thread struct {
	Conversation Conversation `json:"conversation"`
	Messages     []Message    `json:"messages"`
	Handoffs     []Handoff    `json:"handoffs"`
}

// HandoffOpen selects in List the entries not closed (queued or taken):
// the work still to do.
const HandoffOpen = "open"

// List returns the queue entries f selects, oldest first; f.Status may
// also be HandoffOpen. Errors: Invalid for an unknown status.
func (in *Inbox) List(ctx context.Context, f HandoffFilter) ([]InboxItem, error) {
	open := false
	switch f.Status {
	case "", HandoffQueued, HandoffTaken, HandoffClosed:
	case HandoffOpen:
		open, f.Status = true, ""
	default:
		return nil, apperr.New(apperr.Invalid, "hand-off status %q: use open, queued, taken or closed", f.Status)
	}
	hs, err := in.st.ListHandoffs(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]InboxItem, 0, len(hs))
	for _, h := range hs {
		if open && h.Status == HandoffClosed {
			continue
		}
		it := InboxItem{Handoff: h}
		c, err := in.st.GetConversation(ctx, h.ConversationID)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		it.ConversationStatus, it.Channel, it.Script, it.UpdatedAt = c.Status, c.Channel, c.Script, c.UpdatedAt
		out = append(out, it)
	}
	return out, nil
}

// Get returns one queue entry. Errors: NotFound.
func (in *Inbox) Get(ctx context.Context, id int64) (Handoff, error) {
	return in.st.GetHandoff(ctx, id)
}

// Thread returns a conversation with its messages and queue entries.
// Errors: NotFound for an unknown conversation.
func (in *Inbox) Thread(ctx context.Context, conversationID string) (Thread, error) {
	c, err := in.st.GetConversation(ctx, conversationID)
	if err != nil {
		return Thread{}, err
	}
	ms, err := in.st.ConversationMessages(ctx, conversationID)
	if err != nil {
		return Thread{}, err
	}
	hs, err := in.st.ListHandoffs(ctx, HandoffFilter{ConversationID: conversationID})
	if err != nil {
		return Thread{}, err
	}
	if ms == nil {
		ms = []Message{}
	}
	if hs == nil {
		hs = []Handoff{}
	}
	return Thread{Conversation: c, Messages: ms, Handoffs: hs}, nil
}

// Take assigns the entry to agent. Errors: Invalid without an agent,
// NotFound, Conflict when someone else has it or it is closed.
func (in *Inbox) Take(ctx context.Context, id int64, agent string) (Handoff, error) {
	agent, err := agentName(agent)
	if err != nil {
		return Handoff{}, err
	}
	return in.st.TakeHandoff(ctx, id, agent, in.o.Now().UTC())
}

// Reply stores a person's message in the entry's conversation, redacted
// like every stored text; a queued entry is taken by the agent first.
// Errors: Invalid for an empty or over-long text or no agent, NotFound,
// Conflict when another person has the entry or it is closed.
func (in *Inbox) Reply(ctx context.Context, id int64, agent, text string) (Message, error) {
	agent, err := agentName(agent)
	if err != nil {
		return Message{}, err
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return Message{}, apperr.New(apperr.Invalid, "the reply is empty")
	}
	if n := utf8.RuneCountInString(text); n > in.o.MaxRunes {
		return Message{}, apperr.New(apperr.Invalid, "the reply is %d characters long; the limit is %d", n, in.o.MaxRunes)
	}
	h, err := in.st.GetHandoff(ctx, id)
	if err != nil {
		return Message{}, err
	}
	if h.Status == HandoffQueued {
		if _, err := in.st.TakeHandoff(ctx, id, agent, in.o.Now().UTC()); err != nil {
			return Message{}, err
		}
	}
	var known []pii.Record
	if h.CustomerID != "" {
		if c, err := in.st.GetCustomer(ctx, h.CustomerID); err == nil {
			known = append(known, pii.RecordOf(c))
		}
	}
	red, _ := pii.NewVault().Redact(in.o.PII, text, known...)
	return in.st.ReplyHandoff(ctx, id, Message{Text: red, Author: agent, CreatedAt: in.o.Now().UTC()})
}

// Resolve closes the entry; the conversation goes back to the assistant
// (its next message is answered again). Errors: NotFound, Conflict when
// it is already closed or another person has it.
func (in *Inbox) Resolve(ctx context.Context, id int64, agent, resolution string) (Handoff, error) {
	h, err := in.st.GetHandoff(ctx, id)
	if err != nil {
		return Handoff{}, err
	}
	if a := strings.TrimSpace(agent); a != "" && h.Status == HandoffTaken && h.Assignee != a {
		return Handoff{}, apperr.New(apperr.Conflict, "hand-off #%d is taken by %s", id, h.Assignee)
	}
	if n := utf8.RuneCountInString(resolution); n > in.o.MaxRunes {
		return Handoff{}, apperr.New(apperr.Invalid, "the resolution is %d characters long; the limit is %d", n, in.o.MaxRunes)
	}
	return in.st.CloseHandoff(ctx, id, strings.TrimSpace(resolution), in.o.Now().UTC())
}

// Rate records a customer's rating of one answer in her conversation:
// the message must be an answer of that conversation (a widget knows its
// conversation id, never another's). Errors: Invalid for a bad rating or
// a message that is not an answer of the conversation; NotFound for an
// unknown conversation.
func (in *Inbox) Rate(ctx context.Context, conversationID string, f Feedback) error {
	ms, err := in.st.ConversationMessages(ctx, conversationID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.ID == f.MessageID {
			if m.Role == RoleCustomer {
				return apperr.New(apperr.Invalid, "message #%d is the customer's own; rate an answer", f.MessageID)
			}
			return in.RecordFeedback(ctx, f)
		}
	}
	return apperr.New(apperr.Invalid, "message #%d is not an answer in this conversation", f.MessageID)
}

// RecordFeedback stores f for the answer it names (the CLI's support
// feedback, which names only the message): the comment is held to the
// length limit and stored redacted, as Rate does for the widget.
// Errors: Invalid for a comment over the limit.
func (in *Inbox) RecordFeedback(ctx context.Context, f Feedback) error {
	if f.At.IsZero() {
		f.At = in.o.Now().UTC()
	}
	if n := utf8.RuneCountInString(f.Comment); n > in.o.MaxRunes {
		return apperr.New(apperr.Invalid, "the comment is %d characters long; the limit is %d", n, in.o.MaxRunes)
	}
	f.Comment, _ = pii.NewVault().Redact(in.o.PII, f.Comment)
	return in.st.PutFeedback(ctx, f)
}

func agentName(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", apperr.New(apperr.Invalid, "say who works the hand-off (the agent's name)")
	}
	if utf8.RuneCountInString(s) > 80 {
		return "", apperr.New(apperr.Invalid, "the agent's name is longer than 80 characters")
	}
	return s, nil
}
