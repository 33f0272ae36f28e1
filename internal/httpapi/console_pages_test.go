package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/event"
)

// Names that would run script if a page built HTML by hand.
const (
	evilName  = `<script>alert(1)</script>`
	evilTitle = `"><img src=x onerror=alert(1)>`
)

// shopConsole is a console over a small demo shop plus one customer and
// one product whose name and title are hostile.
func shopConsole(t testing.TB) *console {
	t.Helper()
	c := newConsole(t)
	ctx := t.Context()
	if _, err := demo.Build(ctx, c.st, demo.Options{Seed: 3, Customers: 60, End: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.st.UpsertCustomers(ctx, []customer.Customer{{ID: "EVIL1", Name: evilName, Email: "evil@example.com", City: evilTitle, Language: "en"}}); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := c.st.UpsertProducts(ctx, []catalog.Product{{SKU: "EVIL-SKU", Title: evilTitle, Category: evilName, Price: 10}}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 10, 30, 10, 0, 0, 0, time.UTC)
	if _, err := c.st.InsertEvents(ctx, []event.Event{
		{CustomerID: "EVIL1", Type: event.Purchase, SKU: "EVIL-SKU", Quantity: 1, Amount: 10, Currency: "CNY", OrderID: "O-EVIL", Campaign: evilName, OccurredAt: at},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.st.AddConsents(ctx, []customer.Consent{
		{CustomerID: "EVIL1", Channel: "email", Purpose: "marketing", Status: customer.Granted, Source: evilTitle, At: at.Add(-48 * time.Hour)},
		{CustomerID: "EVIL1", Channel: "email", Purpose: "marketing", Status: customer.Revoked, Source: "unsubscribe link", At: at.Add(-time.Hour)},
	}); err != nil {
		t.Fatal(err)
	}
	c.app.Insight.Invalidate()
	c.app.Recommend.Invalidate()
	return c
}

// inert fails when page holds a hostile string unescaped.
func inert(t testing.TB, where, page string) {
	t.Helper()
	for _, raw := range []string{evilName, evilTitle, "<img src=x", "<script>alert"} {
		if strings.Contains(page, raw) {
			t.Errorf("%s renders %q unescaped", where, raw)
		}
	}
}

func TestConsoleDashboard(t *testing.T) {
	c := shopConsole(t)
	for _, role := range []string{"analyst", "marketer", "admin"} {
		status, page, _ := c.login(role).get("/?days=30")
		if status != 200 {
			t.Fatalf("%s: dashboard %d\n%s", role, status, page)
		}
		if !strings.Contains(page, "<svg") || strings.Count(page, "<rect") < 30 {
			t.Fatalf("%s: the dashboard has no charts of 30 days:\n%s", role, page)
		}
	}
	b := c.login("analyst")
	_, page, _ := b.get("/?days=7")
	if !strings.Contains(page, "2026-10-25 to 2026-10-31") {
		t.Errorf("the window does not end on the shop's latest day (2026-10-31):\n%s", page)
	}
	if n := regexpFind(t, `<div class="value">([0-9]+)</div><div class="label">Orders</div>`, page); n == "0" {
		t.Errorf("a demo shop's last week shows no order:\n%s", page)
	}
	if status, page, _ := b.get("/?days=8"); status != http.StatusBadRequest || !strings.Contains(page, "choose 7, 30 or 90") {
		t.Fatalf("days=8: %d\n%s", status, page)
	}
}

func TestConsoleCustomers(t *testing.T) {
	c := shopConsole(t)
	b := c.login("analyst")
	status, page, hdr := b.get("/customers")
	if status != 200 {
		t.Fatalf("customers: %d\n%s", status, page)
	}
	checkSecurityHeaders(t, hdr)
	inert(t, "the customer list", page)
	if !strings.Contains(page, `href="/customers?after=`) {
		t.Fatalf("61 customers, pages of 50: no next link:\n%s", page)
	}
	next := regexpFind(t, `href="(/customers\?after=[^"]+)"`, page)
	status, page2, _ := b.get(strings.ReplaceAll(next, "&amp;", "&"))
	if status != 200 || strings.Count(page2, `<a href="/customers/`) != 11 {
		t.Fatalf("second page: %d with %d customers, want 11\n%s", status, strings.Count(page2, `<a href="/customers/`), page2)
	}
	// Search: by the hostile name; through htmx only the rows.
	status, page, _ = b.get("/customers?q=" + urlEscape("<script>"))
	if status != 200 || !strings.Contains(page, `/customers/EVIL1`) || strings.Count(page, `<a href="/customers/`) != 1 {
		t.Fatalf("search: %d\n%s", status, page)
	}
	inert(t, "the search", page)
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the hostile name is not shown escaped")
	}
	req, _ := http.NewRequest(http.MethodGet, c.srv.URL+"/customers?q=EVIL", nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "customer-rows")
	frag := body(t, b.do(req))
	if strings.Contains(frag, "<html") || !strings.Contains(frag, "EVIL1") {
		t.Fatalf("the htmx search is not the rows alone:\n%s", frag)
	}
	if status, page, _ := b.get("/customers?q=" + strings.Repeat("长", 101)); status != http.StatusBadRequest || !strings.Contains(page, "at most 100 characters") {
		t.Fatalf("a 101-rune search: %d", status)
	}
}

func TestConsoleCustomerProfile(t *testing.T) {
	c := shopConsole(t)
	b := c.login("marketer")
	status, page, _ := b.get("/customers/EVIL1")
	if status != 200 {
		t.Fatalf("profile: %d\n%s", status, page)
	}
	inert(t, "the profile", page)
	for _, want := range []string{"Customer profile", "Consent", "revoked", "Event timeline", "EVIL-SKU", "10.00 CNY", "unsubscribe link"} {
		if !strings.Contains(page, want) {
			t.Errorf("the profile lacks %q", want)
		}
	}
	// A demo customer with history has RFM, CLV and recommendations with reasons.
	var id string
	for _, x := range must(c.st.SearchCustomers(t.Context(), customer.Search{Limit: 5})) {
		if x.ID != "EVIL1" {
			id = x.ID
			break
		}
	}
	_, page, _ = b.get("/customers/" + id)
	for _, want := range []string{"RFM segment", "Lifecycle", "Recommendations", "Why"} {
		if !strings.Contains(page, want) {
			t.Errorf("profile of %s lacks %q", id, want)
		}
	}
	if status, page, _ := b.get("/customers/NOPE"); status != http.StatusNotFound || !strings.Contains(page, "Not found") {
		t.Fatalf("unknown customer: %d\n%s", status, page)
	}
	// Chinese labels for a zh user.
	if _, page, _ := c.login("lihua").get("/customers/EVIL1"); !strings.Contains(page, "客户画像") || !strings.Contains(page, "已撤回") {
		t.Fatalf("the zh profile is not Chinese:\n%s", page)
	}
}

// TestSearchCustomerWindow: a search examines a window of customers at a
// time and says where to continue; following it finds every match once
// and ends with "".
func TestSearchCustomerWindow(t *testing.T) {
	c := shopConsole(t)
	var found []string
	after, windows := "", 0
	for {
		page, last, err := c.st.SearchCustomerWindow(t.Context(), customer.Search{After: after, Limit: 50, Query: "evil"}, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range page {
			found = append(found, x.ID)
		}
		windows++
		if last == "" {
			break
		}
		if last <= after {
			t.Fatalf("window after %q continues at %q", after, last)
		}
		after = last
	}
	if len(found) != 1 || found[0] != "EVIL1" || windows != 7 {
		t.Fatalf("found %v in %d windows of 10 over 61 customers, want [EVIL1] in 7", found, windows)
	}
	// A page that fills first continues after its last match.
	page, last, err := c.st.SearchCustomerWindow(t.Context(), customer.Search{Limit: 3}, 10)
	if err != nil || len(page) != 3 || last != page[2].ID {
		t.Fatalf("full page: %d rows, last %q (%v)", len(page), last, err)
	}
}
