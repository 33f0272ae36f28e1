package support_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/store/storetest"
	"github.com/chorusmkt/chorus/internal/support"
)

// The queue lists what is not closed by default, redacts what a person
// writes before it is stored, refuses an empty reply and closes.
func TestQueue(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for i, id := range []string{"conv-a", "conv-b"} {
		conv := support.Conversation{ID: id, Language: "zh", Channel: "cli", Status: support.ConvHandoff, CreatedAt: at, UpdatedAt: at}
		if _, err := st.RecordTurn(ctx, support.Turn{Conversation: conv,
			Answer:  support.Message{Role: support.RoleAssistant, Text: "好的", Handoff: true, CreatedAt: at.Add(time.Duration(i) * time.Minute)},
			Handoff: &support.Handoff{Reason: support.ReasonAsked, Summary: "转人工", CreatedAt: at}}); err != nil {
			t.Fatal(err)
		}
	}
	q := support.NewQueue(st, nil)
	q.Now = func() time.Time { return at.Add(time.Hour) }
	hs, err := q.List(ctx, support.HandoffFilter{})
	if err != nil || len(hs) != 2 {
		t.Fatalf("list %+v, %v", hs, err)
	}
	if _, err := q.Take(ctx, hs[0].ID, "lin"); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Take(ctx, hs[0].ID, "wu"); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("taking a taken hand-off: %v", err)
	}
	if _, err := q.Reply(ctx, hs[0].ID, "lin", "  "); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("an empty reply: %v", err)
	}
	m, err := q.Reply(ctx, hs[0].ID, "lin", "已改寄到 13800138000 的手机号所在地址")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := st.ConversationMessages(ctx, m.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if got := ms[len(ms)-1]; strings.Contains(got.Text, "13800138000") || got.Author != "lin" || !got.CreatedAt.Equal(at.Add(time.Hour)) {
		t.Errorf("stored reply %+v: redacted, by lin, at the queue's clock", got)
	}
	if _, err := q.Close(ctx, hs[0].ID, "resent"); err != nil {
		t.Fatal(err)
	}
	if open, err := q.List(ctx, support.HandoffFilter{}); err != nil || len(open) != 1 || open[0].ID != hs[1].ID {
		t.Errorf("not closed: %+v, %v", open, err)
	}
	if closed, err := q.List(ctx, support.HandoffFilter{Status: support.HandoffClosed}); err != nil || len(closed) != 1 {
		t.Errorf("closed: %+v, %v", closed, err)
	}
}
