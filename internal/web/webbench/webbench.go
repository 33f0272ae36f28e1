// Package webbench measures the console's pages server-side (`chorus
// bench console`): on a demo shop of 100,000 customers by default, built
// once into a SQLite file and reused by later runs, each list and profile
// page is rendered N times through the real server handler (session
// check, the page's services, the template) and its latencies reported
// as p50, p95 and max. The baseline, measured in the same run through the
// same handler, is the login page: a template render with no data.
package webbench

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/httpapi"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// TargetMs is the p95 every list and profile page must stay under.
const TargetMs = 100.0

// Options shape a run; zero fields take the defaults in brackets.
type Options struct {
	// Customers of the demo shop [100,000].
	Customers int `json:"customers" flag:"customers"`
	// Seed of the demo generator [1].
	Seed int64 `json:"seed" flag:"seed"`
	// DB is the SQLite file of the shop; an existing one built by an
	// earlier run (its .ok marker beside it) is reused
	// [$TMPDIR/chorus-webbench/shop-CUSTOMERS-SEED.db].
	DB string `json:"db" flag:"db"`
	// N renders of each page, after one untimed warm-up [50].
	N int `json:"n" flag:"n"`
}

// DefaultOptions are `chorus bench console`'s: the defaults in brackets.
func DefaultOptions() Options { return Options{Customers: 100_000, Seed: 1, N: 50} }

func (o Options) withDefaults() Options {
	if o.Customers <= 0 {
		o.Customers = 100_000
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.DB == "" {
		o.DB = filepath.Join(os.TempDir(), "chorus-webbench", fmt.Sprintf("shop-%d-%d.db", o.Customers, o.Seed))
	}
	if o.N <= 0 {
		o.N = 50
	}
	return o
}

// Page is one page's figures.
type Page struct {
	Name    string  `json:"name"`
	Path    string  `json:"path"` // a pattern for pages of many ids
	List    bool    `json:"list"` // a list or profile page (held to TargetMs)
	FirstMs float64 `json:"first_ms"`
	P50Ms   float64 `json:"p50_ms"`
	P95Ms   float64 `json:"p95_ms"`
	MaxMs   float64 `json:"max_ms"`
	Bytes   int     `json:"bytes"` // of the last answer
	// Ratio is P95Ms over the baseline's.
	Ratio float64 `json:"ratio"`
}

// Report is the JSON of `chorus bench console --json`.
type Report struct {
	Options      Options `json:"options"`
	Engine       string  `json:"engine"`
	Customers    int     `json:"customers"`
	Reused       bool    `json:"reused"`
	BuildSeconds float64 `json:"build_seconds"`
	WarmSeconds  float64 `json:"warm_seconds"` // the first render of every page, the services loading
	Baseline     Page    `json:"baseline"`
	Pages        []Page  `json:"pages"`
	TargetMs     float64 `json:"target_ms"`
	// Met is true when every list and profile page's p95 is under
	// TargetMs; Slowest names the slowest of them.
	Met     bool   `json:"met"`
	Slowest string `json:"slowest"`
}

// Run builds or reuses the shop and measures every page. progress, when
// set, is told what runs.
func Run(ctx context.Context, o Options, progress func(string)) (Report, error) {
	o = o.withDefaults()
	if progress == nil {
		progress = func(string) {}
	}
	rep := Report{Options: o, TargetMs: TargetMs}
	st, reused, took, err := openShop(ctx, o, progress)
	if err != nil {
		return rep, err
	}
	defer st.Close()
	rep.Engine, rep.Reused, rep.BuildSeconds = st.Engine(), reused, took.Seconds()
	if rep.Customers, err = st.CountCustomers(ctx); err != nil {
		return rep, err
	}
	h, cookie, cleanup, err := server(ctx, st)
	if err != nil {
		return rep, err
	}
	defer cleanup()
	pages, err := plan(ctx, st)
	if err != nil {
		return rep, err
	}
	progress("warming up")
	t0 := time.Now()
	for _, p := range pages {
		if _, _, err := render(h, cookie, p.path(0)); err != nil {
			return rep, fmt.Errorf("%s: %w", p.name, err)
		}
	}
	rep.WarmSeconds = time.Since(t0).Seconds()
	login := planned{name: "login page (baseline)", paths: []string{"/login"}}
	if rep.Baseline, err = measure(h, nil, login, o.N); err != nil {
		return rep, err
	}
	rep.Met = true
	for _, p := range pages {
		progress(p.name)
		m, err := measure(h, cookie, p, o.N)
		if err != nil {
			return rep, err
		}
		m.Ratio = m.P95Ms / max(rep.Baseline.P95Ms, 1e-6)
		rep.Pages = append(rep.Pages, m)
		if m.List {
			if m.P95Ms >= TargetMs {
				rep.Met = false
			}
			if rep.Slowest == "" || m.P95Ms > pageNamed(rep.Pages, rep.Slowest).P95Ms {
				rep.Slowest = m.Name
			}
		}
	}
	return rep, nil
}

func pageNamed(ps []Page, name string) Page {
	for _, p := range ps {
		if p.Name == name {
			return p
		}
	}
	return Page{}
}

// openShop opens the shop's file, building it when it has no .ok marker.
func openShop(ctx context.Context, o Options, progress func(string)) (*store.DB, bool, time.Duration, error) {
	marker := o.DB + ".ok"
	if _, err := os.Stat(marker); err == nil {
		st, err := store.Open(ctx, o.DB)
		return st, true, 0, err
	}
	if err := os.MkdirAll(filepath.Dir(o.DB), 0o755); err != nil {
		return nil, false, 0, apperr.Wrap(err, apperr.Unavailable, "bench console: %s", filepath.Dir(o.DB))
	}
	for _, f := range []string{o.DB, o.DB + "-wal", o.DB + "-shm"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, false, 0, apperr.Wrap(err, apperr.Unavailable, "bench console: removing a half-built %s", f)
		}
	}
	st, err := store.Open(ctx, o.DB)
	if err != nil {
		return nil, false, 0, err
	}
	t0 := time.Now()
	progress(fmt.Sprintf("building a demo shop of %d customers into %s (once; later runs reuse it)", o.Customers, o.DB))
	if err := seed(ctx, st, o); err != nil {
		st.Close()
		return nil, false, 0, err
	}
	took := time.Since(t0)
	if err := os.WriteFile(marker, []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644); err != nil {
		st.Close()
		return nil, false, 0, apperr.Wrap(err, apperr.Unavailable, "bench console: %s", marker)
	}
	return st, false, took, nil
}

// seed writes the demo shop, saved segments, a suppression list and a
// skipped campaign's log: what the pages list.
func seed(ctx context.Context, st *store.DB, o Options) error {
	if _, err := demo.Build(ctx, st, demo.Options{Seed: o.Seed, Customers: o.Customers, End: demo.DefaultEnd()}); err != nil {
		return err
	}
	ap, err := app.New(ctx, config.Default(), st, app.Options{})
	if err != nil {
		return err
	}
	defer ap.Close(ctx)
	for _, s := range [][2]string{
		{"champions", `rfm.segment == "champions"`},
		{"email_buyers", `orders >= 2 && consent.email`},
		{"at_risk", `lifecycle == "at_risk" || days_since_last_purchase > 180`},
	} {
		if _, _, err := ap.Segments.Create(ctx, s[0], s[1], "", 0); err != nil {
			return err
		}
	}
	// 2% of the customers suppressed, 1% skipped by a campaign.
	ids, err := sampleIDs(ctx, st, max(o.Customers*3/100, 3))
	if err != nil {
		return err
	}
	cut := len(ids) * 2 / 3
	if _, _, err := ap.Gate.Suppress(ctx, policy.SuppressRequest{Values: ids[:cut], Kind: policy.KindCustomer, Reason: "unsubscribe", MarketingOnly: true, Source: "bench"}); err != nil {
		return err
	}
	at := demo.DefaultEnd().Add(-24 * time.Hour)
	for i, id := range ids[cut:] {
		code := []string{"quiet_hours", "frequency_cap", "no_consent", "suppressed"}[i%4]
		if err := st.RecordSkip(ctx, policy.Skip{Campaign: "bench", CustomerID: id, Channel: "email", Purpose: "marketing",
			PlannedAt: at, Code: code, Reason: code, DecidedAt: at.Add(time.Duration(i) * time.Millisecond)}); err != nil {
			return err
		}
	}
	return nil
}

// sampleIDs are n customer ids spread over the whole id range.
func sampleIDs(ctx context.Context, st *store.DB, n int) ([]string, error) {
	total, err := st.CountCustomers(ctx)
	if err != nil {
		return nil, err
	}
	step := max(total/n, 1)
	var out []string
	i := 0
	err = st.ListCustomers(ctx, func(c customer.Customer) error {
		if i%step == 0 && len(out) < n {
			out = append(out, c.ID)
		}
		i++
		return nil
	})
	return out, err
}

// server is the real HTTP server over st with an admin signed in: its
// handler, the session cookie and what to close.
func server(ctx context.Context, st *store.DB) (http.Handler, *http.Cookie, func(), error) {
	cfg := config.Default()
	cfg.Tracking.Secret = "webbench-tracking-secret-of-32-chars!"
	svc, err := tracking.FromConfig(cfg, st, tracking.Options{})
	if err != nil {
		return nil, nil, nil, err
	}
	ap, err := app.New(ctx, cfg, st, app.Options{Auth: auth.Options{Argon2: auth.Argon2{Time: 1, Memory: 64, Threads: 1}}})
	if err != nil {
		return nil, nil, nil, err
	}
	cleanup := func() { ap.Close(context.WithoutCancel(ctx)) }
	name := "bench-" + fmt.Sprint(time.Now().UnixNano())
	const pw = "webbench-password-123"
	if _, err := ap.Auth.CreateUser(ctx, name, auth.Admin, pw, "en"); err != nil {
		cleanup()
		return nil, nil, nil, err
	}
	sess, err := ap.Auth.Login(ctx, name, pw, netip.MustParseAddr("127.0.0.1"))
	if err != nil {
		cleanup()
		return nil, nil, nil, err
	}
	srv, err := httpapi.New(cfg, httpapi.Deps{Tracking: svc, App: ap, Consents: st})
	if err != nil {
		cleanup()
		return nil, nil, nil, err
	}
	return srv.Handler(), &http.Cookie{Name: httpapi.SessionCookie, Value: sess.Secret}, cleanup, nil
}

// planned is a page to measure: its name and the paths rendered in turn
// (a profile page visits many customers).
type planned struct {
	name  string
	list  bool
	paths []string
}

func (p planned) path(i int) string { return p.paths[i%len(p.paths)] }

// plan is every page measured, with paths chosen from the shop's data.
func plan(ctx context.Context, st *store.DB) ([]planned, error) {
	ids, err := sampleIDs(ctx, st, 200)
	if err != nil {
		return nil, err
	}
	deep := ids[len(ids)*9/10]
	c, err := st.GetCustomer(ctx, ids[len(ids)/2])
	if err != nil {
		return nil, err
	}
	// A common search (a frequent name part) and a rare one (a whole
	// e-mail address: one match, the whole table searched).
	common := firstRunes(c.Name, 1)
	rare := c.Email
	if rare == "" {
		rare = c.ID
	}
	profiles := make([]string, 0, 50)
	for _, id := range ids[:min(50, len(ids))] {
		profiles = append(profiles, "/customers/"+url.PathEscape(id))
	}
	q := func(k, v string) string { return url.Values{k: {v}}.Encode() }
	return []planned{
		{name: "dashboard", paths: []string{"/"}},
		{name: "customers, first page", list: true, paths: []string{"/customers"}},
		{name: "customers, a deep page", list: true, paths: []string{"/customers?" + q("after", deep)}},
		{name: "customers, search (common)", list: true, paths: []string{"/customers?" + q("q", common)}},
		{name: "customers, search (rare)", list: true, paths: []string{"/customers?" + q("q", rare)}},
		{name: "customer profile (50 customers)", list: true, paths: profiles},
		{name: "segments", list: true, paths: []string{"/segments"}},
		{name: "segment page (live count)", list: true, paths: []string{"/segments/champions", "/segments/email_buyers", "/segments/at_risk"}},
		{name: "compliance (suppressions)", list: true, paths: []string{"/compliance"}},
		{name: "compliance, skips of a campaign", list: true, paths: []string{"/compliance?campaign=bench"}},
		{name: "settings", list: true, paths: []string{"/settings"}},
	}, nil
}

func firstRunes(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// measure renders p n times (after the warm-up) and takes its figures.
func measure(h http.Handler, cookie *http.Cookie, p planned, n int) (Page, error) {
	m := Page{Name: p.name, Path: p.paths[0], List: p.list}
	if len(p.paths) > 1 {
		m.Path = fmt.Sprintf("%s … (%d paths)", p.paths[0], len(p.paths))
	}
	d, _, err := render(h, cookie, p.path(0))
	if err != nil {
		return m, fmt.Errorf("%s: %w", p.name, err)
	}
	m.FirstMs = ms(d)
	ds := make([]time.Duration, n)
	for i := range n {
		var size int
		ds[i], size, err = render(h, cookie, p.path(i))
		if err != nil {
			return m, fmt.Errorf("%s: %w", p.name, err)
		}
		m.Bytes = size
	}
	slices.Sort(ds)
	m.P50Ms, m.P95Ms, m.MaxMs = ms(quantile(ds, 0.50)), ms(quantile(ds, 0.95)), ms(ds[len(ds)-1])
	return m, nil
}

// render answers one GET through h and times it; a status other than 200
// is an error.
func render(h http.Handler, cookie *http.Cookie, path string) (time.Duration, int, error) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.RemoteAddr = "127.0.0.1:40000"
	if cookie != nil {
		req.AddCookie(cookie)
	}
	w := httptest.NewRecorder()
	t0 := time.Now()
	h.ServeHTTP(w, req)
	d := time.Since(t0)
	if w.Code != http.StatusOK {
		return d, 0, apperr.New(apperr.Internal, "GET %s: status %d: %.300s", path, w.Code, w.Body.String())
	}
	return d, w.Body.Len(), nil
}

// quantile is the nearest-rank quantile of sorted ds.
func quantile(ds []time.Duration, q float64) time.Duration {
	i := int(float64(len(ds))*q+0.999999) - 1
	return ds[min(max(i, 0), len(ds)-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
