package delivery

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

func TestKey(t *testing.T) {
	k := Key("c1", "C000001", Email)
	if len(k) != 32 || strings.Trim(k, "0123456789abcdef") != "" {
		t.Fatalf("Key = %q, want 32 hex digits", k)
	}
	if Key("c1", "C000001", Email) != k {
		t.Fatal("Key is not stable")
	}
	seen := map[string]string{}
	for _, parts := range [][3]string{
		{"c1", "C000001", Email}, {"c1", "C000001", SMS}, {"c1", "C000002", Email}, {"c2", "C000001", Email},
		// length prefixes keep shifted boundaries apart
		{"c1C", "000001", Email}, {"c1", "C000001e", "mail"},
	} {
		k := Key(parts[0], parts[1], parts[2])
		if prev, ok := seen[k]; ok {
			t.Fatalf("Key%v collides with %s", parts, prev)
		}
		seen[k] = fmt.Sprint(parts)
	}
	if got := MessageID(k, "mail.shop.com"); got != k+"@mail.shop.com" {
		t.Fatalf("MessageID = %q", got)
	}
	if got := WebhookID(k); got != "msg_"+k {
		t.Fatalf("WebhookID = %q", got)
	}
}

func TestKeyGolden(t *testing.T) {
	// Fixed forever: changing the derivation would give sends planned
	// before an upgrade new Message-IDs and webhook-ids on retry. The value
	// was computed independently (Python hashlib over the same
	// length-prefixed parts).
	if got, want := Key("campaign-1", "C000001", "email"), "dee0cc86e7888605692625833b1dc1a5"; got != want {
		t.Fatalf("Key = %s, want %s", got, want)
	}
}

func TestValidate(t *testing.T) {
	ok := Message{Key: "k", Channel: Email, To: "a@b.cn", Subject: "s", Text: "t"}
	for _, tc := range []struct {
		name string
		edit func(*Message)
		want string // "" valid
	}{
		{"ok", func(*Message) {}, ""},
		{"html only", func(m *Message) { m.Text, m.HTML = "", "<p>x</p>" }, ""},
		{"no key", func(m *Message) { m.Key = " " }, "idempotency key"},
		{"no channel", func(m *Message) { m.Channel = "" }, "channel"},
		{"no recipient", func(m *Message) { m.To = "" }, "recipient"},
		{"no subject", func(m *Message) { m.Subject = "" }, "subject"},
		{"no body", func(m *Message) { m.Text = "" }, "neither a text nor an HTML body"},
		{"sms no body", func(m *Message) { m.Channel, m.To = SMS, "+8613800138000" }, "no body"},
		{"sms", func(m *Message) { m.Channel, m.To, m.Body = SMS, "+8613800138000", "【店】双11 回T退订" }, ""},
		{"bad utf8", func(m *Message) { m.Text = "\xff" }, "UTF-8"},
	} {
		m := ok
		tc.edit(&m)
		err := m.Validate()
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		e := AsError(err)
		if e == nil || e.Class != Permanent || e.Code != CodeInvalidMessage || e.Suppress || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want Permanent invalid_message with %q", tc.name, err, tc.want)
		}
		if !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%s: apperr kind %s, want invalid", tc.name, apperr.KindOf(err))
		}
	}
}

func TestScope(t *testing.T) {
	for _, tc := range []struct{ ch, to, want string }{
		{Email, "Li.Na@Example.COM", "example.com"},
		{Email, "<x@Shop.cn>", "shop.cn"},
		{Email, "nobody", ""},
		{SMS, "+8613800138000", SMS},
		{Push, "token", Push},
	} {
		if got := (Message{Channel: tc.ch, To: tc.to}).Scope(); got != tc.want {
			t.Errorf("Scope(%s, %s) = %q, want %q", tc.ch, tc.to, got, tc.want)
		}
	}
}

func TestErrorClasses(t *testing.T) {
	cause := errors.New("dial tcp: connection refused")
	for _, tc := range []struct {
		err       error
		class     Class
		kind      apperr.Kind
		retryable bool
		peer      bool
	}{
		{&Error{Class: Temporary, Code: CodeConnection, Err: cause}, Temporary, apperr.Unavailable, true, true},
		{&Error{Class: Throttled, Code: CodeThrottled}, Throttled, apperr.Unavailable, true, false},
		{&Error{Class: Permanent, Code: CodeMailboxUnknown, Suppress: true}, Permanent, apperr.Invalid, false, false},
		{&Error{Class: EndpointGone, Code: CodeEndpointGone}, EndpointGone, apperr.Unavailable, false, false},
		{fmt.Errorf("job: %w", &Error{Class: Temporary, Code: CodeTimeout}), Temporary, apperr.Unavailable, true, true},
		{context.Canceled, Temporary, apperr.Unavailable, true, false},
		{cause, Temporary, apperr.Unavailable, true, true},
	} {
		if got := ClassOf(tc.err); got != tc.class {
			t.Errorf("ClassOf(%v) = %s, want %s", tc.err, got, tc.class)
		}
		e := AsError(tc.err)
		if e.Retryable() != tc.retryable || PeerFailure(tc.err) != tc.peer {
			t.Errorf("%v: retryable %v peer %v", tc.err, e.Retryable(), PeerFailure(tc.err))
		}
		if got := apperr.KindOf(e); got != tc.kind {
			t.Errorf("%v: apperr kind %s, want %s", tc.err, got, tc.kind)
		}
	}
	if ClassOf(nil) != "" || AsError(nil) != nil {
		t.Fatal("nil error has a class")
	}
	e := &Error{Class: Temporary, Code: CodeConnection, Msg: "smtp connection failed", Err: cause}
	if !errors.Is(e, cause) {
		t.Fatal("Error does not unwrap to its cause")
	}
	if AsError(context.DeadlineExceeded).Code != CodeCancelled {
		t.Fatal("deadline is not cancelled")
	}
}

func TestRedact(t *testing.T) {
	got := Redact("550 5.1.1 <li.na@example.com>: Recipient address rejected: User unknown in virtual mailbox table")
	if strings.Contains(got, "li.na") || strings.Contains(got, "example.com") || !strings.Contains(got, "User unknown") {
		t.Fatalf("Redact = %q", got)
	}
	long := strings.Repeat("邮", 200)
	if r := Redact(long); len(r) > 300 || !strings.HasPrefix(long, r) {
		t.Fatalf("Redact cut a rune or kept too much: %d bytes", len(r))
	}
}

func TestSchedule(t *testing.T) {
	if WebhookSchedule.Attempts() != 8 {
		t.Fatalf("webhook attempts = %d, want 8 (immediately + 7 retries)", WebhookSchedule.Attempts())
	}
	var total time.Duration
	for _, d := range WebhookSchedule {
		total += d
	}
	if total != 27*time.Hour+35*time.Minute+5*time.Second {
		t.Fatalf("webhook schedule spans %s", total)
	}
	var email time.Duration
	for _, d := range EmailSchedule {
		email += d
	}
	if email < 4*24*time.Hour || email > 5*24*time.Hour {
		t.Fatalf("email schedule spans %s, want 4-5 days (RFC 5321)", email)
	}
	for i := 1; i <= len(WebhookSchedule); i++ {
		d, ok := WebhookSchedule.Delay(i)
		base := WebhookSchedule[i-1]
		if !ok || d < base-base/10 || d > base+base/10 {
			t.Fatalf("Delay(%d) = %s, %v; want %s ±10%%", i, d, ok, base)
		}
	}
	if _, ok := WebhookSchedule.Delay(len(WebhookSchedule) + 1); ok {
		t.Fatal("exhausted schedule still retries")
	}
	if _, ok := WebhookSchedule.Delay(0); ok {
		t.Fatal("Delay(0) retries")
	}

	temp := &Error{Class: Temporary, Code: CodeConnection}
	if d, ok := RetryDelay(temp, 1, WebhookSchedule); !ok || d < 4*time.Second || d > 6*time.Second {
		t.Fatalf("RetryDelay temporary = %s %v", d, ok)
	}
	slow := &Error{Class: Throttled, Code: CodeThrottled, RetryAfter: time.Hour}
	if d, ok := RetryDelay(slow, 1, WebhookSchedule); !ok || d != time.Hour {
		t.Fatalf("RetryDelay honours Retry-After: %s %v", d, ok)
	}
	if _, ok := RetryDelay(&Error{Class: Permanent, Code: CodeBounceHard}, 1, EmailSchedule); ok {
		t.Fatal("permanent is retried")
	}
	if _, ok := RetryDelay(&Error{Class: EndpointGone}, 1, EmailSchedule); ok {
		t.Fatal("endpoint gone is retried")
	}
	if _, ok := RetryDelay(slow, len(WebhookSchedule)+1, WebhookSchedule); ok {
		t.Fatal("retry after exhaustion")
	}
}
