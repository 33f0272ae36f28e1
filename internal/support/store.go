package support

import (
	"context"
	"time"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
)

// Citation names one source an answer used: product (SKU), policy (a
// knowledge-base id), order (an order id) or review.
type Citation struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// String is the inline marker, e.g. [policy:returns-7day].
func (c Citation) String() string { return "[" + c.Kind + ":" + c.ID + "]" }

// Citation kinds.
const (
	CiteProduct = "product"
	CitePolicy  = "policy"
	CiteOrder   = "order"
	CiteReview  = "review"
)

// ToolCall is one tool the model called while answering, as stored: the
// arguments and result are redacted like every stored text.
type ToolCall struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
	Result    string `json:"result,omitempty"`
	Error     string `json:"error,omitempty"`
}

// Roles of conversation messages.
const (
	RoleCustomer  = "customer"
	RoleAssistant = "assistant"
	RoleAgent     = "agent" // a person answering from the hand-off queue
)

// Conversation statuses.
const (
	ConvOpen    = "open"    // the assistant is answering
	ConvHandoff = "handoff" // waiting for or with a person
	ConvClosed  = "closed"
)

// Conversation is one customer's exchange with the shop.
type Conversation struct {
	ID         string `json:"id"`
	CustomerID string `json:"customer_id,omitempty"`
	Language   string `json:"language"`
	Channel    string `json:"channel"` // cli, web, api, eval
	Status     string `json:"status"`
	// VerifiedOrders are the order ids the customer proved are hers in
	// this conversation (order id + e-mail or the phone's last 4 digits).
	VerifiedOrders []string `json:"verified_orders,omitempty"`
	// PendingOrder is an order id the customer named but has not yet
	// verified (an order id is not personal data; the e-mail or phone
	// digits that verify it are never stored).
	PendingOrder string `json:"pending_order,omitempty"`
	// Misses counts the assistant's consecutive answers that could not
	// help (out of scope, no such product, a failed verification); the
	// next one hands off.
	Misses int `json:"misses,omitempty"`
	// Script is the customer's Chinese script (ScriptHans, ScriptHant):
	// a message with no script-specific character is answered in it.
	Script    string    `json:"script,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Message is one stored message. Text is redacted (personal data replaced
// by typed placeholders) before it is stored.
type Message struct {
	ID             int64      `json:"id"`
	ConversationID string     `json:"conversation_id"`
	Role           string     `json:"role"`
	Text           string     `json:"text"`
	Intent         string     `json:"intent,omitempty"`
	Citations      []Citation `json:"citations,omitempty"`
	ToolCalls      []ToolCall `json:"tool_calls,omitempty"`
	Handoff        bool       `json:"handoff,omitempty"`
	// Flags say what the guardrails did: injection, ungrounded, adlaw,
	// repaired, unverified, low_confidence, …
	Flags            []string  `json:"flags,omitempty"`
	Model            string    `json:"model,omitempty"`
	Author           string    `json:"author,omitempty"` // the agent's name for RoleAgent
	LatencyMicros    int64     `json:"latency_us,omitempty"`
	PromptTokens     int       `json:"prompt_tokens,omitempty"`
	CompletionTokens int       `json:"completion_tokens,omitempty"`
	CreatedAt        time.Time `json:"created_at"`
}

// Hand-off statuses.
const (
	HandoffQueued = "queued"
	HandoffTaken  = "taken"
	HandoffClosed = "closed"
)

// Handoff is one conversation waiting for, or worked by, a person.
type Handoff struct {
	ID             int64     `json:"id"`
	ConversationID string    `json:"conversation_id"`
	CustomerID     string    `json:"customer_id,omitempty"`
	Reason         string    `json:"reason"` // asked, complaint, legal, low_confidence, ungrounded, order_unverified
	Summary        string    `json:"summary,omitempty"`
	Status         string    `json:"status"`
	Assignee       string    `json:"assignee,omitempty"`
	Language       string    `json:"language,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	TakenAt        time.Time `json:"taken_at,omitzero"`
	ClosedAt       time.Time `json:"closed_at,omitzero"`
	Resolution     string    `json:"resolution,omitempty"`
}

// Feedback is a customer's rating of one answer.
type Feedback struct {
	MessageID int64     `json:"message_id"`
	Thumb     int       `json:"thumb"`          // +1 👍, -1 👎, 0 none
	CSAT      int       `json:"csat,omitempty"` // 1..5, 0 none
	Comment   string    `json:"comment,omitempty"`
	At        time.Time `json:"at"`
}

// Turn is what one answered message writes, in one transaction: the
// conversation (created or updated), the customer's message, the answer
// and, when the answer hands off, the queue entry.
type Turn struct {
	Conversation Conversation
	Question     Message
	Answer       Message
	Handoff      *Handoff
}

// TurnIDs are the ids a recorded turn got.
type TurnIDs struct {
	Question, Answer, Handoff int64
}

// SourceVersion says when the searchable sources last changed: the
// latest described_at of a product and updated_at of a knowledge-base
// entry, and their counts.
type SourceVersion struct {
	Products   int
	ProductsAt time.Time
	Docs       int
	DocsAt     time.Time
}

// HandoffFilter selects queue entries; zero fields do not filter.
type HandoffFilter struct {
	Status         string
	Assignee       string
	ConversationID string
	Limit          int
}

// Store is what the assistant needs from persistence. Not-found lookups
// return apperr.NotFound; TakeHandoff returns apperr.Conflict when
// someone else holds the entry, and state changes on a closed entry are
// Conflict too.
type Store interface {
	GetProduct(ctx context.Context, sku string) (catalog.Product, error)
	ListProducts(ctx context.Context) ([]catalog.Product, error)
	GetCustomer(ctx context.Context, id string) (customer.Customer, error)
	Consents(ctx context.Context, customerID string) ([]customer.Consent, error)
	ScanEvents(ctx context.Context, f event.Filter, fn func(event.Event) error) error

	// OrderEvents returns the purchase and refund events of one order,
	// in time order, or NotFound when there are none.
	OrderEvents(ctx context.Context, orderID string) ([]event.Event, error)

	UpsertKBDocs(ctx context.Context, docs []Doc) (customer.UpsertCounts, error)
	// ListKBDocs returns the entries changed at or after since (zero: all),
	// deleted ones included, ordered by id and language.
	ListKBDocs(ctx context.Context, since time.Time) ([]Doc, error)
	GetKBDoc(ctx context.Context, id, language string) (Doc, error)
	// DeleteKBDoc marks every language of id deleted and returns how many.
	DeleteKBDoc(ctx context.Context, id string) (int, error)
	// ProductsDescribedSince returns products whose descriptive fields
	// changed at or after since.
	ProductsDescribedSince(ctx context.Context, since time.Time) ([]catalog.Product, error)
	SupportSourceVersion(ctx context.Context) (SourceVersion, error)

	RecordTurn(ctx context.Context, t Turn) (TurnIDs, error)
	GetConversation(ctx context.Context, id string) (Conversation, error)
	ConversationMessages(ctx context.Context, id string) ([]Message, error)
	SetVerifiedOrders(ctx context.Context, conversationID string, orders []string) error

	ListHandoffs(ctx context.Context, f HandoffFilter) ([]Handoff, error)
	GetHandoff(ctx context.Context, id int64) (Handoff, error)
	TakeHandoff(ctx context.Context, id int64, assignee string, at time.Time) (Handoff, error)
	// ReplyHandoff stores a person's message in the conversation.
	ReplyHandoff(ctx context.Context, id int64, m Message) (Message, error)
	CloseHandoff(ctx context.Context, id int64, resolution string, at time.Time) (Handoff, error)

	PutFeedback(ctx context.Context, f Feedback) error
	// ScanSupport visits the answers (assistant messages) created in
	// [since, until) with their feedback, for the figures.
	ScanSupport(ctx context.Context, since, until time.Time, fn func(m Message, f *Feedback, conv Conversation) error) error
}
