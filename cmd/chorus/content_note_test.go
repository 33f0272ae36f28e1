package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/content"
)

// The CLI adds its --note flag to the studio's neutral refusal, and only
// to that refusal.
func TestReviewNoteHint(t *testing.T) {
	refusal := apperr.New(apperr.Invalid, "item ci_1 is flagged (x): approving a flagged item needs a note saying why")
	flagged := content.Item{ID: "ci_1", Status: content.StatusFlagged}
	got := noteHint(refusal, flagged, content.StatusApproved, "")
	if !apperr.Is(got, apperr.Invalid) || !strings.Contains(got.Error(), "--note") || !strings.Contains(got.Error(), "needs a note saying why") {
		t.Errorf("hinted: %v", got)
	}
	for name, tc := range map[string]struct {
		err      error
		it       content.Item
		to, note string
	}{
		"no error":         {nil, flagged, content.StatusApproved, ""},
		"a reject":         {refusal, flagged, content.StatusRejected, ""},
		"a note was given": {refusal, flagged, content.StatusApproved, "why"},
		"not flagged":      {refusal, content.Item{Status: content.StatusApproved}, content.StatusApproved, ""},
		"another kind":     {errors.New("disk"), flagged, content.StatusApproved, ""},
	} {
		if got := noteHint(tc.err, tc.it, tc.to, tc.note); got != tc.err {
			t.Errorf("%s: %v changed to %v", name, tc.err, got)
		}
	}
}
