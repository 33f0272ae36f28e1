package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/httpapi"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// console is a server with the console over a real SQLite store and the
// application's services.
type console struct {
	t    testing.TB
	st   *store.DB
	app  *app.App
	auth *auth.Service
	srv  *httptest.Server
}

const testPassword = "correct horse battery staple"

func newConsole(t testing.TB, mutate ...func(*config.Config)) *console {
	t.Helper()
	st := storetest.OpenSQLite(t)
	return newConsoleOn(t, st, mutate...)
}

func newConsoleOn(t testing.TB, st *store.DB, mutate ...func(*config.Config)) *console {
	t.Helper()
	ctx := t.Context()
	cfg := config.Default()
	cfg.Tracking.Secret = secret
	for _, m := range mutate {
		m(&cfg)
	}
	svc, err := tracking.FromConfig(cfg, st, tracking.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ap, err := app.New(ctx, cfg, st, app.Options{Auth: auth.Options{Argon2: auth.Argon2{Time: 1, Memory: 64, Threads: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ap.Close(context.Background()) })
	for _, r := range auth.Roles {
		if _, err := ap.Auth.CreateUser(ctx, string(r), r, testPassword, "en"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ap.Auth.CreateUser(ctx, "lihua", auth.Marketer, testPassword, "zh"); err != nil {
		t.Fatal(err)
	}
	srv, err := httpapi.New(cfg, httpapi.Deps{Tracking: svc, App: ap, Consents: st})
	if err != nil {
		t.Fatal(err)
	}
	c := &console{t: t, st: st, app: ap, auth: ap.Auth, srv: httptest.NewServer(srv.Handler())}
	t.Cleanup(c.srv.Close)
	return c
}

// browser is a client with a cookie jar that does not follow redirects.
type browser struct {
	c    *console
	http *http.Client
	csrf string
}

func (c *console) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{c: c, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var (
	hiddenCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	hxCSRF     = regexp.MustCompile(`hx-headers='\{"X-CSRF-Token":"([^"]+)"\}'`)
)

// login signs in as user (a role's name, or "lihua") through the form.
func (c *console) login(user string) *browser {
	c.t.Helper()
	b := c.browser()
	status, body, _ := b.get("/login")
	if status != 200 {
		c.t.Fatalf("GET /login: %d", status)
	}
	tok := hiddenCSRF.FindStringSubmatch(body)
	if tok == nil {
		c.t.Fatalf("login form without a CSRF field:\n%s", body)
	}
	resp := b.post("/login", url.Values{"csrf": {tok[1]}, "name": {user}, "password": {testPassword}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("login %s: %d", user, resp.StatusCode)
	}
	_, page, _ := b.get("/")
	m := hxCSRF.FindStringSubmatch(page)
	if m == nil {
		c.t.Fatalf("the dashboard of %s has no hx-headers CSRF token:\n%s", user, page)
	}
	b.csrf = m[1]
	return b
}

func (b *browser) do(req *http.Request) *http.Response {
	b.c.t.Helper()
	resp, err := b.http.Do(req)
	if err != nil {
		b.c.t.Fatal(err)
	}
	b.c.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (b *browser) get(path string) (int, string, http.Header) {
	b.c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.c.srv.URL+path, nil)
	resp := b.do(req)
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func (b *browser) post(path string, form url.Values, hdr map[string]string) *http.Response {
	b.c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.c.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	return b.do(req)
}

func body(t testing.TB, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestConsoleLoginCookieAndLogout(t *testing.T) {
	c := newConsole(t)
	b := c.browser()
	status, _, hdr := b.get("/")
	if status != http.StatusSeeOther || hdr.Get("Location") != "/login" {
		t.Fatalf("anonymous GET /: %d to %q, want 303 to the login page", status, hdr.Get("Location"))
	}
	status, page, hdr := b.get("/login")
	if status != 200 || !strings.Contains(page, `action="/login"`) {
		t.Fatalf("GET /login: %d\n%s", status, page)
	}
	checkSecurityHeaders(t, hdr)
	tok := hiddenCSRF.FindStringSubmatch(page)[1]

	// Without the form's token: refused, no session.
	resp := b.post("/login", url.Values{"name": {"admin"}, "password": {testPassword}}, nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("login without the CSRF token: %d, want 403", resp.StatusCode)
	}
	tok = hiddenCSRF.FindStringSubmatch(body(t, resp))[1]
	// A wrong password: 401 and the message, in the form.
	resp = b.post("/login", url.Values{"csrf": {tok}, "name": {"admin"}, "password": {"nope"}}, nil)
	if got := body(t, resp); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(got, "The user name or the password is wrong.") {
		t.Fatalf("wrong password: %d\n%s", resp.StatusCode, got)
	}
	_, page, _ = b.get("/login")
	tok = hiddenCSRF.FindStringSubmatch(page)[1]
	resp = b.post("/login", url.Values{"csrf": {tok}, "name": {"admin"}, "password": {testPassword}, "next": {"//evil.example/x"}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("login: %d to %q, want 303 to / (an outside next= is ignored)", resp.StatusCode, resp.Header.Get("Location"))
	}
	var sc *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == httpapi.SessionCookie {
			sc = ck
		}
	}
	if sc == nil || !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Path != "/" || sc.Secure {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/ and (plain HTTP, no cookie_secure) not Secure", sc)
	}
	sess, err := c.auth.SessionBySecret(t.Context(), sc.Value)
	if err != nil {
		t.Fatal(err)
	}
	csrf := sess.CSRF

	// Logout needs the token too.
	if resp := b.post("/logout", nil, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("logout without the token: %d, want 403", resp.StatusCode)
	}
	resp = b.post("/logout", url.Values{"csrf": {csrf}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, err := c.auth.SessionBySecret(t.Context(), sc.Value); err == nil {
		t.Fatal("the session outlived the logout")
	}
	if status, _, _ := b.get("/"); status != http.StatusSeeOther {
		t.Fatalf("after logout GET /: %d, want a redirect to sign in", status)
	}
}

func TestConsoleSecureCookieBehindTLS(t *testing.T) {
	c := newConsole(t)
	c.srv.Close()
	tls := httptest.NewTLSServer(c.srv.Config.Handler)
	t.Cleanup(tls.Close)
	c.srv = tls
	b := c.browser()
	b.http.Transport = tls.Client().Transport
	_, page, _ := b.get("/login")
	tok := hiddenCSRF.FindStringSubmatch(page)[1]
	resp := b.post("/login", url.Values{"csrf": {tok}, "name": {"admin"}, "password": {testPassword}}, nil)
	for _, ck := range resp.Cookies() {
		if ck.Name == httpapi.SessionCookie && !ck.Secure {
			t.Fatal("the session cookie over TLS is not Secure")
		}
	}
}

func checkSecurityHeaders(t testing.TB, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q: want scripts from self only, no unsafe-inline, never framed", csp)
	}
	for k, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

func TestConsoleStaticAndLanguage(t *testing.T) {
	c := newConsole(t)
	b := c.login("admin")
	if status, _, hdr := b.get("/login"); status != http.StatusSeeOther || hdr.Get("Location") != "/" {
		t.Fatalf("GET /login signed in: %d to %q, want the dashboard", status, hdr.Get("Location"))
	}
	status, page, hdr := b.get("/")
	if status != 200 {
		t.Fatalf("GET /: %d\n%s", status, page)
	}
	checkSecurityHeaders(t, hdr)
	m := regexp.MustCompile(`src="(/static/htmx\.min\.js\?v=[0-9a-f]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no hashed htmx script in the page:\n%s", page)
	}
	status, js, hdr := b.get(m[1])
	if status != 200 || !strings.Contains(hdr.Get("Cache-Control"), "max-age=31536000") || !strings.Contains(js, "htmx") {
		t.Fatalf("GET %s: %d, Cache-Control %q", m[1], status, hdr.Get("Cache-Control"))
	}
	if _, _, hdr := b.get("/static/htmx.min.js"); strings.Contains(hdr.Get("Cache-Control"), "max-age") {
		t.Fatal("an asset without its hash must not be cached for long")
	}
	if status, _, _ := b.get("/static/htmx.LICENSE"); status != 200 {
		t.Fatalf("htmx's licence: %d", status)
	}
	if !strings.Contains(page, `hx-headers='{"X-CSRF-Token":"`+b.csrf+`"}'`) {
		t.Fatalf("no hx-headers with the session's CSRF token on <body>:\n%s", page)
	}
	// The switcher: without its token refused, with it the page turns Chinese.
	if resp := b.post("/lang", url.Values{"lang": {"zh"}, "next": {"/?days=7"}}, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("switching language without the token: %d", resp.StatusCode)
	}
	resp := b.post("/lang", url.Values{"lang": {"zh"}, "next": {"/?days=7"}, "csrf": {b.csrf}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/?days=7" {
		t.Fatalf("switch: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, page, _ := b.get("/?days=7"); !strings.Contains(page, "仪表盘") || !strings.Contains(page, `lang="zh-CN"`) {
		t.Fatalf("after switching to zh the menu is not Chinese:\n%s", page)
	}
	// A user whose language is zh gets Chinese without switching.
	if _, page, _ := c.login("lihua").get("/"); !strings.Contains(page, "客户") {
		t.Fatalf("a zh user's dashboard is not Chinese:\n%s", page)
	}
}

func regexpFind(t testing.TB, pattern, s string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %s in:\n%s", pattern, s)
	}
	return m[1]
}

func urlEscape(s string) string { return url.QueryEscape(s) }
