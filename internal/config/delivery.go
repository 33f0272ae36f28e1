package config

import (
	"encoding/base64"
	"fmt"
	"net"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Delivery configures the senders: email over SMTP, webhooks for SMS,
// push, WeChat and app messages, and the export folder of ad audiences and
// social posts. The senders check their settings in depth when they are
// built (delivery/smtp, delivery/webhook, delivery/export); validate
// catches what can be seen here, naming the setting.
type Delivery struct {
	Email    EmailDelivery              `yaml:"email"`
	Webhooks map[string]WebhookDelivery `yaml:"webhooks"`
	Export   ExportDelivery             `yaml:"export"`
}

// EmailDelivery configures email.
type EmailDelivery struct {
	// SMTP is the server URL: smtp://[user:pass@]host[:port][?tls=…&auth=…]
	// or smtps://… (see delivery/smtp.Config.URL).
	SMTP string `yaml:"smtp"`
	// From is the sender, "Shop <news@shop.com>".
	From    string `yaml:"from"`
	ReplyTo string `yaml:"reply_to"`
	// Connections is the SMTP connection pool (default 4);
	// MessagesPerConnection closes a session after that many (default 1000).
	Connections           int      `yaml:"connections"`
	MessagesPerConnection int      `yaml:"messages_per_connection"`
	Timeout               Duration `yaml:"timeout"`
	// Rate limits email as a whole, DomainRate each recipient domain, and
	// DomainRates overrides it per domain (messages per second; 0: no
	// limit until a domain throttles us).
	Rate        float64            `yaml:"rate"`
	DomainRate  float64            `yaml:"domain_rate"`
	DomainRates map[string]float64 `yaml:"domain_rates"`
	// Retry is the retry schedule (delays before each retry); empty: the
	// default, about four days (delivery.EmailSchedule).
	Retry []Duration `yaml:"retry"`
	// UnsubscribeMailto is an optional mailto: fallback added to
	// List-Unsubscribe.
	UnsubscribeMailto string `yaml:"unsubscribe_mailto"`
	DKIM              DKIM   `yaml:"dkim"`
}

// DKIM is the DKIM signing key of email: a PEM file (RSA or Ed25519),
// the selector and the signing domain, all three or none.
type DKIM struct {
	KeyFile  string `yaml:"key_file"`
	Selector string `yaml:"selector"`
	Domain   string `yaml:"domain"`
}

// WebhookDelivery configures the webhook endpoint of one channel.
type WebhookDelivery struct {
	URL             string            `yaml:"url"`
	Secret          string            `yaml:"secret"`
	PreviousSecrets []string          `yaml:"previous_secrets"`
	Headers         map[string]string `yaml:"headers"`
	Timeout         Duration          `yaml:"timeout"`
	// Rate limits the endpoint (messages per second; 0: no limit).
	Rate float64 `yaml:"rate"`
	// AllowInsecure permits http:// to a host that is not loopback.
	AllowInsecure bool `yaml:"allow_insecure"`
}

// ExportDelivery configures the export folder.
type ExportDelivery struct {
	Dir string `yaml:"dir"`
	// DefaultRegion reads phone numbers without a country code (CN).
	DefaultRegion string `yaml:"default_region"`
	// AdPlatform is whose customer-match rules the ad channel's audience
	// files follow: google (default) or meta.
	AdPlatform string `yaml:"ad_platform"`
}

// WebhookChannels are the channels whose endpoints the environment can
// set (CHORUS_DELIVERY_WEBHOOKS_<CHANNEL>_URL …).
var WebhookChannels = []string{"sms", "push", "wechat", "app"}

func defaultDelivery() Delivery {
	return Delivery{Export: ExportDelivery{Dir: "chorus-exports", DefaultRegion: "CN", AdPlatform: "google"}}
}

// applyEnv reads the CHORUS_DELIVERY_* keys:
//
//	CHORUS_DELIVERY_EMAIL_SMTP                     smtp://user:pass@host:587
//	CHORUS_DELIVERY_EMAIL_FROM / _REPLY_TO         Shop <news@shop.com>
//	CHORUS_DELIVERY_EMAIL_CONNECTIONS              4
//	CHORUS_DELIVERY_EMAIL_MESSAGES_PER_CONNECTION  1000
//	CHORUS_DELIVERY_EMAIL_TIMEOUT                  30s
//	CHORUS_DELIVERY_EMAIL_RATE / _DOMAIN_RATE      messages per second
//	CHORUS_DELIVERY_EMAIL_DOMAIN_RATES             gmail.com=50,qq.com=20
//	CHORUS_DELIVERY_EMAIL_RETRY                    1m,5m,30m,2h
//	CHORUS_DELIVERY_EMAIL_UNSUBSCRIBE_MAILTO       mailto:unsubscribe@shop.com
//	CHORUS_DELIVERY_EMAIL_DKIM_KEY_FILE / _SELECTOR / _DOMAIN
//	CHORUS_DELIVERY_WEBHOOKS_<CH>_URL / _SECRET    for sms, push, wechat, app
//	CHORUS_DELIVERY_WEBHOOKS_<CH>_PREVIOUS_SECRETS whsec_a,whsec_b
//	CHORUS_DELIVERY_WEBHOOKS_<CH>_HEADERS          Authorization=Bearer x;X-Tenant=7
//	CHORUS_DELIVERY_WEBHOOKS_<CH>_TIMEOUT / _RATE / _ALLOW_INSECURE
//	CHORUS_DELIVERY_EXPORT_DIR / _REGION / _AD_PLATFORM   google or meta
func (d *Delivery) applyEnv(env Lookup) error {
	e := &d.Email
	envString(env, &e.SMTP, "CHORUS_DELIVERY_EMAIL_SMTP")
	envString(env, &e.From, "CHORUS_DELIVERY_EMAIL_FROM")
	envString(env, &e.ReplyTo, "CHORUS_DELIVERY_EMAIL_REPLY_TO")
	envString(env, &e.UnsubscribeMailto, "CHORUS_DELIVERY_EMAIL_UNSUBSCRIBE_MAILTO")
	envString(env, &e.DKIM.KeyFile, "CHORUS_DELIVERY_EMAIL_DKIM_KEY_FILE")
	envString(env, &e.DKIM.Selector, "CHORUS_DELIVERY_EMAIL_DKIM_SELECTOR")
	envString(env, &e.DKIM.Domain, "CHORUS_DELIVERY_EMAIL_DKIM_DOMAIN")
	envString(env, &d.Export.Dir, "CHORUS_DELIVERY_EXPORT_DIR")
	envString(env, &d.Export.DefaultRegion, "CHORUS_DELIVERY_EXPORT_REGION")
	envString(env, &d.Export.AdPlatform, "CHORUS_DELIVERY_EXPORT_AD_PLATFORM")
	for _, f := range []func() error{
		func() error { return envInt(env, &e.Connections, "CHORUS_DELIVERY_EMAIL_CONNECTIONS") },
		func() error {
			return envInt(env, &e.MessagesPerConnection, "CHORUS_DELIVERY_EMAIL_MESSAGES_PER_CONNECTION")
		},
		func() error { return envDuration(env, &e.Timeout, "CHORUS_DELIVERY_EMAIL_TIMEOUT") },
		func() error { return envFloat(env, &e.Rate, "CHORUS_DELIVERY_EMAIL_RATE") },
		func() error { return envFloat(env, &e.DomainRate, "CHORUS_DELIVERY_EMAIL_DOMAIN_RATE") },
	} {
		if err := f(); err != nil {
			return err
		}
	}
	if v, ok := env("CHORUS_DELIVERY_EMAIL_DOMAIN_RATES"); ok && v != "" {
		e.DomainRates = map[string]float64{}
		for _, part := range splitList(v, ",") {
			dom, r, ok := strings.Cut(part, "=")
			f, err := strconv.ParseFloat(strings.TrimSpace(r), 64)
			if !ok || err != nil || strings.TrimSpace(dom) == "" {
				return apperr.New(apperr.Invalid, "CHORUS_DELIVERY_EMAIL_DOMAIN_RATES=%q: want domain=rate,…", v)
			}
			e.DomainRates[strings.ToLower(strings.TrimSpace(dom))] = f
		}
	}
	if v, ok := env("CHORUS_DELIVERY_EMAIL_RETRY"); ok && v != "" {
		e.Retry = nil
		for _, part := range splitList(v, ",") {
			dur, err := ParseDuration(part)
			if err != nil {
				return apperr.New(apperr.Invalid, "CHORUS_DELIVERY_EMAIL_RETRY=%q: %q: %v", v, part, err)
			}
			e.Retry = append(e.Retry, dur)
		}
	}
	for _, ch := range WebhookChannels {
		p := "CHORUS_DELIVERY_WEBHOOKS_" + strings.ToUpper(ch) + "_"
		w := d.Webhooks[ch]
		envString(env, &w.URL, p+"URL")
		envString(env, &w.Secret, p+"SECRET")
		if v, ok := env(p + "PREVIOUS_SECRETS"); ok && v != "" {
			w.PreviousSecrets = splitList(v, ",")
		}
		if v, ok := env(p + "HEADERS"); ok && v != "" {
			w.Headers = map[string]string{}
			for _, part := range splitList(v, ";") {
				k, val, ok := strings.Cut(part, "=")
				if !ok || strings.TrimSpace(k) == "" {
					return apperr.New(apperr.Invalid, "%sHEADERS: want Name=value;Name=value", p)
				}
				w.Headers[strings.TrimSpace(k)] = strings.TrimSpace(val)
			}
		}
		if err := envDuration(env, &w.Timeout, p+"TIMEOUT"); err != nil {
			return err
		}
		if err := envFloat(env, &w.Rate, p+"RATE"); err != nil {
			return err
		}
		if err := envBool(env, &w.AllowInsecure, p+"ALLOW_INSECURE"); err != nil {
			return err
		}
		if w.URL != "" || w.Secret != "" || d.Webhooks[ch].URL != "" {
			if d.Webhooks == nil {
				d.Webhooks = map[string]WebhookDelivery{}
			}
			d.Webhooks[ch] = w
		}
	}
	return nil
}

func (d Delivery) validate() error {
	e := d.Email
	bad := func(key, env, format string, args ...any) error {
		return apperr.New(apperr.Invalid, "delivery.email.%s: %s (CHORUS_DELIVERY_EMAIL_%s)", key, fmt.Sprintf(format, args...), env)
	}
	if e.SMTP != "" {
		u, err := url.Parse(e.SMTP)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			return bad("smtp", "SMTP", "want smtp://[user:pass@]host[:port] or smtps://…; percent-encode special characters of the password")
		}
		if strings.TrimSpace(e.From) == "" {
			return bad("from", "FROM", "is required when delivery.email.smtp is set")
		}
	}
	if e.From != "" && !strings.Contains(e.From, "@") {
		return bad("from", "FROM", "%q is not an e-mail address", e.From)
	}
	for _, c := range []struct {
		key, env string
		v        float64
	}{{"connections", "CONNECTIONS", float64(e.Connections)}, {"messages_per_connection", "MESSAGES_PER_CONNECTION", float64(e.MessagesPerConnection)},
		{"timeout", "TIMEOUT", float64(e.Timeout)}, {"rate", "RATE", e.Rate}, {"domain_rate", "DOMAIN_RATE", e.DomainRate}} {
		if c.v < 0 {
			return bad(c.key, c.env, "is negative")
		}
	}
	for _, dom := range sortedKeys(e.DomainRates) {
		if e.DomainRates[dom] < 0 {
			return bad("domain_rates."+dom, "DOMAIN_RATES", "is negative")
		}
	}
	for i, r := range e.Retry {
		if r <= 0 {
			return bad(fmt.Sprintf("retry[%d]", i), "RETRY", "must be positive")
		}
	}
	if e.UnsubscribeMailto != "" && !strings.HasPrefix(e.UnsubscribeMailto, "mailto:") {
		return bad("unsubscribe_mailto", "UNSUBSCRIBE_MAILTO", "must start with mailto:")
	}
	k := e.DKIM
	if set := btoi(k.KeyFile != "") + btoi(k.Selector != "") + btoi(k.Domain != ""); set != 0 && set != 3 {
		return bad("dkim", "DKIM_KEY_FILE", "key_file, selector and domain go together")
	}
	if k.KeyFile != "" {
		if _, err := os.Stat(k.KeyFile); err != nil {
			return bad("dkim.key_file", "DKIM_KEY_FILE", "%s cannot be read", k.KeyFile)
		}
	}
	for _, ch := range sortedKeys(d.Webhooks) {
		if err := d.Webhooks[ch].validate(ch); err != nil {
			return err
		}
	}
	return nil
}

func (w WebhookDelivery) validate(ch string) error {
	key, env := "delivery.webhooks."+ch, "CHORUS_DELIVERY_WEBHOOKS_"+strings.ToUpper(ch)
	if ch == "email" || strings.TrimSpace(ch) == "" {
		return apperr.New(apperr.Invalid, "delivery.webhooks.%s: email goes over SMTP (delivery.email.smtp)", ch)
	}
	if w.URL == "" && w.Secret == "" {
		return nil
	}
	if w.URL == "" || w.Secret == "" {
		return apperr.New(apperr.Invalid, "%s needs both url and secret (%s_URL, %s_SECRET)", key, env, env)
	}
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return apperr.New(apperr.Invalid, "%s.url %q must be an absolute https URL (%s_URL)", key, w.URL, env)
	}
	if u.Scheme == "http" && !w.AllowInsecure && !isLoopback(u.Hostname()) {
		return apperr.New(apperr.Invalid, "%s.url is plain http: use https, or set %s.allow_insecure for a private network (%s_URL)", key, key, env)
	}
	for i, s := range append([]string{w.Secret}, w.PreviousSecrets...) {
		name := key + ".secret"
		if i > 0 {
			name = fmt.Sprintf("%s.previous_secrets[%d]", key, i-1)
		}
		b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(strings.TrimSpace(s), "whsec_"))
		if err != nil || len(b) < 16 {
			return apperr.New(apperr.Invalid, "%s must be whsec_ and base64 of at least 16 random bytes, e.g. whsec_$(openssl rand -base64 32) (%s_SECRET)", name, env)
		}
	}
	if w.Rate < 0 || w.Timeout < 0 {
		return apperr.New(apperr.Invalid, "%s: rate and timeout may not be negative", key)
	}
	return nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Tracking configures the signed links of every send and the public
// address of the tracking server (issue 14's `chorus serve`).
type Tracking struct {
	// BaseURL is the public base of the tracking routes (/t/o/, /t/c/,
	// /u/): https, or http on a loopback host for development.
	BaseURL string `yaml:"base_url"`
	// Secret signs the tokens (at least 32 characters);
	// PreviousSecrets still verify, so links sent before a rotation keep
	// working until their secret is dropped.
	Secret          string   `yaml:"secret"`
	PreviousSecrets []string `yaml:"previous_secrets"`
	// TrackingServer holds the server's and the reports' settings
	// (tracking.go).
	TrackingServer `yaml:",inline"`
}

// applyEnv reads CHORUS_TRACKING_BASE_URL, CHORUS_TRACKING_SECRET and
// CHORUS_TRACKING_PREVIOUS_SECRETS (comma-separated).
func (t *Tracking) applyEnv(env Lookup) error {
	envString(env, &t.BaseURL, "CHORUS_TRACKING_BASE_URL")
	envString(env, &t.Secret, "CHORUS_TRACKING_SECRET")
	if v, ok := env("CHORUS_TRACKING_PREVIOUS_SECRETS"); ok && v != "" {
		t.PreviousSecrets = splitList(v, ",")
	}
	return t.TrackingServer.applyEnv(env)
}

func (t Tracking) validate() error {
	if t.BaseURL != "" {
		u, err := url.Parse(t.BaseURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.User != nil {
			return apperr.New(apperr.Invalid, "tracking.base_url %q must be an absolute https URL without query (CHORUS_TRACKING_BASE_URL)", t.BaseURL)
		}
		if u.Scheme == "http" && !isLoopback(u.Hostname()) {
			return apperr.New(apperr.Invalid, "tracking.base_url %q must be https: one-click unsubscribe (RFC 8058) and mail clients require it; http is only for a loopback host (CHORUS_TRACKING_BASE_URL)", t.BaseURL)
		}
		if t.Secret == "" {
			return apperr.New(apperr.Invalid, "tracking.secret is required with tracking.base_url: generate one with openssl rand -base64 32 (CHORUS_TRACKING_SECRET)")
		}
	}
	if t.Secret != "" && len(t.Secret) < 32 {
		return apperr.New(apperr.Invalid, "tracking.secret must have at least 32 characters (CHORUS_TRACKING_SECRET); generate one with openssl rand -base64 32")
	}
	for i, p := range t.PreviousSecrets {
		if len(p) < 32 {
			return apperr.New(apperr.Invalid, "tracking.previous_secrets[%d] must have at least 32 characters (CHORUS_TRACKING_PREVIOUS_SECRETS)", i)
		}
	}
	return t.TrackingServer.validate()
}
