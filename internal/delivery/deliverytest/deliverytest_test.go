package deliverytest

import (
	"bytes"
	"net"
	"net/http"
	"net/smtp"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// The server is checked with the standard library's SMTP client, which
// shares no code with the sender under test.
func TestSMTPServerWithStdlibClient(t *testing.T) {
	s, err := NewSMTPServer(WithKeepData())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Reject("unknown@", 550, "5.1.1", "user unknown")
	msg := "Message-ID: <id-1@shop.cn>\r\nSubject: hi\r\n\r\n.leading dot\r\nbody\r\n"
	if err := smtp.SendMail(s.Addr, nil, "news@shop.cn", []string{"a@b.cn"}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	if err := smtp.SendMail(s.Addr, nil, "news@shop.cn", []string{"a@b.cn"}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	err = smtp.SendMail(s.Addr, nil, "news@shop.cn", []string{"unknown@b.cn"}, []byte(msg))
	if err == nil || !strings.Contains(err.Error(), "550") || !strings.Contains(err.Error(), "5.1.1") {
		t.Fatalf("rejected recipient: %v", err)
	}
	st := s.Stats()
	if st.Accepted != 2 || st.Distinct != 1 || st.Repeated != 1 || st.Connections != 3 {
		t.Fatalf("stats %+v", st)
	}
	r := s.Received()[0]
	if r.MessageID != "id-1@shop.cn" || r.From != "news@shop.cn" || len(r.To) != 1 || r.To[0] != "a@b.cn" ||
		!bytes.Contains(r.Data, []byte("\r\n.leading dot\r\n")) || !r.Accepted {
		t.Fatalf("received %+v %q", r.Envelope, r.Data)
	}
	// Scripted replies are repeatable by seed.
	counts := func() map[int]int {
		s.SetFaults(Faults{Replies: map[int]float64{451: 0.3, 550: 0.1}, Seed: 9})
		out := map[int]int{}
		for range 100 {
			err := smtp.SendMail(s.Addr, nil, "n@shop.cn", []string{"a@b.cn"}, []byte(msg))
			code := 250
			if err != nil {
				code = map[bool]int{true: 451, false: 550}[strings.HasPrefix(err.Error(), "451")]
			}
			out[code]++
		}
		return out
	}
	a, b := counts(), counts()
	if a[451] != b[451] || a[550] != b[550] || a[451] < 15 || a[550] < 3 || a[250] < 45 {
		t.Fatalf("scripted replies %v then %v", a, b)
	}
	// Down refuses connections; up accepts again on the same address.
	s.SetFaults(Faults{})
	s.SetDown(true)
	if c, err := net.DialTimeout("tcp", s.Addr, time.Second); err == nil {
		c.Close()
		t.Fatal("a down server accepted a connection")
	}
	if err := s.SetDown(false); err != nil {
		t.Fatal(err)
	}
	if err := smtp.SendMail(s.Addr, nil, "news@shop.cn", []string{"a@b.cn"}, []byte(msg)); err != nil {
		t.Fatalf("after up: %v", err)
	}
}

func TestSMTPServerAuth(t *testing.T) {
	s, err := NewSMTPServer(WithAuth("u", "p"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	msg := []byte("Message-ID: <x@y>\r\n\r\nx\r\n")
	if err := smtp.SendMail(s.Addr, smtp.PlainAuth("", "u", "p", "127.0.0.1"), "a@b.cn", []string{"c@d.cn"}, msg); err != nil {
		t.Fatalf("PLAIN: %v", err)
	}
	if err := smtp.SendMail(s.Addr, smtp.PlainAuth("", "u", "wrong", "127.0.0.1"), "a@b.cn", []string{"c@d.cn"}, msg); err == nil || !strings.Contains(err.Error(), "535") {
		t.Fatalf("wrong password: %v", err)
	}
	if err := smtp.SendMail(s.Addr, nil, "a@b.cn", []string{"c@d.cn"}, msg); err == nil || !strings.Contains(err.Error(), "530") {
		t.Fatalf("no login: %v", err)
	}
}

func TestReceiverVerifies(t *testing.T) {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	r := NewReceiver(t, secret)
	wh, _ := standardwebhooks.NewWebhook(secret)
	body := []byte(`{"type":"message.sms"}`)
	post := func(id, sig string, ts time.Time) int {
		req, _ := http.NewRequest(http.MethodPost, r.URL, bytes.NewReader(body))
		req.Header.Set("webhook-id", id)
		req.Header.Set("webhook-timestamp", itoa(ts.Unix()))
		req.Header.Set("webhook-signature", sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	now := time.Now()
	good, _ := wh.Sign("msg_1", now, body)
	if c := post("msg_1", good, now); c != 200 {
		t.Fatalf("good signature: %d", c)
	}
	if c := post("msg_1", good, now); c != 200 {
		t.Fatalf("repeat: %d", c)
	}
	if c := post("msg_2", good, now); c != 401 { // signature of another id
		t.Fatalf("wrong id: %d", c)
	}
	if c := post("msg_3", "v1,AAAA", now); c != 401 {
		t.Fatalf("forged: %d", c)
	}
	st := r.Stats()
	if st.Verified != 2 || st.BadSignature != 2 || st.Distinct != 1 || st.Repeated != 1 || st.AcceptedIDs != 1 {
		t.Fatalf("stats %+v", st)
	}
	r.SetGone(true)
	if c := post("msg_1", good, now); c != 410 {
		t.Fatalf("gone: %d", c)
	}
}

func itoa(n int64) string {
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
