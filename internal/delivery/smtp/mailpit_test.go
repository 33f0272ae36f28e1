package smtp

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-msgauth/dkim"

	"github.com/chorusmkt/chorus/internal/delivery"
	"github.com/chorusmkt/chorus/internal/delivery/deliverytest"
	"github.com/chorusmkt/chorus/internal/tracking/token"
)

// TestMailpit sends a bilingual campaign through a real SMTP server and
// reads it back as a mail client would.
func TestMailpit(t *testing.T) {
	mp := deliverytest.StartMailpit(t, deliverytest.MailpitOptions{})
	s, err := New(Config{URL: "smtp://" + mp.SMTPAddr, From: "双11 小店 <news@shop.example.cn>", ReplyTo: "help@shop.example.cn", Connections: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	links := testLinks(t)
	ctx := context.Background()
	const n = 40
	sent := map[string]delivery.Message{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		m := testMessage(t, links, i)
		sent[delivery.MessageID(m.Key, "shop.example.cn")] = m
		wg.Go(func() {
			res, err := s.Send(ctx, m)
			if err != nil {
				errs <- err
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if res.ID != delivery.MessageID(m.Key, "shop.example.cn") || res.Duration <= 0 {
				errs <- fmt.Errorf("result %+v", res)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	st := s.Stats()
	if st.Sent != n || st.Dials > 3 || st.Reused < n-3 {
		t.Fatalf("stats %+v: want %d sent over at most 3 reused connections", st, n)
	}

	list, err := mp.Messages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != n {
		t.Fatalf("mailpit holds %d messages, want %d", len(list), n)
	}
	codec := links.Codec()
	for _, sum := range list {
		m, ok := sent[sum.MessageID]
		if !ok {
			t.Fatalf("mailpit has Message-ID %q that we did not send", sum.MessageID)
		}
		delete(sent, sum.MessageID)
		raw, err := mp.Raw(ctx, sum.ID)
		if err != nil {
			t.Fatal(err)
		}
		p := parseMessage(t, raw)
		if p.subject != m.Subject {
			t.Errorf("subject %q, want %q", p.subject, m.Subject)
		}
		if !strings.Contains(p.text, strings.Split(m.Text, "\n")[0]) {
			t.Errorf("text part %q lacks %q", p.text, strings.Split(m.Text, "\n")[0])
		}
		if !strings.Contains(p.html, "<p>") {
			t.Errorf("html part %q", p.html)
		}
		if m.Language == "zh" && !strings.Contains(p.html, "摄影包") {
			t.Errorf("zh html part lost its text: %q", p.html)
		}
		to, err := p.header.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Address != m.To || to[0].Name != m.ToName {
			t.Errorf("To %v (%v), want %s <%s>", to, err, m.ToName, m.To)
		}
		from, _ := p.header.AddressList("From")
		if len(from) != 1 || from[0].Name != "双11 小店" || from[0].Address != "news@shop.example.cn" {
			t.Errorf("From %v", from)
		}
		if got := p.header.Get("Reply-To"); got != "<help@shop.example.cn>" {
			t.Errorf("Reply-To %q", got)
		}
		if got := p.header.Get("Content-Language"); got != m.Language {
			t.Errorf("Content-Language %q", got)
		}
		if _, err := p.header.Date(); err != nil {
			t.Errorf("Date: %v", err)
		}
		// RFC 8058: an https URL in List-Unsubscribe and the one-click Post.
		if got := p.header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post %q", got)
		}
		lu := p.header.Get("List-Unsubscribe")
		u, ok := strings.CutPrefix(lu, "<"+"https://t.shop.example.cn"+token.UnsubscribePath)
		if !ok || !strings.HasSuffix(u, ">") {
			t.Fatalf("List-Unsubscribe %q", lu)
		}
		cl, err := codec.Verify(strings.TrimSuffix(u, ">"), token.Unsubscribe)
		if err != nil || cl.SendID != m.Key || cl.Campaign != "double11" || cl.Channel != delivery.Email {
			t.Errorf("List-Unsubscribe token: %+v %v", cl, err)
		}
		if got := p.header.Get("Feedback-ID"); got != "double11:A:email:chorus" {
			t.Errorf("Feedback-ID %q", got)
		}
		// Mailpit's own reading agrees.
		d, err := mp.Message(ctx, sum.ID)
		if err != nil || d.ListUnsubscribe.Errors != "" || d.ListUnsubscribe.HeaderPost != "List-Unsubscribe=One-Click" || len(d.ListUnsubscribe.Links) != 1 {
			t.Errorf("mailpit's List-Unsubscribe view: %+v %v", d.ListUnsubscribe, err)
		}
	}
	if len(sent) != 0 {
		t.Fatalf("%d messages never arrived", len(sent))
	}
	if err := mp.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	if c, _ := mp.Count(ctx); c != 0 {
		t.Fatalf("after DeleteAll mailpit holds %d", c)
	}
}

// TestDKIM signs with Ed25519 and with RSA and verifies what Mailpit got
// with an independent verifier (emersion/go-msgauth), the public key served
// from a fake DNS lookup.
func TestDKIM(t *testing.T) {
	mp := deliverytest.StartMailpit(t, deliverytest.MailpitOptions{})
	links := testLinks(t)
	edPub, edKey, _ := ed25519.GenerateKey(rand.Reader)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		key  crypto.Signer
		txt  string
	}{
		{"ed25519", edKey, "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(edPub)},
		{"rsa", rsaKey, "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(must(x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			mp.DeleteAll(ctx)
			s, err := New(Config{URL: "smtp://" + mp.SMTPAddr, From: "Shop <news@shop.example.cn>", Connections: 1,
				DKIM: &DKIM{Domain: "shop.example.cn", Selector: "chorus" + tc.name, Key: tc.key}})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			for i := range 4 {
				if _, err := s.Send(ctx, testMessage(t, links, i)); err != nil {
					t.Fatal(err)
				}
			}
			list, _ := mp.Messages(ctx)
			if len(list) != 4 {
				t.Fatalf("%d messages", len(list))
			}
			lookups := 0
			opts := &dkim.VerifyOptions{LookupTXT: func(domain string) ([]string, error) {
				lookups++
				if domain != "chorus"+tc.name+"._domainkey.shop.example.cn" {
					return nil, fmt.Errorf("no TXT record for %s", domain)
				}
				return []string{tc.txt}, nil
			}}
			for _, sum := range list {
				raw, _ := mp.Raw(ctx, sum.ID)
				vs, err := dkim.VerifyWithOptions(bytes.NewReader(raw), opts)
				if err != nil || len(vs) != 1 {
					t.Fatalf("verify: %v (%d signatures)", err, len(vs))
				}
				v := vs[0]
				if v.Err != nil || v.Domain != "shop.example.cn" {
					t.Fatalf("DKIM signature does not verify: %v (domain %s)", v.Err, v.Domain)
				}
				signed := strings.ToLower(strings.Join(v.HeaderKeys, ":"))
				for _, h := range []string{"from", "subject", "message-id", "list-unsubscribe", "list-unsubscribe-post"} {
					if !strings.Contains(signed, h) {
						t.Errorf("signature does not cover %s (h=%s)", h, signed)
					}
				}
				// A changed body breaks it.
				tampered := bytes.Replace(raw, []byte("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), []byte("List-Unsubscribe-Post: List-Unsubscribe=One-Clack"), 1)
				if vs, _ := dkim.VerifyWithOptions(bytes.NewReader(tampered), opts); len(vs) != 1 || vs[0].Err == nil {
					t.Fatal("a tampered header still verifies")
				}
			}
			if lookups == 0 {
				t.Fatal("the verifier never looked up the key")
			}
			// Render gives the same signed form.
			r, err := s.Render(testMessage(t, links, 9))
			if err != nil || !bytes.Contains(r, []byte("DKIM-Signature:")) {
				t.Fatalf("Render: %v", err)
			}
			if vs, err := dkim.VerifyWithOptions(bytes.NewReader(r), opts); err != nil || vs[0].Err != nil {
				t.Fatalf("rendered message: %v %v", err, vs[0].Err)
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestTLSAndAuth runs STARTTLS with a login, and implicit TLS, against
// Mailpit with a certificate of the test's own.
func TestTLSAndAuth(t *testing.T) {
	dir := t.TempDir()
	cert, key, trust := selfSigned(t, dir)
	links := testLinks(t)
	ctx := context.Background()

	t.Run("starttls+auth", func(t *testing.T) {
		mp := deliverytest.StartMailpit(t, deliverytest.MailpitOptions{TLSCert: cert, TLSKey: key, RequireSTARTTLS: true, AuthUser: "chorus", AuthPass: "p@ss:word/1"})
		// A password with special characters, percent-encoded in the URL.
		s, err := New(Config{URL: "smtp://chorus:p%40ss%3Aword%2F1@" + mp.SMTPAddr + "?tls=starttls&auth=plain", From: "news@shop.example.cn", TLSConfig: trust, Connections: 1})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.Check(ctx); err != nil {
			t.Fatalf("Check: %v", err)
		}
		if _, err := s.Send(ctx, testMessage(t, links, 1)); err != nil {
			t.Fatalf("send over STARTTLS with login: %v", err)
		}
		if c, _ := mp.Count(ctx); c != 1 {
			t.Fatalf("mailpit got %d", c)
		}
		// A wrong password is a configuration problem: Temporary, so
		// nothing is lost while it is fixed, and its message says so.
		bad, _ := New(Config{URL: "smtp://chorus:wrong@" + mp.SMTPAddr + "?tls=starttls", From: "news@shop.example.cn", TLSConfig: trust})
		_, err = bad.Send(ctx, testMessage(t, links, 2))
		e := delivery.AsError(err)
		if e == nil || e.Class != delivery.Temporary || e.Code != delivery.CodeEndpointError || !strings.Contains(e.Msg, "login") {
			t.Fatalf("wrong password: %+v", e)
		}
		if strings.Contains(err.Error(), "wrong") {
			t.Fatalf("the error repeats the password: %v", err)
		}
		// An untrusted certificate fails with a TLS error.
		untrusted, _ := New(Config{URL: "smtp://chorus:p%40ss%3Aword%2F1@" + mp.SMTPAddr + "?tls=starttls", From: "news@shop.example.cn"})
		if err := untrusted.Check(ctx); delivery.AsError(err).Code != delivery.CodeEndpointError || !strings.Contains(err.Error(), "TLS") {
			t.Fatalf("untrusted certificate: %v", err)
		}
		// skip_verify accepts it.
		skip, _ := New(Config{URL: "smtp://chorus:p%40ss%3Aword%2F1@" + mp.SMTPAddr + "?tls=starttls&skip_verify=true", From: "news@shop.example.cn"})
		if err := skip.Check(ctx); err != nil {
			t.Fatalf("skip_verify: %v", err)
		}
	})
	t.Run("implicit", func(t *testing.T) {
		mp := deliverytest.StartMailpit(t, deliverytest.MailpitOptions{TLSCert: cert, TLSKey: key, RequireTLS: true})
		s, err := New(Config{URL: "smtps://" + mp.SMTPAddr, From: "news@shop.example.cn", TLSConfig: trust, Connections: 2})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for i := range 3 {
			if _, err := s.Send(ctx, testMessage(t, links, i)); err != nil {
				t.Fatalf("send over implicit TLS: %v", err)
			}
		}
		if c, _ := mp.Count(ctx); c != 3 {
			t.Fatalf("mailpit got %d", c)
		}
		// Plain SMTP to a TLS port fails as a connection problem, not a hang.
		plain, _ := New(Config{URL: "smtp://" + mp.SMTPAddr + "?tls=none", From: "news@shop.example.cn", Timeout: 2e9})
		if err := plain.Check(ctx); err == nil {
			t.Fatal("plain SMTP to an implicit-TLS port worked")
		}
	})
	t.Run("starttls required but not offered", func(t *testing.T) {
		mp := deliverytest.StartMailpit(t, deliverytest.MailpitOptions{})
		s, _ := New(Config{URL: "smtp://" + mp.SMTPAddr + "?tls=starttls", From: "news@shop.example.cn"})
		err := s.Check(ctx)
		if e := delivery.AsError(err); e == nil || e.Code != delivery.CodeEndpointError || !strings.Contains(e.Msg, "STARTTLS") {
			t.Fatalf("STARTTLS not offered: %v", err)
		}
		// opportunistic goes on without it.
		o, _ := New(Config{URL: "smtp://" + mp.SMTPAddr + "?tls=opportunistic", From: "news@shop.example.cn"})
		if err := o.Check(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
