package httpapi_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/httpapi"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
	"github.com/chorusmkt/chorus/internal/tracking"
	"github.com/chorusmkt/chorus/internal/tracking/token"
)

const (
	secret     = "test-secret-of-at-least-32-characters!!"
	smsSecret  = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	mailSecret = "whsec_dGhpcyBpcyB0aGUgZW1haWwgaG9vayBrZXk="
	client     = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"
)

// countingStore counts the reads and writes the tracking service makes,
// to show that a bad token costs no database access.
type countingStore struct {
	store.Store
	calls atomic.Int64
}

func (c *countingStore) Sends(ctx context.Context, ids []int64) (map[int64]tracking.SendRef, error) {
	c.calls.Add(1)
	return c.Store.Sends(ctx, ids)
}

func (c *countingStore) SendByKey(ctx context.Context, key string) (tracking.SendRef, error) {
	c.calls.Add(1)
	return c.Store.SendByKey(ctx, key)
}

func (c *countingStore) GetCustomer(ctx context.Context, id string) (customer.Customer, error) {
	c.calls.Add(1)
	return c.Store.GetCustomer(ctx, id)
}

func (c *countingStore) ApplyEffect(ctx context.Context, e tracking.Effect) (tracking.EffectResult, error) {
	c.calls.Add(1)
	return c.Store.ApplyEffect(ctx, e)
}

func (c *countingStore) InsertHits(ctx context.Context, hs []tracking.Hit) (int, error) {
	c.calls.Add(1)
	return c.Store.InsertHits(ctx, hs)
}

type world struct {
	t       testing.TB
	handler http.Handler
	st      *store.DB
	cs      *countingStore
	svc     *tracking.Service
	srv     *httptest.Server
	links   *token.Links
	ids     []int64 // send rows: c1 email A, c2 email B, c3 sms A, c4 holdout
	now     time.Time
	http    *http.Client
}

func newWorld(t testing.TB, mutate ...func(*config.Config)) *world {
	t.Helper()
	st := storetest.OpenSQLite(t)
	ctx := t.Context()
	if _, err := st.UpsertCustomers(ctx, []customer.Customer{
		{ID: "c1", Email: "li.na@example.cn", Phone: "+86 138 0013 8000", Language: "zh"},
		{ID: "c2", Email: "tom@example.com", Language: "en"},
		{ID: "c3", Phone: "+86 139 0013 9000", Language: "zh"},
		{ID: "c4", Email: "hold@example.cn"},
	}); err != nil {
		t.Fatal(err)
	}
	_, ids := storetest.SeedCampaign(t, st, "double11", campaign.EvenVariants(2), 0.1, []campaign.Send{
		{CustomerID: "c1", Channel: "email", State: campaign.SendSent, Variant: "A"},
		{CustomerID: "c2", Channel: "email", State: campaign.SendSent, Variant: "B"},
		{CustomerID: "c3", Channel: "sms", State: campaign.SendSent, Variant: "A"},
		{CustomerID: "c4", State: campaign.SendHoldout},
	})
	cfg := config.Default()
	cfg.Tracking.Secret = secret
	cfg.Tracking.Hooks = map[string]config.Hook{"email": {Secret: mailSecret}}
	cfg.Delivery.Webhooks = map[string]config.WebhookDelivery{"sms": {URL: "https://gw.example/sms", Secret: smsSecret}}
	cfg.Server.TrustedProxies = []string{"127.0.0.1/32"}
	for _, m := range mutate {
		m(&cfg)
	}
	w := &world{t: t, st: st, cs: &countingStore{Store: st}, ids: ids, now: time.Date(2026, 11, 11, 12, 0, 0, 0, time.UTC)}
	svc, err := tracking.FromConfig(cfg, w.cs, tracking.Options{Now: func() time.Time { return w.now }})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Recorder().Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Recorder().Stop() })
	srv, err := httpapi.New(cfg, httpapi.Deps{Tracking: svc, Consents: st})
	if err != nil {
		t.Fatal(err)
	}
	w.svc = svc
	w.handler = srv.Handler()
	w.srv = httptest.NewServer(w.handler)
	t.Cleanup(w.srv.Close)
	codec, _ := token.New(secret)
	w.links, _ = token.NewLinks(w.srv.URL, codec)
	w.links = w.links.WithUTM("chorus")
	w.http = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return w
}

func (w *world) send(i int) token.Send {
	names := []struct{ ch, v string }{{"email", "A"}, {"email", "B"}, {"sms", "A"}, {"", ""}}
	return token.Send{SendID: strconv.FormatInt(w.ids[i], 10), Campaign: "double11", Channel: names[i].ch, Variant: names[i].v}
}

func (w *world) do(method, u string, body io.Reader, hdr map[string]string) *http.Response {
	w.t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		w.t.Fatal(err)
	}
	req.Header.Set("User-Agent", client)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := w.http.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (w *world) flush() {
	w.t.Helper()
	if err := w.svc.Recorder().Flush(w.t.Context()); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) hits() []tracking.Hit {
	w.t.Helper()
	var out []tracking.Hit
	if err := w.st.HitsOfSends(w.t.Context(), w.ids, func(h tracking.Hit) error { out = append(out, h); return nil }); err != nil {
		w.t.Fatal(err)
	}
	return out
}

func TestOpenAndClick(t *testing.T) {
	w := newWorld(t)
	open, _ := w.links.Open(w.send(0))
	resp := w.do("GET", open, nil, nil)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/gif" || len(body) != 43 || !strings.HasPrefix(string(body), "GIF89a") {
		t.Fatalf("pixel: %d %s %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	if !strings.Contains(resp.Header.Get("Cache-Control"), "no-store") {
		t.Errorf("pixel cache control %q", resp.Header.Get("Cache-Control"))
	}
	w.do("HEAD", open, nil, nil)
	w.do("GET", open, nil, map[string]string{"User-Agent": "Mozilla/5.0"})

	click, _ := w.links.Click(w.send(1), 3, "https://shop.example/p/bag?color=红")
	resp = w.do("GET", click, nil, nil)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("click: %d", resp.StatusCode)
	}
	u, err := url.Parse(loc)
	if err != nil || u.Host != "shop.example" || u.Query().Get("utm_source") != "chorus" || u.Query().Get("utm_medium") != "email" ||
		u.Query().Get("utm_campaign") != "double11" || u.Query().Get("utm_content") != "B" || u.Query().Get("color") != "红" {
		t.Errorf("redirect to %q", loc)
	}
	if resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("the redirect leaks the token in the Referer")
	}
	if n := len(w.hits()); n != 0 {
		t.Errorf("%d hits stored before the flush: the request path must not write", n)
	}
	w.flush()
	hs := w.hits()
	if len(hs) != 4 {
		t.Fatalf("hits: %+v", hs)
	}
	want := []struct {
		kind, reason string
		cust         string
	}{{tracking.KindOpen, "", "c1"}, {tracking.KindOpen, tracking.ReasonHead, "c1"}, {tracking.KindOpen, tracking.ReasonAppleMPP, "c1"}, {tracking.KindClick, "", "c2"}}
	for i, h := range hs {
		if h.Kind != want[i].kind || h.MachineReason != want[i].reason || h.Machine != (want[i].reason != "") || h.CustomerID != want[i].cust || !h.At.Equal(w.now) {
			t.Errorf("hit %d: %+v, want %+v", i, h, want[i])
		}
	}
	if hs[3].Link != 3 || hs[3].URL != loc || hs[3].Variant != "B" {
		t.Errorf("click hit: %+v", hs[3])
	}
	n, _ := w.st.CountEvents(t.Context(), event.Filter{Types: []string{event.Open, event.Click}})
	if n != 4 {
		t.Errorf("%d open and click events, want 4", n)
	}
}

// forge returns tokens that must all fail: garbage, truncations, a flipped
// byte, another secret, the wrong kind, and a click token whose
// destination was swapped while its MAC was kept.
func forge(t testing.TB, w *world) map[string]string {
	good, _ := w.links.Click(w.send(0), 0, "https://shop.example/sale")
	tok := strings.TrimPrefix(good, w.srv.URL+token.ClickPath)
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		t.Fatal(err)
	}
	flip := []byte(tok)
	flip[len(flip)/2] ^= 1
	if flip[len(flip)/2] == '-' || flip[len(flip)/2] == '_' {
		flip[len(flip)/2] = 'A'
	}
	other, _ := token.New("another-secret-also-32-characters-long!")
	otherLinks, _ := token.NewLinks(w.srv.URL, other)
	foreign, _ := otherLinks.Click(w.send(0), 0, "https://shop.example/sale")
	open, _ := w.links.Open(w.send(0))
	// the same claims to https://evil.example: sign them, then keep the
	// original token's MAC on the new body
	evil, _ := w.links.Click(w.send(0), 0, "https://evil.example/sale")
	evilRaw, _ := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(evil, w.srv.URL+token.ClickPath))
	swapped := append(append([]byte{}, evilRaw[:len(evilRaw)-16]...), raw[len(raw)-16:]...)
	return map[string]string{
		"garbage":          "not-a-token-at-all",
		"empty mac":        base64.RawURLEncoding.EncodeToString(raw[:len(raw)-16]),
		"truncated by one": tok[:len(tok)-1],
		"truncated half":   tok[:len(tok)/2],
		"flipped byte":     string(flip),
		"another secret":   strings.TrimPrefix(foreign, w.srv.URL+token.ClickPath),
		"open token":       strings.TrimPrefix(open, w.srv.URL+token.OpenPath),
		"swapped dest":     base64.RawURLEncoding.EncodeToString(swapped),
		"padded":           tok + "==",
		"long":             strings.Repeat("A", 5000),
	}
}

func TestForgedTokensFailWithoutADatabaseRead(t *testing.T) {
	w := newWorld(t)
	before := w.cs.calls.Load()
	for name, tok := range forge(t, w) {
		t.Run(name, func(t *testing.T) {
			paths := []string{token.ClickPath, token.OpenPath}
			if name == "open token" {
				paths = paths[:1] // valid on the pixel, of the wrong kind on a click
			}
			for _, path := range paths {
				resp := w.do("GET", w.srv.URL+path+tok, nil, nil)
				if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Location") != "" {
					t.Errorf("%s%s: %d, Location %q", path, name, resp.StatusCode, resp.Header.Get("Location"))
				}
			}
			resp := w.do("POST", w.srv.URL+token.UnsubscribePath+tok, strings.NewReader("List-Unsubscribe=One-Click"),
				map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("one-click with %s: %d", name, resp.StatusCode)
			}
		})
	}
	w.flush()
	if got := w.cs.calls.Load(); got != before {
		t.Errorf("bad tokens caused %d store calls", got-before)
	}
	if hs := w.hits(); len(hs) != 0 {
		t.Errorf("bad tokens stored hits: %+v", hs)
	}
}

func TestUnsubscribe(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	page, _ := w.links.Unsubscribe(w.send(0))
	resp := w.do("GET", page, nil, nil)
	html, _ := io.ReadAll(resp.Body)
	s := string(html)
	if resp.StatusCode != 200 || !strings.Contains(s, "仅退订邮件") || !strings.Contains(s, "Unsubscribe from email") ||
		strings.Index(s, "退订") > strings.Index(s, "Unsubscribe from") {
		t.Fatalf("page (zh reader): %d\n%s", resp.StatusCode, s)
	}
	if strings.Contains(s, "li.na@example.cn") || strings.Contains(s, "c1") {
		t.Error("the page shows the address or the customer id")
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}
	if ledger, _ := w.st.Consents(ctx, "c1"); len(ledger) != 0 {
		t.Fatalf("GET changed the ledger: %+v", ledger)
	}
	en, _ := w.links.Unsubscribe(w.send(1))
	s2, _ := io.ReadAll(w.do("GET", en, nil, nil).Body)
	if i, j := strings.Index(string(s2), "Unsubscribe from email"), strings.Index(string(s2), "仅退订邮件"); i < 0 || j < 0 || i > j {
		t.Errorf("an English reader's page should start in English")
	}

	// RFC 8058 one-click: stored before the answer, no flush needed
	oneClick := func(u string) *http.Response {
		return w.do("POST", u, strings.NewReader("List-Unsubscribe=One-Click"), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	}
	if resp := oneClick(page); resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("one-click: %d %s", resp.StatusCode, b)
	}
	cur := customer.CurrentConsent(must(w.st.Consents(ctx, "c1")))
	if c, ok := cur[customer.Key("email", customer.PurposeMarketing)]; !ok || c.Status != customer.Revoked || c.Source != tracking.SourceOneClick {
		t.Errorf("after one-click: %+v", cur)
	}
	sup := must(w.st.MatchSuppressions(ctx, []policy.SuppressionKey{{Kind: policy.KindEmail, Value: "li.na@example.cn"}}))
	if len(sup) != 1 || sup[0].Reason != "unsubscribe" || !sup[0].MarketingOnly {
		t.Errorf("suppression after one-click: %+v", sup)
	}
	if resp := oneClick(page); resp.StatusCode != 200 {
		t.Errorf("second one-click: %d", resp.StatusCode)
	}
	if n := len(must(w.st.Consents(ctx, "c1"))); n != 1 {
		t.Errorf("a second one-click added ledger entries: %d", n)
	}
	n := must(w.st.CountEvents(ctx, event.Filter{Types: []string{event.Unsubscribe}}))
	if n != 1 {
		t.Errorf("unsubscribe events: %d, want 1", n)
	}
	// the page now says so, and offers everything
	s3, _ := io.ReadAll(w.do("GET", page, nil, nil).Body)
	if !strings.Contains(string(s3), "您已退订") {
		t.Errorf("page after unsubscribing:\n%s", s3)
	}
	// the form: everything
	resp = w.do("POST", page, strings.NewReader("scope=all"), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "任何渠道") {
		t.Fatalf("form scope=all: %d\n%s", resp.StatusCode, body)
	}
	cur = customer.CurrentConsent(must(w.st.Consents(ctx, "c1")))
	for _, ch := range []string{"email", "sms", "push", "wechat"} {
		if cur.Granted(ch, customer.PurposeMarketing) || cur[customer.Key(ch, customer.PurposeMarketing)].Status != customer.Revoked {
			t.Errorf("%s not revoked after scope=all", ch)
		}
	}
	sup = must(w.st.MatchSuppressions(ctx, []policy.SuppressionKey{{Kind: policy.KindCustomer, Value: "c1"}, {Kind: policy.KindPhone, Value: "13800138000"}}))
	if len(sup) != 2 {
		t.Errorf("scope=all suppressions: %+v", sup)
	}
	if resp := w.do("POST", page, strings.NewReader("scope=nonsense"), map[string]string{"Content-Type": "application/x-www-form-urlencoded"}); resp.StatusCode != 400 {
		t.Errorf("bad scope: %d", resp.StatusCode)
	}
}

func TestUnsubscribeRateLimit(t *testing.T) {
	w := newWorld(t, func(c *config.Config) { c.Tracking.Unsubscribe = config.UnsubscribeLimit{Rate: 6, Burst: 3} })
	page, _ := w.links.Unsubscribe(w.send(0))
	codes := func(hdr map[string]string) []int {
		var out []int
		for range 4 {
			out = append(out, w.do("GET", page, nil, hdr).StatusCode)
		}
		return out
	}
	if got := fmt.Sprint(codes(nil)); got != "[200 200 200 429]" {
		t.Errorf("one client: %s", got)
	}
	// behind the trusted proxy, clients are told apart by X-Forwarded-For
	if got := fmt.Sprint(codes(map[string]string{"X-Forwarded-For": "198.51.100.7"})); got != "[200 200 200 429]" {
		t.Errorf("a forwarded client: %s", got)
	}
	resp := w.do("GET", page, nil, map[string]string{"X-Forwarded-For": "198.51.100.7"})
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("limited: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// 10 s later (6 a minute) there is a token again
	w.now = w.now.Add(10 * time.Second)
	if resp := w.do("GET", page, nil, map[string]string{"X-Forwarded-For": "198.51.100.7"}); resp.StatusCode != 200 {
		t.Errorf("after the refill: %d", resp.StatusCode)
	}
	// a limited client's one-click POST with a signed token still goes
	// through (a mail provider unsubscribing many users); a forged one
	// does not
	post := func(u string) int {
		return w.do("POST", u, strings.NewReader("List-Unsubscribe=One-Click"), map[string]string{"Content-Type": "application/x-www-form-urlencoded"}).StatusCode
	}
	for range 5 {
		if code := post(page); code != 200 {
			t.Fatalf("signed one-click while limited: %d", code)
		}
	}
	if code := post(w.srv.URL + token.UnsubscribePath + "forged-token-forged-token"); code != 429 {
		t.Errorf("forged one-click while limited: %d, want 429", code)
	}
	// the pixel and links are not limited
	open, _ := w.links.Open(w.send(0))
	for range 10 {
		if resp := w.do("GET", open, nil, nil); resp.StatusCode != 200 {
			t.Fatalf("pixel limited: %d", resp.StatusCode)
		}
	}
}

func (w *world) receipt(channel, id string, at time.Time, secret string, body any) (*http.Response, map[string]any) {
	w.t.Helper()
	b, _ := json.Marshal(body)
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		w.t.Fatal(err)
	}
	sig, _ := wh.Sign(id, at, b)
	resp := w.do("POST", w.srv.URL+"/hooks/"+channel, strings.NewReader(string(b)), map[string]string{
		"Content-Type": "application/json", "webhook-id": id, "webhook-timestamp": strconv.FormatInt(at.Unix(), 10), "webhook-signature": sig})
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp, out
}

func TestReceipts(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	sms := strconv.FormatInt(w.ids[2], 10)
	delivered := map[string]any{"type": tracking.MessageDelivered, "timestamp": w.now, "data": map[string]any{"id": "msg_x", "send_id": sms}}
	resp, out := w.receipt("sms", "evt_1", w.now, smsSecret, delivered)
	if resp.StatusCode != 200 || out["kind"] != tracking.KindDelivered || out["duplicate"] != false {
		t.Fatalf("delivered: %d %v", resp.StatusCode, out)
	}
	if resp, out := w.receipt("sms", "evt_1", w.now, smsSecret, delivered); resp.StatusCode != 200 || out["duplicate"] != true {
		t.Errorf("replayed receipt: %d %v", resp.StatusCode, out)
	}
	for name, tc := range map[string]struct {
		channel, secret string
		at              time.Time
		body            any
		status          int
	}{
		"bad signature":     {"sms", mailSecret, w.now, delivered, 403},
		"stale":             {"sms", smsSecret, w.now.Add(-10 * time.Minute), delivered, 403},
		"future":            {"sms", smsSecret, w.now.Add(10 * time.Minute), delivered, 403},
		"unknown channel":   {"fax", smsSecret, w.now, delivered, 404},
		"email type on sms": {"sms", smsSecret, w.now, map[string]any{"type": tracking.EmailBounced, "data": map[string]any{"send_id": sms}}, 400},
		"unknown send":      {"sms", smsSecret, w.now, map[string]any{"type": tracking.MessageDelivered, "data": map[string]any{"send_id": "999999"}}, 404},
		"another channel's send": {"sms", smsSecret, w.now, map[string]any{"type": tracking.MessageDelivered,
			"data": map[string]any{"send_id": strconv.FormatInt(w.ids[0], 10)}}, 404},
		"no message named": {"sms", smsSecret, w.now, map[string]any{"type": tracking.MessageDelivered, "data": map[string]any{}}, 400},
		"not json":         {"sms", smsSecret, w.now, "just text", 400},
	} {
		if resp, out := w.receipt(tc.channel, "evt_"+name, tc.at, tc.secret, tc.body); resp.StatusCode != tc.status {
			t.Errorf("%s: %d %v, want %d", name, resp.StatusCode, out, tc.status)
		}
	}
	resp = w.do("POST", w.srv.URL+"/hooks/sms", strings.NewReader("{}"), nil)
	if resp.StatusCode != 403 {
		t.Errorf("unsigned: %d", resp.StatusCode)
	}

	// a hard bounce by Message-ID suppresses the address for every purpose
	key := must(w.st.Sends(ctx, w.ids[:1]))[w.ids[0]]
	_ = key
	mid := "<" + sendKey(t, w, w.ids[0]) + "@mail.shop.cn>"
	resp, out = w.receipt("email", "bounce_1", w.now, mailSecret, map[string]any{"type": tracking.EmailBounced,
		"data": map[string]any{"id": mid, "bounce_type": "hard", "code": "5.1.1"}})
	if resp.StatusCode != 200 || out["suppressed"] != 1.0 {
		t.Fatalf("hard bounce: %d %v", resp.StatusCode, out)
	}
	sup := must(w.st.MatchSuppressions(ctx, []policy.SuppressionKey{{Kind: policy.KindEmail, Value: "li.na@example.cn"}}))
	if len(sup) != 1 || sup[0].Reason != "hard_bounce" || sup[0].MarketingOnly {
		t.Errorf("bounce suppression: %+v", sup)
	}
	// a complaint on c2's message: suppression and a revoked consent
	resp, out = w.receipt("email", "fbl_1", w.now, mailSecret, map[string]any{"type": tracking.EmailComplained,
		"data": map[string]any{"send_id": strconv.FormatInt(w.ids[1], 10)}})
	if resp.StatusCode != 200 || out["suppressed"] != 1.0 || out["revoked"] != 1.0 {
		t.Errorf("complaint: %d %v", resp.StatusCode, out)
	}
	// "退订" replied to the SMS: unsubscribed from SMS
	resp, out = w.receipt("sms", "mo_1", w.now, smsSecret, map[string]any{"type": tracking.MessageReplied,
		"data": map[string]any{"send_id": sms, "text": " 退订 "}})
	if resp.StatusCode != 200 || out["unsubscribed"] != true {
		t.Fatalf("STOP reply: %d %v", resp.StatusCode, out)
	}
	cur := customer.CurrentConsent(must(w.st.Consents(ctx, "c3")))
	if c := cur[customer.Key("sms", customer.PurposeMarketing)]; c.Status != customer.Revoked || c.Source != tracking.SourceReply {
		t.Errorf("c3's SMS consent after 退订: %+v", cur)
	}
	sup = must(w.st.MatchSuppressions(ctx, []policy.SuppressionKey{{Kind: policy.KindPhone, Value: "13900139000"}}))
	if len(sup) != 1 || !sup[0].MarketingOnly {
		t.Errorf("phone after 退订: %+v", sup)
	}
	// an ordinary reply unsubscribes nobody and stores no text
	if _, out := w.receipt("sms", "mo_2", w.now, smsSecret, map[string]any{"type": tracking.MessageReplied,
		"data": map[string]any{"send_id": sms, "text": "what time does the sale start?"}}); out["unsubscribed"] != nil {
		t.Errorf("ordinary reply: %v", out)
	}
	var kinds []string
	for _, h := range w.hits() {
		kinds = append(kinds, h.Kind+"/"+h.Code+"/"+h.Detail)
	}
	want := "[delivered// bounce/5.1.1/hard complaint// unsubscribe/channel/ reply/退订/ reply//]"
	if fmt.Sprint(kinds) != want {
		t.Errorf("hits %v\nwant %s", kinds, want)
	}
}

func sendKey(t *testing.T, w *world, id int64) string {
	var key string
	if err := w.st.DB().QueryRowContext(t.Context(), `SELECT send_key FROM campaign_sends WHERE id = $1`, id).Scan(&key); err != nil {
		t.Fatal(err)
	}
	return key
}

func TestHealth(t *testing.T) {
	w := newWorld(t)
	resp := w.do("GET", w.srv.URL+"/healthz", nil, nil)
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != 200 || out["status"] != "ok" {
		t.Errorf("health: %d %v", resp.StatusCode, out)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
