package httpapi_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/support"
)

// supportConsole is a console with one conversation handed off: an
// answer with a citation, then a hostile message asking for a person.
func supportConsole(t *testing.T) (*console, support.Reply) {
	t.Helper()
	c := newConsole(t)
	ctx := t.Context()
	if _, err := support.ImportFS(ctx, c.st, demo.KnowledgeBase()); err != nil {
		t.Fatal(err)
	}
	ix, err := support.NewIndex()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	as := support.New(c.st, ix, support.Options{})
	first, err := as.Answer(ctx, support.Request{Text: "七天无理由退货怎么申请？", Channel: "widget"}, nil)
	if err != nil || len(first.Citations) == 0 {
		t.Fatalf("a cited answer: %+v %v", first, err)
	}
	h, err := as.Answer(ctx, support.Request{Text: evilName + evilTitle + " 转人工", Channel: "widget", ConversationID: first.ConversationID}, nil)
	if err != nil || !h.Handoff || h.HandoffID == 0 {
		t.Fatalf("a hand-off: %+v %v", h, err)
	}
	return c, h
}

func TestConsoleSupportInbox(t *testing.T) {
	c, h := supportConsole(t)
	page := fmt.Sprintf("/support/handoffs/%d", h.HandoffID)

	// Everyone signed in reads the queue and the conversation, with its
	// citations; hostile text is inert.
	a := c.login("analyst")
	status, list, _ := a.get("/support")
	if status != 200 || !strings.Contains(list, page) || !strings.Contains(list, "asked for a person") {
		t.Fatalf("the inbox: %d\n%s", status, list)
	}
	inert(t, "the inbox", list)
	status, conv, _ := a.get(page)
	if status != 200 || !strings.Contains(conv, "policy:returns-7day") || !strings.Contains(conv, "&lt;script&gt;") {
		t.Fatalf("the conversation: %d\n%s", status, conv)
	}
	inert(t, "the conversation", conv)
	if strings.Contains(conv, "/take") || strings.Contains(conv, `name="text"`) {
		t.Error("an analyst is offered the forms to take and reply")
	}
	// An analyst and a reviewer may not answer.
	for _, role := range []string{"analyst", "reviewer"} {
		b := a
		if role == "reviewer" {
			b = c.login("reviewer")
		}
		if resp := b.post(page+"/take", url.Values{"csrf": {b.csrf}}, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("%s takes: %d", role, resp.StatusCode)
		}
		if resp := b.post(page+"/reply", url.Values{"csrf": {b.csrf}, "text": {"hi"}}, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("%s replies: %d", role, resp.StatusCode)
		}
	}

	// A marketer: without the CSRF token nothing happens.
	m := c.login("marketer")
	if resp := m.post(page+"/take", url.Values{}, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("take without the token: %d", resp.StatusCode)
	}
	if got, _ := c.app.Inbox.Get(t.Context(), h.HandoffID); got.Status != support.HandoffQueued {
		t.Fatalf("a POST without the token changed the hand-off: %+v", got)
	}
	_, conv, _ = m.get(page)
	if !strings.Contains(conv, page+"/take") || !strings.Contains(conv, `name="csrf"`) {
		t.Fatalf("a marketer is not offered the take form with its token:\n%s", conv)
	}
	resp := m.post(page+"/take", url.Values{"csrf": {m.csrf}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page+"?done=taken" {
		t.Fatalf("take: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// the reply is stored redacted, in the customer's conversation
	resp = m.post(page+"/reply", url.Values{"csrf": {m.csrf}, "text": {"您好，请发邮件到 li.na@example.cn 或拨打 13800138000"}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reply: %d %s", resp.StatusCode, body(t, resp))
	}
	th, err := c.app.Inbox.Thread(t.Context(), h.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	last := th.Messages[len(th.Messages)-1]
	if last.Role != support.RoleAgent || last.Author != "marketer" || strings.Contains(last.Text, "li.na@example.cn") || strings.Contains(last.Text, "13800138000") {
		t.Fatalf("the stored reply: %+v", last)
	}
	// an empty reply is a clear error, not a Go identifier
	resp = m.post(page+"/reply", url.Values{"csrf": {m.csrf}, "text": {"   "}}, nil)
	if got := body(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(got, "the reply is empty") || strings.Contains(got, "apperr") {
		t.Fatalf("an empty reply: %d\n%s", resp.StatusCode, got)
	}
	// another marketer cannot take over or resolve it
	l := c.login("lihua")
	if resp := l.post(page+"/resolve", url.Values{"csrf": {l.csrf}}, nil); resp.StatusCode != http.StatusConflict {
		t.Fatalf("another person resolves: %d", resp.StatusCode)
	}
	_, conv, _ = l.get(page)
	if !strings.Contains(conv, "由 marketer 处理") || strings.Contains(conv, `name="text"`) {
		t.Fatalf("the zh page for another person: taken-by notice, no reply form:\n%s", conv)
	}
	resp = m.post(page+"/resolve", url.Values{"csrf": {m.csrf}, "resolution": {"answered"}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("resolve: %d", resp.StatusCode)
	}
	_, conv, _ = m.get(page + "?done=resolved")
	if !strings.Contains(conv, "Resolved; the assistant answers") || strings.Contains(conv, page+"/reply") {
		t.Fatalf("after resolving:\n%s", conv)
	}
	_, list, _ = m.get("/support")
	if strings.Contains(list, page) {
		t.Fatal("a resolved hand-off is still in the open list")
	}
	_, list, _ = m.get("/support?status=closed")
	if !strings.Contains(list, page) {
		t.Fatal("the resolved hand-off is not in the closed list")
	}
	// bad input
	if status, _, _ := m.get("/support?status=lost"); status != http.StatusBadRequest {
		t.Fatalf("an unknown status: %d", status)
	}
	if status, _, _ := m.get("/support/handoffs/abc"); status != http.StatusNotFound {
		t.Fatalf("a bad id: %d", status)
	}
	if status, _, _ := m.get("/support/handoffs/9999"); status != http.StatusNotFound {
		t.Fatalf("an unknown id: %d", status)
	}
}

// Signed out, the inbox sends the browser to the login page.
func TestConsoleSupportNeedsSignIn(t *testing.T) {
	c := newConsole(t)
	status, _, hdr := c.browser().get("/support")
	if status != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/login") {
		t.Fatalf("signed out: %d %s", status, hdr.Get("Location"))
	}
}
