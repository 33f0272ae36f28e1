package support

import (
	"context"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/pii"
)

// QueueStore is what the hand-off queue reads and writes.
type QueueStore interface {
	ListHandoffs(ctx context.Context, f HandoffFilter) ([]Handoff, error)
	TakeHandoff(ctx context.Context, id int64, assignee string, at time.Time) (Handoff, error)
	ReplyHandoff(ctx context.Context, id int64, m Message) (Message, error)
	CloseHandoff(ctx context.Context, id int64, resolution string, at time.Time) (Handoff, error)
}

// Queue is the hand-off queue people work, for every front end (chorus
// support queue, the console): the same rules whoever asks.
type Queue struct {
	st  QueueStore
	pii *pii.Scanner
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// NewQueue returns the queue over st; scanner redacts what people write
// before it is stored (nil: a scanner with no allowed values).
func NewQueue(st QueueStore, scanner *pii.Scanner) *Queue {
	if scanner == nil {
		scanner = pii.NewScanner(nil)
	}
	return &Queue{st: st, pii: scanner}
}

func (q *Queue) now() time.Time {
	if q.Now != nil {
		return q.Now().UTC()
	}
	return time.Now().UTC()
}

// List returns the hand-offs f selects; without a status, those not
// closed.
func (q *Queue) List(ctx context.Context, f HandoffFilter) ([]Handoff, error) {
	hs, err := q.st.ListHandoffs(ctx, f)
	if err != nil || f.Status != "" {
		return hs, err
	}
	open := []Handoff{}
	for _, h := range hs {
		if h.Status != HandoffClosed {
			open = append(open, h)
		}
	}
	return open, nil
}

// Take gives a queued hand-off to assignee (Conflict when taken already).
func (q *Queue) Take(ctx context.Context, id int64, assignee string) (Handoff, error) {
	return q.st.TakeHandoff(ctx, id, assignee, q.now())
}

// Reply stores author's answer to the customer in the hand-off's
// conversation, redacted as the assistant's turns are. An empty reply is
// Invalid.
func (q *Queue) Reply(ctx context.Context, id int64, author, text string) (Message, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return Message{}, apperr.New(apperr.Invalid, "the reply is empty")
	}
	red, _ := pii.NewVault().Redact(q.pii, text)
	return q.st.ReplyHandoff(ctx, id, Message{Text: red, Author: author, CreatedAt: q.now()})
}

// Close closes a hand-off and its conversation with what was done.
func (q *Queue) Close(ctx context.Context, id int64, resolution string) (Handoff, error) {
	return q.st.CloseHandoff(ctx, id, resolution, q.now())
}
