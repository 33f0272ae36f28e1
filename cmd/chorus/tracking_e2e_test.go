package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/tracking"
	"github.com/chorusmkt/chorus/internal/tracking/token"
)

// newServedRig is a campaign rig of 600 customers on SQLite, with extra
// configuration, for `chorus serve` on a loopback port it holds, which it
// returns:
// the tracking links point there, and as the test clients act within
// seconds of delivery, as a scanner would, the prefetch rule (covered by
// the tracking package's tests) is off.
func newServedRig(t *testing.T, extra string) (*campaignRig, *heldAddr) {
	t.Helper()
	held := holdAddr(t)
	addr := held.addr
	r := newCampaignRig(t, "sqlite", 600, fmt.Sprintf("server:\n  addr: %q\n", addr)+extra)
	cfgText, _ := os.ReadFile(r.cfg)
	cfgText = bytes.Replace(cfgText, []byte(`base_url: "http://127.0.0.1:8089"`), []byte(`base_url: "http://`+addr+`"`), 1)
	cfgText = bytes.Replace(cfgText, []byte("tracking:\n"), []byte("tracking:\n  machine:\n    prefetch_window: 0s\n"), 1)
	if err := os.WriteFile(r.cfg, cfgText, 0o600); err != nil {
		t.Fatal(err)
	}
	return r, held
}

// freeAddr returns a loopback address with a port nobody listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// heldAddr is a loopback port the test holds from before the address goes
// into the configuration (and so into every tracking link) until a server
// serves on it, and again between two servers: a port picked and closed
// (freeAddr) can be taken by another process, another package's test
// server, in the seconds before the server listens.
type heldAddr struct {
	addr string
	ln   net.Listener
}

func holdAddr(t *testing.T) *heldAddr {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := &heldAddr{addr: ln.Addr().String(), ln: ln}
	t.Cleanup(func() {
		if h.ln != nil {
			h.ln.Close()
		}
	})
	return h
}

// take hands the held listener to a server (which closes it when it stops).
func (h *heldAddr) take(t *testing.T) net.Listener {
	t.Helper()
	if h.ln == nil {
		h.hold(t)
	}
	ln := h.ln
	h.ln = nil
	return ln
}

// hold listens on the address again once a server let it go.
func (h *heldAddr) hold(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", h.addr)
	if err != nil {
		t.Fatalf("hold %s again: %v", h.addr, err)
	}
	h.ln = ln
}

// serving runs `chorus serve` in-process on h until the returned stop is
// called; stop waits for the server's shutdown (what the server holds is
// written), holds the port again and returns the server's error.
func (r *campaignRig) serving(t *testing.T, h *heldAddr) (stop func() error) {
	t.Helper()
	addr := h.addr
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut bytes.Buffer
	done := make(chan error, 1)
	a := cli{env: r.env}.app(&out, &errOut)
	a.listener = h.take(t)
	go func() {
		root := a.root()
		root.SetArgs([]string{"--config", r.cfg, "serve", "--addr", addr})
		done <- root.ExecuteContext(ctx)
	}()
	waitFor(t, "chorus serve to answer", time.Minute, func() bool {
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\n%s", err, errOut.String())
		default:
		}
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		err := <-done
		h.hold(t)
		if err != nil {
			t.Logf("serve log:\n%s", errOut.String())
		}
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

// script draws a recipient's scripted behaviour from a hash of her id, so
// the truth is known before the client acts.
func script(id, what string) float64 {
	h := fnv.New64a()
	h.Write([]byte(id + "/" + what))
	return float64(h.Sum64()%10000) / 10000
}

// truth is what the test client did, per variant (and the holdout).
type truth struct {
	recipients, delivered, opens, clicks, conversions, unsubscribes int64
	revenue                                                         float64
	machineOnlyOpens                                                int64
}

var (
	pixelRE = regexp.MustCompile(`<img[^>]+src="([^"]*/t/o/[^"]+)"`)
	linkRE  = regexp.MustCompile(`href="([^"]*/t/c/[^"]+)"`)
	unsubRE = regexp.MustCompile(`<(https?://[^>]+)>`)
)

// TestTrackingEndToEnd is issue 14's end-to-end check. An A/B email
// campaign with a 10% holdout goes to Mailpit through `chorus serve`'s
// in-process workers. A test client reads every message from Mailpit's
// API, fetches the open pixel and follows a link at scripted rates per
// variant (with Apple Mail Privacy Protection fetches and scanner HEADs
// that must not count), unsubscribes some recipients with an RFC 8058
// one-click POST to the parsed List-Unsubscribe URL, and purchases are
// imported for some clickers (some partly refunded), some non-clickers and
// some of the holdout. `campaign report --json` must equal the scripted
// truth exactly, and a later campaign must reach no one who unsubscribed.
func TestTrackingEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a campaign against Mailpit")
	}
	r, held := newServedRig(t, "")
	addr := held.addr
	brief := filepath.Join(filepath.Dir(r.cfg), "brief.yaml")
	r.must(t, "campaign", "create", "e2e", "--segment", "everyone", "--channels", "email", "--variants", "2", "--holdout", "10", "--brief", brief)
	r.must(t, "campaign", "launch", "e2e")
	stop := r.serving(t, held)
	waitFor(t, "the campaign's sends", 5*time.Minute, func() bool {
		st := r.status(t, "e2e")
		return st.Counts[campaign.SendPending] == 0
	})

	ctx := context.Background()
	st, err := store.Open(ctx, r.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.GetCampaign(ctx, "e2e")
	if err != nil {
		t.Fatal(err)
	}
	variantOf, emailOf := map[string]string{}, map[string]string{}
	sendsByID := map[int64]campaign.Send{}
	want := map[string]*truth{"A": {}, "B": {}, "holdout": {}}
	treated := map[string]bool{}
	var holdout []string
	if err := st.ListSends(ctx, c.ID, "", 0, 0, func(s campaign.Send) error {
		if s.State == campaign.SendHoldout {
			want["holdout"].recipients++
			holdout = append(holdout, s.CustomerID)
			return nil
		}
		variantOf[s.CustomerID] = s.Variant
		sendsByID[s.ID] = s
		want[s.Variant].recipients++
		treated[s.CustomerID] = true
		cu, err := st.GetCustomer(ctx, s.CustomerID)
		if err != nil {
			return err
		}
		emailOf[s.CustomerID] = cu.Email
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	msgs, err := r.mp.Messages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	codec, _ := token.New(testTrackingSecret)
	rates := map[string]struct{ open, click float64 }{"A": {0.6, 0.4}, "B": {0.5, 0.6}}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(method, u, agent string, body io.Reader) *http.Response {
		req, _ := http.NewRequest(method, u, body)
		req.Header.Set("User-Agent", agent)
		if body != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	const person = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.3.0"
	clicked, unsubscribed := map[string]bool{}, map[string]string{}
	for _, m := range msgs {
		d, err := r.mp.Message(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		px, links := pixelRE.FindStringSubmatch(d.HTML), linkRE.FindAllStringSubmatch(d.HTML, -1)
		if px == nil || len(links) == 0 {
			t.Fatalf("message %s has no pixel or tracked link:\n%s", m.ID, d.HTML)
		}
		// the pixel's token names the send (demo customers share addresses)
		cl, err := codec.Verify(strings.TrimPrefix(htmlUnescape(px[1]), "http://"+addr+token.OpenPath), token.Open)
		if err != nil {
			t.Fatalf("pixel token: %v", err)
		}
		sd, ok := sendsByID[mustID(cl.SendID)]
		id, v := sd.CustomerID, sd.Variant
		if !ok || cl.Variant != v || !strings.EqualFold(emailOf[id], m.To[0].Address) {
			t.Fatalf("message to %s: token %+v names send %+v", m.To[0].Address, cl, sd)
		}
		w := want[v]
		w.delivered++
		if script(id, "mpp") < 0.2 { // Apple's proxy fetches the pixel whether she reads or not
			if resp := get("GET", htmlUnescape(px[1]), "Mozilla/5.0", nil); resp.StatusCode != 200 {
				t.Fatalf("pixel: %d", resp.StatusCode)
			}
		}
		link := htmlUnescape(links[0][1])
		if script(id, "scanner") < 0.1 { // a gateway checks the link
			if resp := get("HEAD", link, person, nil); resp.StatusCode != http.StatusFound {
				t.Fatalf("scanner HEAD: %d", resp.StatusCode)
			}
		}
		opened := script(id, "open") < rates[v].open
		if opened {
			w.opens++
			get("GET", htmlUnescape(px[1]), person, nil)
			get("GET", htmlUnescape(px[1]), person, nil) // opened twice: one person
			if script(id, "click") < rates[v].click {
				w.clicks++
				clicked[id] = true
				resp := get("GET", link, person, nil)
				lc, _ := codec.Verify(strings.TrimPrefix(link, "http://"+addr+token.ClickPath), token.Click)
				if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != lc.URL || !strings.Contains(lc.URL, "utm_source=chorus") {
					t.Fatalf("click: %d → %q, signed %q", resp.StatusCode, resp.Header.Get("Location"), lc.URL)
				}
			}
		} else if script(id, "mpp") < 0.2 {
			w.machineOnlyOpens++
		}
		if script(id, "unsub") < 0.08 {
			u := unsubRE.FindStringSubmatch(d.ListUnsubscribe.Header)
			if u == nil || d.ListUnsubscribe.HeaderPost != "List-Unsubscribe=One-Click" {
				t.Fatalf("List-Unsubscribe %q / %q", d.ListUnsubscribe.Header, d.ListUnsubscribe.HeaderPost)
			}
			if resp := get("POST", u[1], "Mozilla/5.0 (Linux) Gmail", strings.NewReader("List-Unsubscribe=One-Click")); resp.StatusCode != 200 {
				t.Fatalf("one-click unsubscribe: %d", resp.StatusCode)
			}
			w.unsubscribes++
			unsubscribed[id] = m.To[0].Address
		}
	}
	if err := stop(); err != nil { // SIGTERM's path: the held hits are written
		t.Fatalf("serve: %v", err)
	}

	// purchases: half the clickers (a fifth of them partly refunded), a few
	// who did not click, and some of the holdout
	now := time.Now().UTC().Truncate(time.Second).Add(time.Minute) // after every click, at the second
	var rows [][]string
	buyers := map[string]float64{} // treated, in the window, by customer
	order := 0
	buy := func(id string, amount, refund float64) {
		order++
		oid := fmt.Sprintf("E2E-%04d", order)
		rows = append(rows, []string{id, "purchase", "CN-PHOTO-BAG01", fmt.Sprintf("%.2f", amount), oid, now.Format(time.RFC3339)})
		if refund > 0 {
			rows = append(rows, []string{id, "refund", "CN-PHOTO-BAG01", fmt.Sprintf("-%.2f", refund), oid, now.Add(time.Minute).Format(time.RFC3339)})
		}
	}
	ids := make([]string, 0, len(treated))
	for id := range treated {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		v := want[variantOf[id]]
		amount := 100 + math.Floor(script(id, "amount")*50)
		switch {
		case clicked[id] && script(id, "buy") < 0.5:
			refund := 0.0
			if script(id, "refund") < 0.2 {
				refund = 30
			}
			buy(id, amount, refund)
			v.conversions++
			v.revenue += amount - refund
			buyers[id] = amount - refund
		case !clicked[id] && script(id, "buy") < 0.03:
			buy(id, amount, 0)
			buyers[id] = amount
		}
	}
	var holdoutConv int64
	var holdoutRev float64
	for _, id := range holdout {
		if script(id, "buy") < 0.15 {
			buy(id, 80, 0)
			holdoutConv++
			holdoutRev += 80
		}
	}
	file := filepath.Join(t.TempDir(), "orders.csv")
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write([]string{"customer_id", "type", "sku", "amount", "order_id", "occurred_at"})
	_ = cw.WriteAll(rows)
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	r.must(t, "import", "events", file)

	var rep tracking.Report
	if err := json.Unmarshal([]byte(r.must(t, "campaign", "report", "e2e", "--json")), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Variants) != 2 {
		t.Fatalf("variants: %+v", rep.Variants)
	}
	for _, cell := range rep.Variants {
		w := want[cell.Variant]
		got := truth{cell.Recipients, cell.Delivered, cell.Opens, cell.Clicks, cell.Conversions, cell.Unsubscribes, cell.Revenue, cell.MachineOpens}
		if got.revenue = math.Round(got.revenue*100) / 100; got != *w {
			t.Errorf("variant %s: report %+v\nscripted truth    %+v", cell.Variant, got, *w)
		} else {
			t.Logf("variant %s = truth: %d recipients, %d delivered, %d opens (%d machine-only left out), %d clicks, %d conversions, revenue %.2f, %d unsubscribes",
				cell.Variant, w.recipients, w.delivered, w.opens, w.machineOnlyOpens, w.clicks, w.conversions, w.revenue, w.unsubscribes)
		}
	}
	if rep.Holdout == nil || rep.Holdout.Recipients != want["holdout"].recipients {
		t.Fatalf("holdout: %+v, want %d recipients", rep.Holdout, want["holdout"].recipients)
	}
	l := rep.Lift
	if l == nil {
		t.Fatalf("no lift: %v", rep.Warnings)
	}
	var trev float64
	for _, v := range buyers {
		trev += v
	}
	if l.Holdout.Conversions != holdoutConv || math.Abs(l.Holdout.Revenue-holdoutRev) > 1e-6 ||
		l.Treated.Recipients != int64(len(treated)) || l.Treated.Conversions != int64(len(buyers)) || math.Abs(l.Treated.Revenue-trev) > 1e-6 {
		t.Errorf("lift arms: treated %+v holdout %+v; want treated %d/%d %.2f, holdout %d %.2f",
			l.Treated, l.Holdout, len(buyers), len(treated), trev, holdoutConv, holdoutRev)
	}
	wantEst := float64(len(buyers))/float64(len(treated)) - float64(holdoutConv)/float64(len(holdout))
	if math.Abs(l.Estimate.Estimate-wantEst) > 1e-12 || !(l.CILow < l.Estimate.Estimate && l.Estimate.Estimate < l.CIHigh) || l.PValue <= 0 || l.PValue > 1 {
		t.Errorf("lift %+v, want estimate %.6f inside its interval", l.Estimate, wantEst)
	}
	if rep.Method != "fixed_horizon" || rep.Test == nil {
		t.Errorf("method %s, test %v", rep.Method, rep.Test != nil)
	}
	t.Logf("lift: %+.4f (95%% CI %+.4f … %+.4f), p = %.4g; treated %d/%d, holdout %d/%d",
		l.Estimate.Estimate, l.CILow, l.CIHigh, l.PValue, len(buyers), len(treated), holdoutConv, len(holdout))

	// a later campaign reaches no one who unsubscribed
	if len(unsubscribed) == 0 {
		t.Fatal("the script unsubscribed nobody")
	}
	before := map[string]bool{}
	for _, m := range msgs {
		before[m.ID] = true
	}
	r.must(t, "campaign", "create", "later", "--segment", "everyone", "--channels", "email", "--brief", brief)
	r.must(t, "campaign", "launch", "later")
	stop = r.serving(t, held)
	waitFor(t, "the later campaign's sends", 5*time.Minute, func() bool { return r.status(t, "later").Counts[campaign.SendPending] == 0 })
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	after, err := r.mp.Messages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reached := 0
	for _, m := range after {
		if !before[m.ID] {
			reached++
		}
	}
	lc, _ := st.GetCampaign(ctx, "later")
	skipped, sentLater := 0, 0
	_ = st.ListSends(ctx, lc.ID, "", 0, 0, func(s campaign.Send) error {
		if s.State == campaign.SendSent {
			sentLater++
		}
		if _, ok := unsubscribed[s.CustomerID]; ok {
			if s.State != campaign.SendSkipped {
				t.Errorf("the later campaign's send to %s, who unsubscribed, is %s (%s)", s.CustomerID, s.State, s.Code)
			}
			skipped++
		}
		return nil
	})
	if reached != sentLater {
		t.Errorf("Mailpit got %d new messages, the later campaign sent %d", reached, sentLater)
	}
	cur := customer.CurrentConsent(must(st.Consents(ctx, firstKey(unsubscribed))))
	if cur.Granted("email", customer.PurposeMarketing) {
		t.Error("an unsubscribed customer still has email consent")
	}
	t.Logf("later campaign: %d messages, %d unsubscribed recipients skipped", reached, skipped)
}

func mustID(s string) int64 {
	id, _ := tracking.ParseSendID(s)
	return id
}

func firstKey(m map[string]string) string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks[0]
}

func htmlUnescape(s string) string { return strings.ReplaceAll(s, "&amp;", "&") }

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
