package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestConsoleSegments(t *testing.T) {
	c := shopConsole(t)
	m := c.login("marketer")
	status, page, _ := m.get("/segments")
	if status != 200 || !strings.Contains(page, "rfm.segment") || !strings.Contains(page, `hx-post="/segments/preview"`) {
		t.Fatalf("segments: %d\n%s", status, page)
	}
	// The live count through htmx: the fragment alone, with the count.
	resp := m.post("/segments/preview", url.Values{"expression": {`orders >= 1`}}, map[string]string{"X-CSRF-Token": m.csrf, "HX-Request": "true"})
	frag := body(t, resp)
	if resp.StatusCode != 200 || strings.Contains(frag, "<html") || !strings.Contains(frag, "match, of 61 customers") {
		t.Fatalf("preview: %d\n%s", resp.StatusCode, frag)
	}
	// A misspelt field: the caret, the suggestion and the field list.
	resp = m.post("/segments/preview", url.Values{"expression": {`rfm.segmnt == "champions"`}}, map[string]string{"X-CSRF-Token": m.csrf, "HX-Request": "true"})
	frag = body(t, resp)
	if resp.StatusCode != 200 || !strings.Contains(frag, `<pre class="caret">`) || !strings.Contains(frag, "^") || !strings.Contains(frag, "Known fields:") || !strings.Contains(frag, "rfm.segment") {
		t.Fatalf("a bad expression: %d\n%s", resp.StatusCode, frag)
	}
	// Without the CSRF token: 403.
	if resp := m.post("/segments/preview", url.Values{"expression": {`orders >= 1`}}, map[string]string{"HX-Request": "true"}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("preview without the token: %d", resp.StatusCode)
	}
	// Create; then the page shows the expression and its members.
	resp = m.post("/segments", url.Values{"csrf": {m.csrf}, "name": {"buyers"}, "expression": {`orders >= 1`}, "description": {evilTitle}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/segments/buyers" {
		t.Fatalf("create: %d %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body(t, resp))
	}
	status, page, _ = m.get("/segments/buyers")
	if status != 200 || !strings.Contains(page, "orders &gt;= 1") || !strings.Contains(page, `href="/customers/`) {
		t.Fatalf("segment page: %d\n%s", status, page)
	}
	inert(t, "the segment page", page)
	// A bad expression on save: 400 and the editor with the caret.
	resp = m.post("/segments", url.Values{"csrf": {m.csrf}, "name": {"bad"}, "expression": {`orders >=`}}, nil)
	if got := body(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(got, `<pre class="caret">`) {
		t.Fatalf("save a bad expression: %d\n%s", resp.StatusCode, got)
	}
	// The same name twice: a conflict.
	resp = m.post("/segments", url.Values{"csrf": {m.csrf}, "name": {"buyers"}, "expression": {`orders >= 2`}}, nil)
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("a name in use: %d", resp.StatusCode)
	}
	// Replace from its page.
	resp = m.post("/segments/buyers", url.Values{"csrf": {m.csrf}, "expression": {`orders >= 2`}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("replace: %d\n%s", resp.StatusCode, body(t, resp))
	}
	// An analyst sees segments and previews but cannot save; a reviewer neither.
	for _, role := range []string{"analyst", "reviewer"} {
		b := c.login(role)
		if status, _, _ := b.get("/segments/buyers"); status != 200 {
			t.Fatalf("%s reads a segment: %d", role, status)
		}
		resp := b.post("/segments", url.Values{"csrf": {b.csrf}, "name": {"x"}, "expression": {`orders >= 1`}}, nil)
		if got := body(t, resp); resp.StatusCode != http.StatusForbidden || !strings.Contains(got, "may not do this") {
			t.Fatalf("%s creates a segment: %d\n%s", role, resp.StatusCode, got)
		}
	}
}
