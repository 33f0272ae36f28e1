package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/compliance/policy"
)

func TestConsoleCompliance(t *testing.T) {
	c := shopConsole(t)
	ctx := t.Context()
	at := time.Date(2026, 10, 30, 9, 0, 0, 0, time.UTC)
	for i, sk := range []policy.Skip{
		{Campaign: "double11", CustomerID: "EVIL1", Channel: "email", Purpose: "marketing", Code: "suppressed", Reason: evilName},
		{Campaign: "double11", CustomerID: "C1", Channel: "sms", Purpose: "marketing", Code: "quiet_hours", Reason: "quiet hours 21:00-08:00", NextAt: at.Add(10 * time.Hour)},
		{Campaign: "double11", CustomerID: "C2", Channel: "sms", Purpose: "marketing", Code: "quiet_hours", Reason: "quiet hours 21:00-08:00"},
	} {
		sk.PlannedAt, sk.DecidedAt = at, at.Add(time.Duration(i)*time.Second)
		if err := c.st.RecordSkip(ctx, sk); err != nil {
			t.Fatal(err)
		}
	}
	a := c.login("analyst")
	status, page, _ := a.get("/compliance?campaign=double11")
	if status != 200 || !strings.Contains(page, "3 skipped:") || !strings.Contains(page, "quiet_hours: 2") || !strings.Contains(page, "suppressed: 1") {
		t.Fatalf("skips by reason: %d\n%s", status, page)
	}
	inert(t, "the skips", page)
	if strings.Contains(page, `action="/compliance/suppressions"`) {
		t.Error("an analyst is offered the form to suppress")
	}
	// Check a text: the prohibited terms are marked inside it, and the
	// hostile text around them is escaped.
	text := evilName + " 全网最低价，国家级品质！"
	resp := a.post("/compliance/check", url.Values{"csrf": {a.csrf}, "text": {text}, "lang": {"zh"}}, nil)
	got := body(t, resp)
	if resp.StatusCode != 200 || !strings.Contains(got, `<mark class="finding`) || !strings.Contains(got, "国家级") || !strings.Contains(got, "Block") {
		t.Fatalf("check: %d\n%s", resp.StatusCode, got)
	}
	inert(t, "the checked text", got)
	// htmx: the result alone.
	resp = a.post("/compliance/check", url.Values{"text": {"Great value"}, "lang": {"en"}}, map[string]string{"X-CSRF-Token": a.csrf, "HX-Request": "true"})
	if got := body(t, resp); resp.StatusCode != 200 || strings.Contains(got, "<html") || !strings.Contains(got, "Pass") {
		t.Fatalf("htmx check: %d\n%s", resp.StatusCode, got)
	}
	if resp := a.post("/compliance/check", url.Values{"text": {strings.Repeat("好", 10001)}, "csrf": {a.csrf}}, nil); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a text of 10,001 characters: %d", resp.StatusCode)
	}
	// An analyst cannot suppress; a marketer can.
	if resp := a.post("/compliance/suppressions", url.Values{"csrf": {a.csrf}, "values": {"x@example.com"}}, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("analyst suppresses: %d", resp.StatusCode)
	}
	m := c.login("marketer")
	if resp := m.post("/compliance/suppressions", url.Values{"values": {"x@example.com"}}, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("suppress without the token: %d", resp.StatusCode)
	}
	resp = m.post("/compliance/suppressions", url.Values{"csrf": {m.csrf}, "values": {"li.na@example.cn\n+86 138 0013 8000\n"}, "reason": {"unsubscribe"}, "marketing_only": {"1"}, "note": {evilTitle}}, nil)
	got = body(t, resp)
	if resp.StatusCode != 200 || !strings.Contains(got, "2 new of 2 suppressed.") || !strings.Contains(got, "li.na@example.cn") {
		t.Fatalf("suppress: %d\n%s", resp.StatusCode, got)
	}
	inert(t, "the suppression list", got)
	resp = m.post("/compliance/suppressions", url.Values{"csrf": {m.csrf}, "values": {"x@example.com"}, "reason": {"whim"}}, nil)
	if got := body(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(got, "use one of") {
		t.Fatalf("a bad reason: %d\n%s", resp.StatusCode, got)
	}
}
