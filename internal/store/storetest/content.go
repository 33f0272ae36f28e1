package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/store"
)

// RunContent is the conformance suite of the content studio's tables.
func RunContent(t *testing.T, open func(*testing.T) store.Store) {
	ctx := context.Background()
	at := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)

	t.Run("VoiceRoundTrip", func(t *testing.T) {
		s := open(t)
		if _, err := s.GetVoice(ctx, "lumen"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("GetVoice(unknown) = %v, want NotFound", err)
		}
		v := content.Voice{Name: "lumen", Brand: "Lumen", Tone: "温柔", Taboo: []string{"最便宜"}, Emoji: "light",
			Examples: []content.Example{{Channel: "sms", Language: "zh", Text: "【Lumen】你好"}}}
		if err := s.PutVoice(ctx, v); err != nil {
			t.Fatal(err)
		}
		v.Tone = "俏皮"
		if err := s.PutVoice(ctx, v); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetVoice(ctx, "lumen")
		if err != nil {
			t.Fatal(err)
		}
		if got.Tone != "俏皮" || got.Brand != "Lumen" || len(got.Taboo) != 1 || len(got.Examples) != 1 || got.Examples[0].Text != "【Lumen】你好" {
			t.Fatalf("voice = %+v", got)
		}
	})

	t.Run("RunUnitsItemsAudit", func(t *testing.T) {
		s := open(t)
		run := content.Run{ID: "run_1", Name: "double11", Brief: content.Brief{Name: "double11", Goal: "g", Offer: content.Offer{Text: "全场8折", Factor: 0.8}},
			Segment: "vip", Channels: []string{"sms", "email"}, Depth: "cohort", Variants: 2, Model: "offline/t", Status: "running",
			Audience: 10, Units: 4, CreatedAt: at, UpdatedAt: at}
		if err := s.SaveRun(ctx, run); err != nil {
			t.Fatal(err)
		}
		run.Status = "done"
		if err := s.SaveRun(ctx, run); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetRun(ctx, "run_1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != "done" || got.Brief.Offer.Text != "全场8折" || len(got.Channels) != 2 || !got.CreatedAt.Equal(at) {
			t.Fatalf("run = %+v", got)
		}
		if _, err := s.GetRun(ctx, "nope"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("GetRun(unknown) = %v, want NotFound", err)
		}
		sms := content.CountSMS("【Lumen】双11全场8折，回T退订")
		items := []content.Item{
			{ID: "ci_a", RunID: "run_1", UnitKey: "u1", Variant: 0, Channel: "sms", Language: "zh", Segment: "vip", Cohort: "c1",
				SKU: "S1", Status: content.StatusDraft, Copy: content.Copy{Text: "【Lumen】双11全场8折，回T退订"}, SMS: &sms,
				Model: "offline/t", PromptVersion: "v1", Slots: []string{"{{first_name}}"}, CreatedAt: at, UpdatedAt: at, AIGenerated: true},
			{ID: "ci_b", RunID: "run_1", UnitKey: "u1", Variant: 1, Channel: "sms", Language: "zh", Status: content.StatusFlagged,
				Copy: content.Copy{Text: "5折"}, Violations: []content.Violation{{Field: "text", Rule: "grounding", Message: "invented"}},
				Rounds: 2, CreatedAt: at, UpdatedAt: at},
		}
		u := content.Unit{RunID: "run_1", Key: "u1", Calls: 3, Usage: llm.Usage{PromptTokens: 100, CompletionTokens: 50, TotalTokens: 150}, Flagged: 1, At: at}
		if err := s.SaveUnit(ctx, u, items); err != nil {
			t.Fatal(err)
		}
		// saving the same unit again (a retried save) stores nothing new
		if err := s.SaveUnit(ctx, u, items); err != nil {
			t.Fatal(err)
		}
		done, err := s.CompletedUnits(ctx, "run_1")
		if err != nil {
			t.Fatal(err)
		}
		if len(done) != 1 || done["u1"].Calls != 3 || done["u1"].Usage.TotalTokens != 150 || done["u1"].Flagged != 1 {
			t.Fatalf("units = %+v", done)
		}
		all, err := s.ListItems(ctx, content.ItemFilter{RunID: "run_1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 || all[0].ID != "ci_a" || all[0].SMS == nil || all[0].SMS.Segments != 1 || all[0].Copy.Text == "" || len(all[0].Slots) != 1 ||
			!all[0].AIGenerated || all[1].AIGenerated {
			t.Fatalf("items = %+v", all)
		}
		flagged, err := s.ListItems(ctx, content.ItemFilter{Status: content.StatusFlagged})
		if err != nil {
			t.Fatal(err)
		}
		if len(flagged) != 1 || flagged[0].Violations[0].Rule != "grounding" || flagged[0].Rounds != 2 {
			t.Fatalf("flagged = %+v", flagged)
		}
		trail, err := s.AuditTrail(ctx, "ci_b")
		if err != nil {
			t.Fatal(err)
		}
		if len(trail) != 1 || trail[0].Action != "flagged" || trail[0].To != content.StatusFlagged || trail[0].Note != "text: invented" {
			t.Fatalf("trail = %+v", trail)
		}

		it := flagged[0]
		it.Status, it.UpdatedAt = content.StatusApproved, at.Add(time.Hour)
		if err := s.UpdateItem(ctx, it, content.Audit{ItemID: it.ID, At: it.UpdatedAt, Actor: "ana", Action: "approved", From: content.StatusFlagged, To: content.StatusApproved, Note: "ok by legal"}); err != nil {
			t.Fatal(err)
		}
		// a second reviewer working from the stale status gets a conflict
		err = s.UpdateItem(ctx, it, content.Audit{ItemID: it.ID, At: it.UpdatedAt, Actor: "bo", Action: "rejected", From: content.StatusFlagged, To: content.StatusRejected})
		if !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("stale UpdateItem = %v, want Conflict", err)
		}
		got2, err := s.GetItem(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got2.Status != content.StatusApproved || !got2.UpdatedAt.Equal(at.Add(time.Hour)) || got2.AIGenerated {
			t.Fatalf("item = %+v", got2)
		}
		trail, _ = s.AuditTrail(ctx, it.ID)
		if len(trail) != 2 || trail[1].Actor != "ana" || trail[1].From != content.StatusFlagged || trail[1].Note != "ok by legal" {
			t.Fatalf("trail = %+v", trail)
		}
		if _, err := s.GetItem(ctx, "ci_none"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("GetItem(unknown) = %v, want NotFound", err)
		}
		runs, err := s.ListRuns(ctx)
		if err != nil || len(runs) != 1 {
			t.Fatalf("ListRuns = %v, %v", runs, err)
		}
	})
}
