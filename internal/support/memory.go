package support

import (
	"context"
	"sync"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// MemoryRecorder keeps conversations in memory: an evaluation records its
// turns (and hand-offs, which really are queued, in this recorder's queue)
// without touching the shop's. It is safe for concurrent use.
type MemoryRecorder struct {
	mu       sync.Mutex
	convs    map[string]Conversation
	messages []Message
	handoffs []Handoff
}

// NewMemoryRecorder returns an empty recorder.
func NewMemoryRecorder() *MemoryRecorder {
	return &MemoryRecorder{convs: map[string]Conversation{}}
}

// RecordTurn implements Recorder.
func (m *MemoryRecorder) RecordTurn(_ context.Context, t Turn) (TurnIDs, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ids TurnIDs
	m.convs[t.Conversation.ID] = t.Conversation
	if t.Question.Text != "" {
		t.Question.ID = int64(len(m.messages) + 1)
		t.Question.ConversationID = t.Conversation.ID
		m.messages = append(m.messages, t.Question)
		ids.Question = t.Question.ID
	}
	t.Answer.ID = int64(len(m.messages) + 1)
	t.Answer.ConversationID = t.Conversation.ID
	m.messages = append(m.messages, t.Answer)
	ids.Answer = t.Answer.ID
	if t.Handoff != nil {
		for _, h := range m.handoffs {
			if h.ConversationID == t.Conversation.ID && h.Status != HandoffClosed {
				ids.Handoff = h.ID
				return ids, nil
			}
		}
		h := *t.Handoff
		h.ID, h.ConversationID, h.CustomerID, h.Status, h.Language = int64(len(m.handoffs)+1), t.Conversation.ID, t.Conversation.CustomerID, HandoffQueued, t.Conversation.Language
		m.handoffs = append(m.handoffs, h)
		ids.Handoff = h.ID
	}
	return ids, nil
}

// GetConversation implements Recorder.
func (m *MemoryRecorder) GetConversation(_ context.Context, id string) (Conversation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.convs[id]
	if !ok {
		return c, apperr.New(apperr.NotFound, "no conversation %q", id)
	}
	return c, nil
}

// Handoffs returns the queued hand-offs.
func (m *MemoryRecorder) Handoffs() []Handoff {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Handoff(nil), m.handoffs...)
}

// Messages returns every recorded message.
func (m *MemoryRecorder) Messages() []Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Message(nil), m.messages...)
}

// ConversationMessages returns the messages of one conversation in the
// order they were recorded (none for an unknown one).
func (m *MemoryRecorder) ConversationMessages(_ context.Context, id string) ([]Message, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Message
	for _, msg := range m.messages {
		if msg.ConversationID == id {
			out = append(out, msg)
		}
	}
	return out, nil
}
