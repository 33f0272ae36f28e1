package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/delivery"
	"github.com/chorusmkt/chorus/internal/delivery/deliverytest"
)

const (
	secret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	oldSecret = "whsec_c2VjcmV0LW9mLXRoZS1wcmV2aW91cy1lbmRwb2ludA=="
)

func sms(i int) delivery.Message {
	key := delivery.Key("double11", fmt.Sprintf("C%06d", i), delivery.SMS)
	return delivery.Message{Key: key, Channel: delivery.SMS, To: fmt.Sprintf("+86138%08d", i), Language: "zh",
		Body:       "【小店】双11 摄影包今晚 8 点开抢 https://t.shop.cn/t/c/AQ 回T退订",
		CampaignID: "double11", Variant: "A", SendID: key, CustomerID: fmt.Sprintf("C%06d", i), UnsubscribeURL: "https://t.shop.cn/u/AQ"}
}

func newSender(t testing.TB, url string, edit func(*Config)) *Sender {
	t.Helper()
	cfg := Config{Channel: delivery.SMS, URL: url, Secret: secret, Timeout: 5 * time.Second}
	if edit != nil {
		edit(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func schema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	b, err := os.ReadFile("../../../docs/webhook-message.schema.json")
	if err != nil {
		t.Fatalf("the documented schema: %v", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("webhook-message.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("webhook-message.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSendVerifiesAtTheReceiver(t *testing.T) {
	rcv := deliverytest.NewReceiver(t, secret)
	s := newSender(t, rcv.URL, nil)
	sch := schema(t)
	ctx := context.Background()
	m := sms(1)
	res, err := s.Send(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	if res.ID != "msg_"+m.Key || res.PeerID != "r1" || res.Duration <= 0 {
		t.Fatalf("result %+v", res)
	}
	m.Attempt = 2
	if _, err := s.Send(ctx, m); err != nil { // a retry
		t.Fatal(err)
	}
	push := sms(2)
	push.Channel, push.Title, push.URL, push.Data = delivery.Push, "双11", "shop://p/1", map[string]string{"badge": "1"}
	ps := newSender(t, rcv.URL, func(c *Config) { c.Channel = delivery.Push })
	if _, err := ps.Send(ctx, push); err != nil {
		t.Fatal(err)
	}
	st := rcv.Stats()
	if st.Verified != 3 || st.BadSignature != 0 || st.Distinct != 2 || st.Repeated != 1 || st.AcceptedIDs != 2 {
		t.Fatalf("receiver %+v: want 3 verified deliveries of 2 ids, one repeated", st)
	}
	ds := rcv.Deliveries()
	for i, d := range ds {
		var v any
		if err := json.Unmarshal(d.Body, &v); err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); err != nil {
			t.Fatalf("delivery %d does not match docs/webhook-message.schema.json: %v\n%s", i, err, d.Body)
		}
		var p Payload
		json.Unmarshal(d.Body, &p)
		if p.Data.ID != d.ID || d.Header.Get("Content-Type") != "application/json" || !strings.HasPrefix(d.Header.Get("webhook-signature"), "v1,") {
			t.Fatalf("delivery %d: %+v", i, d.Header)
		}
		if strings.Contains(string(d.Body), "C00000") {
			t.Fatalf("the body carries the customer id: %s", d.Body)
		}
	}
	var p1, p2 Payload
	json.Unmarshal(ds[0].Body, &p1)
	json.Unmarshal(ds[1].Body, &p2)
	if p1.Data.ID != p2.Data.ID || p1.Data.Attempt != 1 || p2.Data.Attempt != 2 || p1.Type != "message.sms" || p1.Data.To != m.To || p1.Data.Body != m.Body || p1.Data.Purpose != "marketing" {
		t.Fatalf("bodies %+v / %+v", p1, p2)
	}
	var p3 Payload
	json.Unmarshal(ds[2].Body, &p3)
	if p3.Type != "message.push" || p3.Data.Title != "双11" || p3.Data.URL != "shop://p/1" || p3.Data.Extra["badge"] != "1" {
		t.Fatalf("push body %+v", p3)
	}
}

func TestRotationSignsWithBoth(t *testing.T) {
	old := deliverytest.NewReceiver(t, oldSecret) // a receiver not yet switched
	s := newSender(t, old.URL, func(c *Config) { c.PreviousSecrets = []string{oldSecret} })
	if _, err := s.Send(context.Background(), sms(1)); err != nil {
		t.Fatalf("a receiver on the previous secret: %v", err)
	}
	d := old.Deliveries()[0]
	if sigs := strings.Fields(d.Header.Get("webhook-signature")); len(sigs) != 2 {
		t.Fatalf("signatures %q", sigs)
	}
	cur := deliverytest.NewReceiver(t, secret)
	s2 := newSender(t, cur.URL, func(c *Config) { c.PreviousSecrets = []string{oldSecret} })
	if _, err := s2.Send(context.Background(), sms(1)); err != nil {
		t.Fatalf("a receiver on the new secret: %v", err)
	}
	// A receiver with another secret refuses (401): endpoint_error.
	other := deliverytest.NewReceiver(t, "whsec_"+strings.Repeat("QUJD", 8))
	_, err := newSender(t, other.URL, nil).Send(context.Background(), sms(1))
	if e := delivery.AsError(err); e == nil || e.Class != delivery.Temporary || e.Code != delivery.CodeEndpointError || e.Status != 401 {
		t.Fatalf("wrong secret: %+v", e)
	}
	if other.Stats().BadSignature != 1 {
		t.Fatal("the receiver did not see a bad signature")
	}
}

func TestAnswers(t *testing.T) {
	var mu sync.Mutex
	var reply deliverytest.Reply
	rcv := deliverytest.NewReceiver(t, secret, deliverytest.WithoutTimestampCheck(), deliverytest.WithRespond(func(deliverytest.Delivery, int) deliverytest.Reply {
		mu.Lock()
		defer mu.Unlock()
		return reply
	}))
	now := time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)
	s := newSender(t, rcv.URL, func(c *Config) { c.Now = func() time.Time { return now } })
	for _, tc := range []struct {
		reply    deliverytest.Reply
		class    delivery.Class
		code     string
		after    time.Duration
		suppress bool
		peer     string
	}{
		{deliverytest.Reply{Status: 200, Body: `{"id":"gw-77"}`}, "", "", 0, false, "gw-77"},
		{deliverytest.Reply{Status: 202, Body: `{"message_id":12345}`}, "", "", 0, false, "12345"},
		{deliverytest.Reply{Status: 204, Body: " "}, "", "", 0, false, ""},
		{deliverytest.Reply{Status: 410}, delivery.EndpointGone, delivery.CodeEndpointGone, 0, false, ""},
		{deliverytest.Reply{Status: 429, RetryAfter: "30"}, delivery.Throttled, delivery.CodeThrottled, 30 * time.Second, false, ""},
		{deliverytest.Reply{Status: 429, RetryAfter: now.Add(2 * time.Minute).Format(http.TimeFormat)}, delivery.Throttled, delivery.CodeThrottled, 2 * time.Minute, false, ""},
		{deliverytest.Reply{Status: 429, RetryAfter: "soon"}, delivery.Throttled, delivery.CodeThrottled, 0, false, ""},
		{deliverytest.Reply{Status: 503, RetryAfter: "120"}, delivery.Temporary, delivery.CodePeerUnavailable, 2 * time.Minute, false, ""},
		{deliverytest.Reply{Status: 500}, delivery.Temporary, delivery.CodePeerUnavailable, 0, false, ""},
		{deliverytest.Reply{Status: 408}, delivery.Temporary, delivery.CodePeerUnavailable, 0, false, ""},
		{deliverytest.Reply{Status: 301}, delivery.Temporary, delivery.CodeEndpointError, 0, false, ""},
		{deliverytest.Reply{Status: 404}, delivery.Temporary, delivery.CodeEndpointError, 0, false, ""},
		{deliverytest.Reply{Status: 403}, delivery.Temporary, delivery.CodeEndpointError, 0, false, ""},
		{deliverytest.Reply{Status: 413}, delivery.Permanent, delivery.CodeTooLarge, 0, false, ""},
		{deliverytest.Reply{Status: 400, Body: `{"error":"bad body"}`}, delivery.Permanent, delivery.CodeRejected, 0, false, ""},
		{deliverytest.Reply{Status: 422, Body: `{"error":"number does not exist","suppress":true}`}, delivery.Permanent, delivery.CodeInvalidAddress, 0, true, ""},
	} {
		mu.Lock()
		reply = tc.reply
		mu.Unlock()
		res, err := s.Send(context.Background(), sms(1))
		if tc.class == "" {
			if err != nil || res.PeerID != tc.peer {
				t.Errorf("%d: %+v %v", tc.reply.Status, res, err)
			}
			continue
		}
		e := delivery.AsError(err)
		if e == nil || e.Class != tc.class || e.Code != tc.code || e.RetryAfter != tc.after || e.Suppress != tc.suppress || e.Status != tc.reply.Status || e.Scope != delivery.SMS {
			t.Errorf("%d %q: %+v, want %s/%s after %s", tc.reply.Status, tc.reply.RetryAfter, e, tc.class, tc.code, tc.after)
		}
	}
	// Redirects are not followed: one request for the 301.
	if st := rcv.Stats(); st.ByStatus[301] != 1 {
		t.Fatalf("statuses %v", st.ByStatus)
	}
}

func TestStaleTimestampRefused(t *testing.T) {
	rcv := deliverytest.NewReceiver(t, secret) // the spec's 5-minute tolerance
	s := newSender(t, rcv.URL, func(c *Config) { c.Now = func() time.Time { return time.Now().Add(-time.Hour) } })
	if _, err := s.Send(context.Background(), sms(1)); delivery.AsError(err).Status != 401 {
		t.Fatalf("an hour-old timestamp: %v", err)
	}
	if rcv.Stats().BadSignature != 1 {
		t.Fatal("receiver accepted a replayed timestamp")
	}
}

func TestGone(t *testing.T) {
	rcv := deliverytest.NewReceiver(t, secret)
	rcv.SetGone(true)
	_, err := newSender(t, rcv.URL, nil).Send(context.Background(), sms(1))
	if delivery.ClassOf(err) != delivery.EndpointGone || !strings.Contains(err.Error(), "delivery.webhooks.sms.url") {
		t.Fatalf("gone: %v", err)
	}
	if _, ok := delivery.RetryDelay(err, 1, delivery.WebhookSchedule); ok {
		t.Fatal("a gone endpoint is retried")
	}
}

func TestTimeoutAndCancel(t *testing.T) {
	rcv := deliverytest.NewReceiver(t, secret, deliverytest.WithReceiverFaults(deliverytest.ReceiverFaults{Stall: 1}))
	s := newSender(t, rcv.URL, func(c *Config) { c.Timeout = 200 * time.Millisecond })
	_, err := s.Send(context.Background(), sms(1))
	if e := delivery.AsError(err); e == nil || e.Code != delivery.CodeTimeout || !delivery.PeerFailure(err) {
		t.Fatalf("stalled endpoint: %+v", e)
	}
	slow := newSender(t, rcv.URL, func(c *Config) { c.Timeout = time.Hour })
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for rcv.Stats().Verified < 2 { // the second request has arrived and stalls
			runtime.Gosched()
		}
		cancel()
	}()
	_, err = slow.Send(ctx, sms(2))
	if e := delivery.AsError(err); e == nil || e.Code != delivery.CodeCancelled {
		t.Fatalf("cancelled: %+v", e)
	}
	// An endpoint that is not there at all.
	dead := httptest.NewServer(http.NotFoundHandler())
	url := dead.URL
	dead.Close()
	_, err = newSender(t, url, nil).Send(context.Background(), sms(3))
	if e := delivery.AsError(err); e == nil || e.Code != delivery.CodeConnection || strings.Contains(err.Error(), url) {
		t.Fatalf("no endpoint: %+v", e)
	}
}

// TestFaultyEndpoint: 30% of answers are 429, 500 or 503. A queue-like
// loop retries until each is accepted: every webhook-id is accepted, and
// each extra request is a retry of an id the receiver already saw.
func TestFaultyEndpoint(t *testing.T) {
	rcv := deliverytest.NewReceiver(t, secret, deliverytest.WithReceiverFaults(deliverytest.ReceiverFaults{
		Rates: map[int]float64{429: 0.1, 500: 0.1, 503: 0.1}, RetryAfter: "1", Seed: 5}))
	s := newSender(t, rcv.URL, nil)
	const n = 500
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	var mu sync.Mutex
	failures := 0
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			m := sms(i)
			for attempt := 1; attempt <= delivery.WebhookSchedule.Attempts()*4; attempt++ {
				m.Attempt = attempt
				_, err := s.Send(context.Background(), m)
				if err == nil {
					return
				}
				if !delivery.AsError(err).Retryable() {
					t.Errorf("message %d: %v", i, err)
					return
				}
				mu.Lock()
				failures++
				mu.Unlock()
			}
			t.Errorf("message %d never accepted", i)
		})
	}
	wg.Wait()
	st := rcv.Stats()
	if st.AcceptedIDs != n || st.Distinct != n || st.Accepted != n || st.Repeated != failures || st.BadSignature != 0 {
		t.Fatalf("receiver %+v, %d failures: want %d ids accepted once each", st, failures, n)
	}
}

func TestNewRefuses(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{URL: "https://gw.cn/sms", Secret: secret}, "channel other than email"},
		{Config{Channel: "email", URL: "https://gw.cn/sms", Secret: secret}, "channel other than email"},
		{Config{Channel: "sms", URL: "gw.cn/sms", Secret: secret}, "delivery.webhooks.sms.url"},
		{Config{Channel: "sms", URL: "ftp://gw.cn/sms", Secret: secret}, "delivery.webhooks.sms.url"},
		{Config{Channel: "sms", URL: "http://gw.cn/sms", Secret: secret}, "plain http"},
		{Config{Channel: "sms", URL: "https://u:p@gw.cn/sms", Secret: secret}, "must not carry a user"},
		{Config{Channel: "sms", URL: "https://gw.cn/sms"}, "delivery.webhooks.sms.secret is empty"},
		{Config{Channel: "sms", URL: "https://gw.cn/sms", Secret: "whsec_not base64!"}, "not whsec_ followed by base64"},
		{Config{Channel: "sms", URL: "https://gw.cn/sms", Secret: "whsec_c2hvcnQ="}, "at least 16 random bytes"},
		{Config{Channel: "push", URL: "https://gw.cn/p", Secret: secret, PreviousSecrets: []string{"x"}}, "delivery.webhooks.push.previous_secrets[0]"},
		{Config{Channel: "sms", URL: "https://gw.cn/sms", Secret: secret, Headers: map[string]string{"Webhook-Signature": "x"}}, "may not set"},
	} {
		_, err := New(tc.cfg)
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v): %v, want %q", tc.cfg, err, tc.want)
		}
	}
	if _, err := New(Config{Channel: "sms", URL: "http://10.0.0.5/sms", Secret: secret, AllowInsecure: true}); err != nil {
		t.Errorf("allow_insecure: %v", err)
	}
	// Headers go out; the sender refuses a message of another channel.
	rcv := deliverytest.NewReceiver(t, secret)
	s := newSender(t, rcv.URL, func(c *Config) { c.Headers = map[string]string{"Authorization": "Bearer k"} })
	if _, err := s.Send(context.Background(), sms(1)); err != nil {
		t.Fatal(err)
	}
	if rcv.Deliveries()[0].Header.Get("Authorization") != "Bearer k" {
		t.Fatal("extra header not sent")
	}
	m := sms(1)
	m.Channel = delivery.Push
	if _, err := s.Send(context.Background(), m); delivery.AsError(err).Code != delivery.CodeInvalidMessage {
		t.Fatalf("wrong channel: %v", err)
	}
	m = sms(1)
	m.Body = ""
	if _, err := s.Send(context.Background(), m); delivery.AsError(err).Code != delivery.CodeInvalidMessage {
		t.Fatalf("no body: %v", err)
	}
}

func TestFromConfig(t *testing.T) {
	s, err := FromConfig("sms", config.WebhookDelivery{URL: "https://gw.shop.cn/sms", Secret: secret, Timeout: config.Duration(3 * time.Second)})
	if err != nil || s.Channel() != "sms" || s.cfg.Timeout != 3*time.Second || len(s.Schedule()) != 7 {
		t.Fatalf("FromConfig: %v", err)
	}
	if _, err := FromConfig("sms", config.WebhookDelivery{URL: "https://gw.shop.cn/sms"}); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("no secret: %v", err)
	}
}
