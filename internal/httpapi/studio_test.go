package httpapi_test

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/content"
)

// studioInert fails when page holds either payload as markup.
func studioInert(t *testing.T, where, page string) {
	t.Helper()
	if strings.Contains(page, xssScript) || strings.Contains(page, `<img src=x onerror`) {
		t.Fatalf("%s renders a name or title as markup", where)
	}
}

// writeCopy writes the copy of a draft through the studio pages and
// returns the run's review queue.
func writeCopy(t *testing.T, c *studioClient, name string) string {
	t.Helper()
	code, page := c.get("/studio/campaigns/" + name + "/plan")
	if code != 200 || !strings.Contains(page, `id="cost"`) || !strings.Contains(page, "segment ✓") {
		t.Fatalf("plan: %d\n%s", code, page)
	}
	code, _ = c.post("/studio/campaigns/"+name+"/generate", c.form())
	if code != http.StatusSeeOther {
		t.Fatalf("generate: %d", code)
	}
	_, p, err := c.r.svc.PrepareContent(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	code, page = c.get("/studio/review?run=" + p.Run.ID)
	if code != 200 {
		t.Fatalf("review: %d\n%s", code, page)
	}
	return page
}

var itemForm = regexp.MustCompile(`action="/studio/items/([^/"]+)/review"`)

func TestStudioFlowThroughThePages(t *testing.T) {
	r := newStudioRig(t, false)
	r.segment("everyone")
	m := r.login("marketer")

	// the wizard: each step checks its fields and carries the earlier ones
	steps := []url.Values{
		m.form("step", "0", "go", "next", "name", "d11", "segment", "everyone"),
		m.form("step", "1", "go", "next", "name", "d11", "segment", "everyone", "channels", "email", "mode", "best", "variants", "2"),
		m.form("step", "2", "go", "next", "name", "d11", "segment", "everyone", "channels", "email", "mode", "best", "variants", "2",
			"goal", "双11唤醒老客", "offer", "全场8折", "sender", "【Lumen】", "language", "zh", "approval", "manual"),
		m.form("step", "3", "go", "next", "name", "d11", "segment", "everyone", "channels", "email", "mode", "best", "variants", "2",
			"goal", "双11唤醒老客", "offer", "全场8折", "sender", "【Lumen】", "language", "zh", "approval", "manual", "start", "now", "holdout", "10"),
	}
	for i, f := range steps {
		code, page := m.post("/campaigns/new", f)
		if code != 200 || !strings.Contains(page, `name="step" value="`+string(rune('1'+i))+`"`) {
			t.Fatalf("wizard step %d: %d\n%s", i, code, page)
		}
	}
	bad := maps.Clone(steps[3])
	bad.Set("holdout", "70")
	if code, page := m.post("/campaigns/new", bad); code != http.StatusUnprocessableEntity || !strings.Contains(page, "holdout 70%") {
		t.Fatalf("a bad holdout: %d\n%s", code, page)
	}
	create := maps.Clone(steps[3])
	create.Set("step", "4")
	create.Set("go", "create")
	if code, page := m.post("/campaigns/new", create); code != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", code, page)
	}
	c, err := r.svc.Get(context.Background(), "d11")
	if err != nil || c.State != campaign.Draft || c.Holdout != 0.1 || len(c.Variants) != 2 || c.Approval != campaign.ApprovalManual {
		t.Fatalf("created %+v, %v", c, err)
	}
	if code, page := m.get("/campaigns/d11"); code != 200 || !strings.Contains(page, `id="launch"`) || !strings.Contains(page, `id="campaign-plan"`) {
		t.Fatalf("draft page: %d\n%s", code, page)
	}

	page := writeCopy(t, m, "d11")
	studioInert(t, "the review queue", page)
	ids := itemForm.FindAllStringSubmatch(page, -1)
	if len(ids) < 2 || !strings.Contains(page, `<iframe sandbox="" src="/studio/items/`) {
		t.Fatalf("review queue of two variants with email previews:\n%s", page)
	}
	for _, id := range ids {
		if code, _ := m.post("/studio/items/"+id[1]+"/review", m.form("decision", "approve", "note", "checked by hand")); code != http.StatusSeeOther {
			t.Fatalf("approve %s: %d", id[1], code)
		}
	}
	code, page := m.get("/studio/review?status=approved")
	if code != 200 || !strings.Contains(page, "status-approved") {
		t.Fatalf("approved items: %d", code)
	}
	studioInert(t, "the approved items", page)

	// the preview route: a sandboxed document only we may frame
	resp, err := m.http.Get(r.url + "/studio/items/" + ids[0][1] + "/email")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); resp.StatusCode != 200 || !strings.Contains(csp, "sandbox") ||
		!strings.Contains(csp, "frame-ancestors 'self'") || strings.Contains(csp, "script-src") || resp.Header.Get("X-Frame-Options") != "" {
		t.Fatalf("email preview: %d, CSP %q, XFO %q", resp.StatusCode, csp, resp.Header.Get("X-Frame-Options"))
	}

	if code, _ := m.post("/campaigns/d11/launch", m.form()); code != http.StatusSeeOther {
		t.Fatalf("launch: %d", code)
	}
	st, err := r.svc.Status(context.Background(), "d11")
	if err != nil || st.State != campaign.Running || st.Counts[campaign.SendPending] == 0 || st.Counts[campaign.SendHoldout] == 0 {
		t.Fatalf("launched: %+v, %v", st, err)
	}
	code, page = m.get("/campaigns/d11/progress")
	if code != 200 || !strings.Contains(page, `hx-trigger="every 2s"`) || strings.Contains(page, "<html") || !strings.Contains(page, `id="pause"`) {
		t.Fatalf("progress fragment: %d\n%s", code, page)
	}
	if code, _ := m.post("/campaigns/d11/pause", m.form()); code != http.StatusSeeOther {
		t.Fatalf("pause: %d", code)
	}
	if code, page = m.get("/campaigns/d11/progress"); !strings.Contains(page, `id="resume"`) || strings.Contains(page, "hx-trigger") {
		t.Fatalf("paused progress: %d\n%s", code, page)
	}
	if code, _ := m.post("/campaigns/d11/resume", m.form()); code != http.StatusSeeOther {
		t.Fatalf("resume: %d", code)
	}
	if code, page = m.get("/reports/d11"); code != 200 || !strings.Contains(page, `<svg`) || !strings.Contains(page, `id="lift"`) {
		t.Fatalf("report: %d\n%s", code, page)
	}
	entries, err := r.app.Auth.Audit(context.Background(), auth.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, e := range entries {
		if e.Actor == "user:marketer" {
			seen[e.Action]++
		}
	}
	for _, a := range []string{"campaign.create", "content.generate", "content.approve", "campaign.launch", "campaign.pause", "campaign.resume"} {
		if seen[a] == 0 {
			t.Errorf("no audit entry %s by the marketer (have %v)", a, seen)
		}
	}
}

func TestStudioRolesAndCSRF(t *testing.T) {
	r := newStudioRig(t, false)
	r.segment("everyone")
	r.draft("d11", "everyone", campaign.ApprovalManual)
	m := r.login("marketer")
	page := writeCopy(t, m, "d11")
	item := itemForm.FindStringSubmatch(page)[1]

	// every page reads for every role; the wizard is the marketer's
	for _, role := range auth.Roles {
		c := r.login(string(role))
		for _, p := range []string{"/studio", "/studio/review", "/studio/campaigns/d11/plan", "/campaigns", "/campaigns/d11", "/reports"} {
			if code, page := c.get(p); code != 200 {
				t.Errorf("%s GET %s: %d", role, p, code)
			} else {
				studioInert(t, p, page)
			}
		}
		want := http.StatusForbidden
		if role == auth.Marketer || role == auth.Admin {
			want = http.StatusOK
		}
		if code, _ := c.get("/campaigns/new"); code != want {
			t.Errorf("%s GET /campaigns/new: %d, want %d", role, code, want)
		}
	}

	writes := []struct {
		path string
		form []string
	}{
		{"/studio/campaigns/d11/generate", nil},
		{"/studio/items/" + item + "/review", []string{"decision", "approve"}},
		{"/studio/items/" + item + "/edit", []string{"field", "subject", "value", "双11 全场8折"}},
		{"/campaigns/new", []string{"step", "0", "go", "next", "name", "x", "segment", "everyone"}},
		{"/campaigns/d11/launch", nil},
		{"/campaigns/d11/pause", nil},
	}
	an := r.login("analyst")
	for _, w := range writes {
		if code, _ := an.post(w.path, an.form(w.form...)); code != http.StatusForbidden {
			t.Errorf("analyst POST %s: %d, want 403", w.path, code)
		}
	}
	rv := r.login("reviewer")
	if code, _ := rv.post("/campaigns/d11/launch", rv.form()); code != http.StatusForbidden {
		t.Errorf("reviewer launch: %d, want 403", code)
	}
	if code, _ := rv.post("/studio/campaigns/d11/generate", rv.form()); code != http.StatusForbidden {
		t.Errorf("reviewer generate: %d, want 403", code)
	}
	// a POST without the token, or with another session's, changes nothing
	if code, _ := m.post("/campaigns/d11/launch", url.Values{}); code != http.StatusForbidden {
		t.Errorf("launch without the CSRF token: %d, want 403", code)
	}
	if code, _ := m.post("/studio/items/"+item+"/review", rv.form("decision", "approve")); code != http.StatusForbidden {
		t.Errorf("approve with another session's token: %d, want 403", code)
	}
	if c, _ := r.svc.Get(context.Background(), "d11"); c.State != campaign.Draft {
		t.Fatalf("campaign is %s after refused launches", c.State)
	}
	if it, _ := r.app.Store.GetItem(context.Background(), item); it.Status == content.StatusApproved {
		t.Fatal("item approved by a refused request")
	}
	// the reviewer approves, and the trail and the audit log say who
	if code, _ := rv.post("/studio/items/"+item+"/review", rv.form("decision", "approve", "note", "ok")); code != http.StatusSeeOther {
		t.Fatalf("reviewer approve: %d", code)
	}
	trail, err := r.app.Store.AuditTrail(context.Background(), item)
	if err != nil || trail[len(trail)-1].Actor != "user:reviewer" || trail[len(trail)-1].Action != "approved" {
		t.Fatalf("trail %+v, %v", trail, err)
	}
	entries, _ := r.app.Auth.Audit(context.Background(), auth.AuditFilter{})
	found := false
	for _, e := range entries {
		found = found || (e.Actor == "user:reviewer" && e.Action == "content.approve" && e.Target == "item "+item)
	}
	if !found {
		t.Fatalf("no audit entry of the reviewer's approval in %+v", entries)
	}
}

// TestStudioPreviews writes copy for SMS, push and a Xiaohongshu note
// through the app's studio (the CLI's generate) and checks that the review
// queue shows each in its own form.
func TestStudioPreviews(t *testing.T) {
	r := newStudioRig(t, false)
	r.segment("everyone")
	ctx := context.Background()
	d, err := r.app.Studio(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := content.ParseBrief("brief.yaml", []byte("name: previews\ngoal: 双11唤醒老客\nlanguage: zh\noffer:\n  text: 全场8折\n  discount: 8折\nsender: 【Lumen】\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := d.Prepare(ctx, content.CampaignRequest{Brief: b, Segment: "everyone", Channels: []string{"sms", "push", "xiaohongshu"}, Depth: "segment", Variants: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Execute(ctx, p); err != nil {
		t.Fatal(err)
	}
	c := r.login("reviewer")
	code, page := c.get("/studio/review?run=" + p.Run.ID)
	if code != 200 {
		t.Fatalf("review: %d", code)
	}
	studioInert(t, "the review queue", page)
	for _, want := range []string{`class="preview preview-sms"`, `class="signature">【Lumen】</strong>`, `class="muted sms-count">UCS-2`,
		`class="preview preview-push"`, `class="lock-screen"`, `class="preview preview-note"`, `class="note-card"`} {
		if !strings.Contains(page, want) {
			t.Errorf("review queue lacks %s", want)
		}
	}
	if t.Failed() {
		t.Logf("page:\n%s", page)
	}
}
