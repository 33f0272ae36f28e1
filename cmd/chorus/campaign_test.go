package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/campaign/worker"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/delivery"
	"github.com/chorusmkt/chorus/internal/delivery/deliverytest"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
	"github.com/chorusmkt/chorus/internal/tracking/token"
	"github.com/emersion/go-msgauth/dkim"
)

const (
	testTrackingSecret = "campaign-test-secret-0123456789abcdef"
	testWebhookSecret  = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
)

// campaignRig is a demo shop with Mailpit as the SMTP peer, a Standard
// Webhooks receiver as the SMS gateway, and a config file pointing at
// both.
type campaignRig struct {
	dsn, cfg string
	mp       *deliverytest.Mailpit
	rc       *deliverytest.Receiver
	env      map[string]string
}

func newCampaignRig(t *testing.T, engine string, customers int, extra string) *campaignRig {
	t.Helper()
	mp := deliverytest.StartMailpit(t, deliverytest.MailpitOptions{})
	return newCampaignRigOn(t, engine, customers, mp.SMTPAddr, mp, extra)
}

// newCampaignRigOn is newCampaignRig with email going to smtpAddr.
func newCampaignRigOn(t *testing.T, engine string, customers int, smtpAddr string, mp *deliverytest.Mailpit, extra string) *campaignRig {
	t.Helper()
	rc := deliverytest.NewReceiver(t, testWebhookSecret)
	t.Cleanup(rc.Close)
	st, dsn := storetest.OpenWithDSN(t, engine)
	if _, err := demo.Build(context.Background(), st, demo.Options{Customers: customers}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "chorus.yaml")
	yaml := fmt.Sprintf(`db: %q
delivery:
  email:
    smtp: "smtp://%s?tls=none"
    from: "Lumen & Co <news@lumen.example>"
    retry: [200ms, 500ms, 1s, 2s, 3s, 5s, 5s, 5s, 5s, 5s, 5s, 5s, 5s, 5s]
  webhooks:
    sms:
      url: %q
      secret: %q
tracking:
  base_url: "http://127.0.0.1:8089"
  secret: %q
queue:
  job_timeout: 10s
  rescue_after: 11s
  poll_interval: 100ms
  drain_timeout: 10s
%s`, dsn, smtpAddr, rc.URL, testWebhookSecret, testTrackingSecret, extra)
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	brief := filepath.Join(dir, "brief.yaml")
	if err := os.WriteFile(brief, []byte(`name: kill-test
goal: 双11前唤醒老客
language: zh
offer:
  text: 全场8折
  text_en: 20% off everything
  discount: 8折
  deadline: 2026-11-11
landing_url: https://shop.example.com/double11
sender: 【Lumen & Co】
`), 0o600); err != nil {
		t.Fatal(err)
	}
	r := &campaignRig{dsn: dsn, cfg: cfg, mp: mp, rc: rc, env: map[string]string{"CHORUS_COMPLIANCE_SEND_WINDOW_SMS": "off"}}
	r.must(t, "segment", "create", "everyone", "--expr", "true")
	return r
}

func (r *campaignRig) run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	root := cli{env: r.env}.app(&out, &errOut).root()
	root.SetArgs(append([]string{"--config", r.cfg}, args...))
	err := root.ExecuteContext(context.Background())
	if err != nil {
		return out.String() + errOut.String(), err
	}
	return out.String(), nil
}

func (r *campaignRig) must(t *testing.T, args ...string) string {
	t.Helper()
	out, err := r.run(t, args...)
	if err != nil {
		t.Fatalf("chorus %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func (r *campaignRig) status(t *testing.T, name string) campaign.Status {
	t.Helper()
	var st campaign.Status
	if err := json.Unmarshal([]byte(r.must(t, "campaign", "status", name, "--json")), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// startWorker runs `chorus worker` in a child process.
func (r *campaignRig) startWorker(t *testing.T, id string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildProcess$")
	cmd.Env = append(os.Environ(), childArgsEnv+"="+strings.Join([]string{"--config", r.cfg, "worker", "--id", id}, "\n"),
		"CHORUS_COMPLIANCE_SEND_WINDOW_SMS=off")
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			_ = cmd.Wait()
		}
		if t.Failed() {
			lines := strings.Split(logs.String(), "\n")
			t.Logf("worker %s log (last lines):\n%s", id, strings.Join(lines[max(0, len(lines)-15):], "\n"))
		}
	})
	return cmd
}

// watchInvariant polls the campaign until stop is closed and fails the
// test if it is ever completed with a recipient pending.
func (r *campaignRig) watchInvariant(t *testing.T, name string, stop chan struct{}) *sync.WaitGroup {
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Millisecond):
			}
			out, err := r.run(t, "campaign", "status", name, "--json")
			if err != nil {
				continue // the database may be busy while a worker dies
			}
			var st campaign.Status
			if json.Unmarshal([]byte(out), &st) == nil && st.State == campaign.Completed && st.Counts[campaign.SendPending] > 0 {
				t.Errorf("campaign completed with %d pending", st.Counts[campaign.SendPending])
			}
		}
	})
	return &wg
}

// waitFor polls cond until it holds, failing after a generous liveness
// bound (not a timing assertion).
func waitFor(t *testing.T, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s after %s", what, limit)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestCampaignKillAndResume is issue 13's kill-and-resume check: an
// email+SMS campaign to the demo shop goes to Mailpit and the webhook
// receiver while its worker is killed with SIGKILL (once here, twice at
// 20,000 recipients under CHORUS_TEST_SLOW=1), then restarted. Every
// recipient ends terminal, each (recipient, channel) has exactly one
// distinct Message-ID or webhook-id at the peer, the sent counts equal the
// peers' distinct ids, and the campaign is never completed while anything
// is pending. On PostgreSQL two worker processes share the campaign.
func TestCampaignKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("runs worker processes against Mailpit")
	}
	customers, kills := 2000, 1
	if os.Getenv("CHORUS_TEST_SLOW") != "" {
		customers, kills = 20000, 2
	}
	for _, tc := range []struct {
		engine  string
		workers int
	}{{"sqlite", 1}, {"postgres", 2}} {
		t.Run(tc.engine, func(t *testing.T) {
			r := newCampaignRig(t, tc.engine, customers, "")
			r.must(t, "campaign", "create", "kill", "--segment", "everyone", "--channels", "email,sms", "--mode", "all",
				"--brief", filepath.Join(filepath.Dir(r.cfg), "brief.yaml"), "--holdout", "5")
			r.must(t, "campaign", "launch", "kill")
			st := r.status(t, "kill")
			if st.Total < customers || st.Counts[campaign.SendPending] == 0 {
				t.Fatalf("after launch: %+v", st)
			}
			stop := make(chan struct{})
			wg := r.watchInvariant(t, "kill", stop)
			var workers []*exec.Cmd
			for i := range tc.workers {
				workers = append(workers, r.startWorker(t, fmt.Sprintf("w%d", i)))
			}
			start := time.Now()
			for k := range kills {
				// kill the first worker once a share more of the sends is out
				target := (k + 1) * st.Counts[campaign.SendPending] / (kills + 2)
				waitFor(t, "sends before a kill", 5*time.Minute, func() bool {
					return r.status(t, "kill").Counts[campaign.SendSent] >= target
				})
				if err := workers[0].Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
				_ = workers[0].Wait()
				t.Logf("killed worker 0 at %d sent (%s)", r.status(t, "kill").Counts[campaign.SendSent], time.Since(start).Round(time.Millisecond))
				workers[0] = r.startWorker(t, fmt.Sprintf("w0-%d", k+1))
			}
			waitFor(t, "the campaign to complete", 10*time.Minute, func() bool { return r.status(t, "kill").State == campaign.Completed })
			close(stop)
			wg.Wait()
			final := r.status(t, "kill")
			t.Logf("completed in %s: %v, resends %d, by channel %v", time.Since(start).Round(time.Millisecond), final.Counts, final.Resends, final.ByChannel)
			if final.Counts[campaign.SendPending] != 0 {
				t.Fatalf("pending after completion: %+v", final.Counts)
			}
			// the peers: exactly one distinct id per sent row, per channel
			ctx := context.Background()
			msgs, err := r.mp.Messages(ctx)
			if err != nil {
				t.Fatal(err)
			}
			distinct := map[string]int{}
			for _, m := range msgs {
				distinct[m.MessageID]++
			}
			sent := map[string]map[string]bool{"email": {}, "sms": {}}
			st2, err := store.Open(ctx, r.dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer st2.Close()
			c, err := st2.GetCampaign(ctx, "kill")
			if err != nil {
				t.Fatal(err)
			}
			err = st2.ListSends(ctx, c.ID, campaign.SendSent, 0, 0, func(sd campaign.Send) error {
				if sent[sd.Channel][sd.MessageID] {
					t.Errorf("message id %s recorded twice", sd.MessageID)
				}
				sent[sd.Channel][sd.MessageID] = true
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(distinct) != len(sent["email"]) {
				t.Errorf("Mailpit holds %d distinct Message-IDs (%d messages), %d email sends recorded sent", len(distinct), len(msgs), len(sent["email"]))
			}
			for id := range sent["email"] {
				if distinct[id] == 0 {
					t.Errorf("sent %s is not at Mailpit", id)
					break
				}
			}
			ids := r.rc.IDs()
			accepted := r.rc.Stats().AcceptedIDs
			if accepted != len(sent["sms"]) {
				t.Errorf("receiver accepted %d distinct webhook-ids, %d sms sends recorded sent", accepted, len(sent["sms"]))
			}
			for id := range sent["sms"] {
				if ids[id] == 0 {
					t.Errorf("sent %s never reached the receiver", id)
					break
				}
			}
			dupEmail := len(msgs) - len(distinct)
			t.Logf("peers: %d emails (%d distinct, %d repeated Message-IDs), %d webhook requests (%d distinct ids); campaign counts resends %d",
				len(msgs), len(distinct), dupEmail, r.rc.Stats().Verified, len(ids), final.Resends)
		})
	}
}

// TestCampaignFaults: 30% of the SMTP replies are 454 or 421 and the
// peer is down for a while mid-campaign (20 s under CHORUS_TEST_SLOW=1):
// nothing is lost, nothing fails, and the campaign completes once the
// peer is back, with every sent row's Message-ID stored at the peer.
func TestCampaignFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a worker process against a fault-injecting SMTP server")
	}
	outage := 5 * time.Second
	if os.Getenv("CHORUS_TEST_SLOW") != "" {
		outage = 20 * time.Second
	}
	srv, err := deliverytest.NewSMTPServer(deliverytest.WithFaults(deliverytest.Faults{Replies: map[int]float64{454: 0.15, 421: 0.15}, Seed: 13}))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	r := newCampaignRigOn(t, "sqlite", 1000, srv.Addr, nil, "")
	r.must(t, "campaign", "create", "faults", "--segment", "everyone", "--channels", "email", "--brief", filepath.Join(filepath.Dir(r.cfg), "brief.yaml"))
	r.must(t, "campaign", "launch", "faults")
	total := r.status(t, "faults").Counts[campaign.SendPending]
	// the worker runs in this process with a limiter that slows a
	// throttling domain gently: the fault server throttles 30% of
	// messages at random whatever our rate, which the default limiter
	// would answer by crawling at 0.2 messages/s per domain
	stopWorker := r.inProcessWorker(t, &delivery.LimiterConfig{ThrottleFactor: 0.9, MinRate: 100, Recovery: time.Second})
	defer stopWorker()
	waitFor(t, "a third of the sends", 5*time.Minute, func() bool { return r.status(t, "faults").Counts[campaign.SendSent] >= total/3 })
	if err := srv.SetDown(true); err != nil {
		t.Fatal(err)
	}
	atDown := r.status(t, "faults").Counts[campaign.SendSent]
	time.Sleep(outage) // the scripted outage of the peer
	duringDown := r.status(t, "faults").Counts[campaign.SendSent]
	if err := srv.SetDown(false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the campaign to complete", 10*time.Minute, func() bool { return r.status(t, "faults").State == campaign.Completed })
	st := r.status(t, "faults")
	stats := srv.Stats()
	t.Logf("sent %d of %d (%d at the outage, %d when it ended); server: %d messages, %d accepted, %d distinct, %d repeated, replies %v; resends %d",
		st.Counts[campaign.SendSent], total, atDown, duringDown, stats.Messages, stats.Accepted, stats.Distinct, stats.Repeated, stats.Replies, st.Resends)
	if st.Counts[campaign.SendSent] != total || st.Counts[campaign.SendFailed] != 0 || st.Counts[campaign.SendPending] != 0 {
		t.Fatalf("lost sends: %+v (failed by reason %v)", st.Counts, st.Failed)
	}
	if stats.Replies[454]+stats.Replies[421] == 0 {
		t.Fatalf("the server injected no faults: %v", stats.Replies)
	}
	accepted := map[string]bool{}
	for _, rcv := range srv.Received() {
		if rcv.Accepted {
			accepted[rcv.MessageID] = true
		}
	}
	if len(accepted) != total {
		t.Fatalf("%d distinct Message-IDs accepted at the peer, %d sends", len(accepted), total)
	}
}

// inProcessWorker runs the campaign worker in this process on the rig's
// configuration, with limiter replacing the configured one; the returned
// function stops it.
func (r *campaignRig) inProcessWorker(t *testing.T, limiter *delivery.LimiterConfig) func() {
	return r.inProcessWorkerWith(t, worker.Options{Limiter: limiter})
}

func (r *campaignRig) inProcessWorkerWith(t *testing.T, opts worker.Options) func() {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Load(r.cfg, func(k string) (string, bool) { v, ok := r.env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, r.dsn)
	if err != nil {
		t.Fatal(err)
	}
	opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	w, err := worker.New(ctx, cfg, st, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Start(ctx); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			_ = w.Stop()
			st.Close()
		})
	}
	t.Cleanup(stop)
	return stop
}

// TestCampaignPolicyAndMail launches an email+SMS campaign and then, before
// any send, revokes one customer's email consent, suppresses another's
// address and fills a third one's weekly cap; the worker's clock stands at
// 03:00 in Shanghai, outside the SMS window there. Each is honoured at
// send time and counted by reason. The mail that goes out parses with
// net/mail and mime/multipart into text and HTML parts, carries RFC 8058
// headers whose URL holds a token that verifies, and a DKIM signature
// that verifies.
func TestCampaignPolicyAndMail(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a worker against Mailpit")
	}
	dir := t.TempDir()
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "dkim.pem")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	r := newCampaignRig(t, "sqlite", 200, "")
	b, _ := os.ReadFile(r.cfg)
	y := strings.Replace(string(b), "    retry:", fmt.Sprintf("    dkim:\n      key_file: %q\n      selector: chorus\n      domain: lumen.example\n    retry:", keyFile), 1)
	if err := os.WriteFile(r.cfg, []byte(y), 0o600); err != nil {
		t.Fatal(err)
	}
	delete(r.env, "CHORUS_COMPLIANCE_SEND_WINDOW_SMS") // the default SMS window, 08:00-21:00 local
	// the worker's clock: 19:00 UTC (03:00 in Shanghai) on a day after the
	// launch, so every send is due
	now := time.Now().UTC().Truncate(24 * time.Hour).Add(24*time.Hour + 19*time.Hour)
	r.must(t, "campaign", "create", "policy", "--segment", "everyone", "--channels", "email,sms", "--mode", "all",
		"--brief", filepath.Join(filepath.Dir(r.cfg), "brief.yaml"))
	r.must(t, "campaign", "launch", "policy")

	ctx := context.Background()
	st, err := store.Open(ctx, r.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, _ := st.GetCampaign(ctx, "policy")
	var emailRows []campaign.Send
	_ = st.ListSends(ctx, c.ID, campaign.SendPending, 0, 0, func(sd campaign.Send) error {
		if sd.Channel == "email" {
			emailRows = append(emailRows, sd)
		}
		return nil
	})
	if len(emailRows) < 3 {
		t.Fatalf("only %d pending email rows", len(emailRows))
	}
	revoked, suppressed, capped := emailRows[0].CustomerID, emailRows[1].CustomerID, emailRows[2].CustomerID
	if _, err := st.AddConsents(ctx, []customer.Consent{{CustomerID: revoked, Channel: "email", Status: customer.Revoked, At: now.Add(-time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	sc, _ := st.GetCustomer(ctx, suppressed)
	r.must(t, "suppress", "add", sc.Email, "--reason", "complaint")
	var prior []policy.Send
	for i := range 3 {
		prior = append(prior, policy.Send{CustomerID: capped, Channel: "push", Purpose: "marketing", SentAt: now.Add(-time.Duration(i+1) * time.Hour)})
	}
	if _, err := st.AddSends(ctx, prior); err != nil {
		t.Fatal(err)
	}
	stop := r.inProcessWorkerAt(t, func() time.Time { return now })
	polls := 0
	waitFor(t, "the campaign to complete", 2*time.Minute, func() bool {
		st := r.status(t, "policy")
		if polls++; polls%50 == 0 {
			t.Logf("waiting: %s %v skipped %v next %s", st.State, st.Counts, st.Skipped, st.NextAt)
		}
		return st.State == campaign.Completed
	})
	stop()
	status := r.status(t, "policy")
	t.Logf("counts %v, skipped %v", status.Counts, status.Skipped)
	rowOf := func(id, ch string) campaign.Send {
		var out campaign.Send
		_ = st.ListSends(ctx, c.ID, "", 0, 0, func(sd campaign.Send) error {
			if sd.CustomerID == id && sd.Channel == ch {
				out = sd
			}
			return nil
		})
		return out
	}
	for _, tc := range []struct{ id, code string }{{revoked, "consent_revoked"}, {suppressed, "suppressed"}, {capped, "cap_all_week"}} {
		if got := rowOf(tc.id, "email"); got.State != campaign.SendSkipped || got.Code != tc.code {
			t.Errorf("%s email: %s %s, want skipped %s", tc.id, got.State, got.Code, tc.code)
		}
	}
	// SMS: skipped for quiet hours exactly where 03:00 UTC+8 … is outside 08-21 local
	quiet, sentSMS := 0, 0
	err = st.ListSends(ctx, c.ID, "", 0, 0, func(sd campaign.Send) error {
		if sd.Channel != "sms" || (sd.State != campaign.SendSent && sd.Code != "quiet_hours") {
			return nil
		}
		cu, _ := st.GetCustomer(ctx, sd.CustomerID)
		zone := cu.TimeZone
		if zone == "" {
			zone = "Asia/Shanghai"
		}
		loc, err := time.LoadLocation(zone)
		if err != nil {
			return err
		}
		h := now.In(loc).Hour()
		open := h >= 8 && h < 21
		switch {
		case sd.State == campaign.SendSent && !open:
			t.Errorf("%s got an SMS at %02d:00 local (%s)", sd.CustomerID, h, zone)
		case sd.Code == "quiet_hours" && open:
			t.Errorf("%s skipped for quiet hours at %02d:00 local (%s)", sd.CustomerID, h, zone)
		}
		if sd.Code == "quiet_hours" {
			quiet++
		} else {
			sentSMS++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if quiet == 0 || status.Skipped["quiet_hours"] != quiet || status.Skipped["consent_revoked"] == 0 || status.Skipped["suppressed"] == 0 || status.Skipped["cap_all_week"] == 0 {
		t.Errorf("skips by reason: %v (quiet %d, sms sent %d)", status.Skipped, quiet, sentSMS)
	}

	// the mail itself
	codec, err := token.New(testTrackingSecret)
	if err != nil {
		t.Fatal(err)
	}
	list, err := r.mp.Messages(ctx)
	if err != nil || len(list) == 0 {
		t.Fatalf("mailbox: %d, %v", len(list), err)
	}
	distinct := map[string]bool{}
	for _, m := range list {
		distinct[m.MessageID] = true
	}
	// a repeat is a retry after an unknown outcome (a timeout under a slow
	// machine): it carries the same Message-ID and is counted as a resend
	if len(distinct) != status.ByChannel["email"][campaign.SendSent] || len(list)-len(distinct) > status.Resends {
		t.Errorf("%d messages (%d distinct Message-IDs) at Mailpit, %d email sends sent, %d resends counted",
			len(list), len(distinct), status.ByChannel["email"][campaign.SendSent], status.Resends)
	}
	lookup := &dkim.VerifyOptions{LookupTXT: func(domain string) ([]string, error) {
		if domain != "chorus._domainkey.lumen.example" {
			return nil, fmt.Errorf("no TXT record for %s", domain)
		}
		return []string{"v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(pub)}, nil
	}}
	for _, sum := range list[:min(len(list), 20)] {
		raw, err := r.mp.Raw(ctx, sum.ID)
		if err != nil {
			t.Fatal(err)
		}
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("net/mail: %v", err)
		}
		mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
		if err != nil || mt != "multipart/alternative" {
			t.Fatalf("Content-Type %q: %v", msg.Header.Get("Content-Type"), err)
		}
		parts := map[string]string{}
		mr := multipart.NewReader(msg.Body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			body, _ := io.ReadAll(p)
			if p.Header.Get("Content-Transfer-Encoding") == "base64" {
				body, _ = base64.StdEncoding.DecodeString(strings.ReplaceAll(string(body), "\r\n", ""))
			}
			ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
			parts[ct] = string(body)
		}
		if parts["text/plain"] == "" || !strings.Contains(parts["text/html"], "</html>") {
			t.Fatalf("parts: %v", slices.Collect(maps.Keys(parts)))
		}
		if strings.Contains(parts["text/plain"]+parts["text/html"], "{{") {
			t.Errorf("an unfilled slot in %s", sum.MessageID)
		}
		lu := msg.Header.Get("List-Unsubscribe")
		if msg.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || !strings.HasPrefix(lu, "<http://127.0.0.1:8089/u/") {
			t.Fatalf("RFC 8058 headers: %q / %q", lu, msg.Header.Get("List-Unsubscribe-Post"))
		}
		tok := strings.TrimSuffix(strings.TrimPrefix(lu, "<http://127.0.0.1:8089/u/"), ">")
		cl, err := codec.Verify(tok, token.Unsubscribe)
		if err != nil || cl.Campaign != "policy" || cl.Channel != "email" || cl.SendID == "" {
			t.Fatalf("unsubscribe token: %+v, %v", cl, err)
		}
		if !strings.Contains(parts["text/html"], "/t/o/") || !strings.Contains(parts["text/html"], "/t/c/") {
			t.Errorf("no open pixel or click link in the HTML of %s", sum.MessageID)
		}
		vs, err := dkim.VerifyWithOptions(bytes.NewReader(raw), lookup)
		if err != nil || len(vs) != 1 || vs[0].Err != nil {
			t.Fatalf("DKIM: %v %v", vs, err)
		}
	}
}

// inProcessWorkerAt is inProcessWorker with the service's clock at now.
func (r *campaignRig) inProcessWorkerAt(t *testing.T, now func() time.Time) func() {
	return r.inProcessWorkerWith(t, worker.Options{Now: now})
}
