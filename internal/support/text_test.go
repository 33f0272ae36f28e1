package support

import (
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

func TestParseFeedbackAndPeriod(t *testing.T) {
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	f, err := ParseFeedback("#12", "👍", 5, "ok", at)
	if err != nil || f.MessageID != 12 || f.Thumb != 1 || f.CSAT != 5 || !f.At.Equal(at) {
		t.Fatalf("ParseFeedback = %+v, %v", f, err)
	}
	if f, _ := ParseFeedback("3", "down", 0, "", at); f.Thumb != -1 {
		t.Errorf("down: thumb %d", f.Thumb)
	}
	for _, bad := range [][2]string{{"x", "up"}, {"3", "sideways"}, {"3", ""}} {
		if _, err := ParseFeedback(bad[0], bad[1], 0, "", at); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("ParseFeedback(%q, %q): %v, want Invalid", bad[0], bad[1], err)
		}
	}
	s, u, err := ParsePeriod("", "2026-11-01", 30, at.Add(time.Hour))
	if err != nil || !u.Equal(at) || !s.Equal(at.AddDate(0, 0, -30)) {
		t.Errorf("ParsePeriod = %v – %v, %v", s, u, err)
	}
	if _, _, err := ParsePeriod("01/10/2026", "", 30, at); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("bad --since: %v", err)
	}
	if id, err := ParseHandoffID("#7"); err != nil || id != 7 {
		t.Errorf("ParseHandoffID = %d, %v", id, err)
	}
	if _, err := ParseHandoffID("0"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("ParseHandoffID(0): %v", err)
	}
}

func TestReplyText(t *testing.T) {
	r := Reply{Answer: "可以退货。", Citations: []Citation{{Kind: "policy", ID: "returns-7day"}}, Intent: "policy", Model: "offline",
		LatencyMS: 1.5, Handoff: true, HandoffID: 3, HandoffReason: "asked", MessageID: 9}
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := "可以退货。\n  — intent policy · offline · 1.5 ms · sources [policy:returns-7day] · handed off (#3, asked) · message #9\n"
	if b.String() != want {
		t.Errorf("text = %q, want %q", b.String(), want)
	}
	if s := r.Summary(); s.Answer != r.Answer || s.MessageID != 9 || len(s.Citations) != 1 {
		t.Errorf("Summary = %+v", s)
	}
}
