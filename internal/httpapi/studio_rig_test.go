package httpapi_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/campaign/worker"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/delivery/deliverytest"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/httpapi"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// The payloads names and titles hold in the studio's tests: rendered
// anywhere, they must stay text.
const (
	xssScript = `<script>alert("x")</script>`
	xssImg    = `"><img src=x onerror=alert(1)>`
)

// studioRig is the whole server as chorus serve wires it (the app's
// services, the auth service, the campaign service with its queue
// workers, tracking) over a demo shop in a real SQLite file, with email
// to Mailpit when mail is set. Every role has a user named after it.
type studioRig struct {
	t    testing.TB
	url  string
	st   store.Store
	app  *app.App
	svc  *campaign.Service
	mp   *deliverytest.Mailpit
	ids  map[string]int64 // user ids by name
	http *httptest.Server
}

const studioPassword = "correct horse battery staple"

func newStudioRig(t testing.TB, mail bool) *studioRig {
	t.Helper()
	ctx := context.Background()
	r := &studioRig{t: t, ids: map[string]int64{}}
	if mail {
		r.mp = deliverytest.StartMailpit(t, deliverytest.MailpitOptions{})
	}
	st, dsn := storetest.OpenWithDSN(t, "sqlite")
	if _, err := demo.Build(ctx, st, demo.Options{Customers: 120}); err != nil {
		t.Fatal(err)
	}
	poison(t, st)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.url = "http://" + ln.Addr().String()
	cfg := config.Default()
	cfg.DB = dsn
	cfg.Tracking.Secret = secret
	cfg.Tracking.BaseURL = r.url
	cfg.Server.CookieSecure = true
	cfg.Queue.PollInterval = config.Duration(100 * time.Millisecond)
	if r.mp != nil {
		cfg.Delivery.Email.SMTP = "smtp://" + r.mp.SMTPAddr + "?tls=none"
		cfg.Delivery.Email.From = "Lumen & Co <news@lumen.example>"
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	r.app, err = app.New(ctx, cfg, st, app.Options{Auth: auth.Options{Argon2: auth.Argon2{Time: 1, Memory: 64, Threads: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.app.Close(context.Background()) })
	r.st = st
	for _, role := range auth.Roles {
		u, err := r.app.Auth.CreateUser(ctx, string(role), role, studioPassword, "en")
		if err != nil {
			t.Fatal(err)
		}
		r.ids[u.Name] = u.ID
	}
	tr, err := tracking.FromConfig(cfg, st, tracking.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := worker.New(ctx, cfg, st, worker.Options{InsertOnly: !mail, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	w.Service.Studio, w.Service.Audience = r.app.CampaignStudio(), r.app.Segments
	r.svc = w.Service
	if mail {
		if err := w.Start(ctx); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { _ = w.Stop() })
	srv, err := httpapi.New(cfg, httpapi.Deps{Tracking: tr, App: r.app, Consents: st, Sessions: r.app.Auth,
		Campaigns: w.Service, Reports: st})
	if err != nil {
		t.Fatal(err)
	}
	r.http = &httptest.Server{Listener: ln, Config: &http.Server{Handler: srv.Handler()}}
	r.http.Start()
	t.Cleanup(r.http.Close)
	return r
}

// poison gives the first customer and the first product names holding
// markup, so that every page that shows them proves it escapes them.
func poison(t testing.TB, st store.Store) {
	t.Helper()
	ctx := context.Background()
	ps, err := st.ListProducts(ctx)
	if err != nil || len(ps) == 0 {
		t.Fatalf("demo products: %v", err)
	}
	var changed []catalog.Product
	for i := range ps {
		ps[i].Title = ps[i].Title + " " + xssScript + xssImg
		changed = append(changed, ps[i])
	}
	if _, _, _, err := st.UpsertProducts(ctx, changed); err != nil {
		t.Fatal(err)
	}
	var first *customer.Customer
	err = st.ListCustomers(ctx, func(c customer.Customer) error {
		if first == nil {
			first = &c
		}
		return nil
	})
	if err != nil || first == nil {
		t.Fatalf("demo customers: %v", err)
	}
	first.Name = xssScript + xssImg
	if _, err := st.UpsertCustomers(ctx, []customer.Customer{*first}); err != nil {
		t.Fatal(err)
	}
}

// segment saves a segment of every customer through the segment engine.
func (r *studioRig) segment(name string) {
	r.t.Helper()
	if _, _, err := r.app.Segments.Create(context.Background(), name, "true", "", 0); err != nil {
		r.t.Fatal(err)
	}
}

// draft creates a draft campaign to segment through the campaign service.
func (r *studioRig) draft(name, segment, approval string) campaign.Campaign {
	r.t.Helper()
	c, err := r.svc.Create(context.Background(), campaign.Campaign{Name: name, Segment: segment, Channels: []string{"email"},
		Mode: campaign.ModeBest, Approval: approval, Depth: "segment", Variants: campaign.EvenVariants(2), Holdout: 0.1,
		Schedule: campaign.Schedule{Kind: campaign.StartNow}, BriefFile: "brief.yaml",
		Brief: "name: " + name + "\ngoal: 双11唤醒老客\nlanguage: zh\noffer:\n  text: 全场8折\n  text_en: 20% off everything\n  discount: 8折\nlanding_url: https://shop.example.com/d11\nsender: 【Lumen】\n"})
	if err != nil {
		r.t.Fatal(err)
	}
	return c
}

// studioClient is a signed-in HTTP client that follows no redirect.
type studioClient struct {
	r    *studioRig
	http *http.Client
	csrf string
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (r *studioRig) login(user string) *studioClient {
	r.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &studioClient{r: r, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	_, page := c.get("/login")
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		r.t.Fatalf("login page without a CSRF field")
	}
	if code, _ := c.post("/login", url.Values{"csrf": {m[1]}, "name": {user}, "password": {studioPassword}}); code != http.StatusSeeOther {
		r.t.Fatalf("login %s: %d", user, code)
	}
	_, page = c.get("/studio")
	m = csrfField.FindStringSubmatch(page)
	if m == nil {
		r.t.Fatalf("studio page without a CSRF field:\n%s", page)
	}
	c.csrf = m[1]
	return c
}

func (c *studioClient) get(path string) (int, string) {
	c.r.t.Helper()
	resp, err := c.http.Get(c.r.url + path)
	if err != nil {
		c.r.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// post sends form; a form without "csrf" is sent without a token.
func (c *studioClient) post(path string, form url.Values) (int, string) {
	c.r.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.r.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.http.Do(req)
	if err != nil {
		c.r.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// form is vals with the session's CSRF token.
func (c *studioClient) form(vals ...string) url.Values {
	f := url.Values{"csrf": {c.csrf}}
	for i := 0; i+1 < len(vals); i += 2 {
		f.Add(vals[i], vals[i+1])
	}
	return f
}
