package content_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/content"
)

// Approving a flagged item without a note is refused with a message fit
// for the console and the API as well as the CLI: it names no flag. With
// a note it is approved.
func TestReviewFlaggedNeedsNote(t *testing.T) {
	ctx := context.Background()
	d := deps(t, nil, nil)
	now := time.Now().UTC()
	run := content.Run{ID: "run_review", Name: "r", Segment: "vip", Channels: []string{content.SMS}, Depth: content.DepthSegment,
		Variants: 1, Status: "done", CreatedAt: now, UpdatedAt: now}
	if err := d.Store.SaveRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	it := content.Item{ID: "ci_flagged", RunID: run.ID, UnitKey: "s|vip|zh|sms", Channel: content.SMS, Language: content.Zh,
		Status: content.StatusFlagged, Violations: []content.Violation{{Rule: "compliance", Message: "最 is an absolute claim"}},
		Copy: content.Copy{Text: "【Lumen】最好的T恤"}, CreatedAt: now, UpdatedAt: now}
	if err := d.Store.SaveUnit(ctx, content.Unit{RunID: run.ID, Key: it.UnitKey, Flagged: 1, At: now}, []content.Item{it}); err != nil {
		t.Fatal(err)
	}
	got, err := d.Review(ctx, it.ID, content.StatusApproved, "ana", "  ")
	if !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("approve without a note: %v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "approving a flagged item needs a note saying why") || strings.Contains(msg, "--") {
		t.Errorf("message %q: want the neutral wording, with no CLI flag", msg)
	}
	if got.Status != content.StatusFlagged {
		t.Errorf("refused item returned as %s, want the stored flagged item", got.Status)
	}
	if got, err = d.Review(ctx, it.ID, content.StatusApproved, "ana", "the claim is the brand's registered name"); err != nil || got.Status != content.StatusApproved {
		t.Fatalf("approve with a note: %v %s", err, got.Status)
	}
}
