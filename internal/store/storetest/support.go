package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/support"
)

// RunSupport is the conformance suite of the customer-service tables.
func RunSupport(t *testing.T, open func(*testing.T) store.Store) {
	ctx := context.Background()
	at := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)

	t.Run("KnowledgeBase", func(t *testing.T) {
		s := open(t)
		docs := []support.Doc{
			{ID: "returns-7day", Language: "zh", Kind: support.KindPolicy, Title: "七天无理由退货", Body: "自签收之日起7天内可退货。", Topic: "returns", Keywords: []string{"退货", "无理由"}},
			{ID: "returns-7day", Language: "en", Kind: support.KindPolicy, Title: "7-day returns", Body: "Return within 7 days."},
			{ID: "rv-1", Language: "en", Kind: support.KindReview, Title: "Review", Body: "Great bag.", SKU: "US-BAG"},
		}
		c, err := s.UpsertKBDocs(ctx, docs)
		if err != nil || c.Inserted != 3 {
			t.Fatalf("UpsertKBDocs = %+v, %v; want 3 inserted", c, err)
		}
		c, err = s.UpsertKBDocs(ctx, docs)
		if err != nil || c.Unchanged != 3 {
			t.Fatalf("re-import = %+v, %v; want 3 unchanged", c, err)
		}
		v1, err := s.SupportSourceVersion(ctx)
		if err != nil || v1.Docs != 3 || v1.DocsAt.IsZero() {
			t.Fatalf("SupportSourceVersion = %+v, %v", v1, err)
		}
		docs[1].Body = "Return within 30 days."
		c, err = s.UpsertKBDocs(ctx, docs[1:2])
		if err != nil || c.Updated != 1 {
			t.Fatalf("update = %+v, %v", c, err)
		}
		d, err := s.GetKBDoc(ctx, "returns-7day", "zh")
		if err != nil || d.Title != "七天无理由退货" || len(d.Keywords) != 2 || d.Topic != "returns" {
			t.Fatalf("GetKBDoc = %+v, %v", d, err)
		}
		changed, err := s.ListKBDocs(ctx, v1.DocsAt.Add(time.Microsecond))
		if err != nil || len(changed) != 1 || changed[0].Body != "Return within 30 days." {
			t.Fatalf("ListKBDocs(since) = %+v, %v; want the updated entry only", changed, err)
		}
		if n, err := s.DeleteKBDoc(ctx, "returns-7day"); err != nil || n != 2 {
			t.Fatalf("DeleteKBDoc = %d, %v; want both languages", n, err)
		}
		if _, err := s.GetKBDoc(ctx, "returns-7day", "en"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("GetKBDoc after delete: %v, want NotFound", err)
		}
		all, err := s.ListKBDocs(ctx, time.Time{})
		if err != nil || len(all) != 3 {
			t.Fatalf("ListKBDocs = %d, %v; deleted entries stay listed for the indexes", len(all), err)
		}
		for _, d := range all {
			if d.ID == "returns-7day" && !d.Deleted {
				t.Fatalf("%s/%s not marked deleted", d.ID, d.Language)
			}
		}
		if _, err := s.DeleteKBDoc(ctx, "nope"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("DeleteKBDoc(unknown) = %v, want NotFound", err)
		}
		// a deleted entry imported again is live again
		if c, err := s.UpsertKBDocs(ctx, docs[:1]); err != nil || c.Updated != 1 {
			t.Fatalf("re-import after delete = %+v, %v", c, err)
		}
		if _, err := s.GetKBDoc(ctx, "returns-7day", "zh"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("ProductsAndOrders", func(t *testing.T) {
		s := open(t)
		if _, _, _, err := s.UpsertProducts(ctx, []catalog.Product{{SKU: "A", Title: "Bag", Price: 59, Currency: "USD", Active: true, Stock: 3}}); err != nil {
			t.Fatal(err)
		}
		v, err := s.SupportSourceVersion(ctx)
		if err != nil || v.Products != 1 || v.ProductsAt.IsZero() {
			t.Fatalf("version = %+v, %v", v, err)
		}
		ps, err := s.ProductsDescribedSince(ctx, time.Time{})
		if err != nil || len(ps) != 1 {
			t.Fatalf("ProductsDescribedSince = %d, %v", len(ps), err)
		}
		ps, err = s.ProductsDescribedSince(ctx, v.ProductsAt.Add(time.Microsecond))
		if err != nil || len(ps) != 0 {
			t.Fatalf("ProductsDescribedSince(later) = %d, %v", len(ps), err)
		}
		_, err = s.InsertEvents(ctx, []event.Event{
			{CustomerID: "c1", Type: event.Purchase, SKU: "A", Quantity: 1, Amount: 59, Currency: "USD", OrderID: "O-1", OccurredAt: at},
			{CustomerID: "c1", Type: event.View, SKU: "A", OccurredAt: at.Add(-time.Hour)},
			{CustomerID: "c1", Type: event.Refund, SKU: "A", Quantity: -1, Amount: -59, Currency: "USD", OrderID: "O-1", OccurredAt: at.Add(48 * time.Hour),
				Properties: map[string]any{"reason": "size"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		es, err := s.OrderEvents(ctx, "O-1")
		if err != nil || len(es) != 2 || es[0].Type != event.Purchase || es[1].Properties["reason"] != "size" || es[0].CustomerID != "c1" {
			t.Fatalf("OrderEvents = %+v, %v", es, err)
		}
		if _, err := s.OrderEvents(ctx, "O-2"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("OrderEvents(unknown) = %v, want NotFound", err)
		}
	})

	t.Run("ConversationsQueueFeedback", func(t *testing.T) {
		s := open(t)
		conv := support.Conversation{ID: "conv-1", CustomerID: "c1", Language: "zh", Channel: "cli", Status: support.ConvHandoff, PendingOrder: "O-9",
			Misses: 1, Script: support.ScriptHant, CreatedAt: at, UpdatedAt: at}
		ids, err := s.RecordTurn(ctx, support.Turn{Conversation: conv,
			Question: support.Message{Role: support.RoleCustomer, Text: "转人工 ⟦EMAIL_1⟧", Intent: "human_request", CreatedAt: at},
			Answer: support.Message{Role: support.RoleAssistant, Text: "好的", Intent: "human_request", Handoff: true, Citations: []support.Citation{{Kind: "policy", ID: "p"}},
				ToolCalls: []support.ToolCall{{Name: "handoff_to_human", Arguments: `{"reason":"asked"}`}}, Flags: []string{"x"}, Model: "offline/support-v1",
				LatencyMicros: 1500, PromptTokens: 10, CompletionTokens: 5, CreatedAt: at},
			Handoff: &support.Handoff{Reason: support.ReasonAsked, Summary: "转人工", CreatedAt: at}})
		if err != nil || ids.Question == 0 || ids.Answer == 0 || ids.Handoff == 0 {
			t.Fatalf("RecordTurn = %+v, %v", ids, err)
		}
		// a second hand-off while one waits does not queue twice
		ids2, err := s.RecordTurn(ctx, support.Turn{Conversation: conv, Answer: support.Message{Role: support.RoleAssistant, Text: "还在排队", Handoff: true, CreatedAt: at.Add(time.Minute)},
			Handoff: &support.Handoff{Reason: support.ReasonAsked, CreatedAt: at.Add(time.Minute)}})
		if err != nil || ids2.Handoff != ids.Handoff {
			t.Fatalf("second hand-off = %+v, %v; want the same entry %d", ids2, err, ids.Handoff)
		}
		c, err := s.GetConversation(ctx, "conv-1")
		if err != nil || c.PendingOrder != "O-9" || c.Status != support.ConvHandoff || c.Misses != 1 || c.Script != support.ScriptHant {
			t.Fatalf("GetConversation = %+v, %v", c, err)
		}
		if err := s.SetVerifiedOrders(ctx, "conv-1", []string{"O-1"}); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.GetConversation(ctx, "conv-1"); len(c.VerifiedOrders) != 1 {
			t.Fatalf("verified orders = %v", c.VerifiedOrders)
		}
		if _, err := s.GetConversation(ctx, "nope"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("GetConversation(unknown) = %v", err)
		}
		ms, err := s.ConversationMessages(ctx, "conv-1")
		if err != nil || len(ms) != 3 || ms[1].ToolCalls[0].Name != "handoff_to_human" || ms[1].Citations[0].ID != "p" || ms[1].LatencyMicros != 1500 {
			t.Fatalf("ConversationMessages = %+v, %v", ms, err)
		}
		hs, err := s.ListHandoffs(ctx, support.HandoffFilter{Status: support.HandoffQueued})
		if err != nil || len(hs) != 1 || hs[0].Language != "zh" || hs[0].CustomerID != "c1" {
			t.Fatalf("ListHandoffs = %+v, %v", hs, err)
		}
		if hs, err := s.ListHandoffs(ctx, support.HandoffFilter{ConversationID: "conv-2"}); err != nil || len(hs) != 0 {
			t.Fatalf("ListHandoffs(another conversation) = %+v, %v", hs, err)
		}
		if hs, err := s.ListHandoffs(ctx, support.HandoffFilter{ConversationID: "conv-1", Limit: 5}); err != nil || len(hs) != 1 {
			t.Fatalf("ListHandoffs(conv-1) = %+v, %v", hs, err)
		}
		// two people take the entry at once: exactly one gets it
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, who := range []string{"lin", "ann"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.TakeHandoff(ctx, ids.Handoff, who, at.Add(time.Hour))
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !apperr.Is(err, apperr.Conflict):
				t.Fatalf("TakeHandoff: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d people took the hand-off; want exactly 1 (%v)", won, errs)
		}
		h, _ := s.GetHandoff(ctx, ids.Handoff)
		if h.Status != support.HandoffTaken {
			t.Fatalf("status %s", h.Status)
		}
		other := "lin"
		if h.Assignee == "lin" {
			other = "ann"
		}
		if _, err := s.ReplyHandoff(ctx, ids.Handoff, support.Message{Text: "hi", Author: other, CreatedAt: at}); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("reply by someone else: %v, want Conflict", err)
		}
		m, err := s.ReplyHandoff(ctx, ids.Handoff, support.Message{Text: "您好，已处理", Author: h.Assignee, CreatedAt: at.Add(2 * time.Hour)})
		if err != nil || m.ID == 0 || m.Role != support.RoleAgent {
			t.Fatalf("ReplyHandoff = %+v, %v", m, err)
		}
		if _, err := s.CloseHandoff(ctx, ids.Handoff, "done", at.Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CloseHandoff(ctx, ids.Handoff, "again", at.Add(3*time.Hour)); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second close: %v, want Conflict", err)
		}
		if _, err := s.TakeHandoff(ctx, ids.Handoff, "lin", at); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("take closed: %v, want Conflict", err)
		}
		if _, err := s.GetHandoff(ctx, 999); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("GetHandoff(unknown) = %v", err)
		}
		if c, _ := s.GetConversation(ctx, "conv-1"); c.Status != support.ConvClosed {
			t.Fatalf("conversation status after close = %s", c.Status)
		}

		if err := s.PutFeedback(ctx, support.Feedback{MessageID: ids.Answer, Thumb: 1, CSAT: 5, At: at}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutFeedback(ctx, support.Feedback{MessageID: ids.Answer, Thumb: -1, CSAT: 2, Comment: "changed my mind", At: at}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutFeedback(ctx, support.Feedback{MessageID: ids.Question, Thumb: 1, At: at}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("rating the customer's own message: %v, want Invalid", err)
		}
		if err := s.PutFeedback(ctx, support.Feedback{MessageID: 999, Thumb: 1, At: at}); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("rating an unknown message: %v, want NotFound", err)
		}
		if err := s.PutFeedback(ctx, support.Feedback{MessageID: ids.Answer, CSAT: 7, At: at}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("CSAT 7: %v, want Invalid", err)
		}
		f, err := support.ComputeFigures(ctx, s, at.Add(-time.Hour), at.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if f.Conversations != 1 || f.Answers != 2 || f.AgentAnswers != 1 || f.HandoffRate != 1 || f.DeflectionRate != 0 ||
			f.CSATCount != 1 || f.CSAT != 2 || f.ThumbsCount != 1 || f.ThumbsUpRate != 0 || len(f.PerDay) != 1 || f.PerDay[0].Answers != 2 {
			t.Fatalf("figures = %+v", f)
		}
	})
}
