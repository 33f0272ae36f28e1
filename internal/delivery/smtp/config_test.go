package smtp

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/delivery"
)

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		url               string
		host              string
		port              int
		tls, auth, user   string
		skip              bool
		wantErr, notInErr string
	}{
		{url: "smtp://127.0.0.1:1025", host: "127.0.0.1", port: 1025, tls: TLSOpportunistic, auth: "auto"},
		{url: "smtp://mail.shop.cn", host: "mail.shop.cn", port: 587, tls: TLSOpportunistic, auth: "auto"},
		{url: "smtps://mail.shop.cn", host: "mail.shop.cn", port: 465, tls: TLSImplicit, auth: "auto"},
		{url: "smtp://u:p@smtp.relay.cn", host: "smtp.relay.cn", port: 587, tls: TLSStartTLS, auth: "auto", user: "u"},
		{url: "smtp://u:p@localhost:25", host: "localhost", port: 25, tls: TLSOpportunistic, auth: "auto", user: "u"},
		{url: "smtp://u:p@mail.shop.cn:2525?tls=opportunistic&auth=login&skip_verify=true&helo=out.shop.cn", host: "mail.shop.cn", port: 2525, tls: TLSOpportunistic, auth: "login", user: "u", skip: true},
		{url: "smtp://mail.shop.cn?tls=none", host: "mail.shop.cn", port: 587, tls: TLSNone, auth: "auto"},
		{url: "http://mail.shop.cn", wantErr: "must start with smtp:// or smtps://"},
		{url: "smtp://", wantErr: "names no host"},
		{url: "smtp://mail.shop.cn:99999", wantErr: "not a port"},
		{url: "smtp://u:hunter2@mail.shop.cn?tls=none", wantErr: "clear text", notInErr: "hunter2"},
		{url: "smtps://mail.shop.cn?tls=starttls", wantErr: "does not apply to smtps"},
		{url: "smtp://mail.shop.cn?tls=maybe", wantErr: "use none, opportunistic or starttls"},
		{url: "smtp://mail.shop.cn?auth=kerberos", wantErr: "auth=\"kerberos\""},
		{url: "smtp://mail.shop.cn?pool=4", wantErr: "unknown option \"pool\""},
		{url: "smtp://u:hunter2@mail.shop.cn:x", wantErr: "not a URL", notInErr: "hunter2"},
		{url: "smtp://u:hunter2@mail.shop.cn?skip_verify=perhaps", wantErr: "skip_verify", notInErr: "hunter2"},
	} {
		ep, err := parseURL(tc.url)
		if tc.wantErr != "" {
			if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "CHORUS_DELIVERY_EMAIL_SMTP") {
				t.Errorf("%s: %v, want Invalid with %q", tc.url, err, tc.wantErr)
			}
			if tc.notInErr != "" && err != nil && strings.Contains(err.Error(), tc.notInErr) {
				t.Errorf("%s: the error shows the password: %v", tc.url, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.url, err)
			continue
		}
		if ep.host != tc.host || ep.port != tc.port || ep.tls != tc.tls || ep.auth != tc.auth || ep.user != tc.user || ep.skip != tc.skip {
			t.Errorf("%s: %+v", tc.url, ep)
		}
		if strings.Contains(ep.redacted, ":p@") {
			t.Errorf("%s: redacted form keeps the password: %s", tc.url, ep.redacted)
		}
	}
}

func TestNewRefuses(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "delivery.email.smtp is not set"},
		{Config{URL: "smtp://127.0.0.1:25", From: "not an address"}, "delivery.email.from"},
		{Config{URL: "smtp://127.0.0.1:25", From: "a@b.cn", ReplyTo: "x"}, "delivery.email.reply_to"},
		{Config{URL: "smtp://127.0.0.1:25", From: "a@b.cn", DKIM: &DKIM{Domain: "b.cn"}}, "needs domain, selector and key_file"},
	} {
		if _, err := New(tc.cfg); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v): %v, want %q", tc.cfg, err, tc.want)
		}
	}
	if _, err := LoadDKIMKey("/nonexistent/dkim.pem"); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "key_file") {
		t.Errorf("missing key file: %v", err)
	}
}

func TestClassifyReply(t *testing.T) {
	for _, tc := range []struct {
		code     int
		enh      string
		class    delivery.Class
		reason   string
		suppress bool
	}{
		{421, "4.3.2", delivery.Throttled, delivery.CodeThrottled, false},
		{451, "4.3.0", delivery.Throttled, delivery.CodeThrottled, false},
		{454, "4.7.0", delivery.Throttled, delivery.CodeThrottled, false},
		{452, "4.5.3", delivery.Throttled, delivery.CodeThrottled, false},
		{450, "4.7.28", delivery.Throttled, delivery.CodeThrottled, false},
		{450, "4.2.0", delivery.Temporary, delivery.CodeTemporary, false},
		{441, "", delivery.Temporary, delivery.CodeTemporary, false},
		{550, "5.1.1", delivery.Permanent, delivery.CodeMailboxUnknown, true},
		{550, "5.1.6", delivery.Permanent, delivery.CodeMailboxUnknown, true},
		{556, "5.1.10", delivery.Permanent, delivery.CodeDomainUnknown, true},
		{550, "5.4.4", delivery.Permanent, delivery.CodeDomainUnknown, true},
		{553, "5.1.3", delivery.Permanent, delivery.CodeInvalidAddress, true},
		{550, "5.2.1", delivery.Permanent, delivery.CodeMailboxDisabled, true},
		{552, "5.2.2", delivery.Permanent, delivery.CodeMailboxFull, false},
		{552, "5.3.4", delivery.Permanent, delivery.CodeTooLarge, false},
		{550, "5.7.1", delivery.Permanent, delivery.CodeRejected, false},
		{550, "5.7.26", delivery.Permanent, delivery.CodeRejected, false},
		{553, "5.1.8", delivery.Permanent, delivery.CodeRejected, false},
		{550, "5.2.0", delivery.Permanent, delivery.CodeBounceHard, true},
		{550, "", delivery.Permanent, delivery.CodeBounceHard, true},
		{551, "", delivery.Permanent, delivery.CodeBounceHard, true},
		{552, "", delivery.Permanent, delivery.CodeMailboxFull, false},
		{554, "", delivery.Permanent, delivery.CodeRejected, false},
		{554, "5.7.1", delivery.Permanent, delivery.CodeRejected, false},
	} {
		e := ClassifyReply(tc.code, tc.enh, "text")
		if e.Class != tc.class || e.Code != tc.reason || e.Suppress != tc.suppress || e.Status != tc.code || e.Enhanced != tc.enh {
			t.Errorf("%d %s: %s/%s suppress=%v, want %s/%s suppress=%v", tc.code, tc.enh, e.Class, e.Code, e.Suppress, tc.class, tc.reason, tc.suppress)
		}
	}
}

func TestAlternatives(t *testing.T) {
	txt := TextFromHTML(`<html><head><style>p{color:red}</style></head><body><h1>双11 &amp; 提前购</h1><p>您好，<b>李娜</b>：<br>摄影包今晚开抢。</p><ul><li>加赠镜头布</li><li>满 299 减 50</li></ul><p><a href="https://shop.cn/p/1?a=1&amp;b=2">立即查看</a> <a href="https://shop.cn/u">https://shop.cn/u</a></p></body></html>`)
	for _, want := range []string{"双11 & 提前购", "您好，李娜：\n摄影包今晚开抢。", "• 加赠镜头布", "立即查看 (https://shop.cn/p/1?a=1&b=2)", "https://shop.cn/u"} {
		if !strings.Contains(txt, want) {
			t.Errorf("TextFromHTML lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "color") || strings.Contains(txt, "<") {
		t.Errorf("TextFromHTML kept markup or styles:\n%s", txt)
	}
	h := HTMLFromText("Hi <Emma> & co,\n\nSale: https://shop.cn/p?a=1&b=2\nSee you", "en")
	for _, want := range []string{`<html lang="en">`, "<p>Hi &lt;Emma&gt; &amp; co,</p>", `<a href="https://shop.cn/p?a=1&amp;b=2">https://shop.cn/p?a=1&amp;b=2</a><br>`, "See you</p>"} {
		if !strings.Contains(h, want) {
			t.Errorf("HTMLFromText lacks %q:\n%s", want, h)
		}
	}
}

func TestFromConfig(t *testing.T) {
	s, err := FromConfig(config.EmailDelivery{SMTP: "smtp://127.0.0.1:1025", From: "Shop <news@shop.cn>", Connections: 3})
	if err != nil || s.cfg.Connections != 3 || s.ep.domain != "shop.cn" {
		t.Fatalf("FromConfig: %v %+v", err, s)
	}
	dir := t.TempDir()
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	path := filepath.Join(dir, "dkim.pem")
	os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
	s, err = FromConfig(config.EmailDelivery{SMTP: "smtp://127.0.0.1:1025", From: "news@shop.cn", DKIM: config.DKIM{KeyFile: path, Selector: "s1", Domain: "shop.cn"}})
	if err != nil || s.dkim == nil {
		t.Fatalf("FromConfig with DKIM: %v", err)
	}
	os.WriteFile(path, []byte("garbage"), 0o600)
	if _, err := FromConfig(config.EmailDelivery{SMTP: "smtp://127.0.0.1:1025", From: "news@shop.cn", DKIM: config.DKIM{KeyFile: path, Selector: "s1", Domain: "shop.cn"}}); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("bad key file: %v", err)
	}
}
