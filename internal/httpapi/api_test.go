package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/campaign/worker"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/httpapi"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// apiWorld is the real server over a real store, with the real auth
// service (app.App.Auth) and tokens of each scope.
type apiWorld struct {
	t      testing.TB
	st     store.Store
	app    *app.App
	srv    *httpapi.Server
	url    string
	tokens map[auth.Scope]string
	ids    map[auth.Scope]int64
}

// sqliteDSN opens a migrated SQLite store in a temporary file and gives
// its path too (the campaign queue opens the same database).
func sqliteDSN(t testing.TB) (store.Store, string) {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "chorus.db")
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, dsn
}

// newAPIWorld serves st; with dsn (st's database) it wires the campaign
// service too.
func newAPIWorld(t testing.TB, st store.Store, dsn ...string) *apiWorld {
	t.Helper()
	ctx := context.Background()
	cfg := config.Default()
	cfg.Tracking.Secret = secret
	svc, err := tracking.FromConfig(cfg, st, tracking.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(ctx, cfg, st, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close(ctx) })
	deps := httpapi.Deps{Tracking: svc, App: a, Consents: st, Auth: a.Auth,
		Idempotency: st, Customers: st, Telemetry: st, Reports: st,
		Probes: []httpapi.Probe{{Name: "store", Check: st.Ping}}}
	if len(dsn) > 0 {
		cfg.DB = dsn[0]
		wk, err := worker.New(ctx, cfg, st, worker.Options{InsertOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { wk.Stop() })
		studio, err := a.Studio(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wk.Service.Studio, wk.Service.Audience = studio, a.Segments
		deps.Campaigns, deps.Queue = wk.Service, wk.Queue
	}
	srv, err := httpapi.New(cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	w := &apiWorld{t: t, st: st, app: a, srv: srv, url: hs.URL, tokens: map[auth.Scope]string{}, ids: map[auth.Scope]int64{}}
	for _, sc := range auth.Scopes {
		secret, tok, err := a.Auth.CreateToken(ctx, "test-"+string(sc), sc)
		if err != nil {
			t.Fatal(err)
		}
		w.tokens[sc], w.ids[sc] = secret, tok.ID
	}
	return w
}

// call sends a request with token (none when ""), the headers, and body
// as JSON (a []byte is sent as is); it returns the status, the headers
// and the body.
func (w *apiWorld) call(method, path, token string, body any, headers ...string) (int, http.Header, []byte) {
	w.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			w.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, w.url+path, rd)
	if err != nil {
		w.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, out
}

// errorKind is the kind of a JSON error body, failing the test for any
// other body.
func errorKind(t testing.TB, body []byte) string {
	t.Helper()
	var e httpapi.ErrorBody
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Kind == "" || e.Error.Message == "" {
		t.Fatalf("not a JSON error body: %s", body)
	}
	if strings.Contains(e.Error.Message, "httpapi.") || strings.Contains(e.Error.Message, "Go struct") {
		t.Errorf("the message shows Go identifiers: %q", e.Error.Message)
	}
	return string(e.Error.Kind)
}

func TestAPIAuth(t *testing.T) {
	w := newAPIWorld(t, storetest.OpenSQLite(t))
	seg := map[string]any{"name": "vip", "expression": `"vip" in tags`}
	for _, tt := range []struct {
		name, method, path, token string
		body                      any
		status                    int
		kind                      string
	}{
		{"no token", "GET", "/v1/segments", "", nil, 401, "unauthenticated"},
		{"not bearer", "GET", "/v1/segments", "", nil, 401, "unauthenticated"},
		{"unknown token", "GET", "/v1/segments", "chorus_" + strings.Repeat("x", 43), nil, 401, "unauthenticated"},
		{"read may not write", "POST", "/v1/segments", w.tokens[auth.ScopeRead], seg, 403, "forbidden"},
		{"read may not ingest", "POST", "/v1/events/batch", w.tokens[auth.ScopeRead], map[string]any{"events": []any{}}, 403, "forbidden"},
		{"write creates", "POST", "/v1/segments", w.tokens[auth.ScopeWrite], seg, 201, ""},
		{"read lists", "GET", "/v1/segments", w.tokens[auth.ScopeRead], nil, 200, ""},
		{"a name that exists", "POST", "/v1/segments", w.tokens[auth.ScopeSend], seg, 409, "conflict"},
		{"unknown segment", "GET", "/v1/segments/nope", w.tokens[auth.ScopeRead], nil, 404, "not_found"},
		{"bad expression", "POST", "/v1/segments/preview", w.tokens[auth.ScopeRead], map[string]any{"expression": "rfm.segment =="}, 400, "invalid"},
		{"wrong JSON type", "POST", "/v1/segments/preview", w.tokens[auth.ScopeRead], []byte(`{"expression": 5}`), 400, "invalid"},
		{"unknown field", "POST", "/v1/segments/preview", w.tokens[auth.ScopeRead], []byte(`{"expr": "true"}`), 400, "invalid"},
		{"bad limit", "GET", "/v1/customers?limit=abc", w.tokens[auth.ScopeRead], nil, 400, "invalid"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var hdr []string
			if tt.name == "not bearer" {
				hdr = []string{"Authorization", "Basic dXNlcjpwYXNz"}
			}
			status, h, body := w.call(tt.method, tt.path, tt.token, tt.body, hdr...)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			if !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
				t.Errorf("Content-Type %q", h.Get("Content-Type"))
			}
			if tt.kind != "" {
				if k := errorKind(t, body); k != tt.kind {
					t.Errorf("kind %s, want %s (%s)", k, tt.kind, body)
				}
			}
		})
	}
	// the contract: GET /v1/segments lists what was created
	_, _, body := w.call("GET", "/v1/segments", w.tokens[auth.ScopeRead], nil)
	var list httpapi.SegmentList
	if err := json.Unmarshal(body, &list); err != nil || len(list.Segments) != 1 || list.Segments[0].Name != "vip" {
		t.Fatalf("segments: %s (%v)", body, err)
	}
}

func TestAPIRevokedToken(t *testing.T) {
	w := newAPIWorld(t, storetest.OpenSQLite(t))
	tok := w.tokens[auth.ScopeRead]
	if status, _, body := w.call("GET", "/v1/segments", tok, nil); status != 200 {
		t.Fatalf("live token: %d %s", status, body)
	}
	if err := w.app.Auth.RevokeToken(context.Background(), w.ids[auth.ScopeRead]); err != nil {
		t.Fatal(err)
	}
	status, _, body := w.call("GET", "/v1/segments", tok, nil)
	if status != 401 || errorKind(t, body) != "unauthenticated" {
		t.Fatalf("revoked token: %d %s", status, body)
	}
}

// events is a batch of n purchases of customer c, one a minute from t0.
func events(c string, n int, t0 time.Time) map[string]any {
	es := make([]map[string]any, n)
	for i := range es {
		es[i] = map[string]any{"customer_id": c, "type": "purchase", "sku": fmt.Sprintf("SKU%d", 1+i%2),
			"quantity": 1, "amount": 10 + i%5, "currency": "CNY", "order_id": fmt.Sprintf("O-%s-%d", c, i),
			"occurred_at": t0.Add(time.Duration(i) * time.Minute).Format(time.RFC3339)}
	}
	return map[string]any{"events": es}
}

func testIdempotency(t *testing.T, st store.Store) {
	w := newAPIWorld(t, st)
	tok := w.tokens[auth.ScopeWrite]
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	first := events("C1", 30, t0)
	status, h, body := w.call("POST", "/v1/events/batch", tok, first, "Idempotency-Key", "batch-0001")
	if status != 200 || h.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first: %d %v %s", status, h, body)
	}
	var res httpapi.BatchResult
	if err := json.Unmarshal(body, &res); err != nil || res.Imported != 30 || res.Rejected != 0 {
		t.Fatalf("first result: %s", body)
	}
	// the same key and body: the stored answer, nothing written again
	status, h, again := w.call("POST", "/v1/events/batch", tok, first, "Idempotency-Key", "batch-0001")
	if status != 200 || h.Get("Idempotent-Replayed") != "true" || !bytes.Equal(again, body) {
		t.Fatalf("replay: %d %v %s, want %s", status, h, again, body)
	}
	n, err := st.CountEvents(context.Background(), event.Filter{})
	if err != nil || n != 30 {
		t.Fatalf("events stored %d (%v), want 30", n, err)
	}
	// the same key with another body: conflict
	status, _, body = w.call("POST", "/v1/events/batch", tok, events("C2", 5, t0), "Idempotency-Key", "batch-0001")
	if status != 409 || errorKind(t, body) != "conflict" {
		t.Fatalf("other body: %d %s", status, body)
	}
	// another caller's key of the same name is its own
	status, h, _ = w.call("POST", "/v1/events/batch", w.tokens[auth.ScopeSend], events("C2", 5, t0), "Idempotency-Key", "batch-0001")
	if status != 200 || h.Get("Idempotent-Replayed") != "" {
		t.Fatalf("another token's key: %d %v", status, h)
	}
	// a failed request frees its key: the corrected retry runs
	bad := []byte(`{"events": 5}`)
	if status, _, body = w.call("POST", "/v1/events/batch", tok, bad, "Idempotency-Key", "batch-0002"); status != 400 {
		t.Fatalf("bad batch: %d %s", status, body)
	}
	if status, _, body = w.call("POST", "/v1/events/batch", tok, events("C3", 3, t0), "Idempotency-Key", "batch-0002"); status != 200 {
		t.Fatalf("retry after a failure: %d %s", status, body)
	}
	if status, _, body = w.call("POST", "/v1/events/batch", tok, first, "Idempotency-Key", "has space"); status != 400 {
		t.Fatalf("bad key: %d %s", status, body)
	}
	// a malformed record is a reject of its own, with its position
	mixed := []byte(`{"events": [{"customer_id": "C9", "type": "view", "sku": "S1", "occurred_at": "2026-03-01T10:00:00Z"}, 7, {"type": "purchase", "occurred_at": "yesterday"}]}`)
	status, _, body = w.call("POST", "/v1/events/batch", tok, mixed)
	if status != 200 || json.Unmarshal(body, &res) != nil || res.Imported != 1 || res.Rejected != 2 || res.Rejects[0].Line != 2 || res.Rejects[1].Line != 3 {
		t.Fatalf("mixed batch: %d %s", status, body)
	}
}

func TestAPIIdempotencySQLite(t *testing.T) { testIdempotency(t, storetest.OpenSQLite(t)) }

func TestAPIIdempotencyPostgres(t *testing.T) {
	storetest.PostgresDSN(t)
	testIdempotency(t, storetest.OpenPostgres(t))
}

func TestAPISizeLimit(t *testing.T) {
	w := newAPIWorld(t, storetest.OpenSQLite(t))
	big := []byte(`{"expression": "` + strings.Repeat("a", 1<<20) + `"}`)
	status, _, body := w.call("POST", "/v1/segments/preview", w.tokens[auth.ScopeRead], big)
	if status != 413 || errorKind(t, body) != "too_large" {
		t.Fatalf("1 MiB+ body: %d %s", status, body)
	}
	// a batch route allows more
	status, _, body = w.call("POST", "/v1/events/batch", w.tokens[auth.ScopeWrite], events("C1", 8000, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	if status != 200 {
		t.Fatalf("a 1 MiB+ batch: %d %s", status, body)
	}
}

func TestAPIDataAndProfile(t *testing.T) {
	w := newAPIWorld(t, storetest.OpenSQLite(t))
	tok := w.tokens[auth.ScopeWrite]
	custs := map[string]any{"customers": []map[string]any{
		{"id": "C1", "name": "王芳", "email": "fang@example.com", "language": "zh", "tags": []string{"vip"}, "consent_email": true},
		{"id": "C2", "name": "Ann Lee", "email": "ann@example.com", "language": "en"},
		{"id": "C3", "name": "Bob", "email": "not-an-email"},
		{"id": ""},
	}}
	status, _, body := w.call("POST", "/v1/customers/batch", tok, custs)
	var res httpapi.BatchResult
	if status != 200 || json.Unmarshal(body, &res) != nil || res.Imported != 2 || res.Rejected != 2 || len(res.Rejects) != 2 || res.Rejects[0].Line != 3 {
		t.Fatalf("customers: %d %s", status, body)
	}
	prods := map[string]any{"products": []map[string]any{{"sku": "SKU1", "title": "Camera bag", "price": 199, "category": "Bags"}, {"sku": "SKU0", "title": "Tripod", "price": 99}}}
	if status, _, body = w.call("POST", "/v1/products/batch", tok, prods); status != 200 {
		t.Fatalf("products: %d %s", status, body)
	}
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	if status, _, body = w.call("POST", "/v1/events/batch", tok, events("C1", 20, t0)); status != 200 {
		t.Fatalf("events: %d %s", status, body)
	}
	// keyset pages: one at a time, in id order, to the end
	var seen []string
	after := ""
	for range 10 {
		status, _, body = w.call("GET", "/v1/customers?limit=1&after="+after, tok, nil)
		var page httpapi.CustomerPage
		if status != 200 || json.Unmarshal(body, &page) != nil {
			t.Fatalf("page: %d %s", status, body)
		}
		for _, c := range page.Customers {
			seen = append(seen, c.ID)
		}
		if after = page.Next; after == "" {
			break
		}
	}
	if strings.Join(seen, ",") != "C1,C2" { // C3 (a bad email) and the blank id were rejected
		t.Errorf("pages gave %v", seen)
	}
	status, _, body = w.call("POST", "/v1/customers/search", tok, map[string]any{"query": "ANN"})
	if status != 200 || !strings.Contains(string(body), `"C2"`) || strings.Contains(string(body), `"C1"`) {
		t.Errorf("search: %d %s", status, body)
	}
	if status, _, body = w.call("GET", "/v1/products?limit=1", tok, nil); status != 200 || !strings.Contains(string(body), `"SKU0"`) || !strings.Contains(string(body), `"next":"SKU0"`) {
		t.Errorf("products page: %d %s", status, body)
	}
	// the contract: GET /v1/customers/{id}/profile
	status, _, body = w.call("GET", "/v1/customers/C1/profile?recs=0", w.tokens[auth.ScopeRead], nil)
	var prof httpapi.ProfileResponse
	if status != 200 || json.Unmarshal(body, &prof) != nil {
		t.Fatalf("profile: %d %s", status, body)
	}
	if bytes.Contains(body, []byte("fang@example.com")) || bytes.Contains(body, []byte("王芳")) {
		t.Errorf("the profile holds PII: %s", body)
	}
	if status, _, body = w.call("GET", "/v1/customers/NOPE/profile", w.tokens[auth.ScopeRead], nil); status != 404 {
		t.Errorf("unknown customer's profile: %d %s", status, body)
	}
	status, _, body = w.call("POST", "/v1/segments/preview", tok, map[string]any{"expression": `"vip" in tags`})
	if status != 200 || !strings.Contains(string(body), `"count":1`) {
		t.Errorf("preview: %d %s", status, body)
	}
	status, _, body = w.call("POST", "/v1/compliance/check", tok, map[string]any{"text": "全网最低价，国家级产品", "lang": "zh"})
	if status != 200 || !strings.Contains(string(body), `"verdict"`) || strings.Contains(string(body), `"verdict":"pass"`) {
		t.Errorf("check: %d %s", status, body)
	}
	if status, _, body = w.call("POST", "/v1/compliance/suppressions", w.tokens[auth.ScopeRead], map[string]any{"values": []string{"ann@example.com"}}); status != 403 {
		t.Errorf("suppress with a read token: %d %s", status, body)
	}
	status, _, body = w.call("POST", "/v1/compliance/suppressions", tok, map[string]any{"values": []string{"ann@example.com"}, "reason": "complaint"})
	if status != 201 || !strings.Contains(string(body), `"added":1`) {
		t.Errorf("suppress: %d %s", status, body)
	}
	status, _, body = w.call("GET", "/v1/compliance/suppressions?kind=email", tok, nil)
	if status != 200 || !strings.Contains(string(body), `"complaint"`) {
		t.Errorf("suppressions: %d %s", status, body)
	}
	if status, _, body = w.call("GET", "/v1/compliance/skips", tok, nil); status != 200 || !strings.Contains(string(body), `"skips":[]`) {
		t.Errorf("skips: %d %s", status, body)
	}
	status, _, body = w.call("POST", "/v1/compliance/redact", tok, map[string]any{"text": "请联系 138 0013 8000"})
	if status != 200 || strings.Contains(string(body), "8000") {
		t.Errorf("redact: %d %s", status, body)
	}
}

func TestMetricsAndReady(t *testing.T) {
	w := newAPIWorld(t, storetest.OpenSQLite(t))
	w.call("GET", "/v1/customers/C123456/profile", w.tokens[auth.ScopeRead], nil)
	w.call("GET", "/v1/segments", w.tokens[auth.ScopeRead], nil)
	status, _, body := w.call("GET", "/metrics", "", nil)
	if status != 200 {
		t.Fatalf("metrics: %d", status)
	}
	m := string(body)
	for _, want := range []string{
		`chorus_http_request_duration_seconds_count{code="404",method="GET",route="GET /v1/customers/{id}/profile"} 1`,
		`chorus_http_request_duration_seconds_count{code="200",method="GET",route="GET /v1/segments"} 1`,
		`chorus_store_up 1`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(m, "C123456") {
		t.Error("metrics hold a raw path")
	}
	status, _, body = w.call("GET", "/readyz", "", nil)
	if status != 200 || !strings.Contains(string(body), `"store":"ok"`) {
		t.Errorf("readyz: %d %s", status, body)
	}
}

// TestAPIExportAudited: an export over the API is audited with the
// token's name; a read token may not export.
func TestAPIExportAudited(t *testing.T) {
	w := newAPIWorld(t, storetest.OpenSQLite(t))
	tok := w.tokens[auth.ScopeWrite]
	custs := map[string]any{"customers": []map[string]any{
		{"id": "C1", "email": "a@example.com", "tags": []string{"vip"}, "consent_email": true},
		{"id": "C2", "email": "b@example.com", "tags": []string{"vip"}},
	}}
	if status, _, body := w.call("POST", "/v1/customers/batch", tok, custs); status != 200 {
		t.Fatalf("customers: %d %s", status, body)
	}
	if status, _, body := w.call("POST", "/v1/segments", tok, map[string]any{"name": "vip", "expression": `"vip" in tags`}); status != 201 {
		t.Fatalf("segment: %d %s", status, body)
	}
	req := map[string]any{"fields": []string{"email"}, "include_contact": true, "purpose": "newsletter"}
	if status, _, body := w.call("POST", "/v1/segments/vip/export", w.tokens[auth.ScopeRead], req); status != 403 {
		t.Fatalf("read token export: %d %s", status, body)
	}
	status, _, body := w.call("POST", "/v1/segments/vip/export", tok, req)
	var out httpapi.SegmentExport
	if status != 200 || json.Unmarshal(body, &out) != nil {
		t.Fatalf("export: %d %s", status, body)
	}
	// C2 has no email consent: her row is withheld
	if out.Members != 1 || len(out.Rows) != 1 || out.Rows[0]["email"] != "a@example.com" || out.ContactExport == nil || out.ContactExport.Withheld != 1 {
		t.Fatalf("export: %s", body)
	}
	es, err := w.app.Auth.Audit(context.Background(), auth.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range es {
		if e.Action == "segment.export" && e.Actor == "token:test-write" && e.Target == "segment vip" {
			found = true
		}
		if strings.Contains(e.Target+e.Detail, "a@example.com") {
			t.Errorf("the audit log holds PII: %+v", e)
		}
	}
	if !found {
		t.Errorf("no audit entry of the export: %+v", es)
	}
}

const brief = `name: api-test
goal: 双11前唤醒老客
language: zh
offer:
  text: 全场8折
  text_en: 20% off everything
  discount: 8折
landing_url: https://shop.example.com/double11
`

// TestAPICampaign: create, plan, launch (send scope only, audited),
// status, pause and resume, report, over the campaign service the CLI
// uses.
func TestAPICampaign(t *testing.T) {
	st, dsn := sqliteDSN(t)
	w := newAPIWorld(t, st, dsn)
	write, send := w.tokens[auth.ScopeWrite], w.tokens[auth.ScopeSend]
	custs := map[string]any{"customers": []map[string]any{
		{"id": "C1", "email": "a@example.com", "language": "zh", "consent_email": true},
		{"id": "C2", "email": "b@example.com", "language": "zh", "consent_email": true},
	}}
	if status, _, body := w.call("POST", "/v1/customers/batch", write, custs); status != 200 {
		t.Fatalf("customers: %d %s", status, body)
	}
	prods := map[string]any{"products": []map[string]any{{"sku": "SKU1", "title": "相机包", "price": 199, "category": "Bags"}, {"sku": "SKU2", "title": "三脚架", "price": 99, "category": "Bags"},
		{"sku": "SKU3", "title": "镜头布", "price": 19, "category": "Bags"}, {"sku": "SKU4", "title": "背带", "price": 49, "category": "Bags"}}}
	if status, _, body := w.call("POST", "/v1/products/batch", write, prods); status != 200 {
		t.Fatalf("products: %d %s", status, body)
	}
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	for _, id := range []string{"C1", "C2", "C3", "C4"} {
		if status, _, body := w.call("POST", "/v1/events/batch", write, events(id, 6, t0)); status != 200 {
			t.Fatalf("events: %d %s", status, body)
		}
	}
	if status, _, body := w.call("POST", "/v1/segments", write, map[string]any{"name": "everyone", "expression": "true"}); status != 201 {
		t.Fatalf("segment: %d %s", status, body)
	}
	more := map[string]any{"events": []map[string]any{{"customer_id": "C3", "type": "purchase", "sku": "SKU3", "amount": 19, "occurred_at": "2026-03-02T10:00:00Z"},
		{"customer_id": "C4", "type": "purchase", "sku": "SKU4", "amount": 49, "occurred_at": "2026-03-02T11:00:00Z"},
		{"customer_id": "C3", "type": "purchase", "sku": "SKU4", "amount": 49, "occurred_at": "2026-03-02T12:00:00Z"}}}
	if status, _, body := w.call("POST", "/v1/events/batch", write, more); status != 200 {
		t.Fatalf("events: %d %s", status, body)
	}
	// the studio: the plan first, then the run
	gen := map[string]any{"segment": "everyone", "brief": brief, "channels": []string{"email"}, "depth": "segment"}
	if status, _, body := w.call("POST", "/v1/content/generate", w.tokens[auth.ScopeRead], gen); status != 403 {
		t.Fatalf("generate with a read token: %d %s", status, body)
	}
	status, _, body := w.call("POST", "/v1/content/generate", write, gen)
	var g httpapi.Generated
	if status != 200 || json.Unmarshal(body, &g) != nil || g.Summary != nil || g.Plan.Audience == 0 || len(g.Plan.Depths) == 0 {
		t.Fatalf("plan: %d %s", status, body)
	}
	// without a depth the API plans at the configured one, as the CLI does
	noDepth := map[string]any{"segment": "everyone", "brief": brief, "channels": []string{"email"}}
	if status, _, body := w.call("POST", "/v1/content/generate", write, noDepth); status != 200 || !strings.Contains(string(body), `"depth":"segment"`) {
		t.Fatalf("plan without a depth: %d %s", status, body)
	}
	gen["run"] = true
	status, _, body = w.call("POST", "/v1/content/generate", write, gen, "Idempotency-Key", "gen-1")
	if status != 200 || json.Unmarshal(body, &g) != nil || g.Summary == nil || g.Summary.Units == 0 {
		t.Fatalf("run: %d %s", status, body)
	}
	c := map[string]any{"name": "dbl11", "segment": "everyone", "channels": []string{"email"}, "brief": brief, "depth": "segment"}
	if status, _, body := w.call("POST", "/v1/campaigns", write, c); status != 403 {
		t.Fatalf("create with a write token: %d %s", status, body)
	}
	status, _, body = w.call("POST", "/v1/campaigns", send, c, "Idempotency-Key", "create-dbl11")
	if status != 201 || !strings.Contains(string(body), `"state":"draft"`) {
		t.Fatalf("create: %d %s", status, body)
	}
	if status, h, again := w.call("POST", "/v1/campaigns", send, c, "Idempotency-Key", "create-dbl11"); status != 201 || h.Get("Idempotent-Replayed") != "true" || !bytes.Equal(again, body) {
		t.Fatalf("create replay: %d %s", status, again)
	}
	if status, _, body = w.call("POST", "/v1/campaigns/dbl11/plan", send, nil); status != 200 || !strings.Contains(string(body), `"audience":4`) {
		t.Fatalf("plan: %d %s", status, body)
	}
	if status, _, body = w.call("POST", "/v1/campaigns/dbl11/launch", write, nil); status != 403 {
		t.Fatalf("launch with a write token: %d %s", status, body)
	}
	if status, _, body = w.call("POST", "/v1/campaigns/dbl11/launch", send, nil); status != 200 {
		t.Fatalf("launch: %d %s", status, body)
	}
	if status, _, body = w.call("GET", "/v1/campaigns/dbl11/status", w.tokens[auth.ScopeRead], nil); status != 200 {
		t.Fatalf("status: %d %s", status, body)
	}
	if status, _, body = w.call("POST", "/v1/campaigns/dbl11/pause", send, nil); status != 200 || !strings.Contains(string(body), `"state":"paused"`) {
		t.Fatalf("pause: %d %s", status, body)
	}
	if status, _, body = w.call("POST", "/v1/campaigns/dbl11/resume", send, nil); status != 200 {
		t.Fatalf("resume: %d %s", status, body)
	}
	if status, _, body = w.call("GET", "/v1/campaigns/dbl11/report?by=variant", w.tokens[auth.ScopeRead], nil); status != 200 {
		t.Fatalf("report: %d %s", status, body)
	}
	if status, _, body = w.call("GET", "/v1/campaigns/nope/status", w.tokens[auth.ScopeRead], nil); status != 404 {
		t.Fatalf("unknown campaign: %d %s", status, body)
	}
	// the review queue holds the launch's copy
	status, _, body = w.call("GET", "/v1/content/items?limit=5", w.tokens[auth.ScopeRead], nil)
	var items httpapi.ItemList
	if status != 200 || json.Unmarshal(body, &items) != nil || len(items.Items) == 0 {
		t.Fatalf("items: %d %s", status, body)
	}
	id := items.Items[0].ID
	if status, _, body = w.call("POST", "/v1/content/items/"+id+"/reject", w.tokens[auth.ScopeRead], map[string]any{"note": "off brand"}); status != 403 {
		t.Fatalf("reject with a read token: %d %s", status, body)
	}
	status, _, body = w.call("POST", "/v1/content/items/"+id+"/reject", write, map[string]any{"note": "off brand"})
	if status != 200 || !strings.Contains(string(body), `"status":"rejected"`) {
		t.Fatalf("reject %s (was %s): %d %s", id, items.Items[0].Status, status, body)
	}
	status, _, body = w.call("GET", "/v1/content/items/"+id, w.tokens[auth.ScopeRead], nil)
	if status != 200 || !strings.Contains(string(body), "token:test-write") {
		t.Fatalf("item trail: %d %s", status, body)
	}
	// the launched sends wait in the queue, available at once (no workers
	// here, and a batch due now is not scheduled), and the
	// sends are counted by channel and state
	if _, _, m := w.call("GET", "/metrics", "", nil); !bytes.Contains(m, []byte(`chorus_queue_jobs{state="available"} 1`)) || !bytes.Contains(m, []byte(`chorus_sends_total{channel="email"`)) {
		t.Errorf("metrics lack the queue depth or the sends:\n%s", m)
	}
	es, err := w.app.Auth.Audit(context.Background(), auth.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, e := range es {
		if e.Actor == "token:test-send" {
			got[e.Action+" "+e.Target] = true
		}
	}
	for _, e := range es {
		if e.Actor == "token:test-write" && e.Action == "content.reject" && e.Target == "item "+id {
			got["content.reject"] = true
		}
	}
	for _, want := range []string{"content.reject", "campaign.create campaign dbl11", "campaign.launch campaign dbl11", "campaign.pause campaign dbl11", "campaign.resume campaign dbl11"} {
		if !got[want] {
			t.Errorf("no audit entry %q in %v", want, got)
		}
	}
	status, _, body = w.call("POST", "/v1/experiments/analyze", w.tokens[auth.ScopeRead], map[string]any{"arms": []map[string]any{
		{"name": "A", "recipients": 1000, "conversions": 50, "control": true}, {"name": "B", "recipients": 1000, "conversions": 80}}})
	if status != 200 || !strings.Contains(string(body), `"decision"`) {
		t.Fatalf("analyze: %d %s", status, body)
	}
}

// TestAccessLog: one line per request with the route pattern, status and
// duration, and never the path's id, the query string or the token.
func TestAccessLog(t *testing.T) {
	st := storetest.OpenSQLite(t)
	ctx := context.Background()
	cfg := config.Default()
	cfg.Tracking.Secret = secret
	svc, err := tracking.FromConfig(cfg, st, tracking.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(ctx, cfg, st, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close(ctx)
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	srv, err := httpapi.New(cfg, httpapi.Deps{Tracking: svc, App: a, Auth: a.Auth, Customers: st, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := a.Auth.CreateToken(ctx, "logs", auth.ScopeRead)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/v1/customers/13800138000?limit=5&email=fang@example.com", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != 404 {
		t.Fatalf("status %d", rec.Code)
	}
	line := logs.String()
	var entry map[string]any
	if err := json.Unmarshal([]byte(strings.TrimSpace(line)), &entry); err != nil {
		t.Fatalf("not one JSON line: %q", line)
	}
	if entry["route"] != "GET /v1/customers/{id}" || entry["status"] != float64(404) || entry["ms"] == nil || entry["method"] != "GET" {
		t.Errorf("access log %v", entry)
	}
	for _, leak := range []string{"13800138000", "fang@example.com", "limit=5", tok, "Bearer"} {
		if strings.Contains(line, leak) {
			t.Errorf("the access log holds %q: %s", leak, line)
		}
	}
}

// TestSupportQueueTakesTokens: the support queue's routes accept an API
// token (their handlers check the principal themselves).
func TestSupportQueueTakesTokens(t *testing.T) {
	w := newAPIWorld(t, storetest.OpenSQLite(t))
	if status, _, body := w.call("GET", "/v1/support/handoffs", "", nil); status != 401 {
		t.Fatalf("no token: %d %s", status, body)
	}
	if status, _, body := w.call("GET", "/v1/support/handoffs", "chorus_bad", nil); status != 401 {
		t.Fatalf("bad token: %d %s", status, body)
	}
	// past authentication: this server has no support inbox wired
	if status, _, body := w.call("GET", "/v1/support/handoffs", w.tokens[auth.ScopeRead], nil); status != 503 || errorKind(t, body) != "unavailable" {
		t.Fatalf("read token: %d %s", status, body)
	}
}
