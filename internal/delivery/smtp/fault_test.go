package smtp

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/delivery"
	"github.com/chorusmkt/chorus/internal/delivery/deliverytest"
)

func faultServer(t *testing.T, opts ...deliverytest.SMTPOption) *deliverytest.SMTPServer {
	t.Helper()
	srv, err := deliverytest.NewSMTPServer(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func newSender(t *testing.T, addr string, edit func(*Config)) *Sender {
	t.Helper()
	cfg := Config{URL: "smtp://" + addr, From: "Shop <news@shop.example.cn>", Connections: 2, Timeout: 5 * time.Second}
	if edit != nil {
		edit(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// The replies are classified alike whether the server offers PIPELINING
// (MAIL, RCPT and DATA in one write) or not (one command at a time).
func TestClassificationAgainstServer(t *testing.T) {
	t.Run("pipelining", func(t *testing.T) { testClassification(t, true) })
	t.Run("step by step", func(t *testing.T) { testClassification(t, false) })
}

func testClassification(t *testing.T, pipelining bool) {
	var opts []deliverytest.SMTPOption
	if !pipelining {
		opts = append(opts, deliverytest.WithoutPipelining())
	}
	srv := faultServer(t, opts...)
	srv.Reject("unknown@", 550, "5.1.1", "<unknown@example0.cn>: Recipient address rejected: User unknown")
	srv.Reject("@nodomain.cn", 550, "5.1.10", "null MX")
	srv.Reject("full@", 552, "5.2.2", "mailbox full")
	srv.Reject("greylist@", 451, "4.7.1", "greylisted, try again later")
	srv.Reject("busy@", 450, "4.2.0", "mailbox busy")
	srv.Reject("spam@", 554, "5.7.1", "message rejected as spam")
	s := newSender(t, srv.Addr, nil)
	links := testLinks(t)
	ctx := context.Background()
	for _, tc := range []struct {
		to       string
		class    delivery.Class
		code     string
		suppress bool
	}{
		{"unknown@example0.cn", delivery.Permanent, delivery.CodeMailboxUnknown, true},
		{"x@nodomain.cn", delivery.Permanent, delivery.CodeDomainUnknown, true},
		{"full@example0.cn", delivery.Permanent, delivery.CodeMailboxFull, false},
		{"greylist@example0.cn", delivery.Throttled, delivery.CodeThrottled, false},
		{"busy@example0.cn", delivery.Temporary, delivery.CodeTemporary, false},
		{"spam@example0.cn", delivery.Permanent, delivery.CodeRejected, false},
		{"ok@example0.cn", "", "", false},
	} {
		m := testMessage(t, links, 0)
		m.To = tc.to
		_, err := s.Send(ctx, m)
		e := delivery.AsError(err)
		if tc.class == "" {
			if err != nil {
				t.Fatalf("%s: %v", tc.to, err)
			}
			continue
		}
		if e == nil || e.Class != tc.class || e.Code != tc.code || e.Suppress != tc.suppress || e.Scope != delivery.Domain(tc.to) {
			t.Fatalf("%s: %+v, want %s/%s suppress=%v", tc.to, e, tc.class, tc.code, tc.suppress)
		}
		if e.Status == 0 || e.Enhanced == "" {
			t.Fatalf("%s: reply code not kept: %+v", tc.to, e)
		}
		if strings.Contains(err.Error(), tc.to) {
			t.Fatalf("%s: the error repeats the address: %v", tc.to, err)
		}
	}
	// Refused recipients leave the session usable: one session for all.
	if st := srv.Stats(); st.Connections != 1 || st.Accepted != 1 {
		t.Fatalf("server stats %+v: want one session, one accepted", st)
	}

	// Data-stage replies: 421 closes the session, 454 and 451 do not.
	for _, code := range []int{454, 451, 421, 550} {
		srv.SetFaults(deliverytest.Faults{Replies: map[int]float64{code: 1}})
		_, err := s.Send(ctx, testMessage(t, links, 1))
		e := delivery.AsError(err)
		want := delivery.Throttled
		if code == 550 {
			want = delivery.Permanent
		}
		if e == nil || e.Class != want || e.Status != code {
			t.Fatalf("reply %d: %+v", code, e)
		}
	}
	srv.SetFaults(deliverytest.Faults{})
	before := srv.Stats().Connections
	if _, err := s.Send(ctx, testMessage(t, links, 2)); err != nil {
		t.Fatal(err)
	}
	if st := srv.Stats(); st.Connections != before+1 && st.Connections != before {
		t.Fatalf("connections %d → %d", before, st.Connections)
	}
	// every transaction went out pipelined, or none did
	ss, st := s.Stats(), srv.Stats()
	if pipelining && (ss.Pipelined != int64(ss.Sent+ss.Failed) || st.Pipelined < int(2*ss.Pipelined)) ||
		!pipelining && (ss.Pipelined != 0 || st.Pipelined != 0) {
		t.Fatalf("pipelining=%v: sender %+v, server saw %d commands with more behind", pipelining, ss, st.Pipelined)
	}
}

// A refused MAIL (here: the server wants AUTH, the sender has none) is the
// send's error in both modes, the replies to the RCPT and DATA sent with
// it are read, and the session stays in step for the next message.
func TestMailRefusedPipelined(t *testing.T) {
	for _, pipelining := range []bool{true, false} {
		opts := []deliverytest.SMTPOption{deliverytest.WithAuth("u", "p")}
		if !pipelining {
			opts = append(opts, deliverytest.WithoutPipelining())
		}
		srv := faultServer(t, opts...)
		s := newSender(t, srv.Addr, func(c *Config) { c.Connections = 1 })
		links := testLinks(t)
		for i := range 3 {
			_, err := s.Send(context.Background(), testMessage(t, links, i))
			e := delivery.AsError(err)
			if e == nil || e.Status != 530 || e.Class != delivery.Permanent {
				t.Fatalf("pipelining=%v, message %d: %+v, want the 530 refusal of MAIL", pipelining, i, e)
			}
		}
		if st := srv.Stats(); st.Connections != 1 || st.Messages != 0 {
			t.Fatalf("pipelining=%v: server %+v, want one session in step and no data", pipelining, st)
		}
	}
}

var boundaryRE = regexp.MustCompile(`boundary="?([0-9A-Za-z]+)`)

// Pipelined or not, the server receives the same bytes for a message.
func TestPipeliningSendsTheSameData(t *testing.T) {
	var got [2][]byte
	for k, pipelining := range []bool{true, false} {
		opts := []deliverytest.SMTPOption{deliverytest.WithKeepData()}
		if !pipelining {
			opts = append(opts, deliverytest.WithoutPipelining())
		}
		srv := faultServer(t, opts...)
		s := newSender(t, srv.Addr, nil)
		m := testMessage(t, testLinks(t), 7)
		s.now = func() time.Time { return time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC) }
		if _, err := s.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		rs := srv.Received()
		if len(rs) != 1 || len(rs[0].Data) == 0 {
			t.Fatalf("pipelining=%v: received %+v", pipelining, rs)
		}
		got[k] = rs[0].Data
		if rs[0].From != "news@shop.example.cn" || len(rs[0].To) != 1 || rs[0].To[0] != m.To {
			t.Fatalf("pipelining=%v: envelope %+v", pipelining, rs[0].Envelope)
		}
	}
	// the MIME boundary is random and go-mail writes the generic headers
	// in map order; the header set and the body must match
	for k := range got {
		if m := boundaryRE.FindSubmatch(got[k]); m != nil {
			got[k] = bytes.ReplaceAll(got[k], m[1], []byte("BOUNDARY"))
		}
		got[k] = sortedHeaders(got[k])
	}
	if string(got[0]) != string(got[1]) {
		t.Fatalf("the data differ:\n%s\n---\n%s", got[0], got[1])
	}
}

func TestPoolReusesConnections(t *testing.T) {
	srv := faultServer(t)
	s := newSender(t, srv.Addr, func(c *Config) { c.Connections = 4 })
	links := testLinks(t)
	const n = 400
	var wg sync.WaitGroup
	errs := make(chan error, n)
	sem := make(chan struct{}, 16)
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if _, err := s.Send(context.Background(), testMessage(t, links, i)); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	st := srv.Stats()
	if st.Connections != 4 || st.MaxConcurrent > 4 || st.Accepted != n || st.Distinct != n || st.Repeated != 0 {
		t.Fatalf("server %+v: want %d distinct messages over exactly 4 connections", st, n)
	}
	if st.MaxPerConn < n/8 {
		t.Fatalf("at most %d messages on one connection: the pool does not reuse", st.MaxPerConn)
	}
	if ss := s.Stats(); ss.Sent != n || ss.Dials != 4 || ss.Reused != n-4 {
		t.Fatalf("sender stats %+v", ss)
	}
}

func TestMessagesPerConnection(t *testing.T) {
	srv := faultServer(t)
	s := newSender(t, srv.Addr, func(c *Config) { c.Connections = 1; c.MessagesPerConnection = 10 })
	links := testLinks(t)
	for i := range 35 {
		if _, err := s.Send(context.Background(), testMessage(t, links, i)); err != nil {
			t.Fatal(err)
		}
	}
	if st := srv.Stats(); st.Connections != 4 || st.MaxPerConn != 10 {
		t.Fatalf("server %+v: want 4 sessions of at most 10", st)
	}
}

// TestStaleSessionRetried: the server drops a kept session while idle; the
// next send notices at MAIL FROM and goes out on a new session.
func TestStaleSessionRetried(t *testing.T) {
	srv := faultServer(t)
	s := newSender(t, srv.Addr, func(c *Config) { c.Connections = 1 })
	links := testLinks(t)
	ctx := context.Background()
	if _, err := s.Send(ctx, testMessage(t, links, 0)); err != nil {
		t.Fatal(err)
	}
	srv.SetDown(true) // closes the session
	if err := srv.SetDown(false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send(ctx, testMessage(t, links, 1)); err != nil {
		t.Fatalf("send after the server dropped the session: %v", err)
	}
	if st := s.Stats(); st.RetriedStale != 1 || st.Dials != 2 {
		t.Fatalf("sender %+v", st)
	}
}

// TestDropsAndReconnect: connections dropped after the data (the peer
// has the message, we do not know it) and at MAIL FROM. A queue-like loop
// retries what failed; every message arrives, and a retry after a drop
// arrives with the same Message-ID, so the receiver can discard it.
func TestDropsAndReconnect(t *testing.T) {
	srv := faultServer(t, deliverytest.WithFaults(deliverytest.Faults{Drop: 0.1, DropAtMail: 0.05, Seed: 3}))
	s := newSender(t, srv.Addr, func(c *Config) { c.Connections = 3 })
	links := testLinks(t)
	const n = 300
	attempts := deliverAll(t, s, links, n, nil)
	st := srv.Stats()
	if st.Distinct != n {
		t.Fatalf("server has %d distinct Message-IDs, want %d (lost or invented messages)", st.Distinct, n)
	}
	if st.Drops == 0 || st.Repeated == 0 || st.Repeated > st.Drops {
		t.Fatalf("server %+v: want drops, and repeats only for them", st)
	}
	for id, c := range srv.IDs() {
		if c > 1+attempts {
			t.Fatalf("%s stored %d times", id, c)
		}
	}
	if ss := s.Stats(); ss.Reconnects == 0 {
		t.Fatalf("sender never reconnected: %+v", ss)
	}
}

// deliverAll sends n messages the way the queue does: each failed
// temporary or throttled send is tried again until it is accepted. It
// fails the test on a permanent error and returns the most attempts one
// message needed. onFail sees each failure.
func deliverAll(t *testing.T, s delivery.Sender, links interface{}, n int, onFail func(*delivery.Error)) int {
	t.Helper()
	var mu sync.Mutex
	most := 0
	var wg sync.WaitGroup
	sem := make(chan struct{}, 6)
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			m := testMessage(t, testLinks(t), i)
			for attempt := 1; ; attempt++ {
				m.Attempt = attempt
				_, err := s.Send(context.Background(), m)
				if err == nil {
					mu.Lock()
					most = max(most, attempt)
					mu.Unlock()
					return
				}
				e := delivery.AsError(err)
				if onFail != nil {
					onFail(e)
				}
				if e.Code == delivery.CodeCircuitOpen {
					attempt-- // refused before reaching the peer
				}
				if !e.Retryable() || attempt > 200 {
					t.Errorf("message %d: %v (%s) after %d attempts", i, err, e.Code, attempt)
					return
				}
			}
		})
	}
	wg.Wait()
	return most
}

// TestStallTimesOut: a server that never answers the end of the data is a
// timeout, and the next send works on a new session.
func TestStallTimesOut(t *testing.T) {
	var mu sync.Mutex
	stall := true
	srv := faultServer(t, deliverytest.WithDecide(func(deliverytest.Envelope) deliverytest.Action {
		mu.Lock()
		defer mu.Unlock()
		return deliverytest.Action{Stall: stall}
	}))
	s := newSender(t, srv.Addr, func(c *Config) { c.Connections = 1; c.Timeout = 300 * time.Millisecond })
	links := testLinks(t)
	_, err := s.Send(context.Background(), testMessage(t, links, 0))
	if e := delivery.AsError(err); e == nil || e.Class != delivery.Temporary || e.Code != delivery.CodeTimeout || !delivery.PeerFailure(err) {
		t.Fatalf("stalled reply: %+v", e)
	}
	mu.Lock()
	stall = false
	mu.Unlock()
	if _, err := s.Send(context.Background(), testMessage(t, links, 0)); err != nil {
		t.Fatalf("after a timeout: %v", err)
	}
	if srv.Stats().Connections != 2 {
		t.Fatalf("the timed-out session was reused")
	}
}

// TestCancelInFlight: a cancelled send in flight returns at once with
// Temporary cancelled instead of waiting for the stalled server.
func TestCancelInFlight(t *testing.T) {
	started := make(chan struct{}, 1)
	srv := faultServer(t, deliverytest.WithDecide(func(deliverytest.Envelope) deliverytest.Action {
		started <- struct{}{}
		return deliverytest.Action{Stall: true}
	}))
	s := newSender(t, srv.Addr, func(c *Config) { c.Connections = 1; c.Timeout = time.Hour })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := s.Send(ctx, testMessage(t, testLinks(t), 0))
		done <- err
	}()
	<-started
	cancel()
	err := <-done
	if e := delivery.AsError(err); e == nil || e.Code != delivery.CodeCancelled {
		t.Fatalf("cancelled send: %v", err)
	}
	// Waiting for a pooled connection is cancellable too.
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	one := newSender(t, srv.Addr, func(c *Config) { c.Connections = 1 })
	one.sem <- struct{}{} // hold the only connection
	_, err = one.Send(ctx2, testMessage(t, testLinks(t), 1))
	<-one.sem
	if e := delivery.AsError(err); e == nil || e.Code != delivery.CodeCancelled {
		t.Fatalf("cancelled wait: %v", err)
	}
}

func TestGreeting421AndAuth(t *testing.T) {
	srv := faultServer(t, deliverytest.WithAuth("chorus", "secret"))
	srv.SetGreeting421(true)
	s := newSender(t, srv.Addr, func(c *Config) { c.URL = "smtp://chorus:secret@" + srv.Addr })
	links := testLinks(t)
	_, err := s.Send(context.Background(), testMessage(t, links, 0))
	if e := delivery.AsError(err); e == nil || e.Class != delivery.Throttled || e.Status != 421 {
		t.Fatalf("421 greeting: %+v", e)
	}
	srv.SetGreeting421(false)
	if _, err := s.Send(context.Background(), testMessage(t, links, 0)); err != nil {
		t.Fatalf("login on a loopback server: %v", err)
	}
	bad := newSender(t, srv.Addr, func(c *Config) { c.URL = "smtp://chorus:nope@" + srv.Addr })
	_, err = bad.Send(context.Background(), testMessage(t, links, 0))
	if e := delivery.AsError(err); e == nil || e.Code != delivery.CodeEndpointError || e.Status != 535 {
		t.Fatalf("bad login: %+v", e)
	}
	noauth := newSender(t, srv.Addr, nil)
	_, err = noauth.Send(context.Background(), testMessage(t, links, 0))
	if e := delivery.AsError(err); e == nil || e.Status != 530 {
		t.Fatalf("no login where one is required: %+v", e)
	}
}

// TestFaultsAndDownPeer is the fault scenario at the sender: 30%
// of replies are 454 or 421 and the server is down for 20 s (of the
// breaker's clock) in the middle. Behind a Guard with a breaker, a
// queue-like loop loses nothing: every message reaches the server, and a
// message stored twice is one whose session the outage cut after the data,
// so the retry carried the same Message-ID.
func TestFaultsAndDownPeer(t *testing.T) {
	srv := faultServer(t, deliverytest.WithFaults(deliverytest.Faults{Replies: map[int]float64{454: 0.15, 421: 0.15}, Seed: 42}))
	inner := newSender(t, srv.Addr, func(c *Config) { c.Connections = 4; c.Timeout = 2 * time.Second })

	// The breaker runs on a clock the test moves, so "20 s down" takes no
	// wall time: a worker told circuit_open moves the clock by the
	// RetryAfter it was given, as the queue would wait it, or, while a
	// probe is in flight, waits for a send to finish.
	var mu sync.Mutex
	clock := time.Date(2026, 11, 11, 20, 0, 0, 0, time.UTC)
	var downAt time.Time
	finished := make(chan struct{})
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	br := delivery.NewBreaker("smtp", delivery.BreakerConfig{Threshold: 5, Cooldown: 2 * time.Second, Now: now})
	notify := delivery.SenderFunc(func(ctx context.Context, m delivery.Message) (delivery.Result, error) {
		r, err := inner.Send(ctx, m)
		mu.Lock()
		close(finished)
		finished = make(chan struct{})
		mu.Unlock()
		return r, err
	})
	g := delivery.NewGuard(notify, nil, br)

	const n = 600
	var cut, opens int
	var upOnce sync.Once
	onFail := func(e *delivery.Error) {
		mu.Lock()
		wait := finished
		if e.Code == delivery.CodeConnection {
			cut++
		}
		if e.Code == delivery.CodeCircuitOpen {
			opens++
		}
		at := downAt
		mu.Unlock()
		if e.Code == delivery.CodeCircuitOpen {
			if br.Probing() {
				<-wait
			} else {
				mu.Lock()
				clock = clock.Add(e.RetryAfter)
				mu.Unlock()
			}
		}
		if !at.IsZero() && now().Sub(at) >= 20*time.Second {
			upOnce.Do(func() {
				if err := srv.SetDown(false); err != nil {
					t.Error(err)
				}
			})
		}
	}
	// Take the server down once a third of the messages went through.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		tick := time.NewTicker(time.Millisecond) // polling the peer, not timing the test
		defer tick.Stop()
		for srv.Stats().Accepted < n/3 {
			select {
			case <-tick.C:
			case <-stop:
				return
			}
		}
		mu.Lock()
		downAt = clock
		mu.Unlock()
		srv.SetDown(true)
	}()
	deliverAll(t, g, nil, n, onFail)
	st := srv.Stats()
	if st.Distinct != n {
		t.Fatalf("server has %d distinct Message-IDs of %d (%+v)", st.Distinct, n, st)
	}
	if st.Repeated > cut {
		t.Fatalf("%d messages stored twice but only %d sends were cut", st.Repeated, cut)
	}
	if st.Replies[454] == 0 || st.Replies[421] == 0 {
		t.Fatalf("faults were not injected: %+v", st.Replies)
	}
	if downAt.IsZero() || opens == 0 {
		t.Fatalf("the down period did not open the breaker (opens %d)", opens)
	}
	if br.State() != delivery.BreakerClosed {
		t.Fatalf("breaker %s after recovery", br.State())
	}
	t.Logf("%d messages; replies %v; %d sends cut, %d stored twice; breaker refused %d; sender %+v", n, st.Replies, cut, st.Repeated, opens, inner.Stats())
}

func TestMessageRefusals(t *testing.T) {
	s := newSender(t, "127.0.0.1:1", nil) // never connects: refused before
	links := testLinks(t)
	base := testMessage(t, links, 0)
	for _, tc := range []struct {
		name string
		edit func(*delivery.Message)
		code string
	}{
		{"no unsubscribe", func(m *delivery.Message) { m.UnsubscribeURL = "" }, delivery.CodeInvalidMessage},
		{"http unsubscribe", func(m *delivery.Message) { m.UnsubscribeURL = "http://t.shop.cn/u/x" }, delivery.CodeInvalidMessage},
		{"bad mailto", func(m *delivery.Message) { m.UnsubscribeMailto = "unsub@shop.cn" }, delivery.CodeInvalidMessage},
		{"bad address", func(m *delivery.Message) { m.To = "not an address" }, delivery.CodeInvalidAddress},
		{"no domain", func(m *delivery.Message) { m.To = "user@" }, delivery.CodeInvalidAddress},
		{"sms", func(m *delivery.Message) { m.Channel = delivery.SMS; m.Body = "x" }, delivery.CodeInvalidMessage},
		{"no subject", func(m *delivery.Message) { m.Subject = "" }, delivery.CodeInvalidMessage},
	} {
		m := base
		tc.edit(&m)
		_, err := s.Send(context.Background(), m)
		if e := delivery.AsError(err); e == nil || e.Class != delivery.Permanent || e.Code != tc.code || e.Suppress {
			t.Errorf("%s: %+v, want Permanent %s", tc.name, e, tc.code)
		}
	}
	// Transactional mail may go without an unsubscribe link, and a
	// loopback tracking server may use http.
	ok := base
	ok.Purpose, ok.UnsubscribeURL = "transactional", ""
	if _, err := s.Render(ok); err != nil {
		t.Fatalf("transactional: %v", err)
	}
	ok = base
	ok.UnsubscribeURL = "http://127.0.0.1:8080/u/abc"
	ok.UnsubscribeMailto = "mailto:unsub@shop.example.cn?subject=unsubscribe"
	raw, err := s.Render(ok)
	if err != nil {
		t.Fatal(err)
	}
	p := parseMessage(t, raw)
	if got := p.header.Get("List-Unsubscribe"); got != "<http://127.0.0.1:8080/u/abc>, <mailto:unsub@shop.example.cn?subject=unsubscribe>" {
		t.Fatalf("List-Unsubscribe %q", got)
	}
	if p.header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Fatal("no one-click header on a loopback tracking server")
	}
	_ = fmt.Sprint
}

// A DATA refused at the data stage (451 greylisting) is the send's
// throttled error in both modes, and the open transaction is reset, so the
// next message on the same session is not refused as a nested MAIL.
func TestDataRefusedResets(t *testing.T) {
	for _, pipelining := range []bool{true, false} {
		var opts []deliverytest.SMTPOption
		if !pipelining {
			opts = append(opts, deliverytest.WithoutPipelining())
		}
		srv := faultServer(t, opts...)
		srv.RejectData("user1@", 451, "4.7.1", "greylisted, try again later")
		s := newSender(t, srv.Addr, func(c *Config) { c.Connections = 1 })
		links := testLinks(t)
		_, err := s.Send(context.Background(), testMessage(t, links, 1))
		if e := delivery.AsError(err); e == nil || e.Status != 451 || e.Class != delivery.Throttled {
			t.Fatalf("pipelining=%v: %+v, want the 451 of DATA, throttled", pipelining, e)
		}
		for _, i := range []int{2, 3} {
			if _, err := s.Send(context.Background(), testMessage(t, links, i)); err != nil {
				t.Fatalf("pipelining=%v, message %d after the refused DATA: %v", pipelining, i, err)
			}
		}
		if st := srv.Stats(); st.Connections != 1 || st.Messages != 2 {
			t.Fatalf("pipelining=%v: server %+v, want one session and two messages", pipelining, st)
		}
	}
}

// sortedHeaders puts a message's top-level header fields (each with its
// folded continuation lines) in sorted order and leaves the body as it is.
func sortedHeaders(data []byte) []byte {
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	head, body, _ := strings.Cut(s, "\n\n")
	var fields []string
	for _, line := range strings.Split(head, "\n") {
		if len(fields) > 0 && (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) {
			fields[len(fields)-1] += "\n" + line
			continue
		}
		fields = append(fields, line)
	}
	sort.Strings(fields)
	return []byte(strings.Join(fields, "\n") + "\n\n" + body)
}
