package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

const (
	whsec  = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	secret = "a-tracking-secret-of-at-least-32-characters"
)

func envOf(m map[string]string) Lookup {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDeliveryFromFileAndEnv(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "dkim.pem")
	os.WriteFile(key, []byte("not checked here"), 0o600)
	path := filepath.Join(dir, "chorus.yaml")
	yaml := `delivery:
  email:
    smtp: smtp://chorus:p%40ss@mail.shop.cn:587
    from: Shop <news@shop.cn>
    reply_to: help@shop.cn
    connections: 8
    domain_rates: {gmail.com: 50}
    retry: [30s, 5m]
    dkim: {key_file: ` + key + `, selector: s1, domain: shop.cn}
  webhooks:
    sms: {url: "https://gw.shop.cn/sms", secret: ` + whsec + `, rate: 20}
  export: {dir: out}
tracking:
  base_url: https://t.shop.cn
  secret: ` + secret + `
`
	os.WriteFile(path, []byte(yaml), 0o600)
	c, err := Load(path, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	e := c.Delivery.Email
	if e.SMTP != "smtp://chorus:p%40ss@mail.shop.cn:587" || e.From != "Shop <news@shop.cn>" || e.Connections != 8 || e.DomainRates["gmail.com"] != 50 ||
		len(e.Retry) != 2 || e.Retry[1].Std() != 5*time.Minute || e.DKIM.Selector != "s1" {
		t.Fatalf("email %+v", e)
	}
	if w := c.Delivery.Webhooks["sms"]; w.URL != "https://gw.shop.cn/sms" || w.Secret != whsec || w.Rate != 20 {
		t.Fatalf("sms webhook %+v", w)
	}
	if c.Delivery.Export.Dir != "out" || c.Delivery.Export.DefaultRegion != "CN" || c.Tracking.BaseURL != "https://t.shop.cn" {
		t.Fatalf("export %+v tracking %+v", c.Delivery.Export, c.Tracking)
	}

	// The environment overrides the file and adds channels.
	c, err = Load(path, envOf(map[string]string{
		"CHORUS_DELIVERY_EMAIL_SMTP":                   "smtps://mail2.shop.cn",
		"CHORUS_DELIVERY_EMAIL_FROM":                   "news@shop2.cn",
		"CHORUS_DELIVERY_EMAIL_CONNECTIONS":            "2",
		"CHORUS_DELIVERY_EMAIL_DOMAIN_RATES":           "QQ.com=10, 163.com=5",
		"CHORUS_DELIVERY_EMAIL_RETRY":                  "1m,10m,1h",
		"CHORUS_DELIVERY_WEBHOOKS_SMS_URL":             "https://gw2.shop.cn/sms",
		"CHORUS_DELIVERY_WEBHOOKS_PUSH_URL":            "http://127.0.0.1:9000/push",
		"CHORUS_DELIVERY_WEBHOOKS_PUSH_SECRET":         whsec,
		"CHORUS_DELIVERY_WEBHOOKS_PUSH_HEADERS":        "Authorization=Bearer k; X-Tenant=7",
		"CHORUS_DELIVERY_WEBHOOKS_PUSH_RATE":           "5",
		"CHORUS_DELIVERY_WEBHOOKS_PUSH_ALLOW_INSECURE": "false",
		"CHORUS_DELIVERY_EXPORT_DIR":                   "/tmp/ex",
		"CHORUS_TRACKING_BASE_URL":                     "http://127.0.0.1:8080",
		"CHORUS_TRACKING_PREVIOUS_SECRETS":             secret + "-old," + secret + "-older",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	e = c.Delivery.Email
	if e.SMTP != "smtps://mail2.shop.cn" || e.From != "news@shop2.cn" || e.Connections != 2 || e.DomainRates["qq.com"] != 10 || e.DomainRates["163.com"] != 5 ||
		len(e.DomainRates) != 2 || len(e.Retry) != 3 || e.Retry[2].Std() != time.Hour {
		t.Fatalf("env email %+v", e)
	}
	if w := c.Delivery.Webhooks["sms"]; w.URL != "https://gw2.shop.cn/sms" || w.Secret != whsec {
		t.Fatalf("env sms %+v", w)
	}
	if w := c.Delivery.Webhooks["push"]; w.URL != "http://127.0.0.1:9000/push" || w.Headers["Authorization"] != "Bearer k" || w.Headers["X-Tenant"] != "7" || w.Rate != 5 {
		t.Fatalf("env push %+v", w)
	}
	if c.Delivery.Export.Dir != "/tmp/ex" || c.Tracking.BaseURL != "http://127.0.0.1:8080" || len(c.Tracking.PreviousSecrets) != 2 {
		t.Fatalf("env export/tracking %+v %+v", c.Delivery.Export, c.Tracking)
	}
	for k, v := range map[string]string{
		"CHORUS_DELIVERY_EMAIL_CONNECTIONS":  "many",
		"CHORUS_DELIVERY_EMAIL_RATE":         "fast",
		"CHORUS_DELIVERY_EMAIL_DOMAIN_RATES": "gmail.com",
		"CHORUS_DELIVERY_EMAIL_RETRY":        "1m,later",
		"CHORUS_DELIVERY_WEBHOOKS_SMS_RATE":  "x",
	} {
		if _, err := Load("", envOf(map[string]string{k: v})); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%q: %v", k, v, err)
		}
	}
}

func TestDeliveryValidate(t *testing.T) {
	ok := Default()
	if err := ok.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"bad scheme", func(c *Config) { c.Delivery.Email.SMTP, c.Delivery.Email.From = "mail.shop.cn:25", "a@b.cn" }, "CHORUS_DELIVERY_EMAIL_SMTP"},
		{"no from", func(c *Config) { c.Delivery.Email.SMTP = "smtp://127.0.0.1:1025" }, "delivery.email.from: is required"},
		{"bad from", func(c *Config) { c.Delivery.Email.From = "news" }, "not an e-mail address"},
		{"negative rate", func(c *Config) { c.Delivery.Email.DomainRate = -1 }, "domain_rate"},
		{"negative domain", func(c *Config) { c.Delivery.Email.DomainRates = map[string]float64{"qq.com": -1} }, "domain_rates.qq.com"},
		{"retry", func(c *Config) { c.Delivery.Email.Retry = []Duration{0} }, "retry[0]"},
		{"mailto", func(c *Config) { c.Delivery.Email.UnsubscribeMailto = "unsub@shop.cn" }, "mailto:"},
		{"dkim partial", func(c *Config) { c.Delivery.Email.DKIM.Selector = "s1" }, "go together"},
		{"dkim file", func(c *Config) {
			c.Delivery.Email.DKIM = DKIM{KeyFile: "/nonexistent.pem", Selector: "s", Domain: "d.cn"}
		}, "cannot be read"},
		{"webhook no secret", func(c *Config) { c.Delivery.Webhooks = map[string]WebhookDelivery{"sms": {URL: "https://gw.cn"}} }, "needs both url and secret"},
		{"webhook http", func(c *Config) {
			c.Delivery.Webhooks = map[string]WebhookDelivery{"sms": {URL: "http://gw.cn/sms", Secret: whsec}}
		}, "plain http"},
		{"webhook secret", func(c *Config) {
			c.Delivery.Webhooks = map[string]WebhookDelivery{"wechat": {URL: "https://gw.cn", Secret: "hunter2"}}
		}, "delivery.webhooks.wechat.secret must be whsec_"},
		{"webhook email", func(c *Config) { c.Delivery.Webhooks = map[string]WebhookDelivery{"email": {}} }, "email goes over SMTP"},
		{"tracking http", func(c *Config) { c.Tracking = Tracking{BaseURL: "http://t.shop.cn", Secret: secret} }, "must be https"},
		{"tracking no secret", func(c *Config) { c.Tracking.BaseURL = "https://t.shop.cn" }, "tracking.secret is required"},
		{"tracking short", func(c *Config) { c.Tracking.Secret = "short" }, "at least 32"},
		{"tracking previous", func(c *Config) { c.Tracking = Tracking{Secret: secret, PreviousSecrets: []string{"x"}} }, "previous_secrets[0]"},
		{"tracking query", func(c *Config) { c.Tracking = Tracking{BaseURL: "https://t.shop.cn/?a=1", Secret: secret} }, "without query"},
	} {
		c := Default()
		tc.edit(&c)
		err := c.Validate()
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: the error shows a secret: %v", tc.name, err)
		}
	}
	// A misspelt key in the file is reported.
	path := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(path, []byte("delivery:\n  email:\n    smpt: smtp://x\n"), 0o600)
	if _, err := Load(path, envOf(nil)); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "smpt") {
		t.Fatalf("misspelt key: %v", err)
	}
}
