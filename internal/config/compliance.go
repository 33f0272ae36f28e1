package config

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Compliance configures the guardrails: the ad-law checker, PII protection
// of model calls, the contact policy every send passes, and AI labels.
type Compliance struct {
	AdLaw   AdLaw   `yaml:"adlaw"`
	PII     PII     `yaml:"pii"`
	Contact Contact `yaml:"contact"`
	AILabel AILabel `yaml:"ai_label"`
}

// AdLaw configures the advertising-law checker.
type AdLaw struct {
	// CategoryGates lets terms of a lexicon category (efficacy, medical,
	// health_claim…) pass for products of the listed catalog categories,
	// e.g. efficacy: [cosmetics_special] for registered whitening products.
	CategoryGates map[string][]string `yaml:"category_gates"`
	// Allow adds context forms that are never violations, typically
	// registered brand or model names that contain a listed term.
	Allow []string `yaml:"allow"`
	// TradToSimp folds traditional characters to simplified before matching.
	TradToSimp bool `yaml:"trad_to_simp"`
}

// PII configures the redaction of prompts sent to a model.
type PII struct {
	// ExemptLocal lets a provider marked local (llm.local) see unredacted
	// prompts. Off by default: exemption must be an explicit choice.
	ExemptLocal bool `yaml:"exempt_local"`
	// MaxRetries is how often a generation that returns unknown tokens is
	// retried before failing.
	MaxRetries int `yaml:"max_retries"`
	// AllowValues are values that look like PII but belong to the merchant
	// (hotline, support address) and may reach the model and the copy.
	AllowValues []string `yaml:"allow_values"`
}

// SendWindow is the local time of day during which a channel may send,
// in the recipient's time zone; "08:00"–"21:00" means quiet from 21:00 to
// 08:00. From after Until wraps midnight.
type SendWindow struct {
	From  string `yaml:"from"`
	Until string `yaml:"until"`
}

// Minutes returns From and Until as minutes after midnight.
func (w SendWindow) Minutes() (from, until int, err error) {
	if from, err = clockMinutes(w.From); err != nil {
		return 0, 0, err
	}
	until, err = clockMinutes(w.Until)
	return from, until, err
}

func clockMinutes(s string) (int, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("%q is not a time of day (HH:MM)", s)
	}
	return hh*60 + mm, nil
}

// Cap limits messages per customer in a rolling window. Channel "" or "*"
// counts every channel; Purpose "" counts every purpose.
type Cap struct {
	Channel string   `yaml:"channel"`
	Purpose string   `yaml:"purpose"`
	Max     int      `yaml:"max"`
	Window  Duration `yaml:"window"`
}

// Contact is the contact policy every send passes.
type Contact struct {
	// SendWindows per channel; a channel without one may send at any hour.
	SendWindows map[string]SendWindow `yaml:"send_windows"`
	// QuietHoursTransactional applies send windows to transactional
	// messages too (by default an order notice may go out at night).
	QuietHoursTransactional bool `yaml:"quiet_hours_transactional"`
	// DefaultTimeZone is used for customers without a time zone.
	DefaultTimeZone string `yaml:"default_time_zone"`
	// Caps are frequency caps, all of which must hold.
	Caps []Cap `yaml:"caps"`
	// RevokeStopsAll: a marketing revocation on any channel stops marketing
	// on every channel (until a later grant on the channel in question).
	RevokeStopsAll bool `yaml:"revoke_stops_all"`
	// SendRetention is how long the sends log keeps a send; older sends
	// are pruned. 0 (the default) keeps the longest cap window plus
	// RetentionMargin. It may not be shorter than the longest cap window,
	// or caps would stop counting sends they must count.
	SendRetention Duration `yaml:"send_retention"`
	// SkipRetention is how long the skips log keeps why a message was not
	// sent (campaign reports, "why was she not contacted?"); older entries
	// are pruned with the sends. 0 (the default) keeps DefaultSkipRetention.
	SkipRetention Duration `yaml:"skip_retention"`
}

// DefaultSkipRetention is the default of Contact.SkipRetention: half a
// year of campaign reports.
const DefaultSkipRetention = 180 * 24 * time.Hour

// SkipsRetention is how long the skips log keeps an entry: SkipRetention,
// or by default DefaultSkipRetention.
func (c Contact) SkipsRetention() time.Duration {
	if c.SkipRetention > 0 {
		return c.SkipRetention.Std()
	}
	return DefaultSkipRetention
}

// RetentionMargin is what the default send retention keeps beyond the
// longest cap window: room for sends recorded late (a sender that was
// offline), for `chorus policy check --at` a few weeks back, and for a cap
// window lengthened by up to this much, which then still sees its whole
// history.
const RetentionMargin = 30 * 24 * time.Hour

// LongestCapWindow is the longest window of any cap; 0 without caps.
func (c Contact) LongestCapWindow() time.Duration {
	var w time.Duration
	for _, cp := range c.Caps {
		w = max(w, cp.Window.Std())
	}
	return w
}

// Retention is how long the sends log keeps a send: SendRetention, or by
// default the longest cap window plus RetentionMargin.
func (c Contact) Retention() time.Duration {
	if c.SendRetention > 0 {
		return c.SendRetention.Std()
	}
	return c.LongestCapWindow() + RetentionMargin
}

// shortDuration writes d as Go duration syntax without trailing zero
// units: 168h, 1h30m, 90s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// Validate checks the contact policy and names the setting to fix. Config
// validation runs it, and so does policy.New for a Contact built in code.
func (c Contact) Validate() error {
	chans := make([]string, 0, len(c.SendWindows))
	for ch := range c.SendWindows {
		chans = append(chans, ch)
	}
	sort.Strings(chans)
	for _, ch := range chans {
		w := c.SendWindows[ch]
		from, until, err := w.Minutes()
		if err != nil {
			return apperr.New(apperr.Invalid, "compliance.contact.send_windows.%s: %v (CHORUS_COMPLIANCE_SEND_WINDOW_%s)", ch, err, strings.ToUpper(ch))
		}
		if from == until {
			return apperr.New(apperr.Invalid, "compliance.contact.send_windows.%s: from and until are equal; remove the window to allow all hours", ch)
		}
	}
	longest := -1
	for i, cp := range c.Caps {
		if cp.Max < 0 || cp.Window <= 0 {
			return apperr.New(apperr.Invalid, "compliance.contact.caps[%d]: max must be ≥ 0 and window > 0 (CHORUS_COMPLIANCE_CAPS)", i)
		}
		if longest < 0 || cp.Window > c.Caps[longest].Window {
			longest = i
		}
	}
	if c.DefaultTimeZone != "" {
		if _, err := time.LoadLocation(c.DefaultTimeZone); err != nil {
			return apperr.New(apperr.Invalid, "compliance.contact.default_time_zone %q is not an IANA time zone (CHORUS_COMPLIANCE_DEFAULT_TZ)", c.DefaultTimeZone)
		}
	}
	if c.SkipRetention < 0 {
		return apperr.New(apperr.Invalid, "compliance.contact.skip_retention %s is negative; use 0 for the default (%s) (CHORUS_COMPLIANCE_SKIP_RETENTION)",
			shortDuration(c.SkipRetention.Std()), shortDuration(DefaultSkipRetention))
	}
	switch {
	case c.SendRetention < 0:
		return apperr.New(apperr.Invalid, "compliance.contact.send_retention %s is negative; use 0 for the default (CHORUS_COMPLIANCE_SEND_RETENTION)", shortDuration(c.SendRetention.Std()))
	case c.SendRetention > 0 && longest >= 0 && c.SendRetention < c.Caps[longest].Window:
		w := shortDuration(c.Caps[longest].Window.Std())
		return apperr.New(apperr.Invalid, "compliance.contact.send_retention %s is shorter than the %s window of caps[%d]: that cap would stop counting sends it must count; "+
			"set at least %s, or 0 for the default (longest cap window + %s) (CHORUS_COMPLIANCE_SEND_RETENTION)",
			shortDuration(c.SendRetention.Std()), w, longest, w, shortDuration(RetentionMargin))
	}
	return nil
}

// AILabel is the visible label on AI-generated copy (China's 2025 rules on
// labelling AI-generated content).
type AILabel struct {
	Enabled bool   `yaml:"enabled"`
	ZH      string `yaml:"zh"`
	EN      string `yaml:"en"`
	// Position is prefix or suffix.
	Position string `yaml:"position"`
	// Placement overrides Position per channel: prefix, suffix, or none for
	// a channel whose platform shows its own AI label.
	Placement map[string]string `yaml:"placement"`
}

func defaultCompliance() Compliance {
	return Compliance{
		AdLaw: AdLaw{
			CategoryGates: map[string][]string{
				"efficacy":     {"cosmetics_special", "drug", "medical_device"},
				"medical":      {"drug", "medical_device"},
				"health_claim": {"health_food"},
			},
			TradToSimp: true,
		},
		PII: PII{MaxRetries: 2},
		Contact: Contact{
			SendWindows: map[string]SendWindow{
				"sms":  {From: "08:00", Until: "21:00"},
				"push": {From: "08:00", Until: "21:00"},
			},
			DefaultTimeZone: "Asia/Shanghai",
			Caps: []Cap{
				{Channel: "sms", Purpose: "marketing", Max: 1, Window: Duration(24 * time.Hour)},
				{Channel: "*", Purpose: "marketing", Max: 3, Window: Duration(7 * 24 * time.Hour)},
			},
			RevokeStopsAll: true,
		},
		AILabel: AILabel{Enabled: true, ZH: "AI生成", EN: "AI-generated", Position: "suffix"},
	}
}

// applyEnv reads the CHORUS_COMPLIANCE_* keys:
//
//	CHORUS_COMPLIANCE_SEND_WINDOW_<CHANNEL>  08:00-21:00, or "off"
//	CHORUS_COMPLIANCE_CAPS                   sms:marketing:1/24h,*:marketing:3/168h
//	CHORUS_COMPLIANCE_REVOKE_STOPS_ALL       true|false
//	CHORUS_COMPLIANCE_QUIET_TRANSACTIONAL    true|false
//	CHORUS_COMPLIANCE_DEFAULT_TZ             Asia/Shanghai
//	CHORUS_COMPLIANCE_SEND_RETENTION         2160h (0: longest cap window + 30 days)
//	CHORUS_COMPLIANCE_CATEGORY_GATES         efficacy=cosmetics_special|drug;medical=drug
//	CHORUS_COMPLIANCE_ALLOW                  最生活,最美时光
//	CHORUS_COMPLIANCE_TRAD_TO_SIMP           true|false
//	CHORUS_COMPLIANCE_AI_LABEL               true|false
//	CHORUS_COMPLIANCE_AI_LABEL_ZH / _EN      label text
//	CHORUS_COMPLIANCE_AI_LABEL_POSITION      prefix|suffix
//	CHORUS_COMPLIANCE_AI_LABEL_PLACEMENT     sms=suffix,weibo=none
//	CHORUS_COMPLIANCE_PII_EXEMPT_LOCAL       true|false
//	CHORUS_COMPLIANCE_PII_MAX_RETRIES        2
//	CHORUS_COMPLIANCE_PII_ALLOW_VALUES       400-800-1234,service@shop.com
func (c *Compliance) applyEnv(env Lookup) error {
	for _, ch := range []string{"sms", "push", "email", "wechat", "social", "phone"} {
		key := "CHORUS_COMPLIANCE_SEND_WINDOW_" + strings.ToUpper(ch)
		v, ok := env(key)
		if !ok || v == "" {
			continue
		}
		if strings.EqualFold(v, "off") {
			delete(c.Contact.SendWindows, ch)
			continue
		}
		from, until, ok := strings.Cut(v, "-")
		if !ok {
			return apperr.New(apperr.Invalid, "%s=%q: want HH:MM-HH:MM or off", key, v)
		}
		if c.Contact.SendWindows == nil {
			c.Contact.SendWindows = map[string]SendWindow{}
		}
		c.Contact.SendWindows[ch] = SendWindow{From: strings.TrimSpace(from), Until: strings.TrimSpace(until)}
	}
	if v, ok := env("CHORUS_COMPLIANCE_CAPS"); ok && v != "" {
		caps, err := ParseCaps(v)
		if err != nil {
			return apperr.New(apperr.Invalid, "CHORUS_COMPLIANCE_CAPS=%q: %v", v, err)
		}
		c.Contact.Caps = caps
	}
	envString(env, &c.Contact.DefaultTimeZone, "CHORUS_COMPLIANCE_DEFAULT_TZ")
	if err := envDuration(env, &c.Contact.SendRetention, "CHORUS_COMPLIANCE_SEND_RETENTION"); err != nil {
		return err
	}
	if err := envDuration(env, &c.Contact.SkipRetention, "CHORUS_COMPLIANCE_SKIP_RETENTION"); err != nil {
		return err
	}
	if v, ok := env("CHORUS_COMPLIANCE_CATEGORY_GATES"); ok && v != "" {
		gates := map[string][]string{}
		for _, part := range strings.Split(v, ";") {
			cat, prods, ok := strings.Cut(part, "=")
			if !ok || strings.TrimSpace(cat) == "" {
				return apperr.New(apperr.Invalid, "CHORUS_COMPLIANCE_CATEGORY_GATES=%q: want category=product|product;…", v)
			}
			gates[strings.TrimSpace(cat)] = splitList(prods, "|")
		}
		c.AdLaw.CategoryGates = gates
	}
	if v, ok := env("CHORUS_COMPLIANCE_ALLOW"); ok && v != "" {
		c.AdLaw.Allow = splitList(v, ",")
	}
	if v, ok := env("CHORUS_COMPLIANCE_PII_ALLOW_VALUES"); ok && v != "" {
		c.PII.AllowValues = splitList(v, ",")
	}
	envString(env, &c.AILabel.ZH, "CHORUS_COMPLIANCE_AI_LABEL_ZH")
	envString(env, &c.AILabel.EN, "CHORUS_COMPLIANCE_AI_LABEL_EN")
	envString(env, &c.AILabel.Position, "CHORUS_COMPLIANCE_AI_LABEL_POSITION")
	if v, ok := env("CHORUS_COMPLIANCE_AI_LABEL_PLACEMENT"); ok && v != "" {
		c.AILabel.Placement = map[string]string{}
		for _, part := range splitList(v, ",") {
			ch, pos, ok := strings.Cut(part, "=")
			if !ok || strings.TrimSpace(ch) == "" {
				return apperr.New(apperr.Invalid, "CHORUS_COMPLIANCE_AI_LABEL_PLACEMENT=%q: want channel=prefix|suffix|none,…", v)
			}
			c.AILabel.Placement[strings.TrimSpace(ch)] = strings.TrimSpace(pos)
		}
	}
	for _, f := range []func() error{
		func() error { return envBool(env, &c.Contact.RevokeStopsAll, "CHORUS_COMPLIANCE_REVOKE_STOPS_ALL") },
		func() error {
			return envBool(env, &c.Contact.QuietHoursTransactional, "CHORUS_COMPLIANCE_QUIET_TRANSACTIONAL")
		},
		func() error { return envBool(env, &c.AdLaw.TradToSimp, "CHORUS_COMPLIANCE_TRAD_TO_SIMP") },
		func() error { return envBool(env, &c.AILabel.Enabled, "CHORUS_COMPLIANCE_AI_LABEL") },
		func() error { return envBool(env, &c.PII.ExemptLocal, "CHORUS_COMPLIANCE_PII_EXEMPT_LOCAL") },
		func() error { return envInt(env, &c.PII.MaxRetries, "CHORUS_COMPLIANCE_PII_MAX_RETRIES") },
	} {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

func splitList(s, sep string) []string {
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ParseCaps parses "channel:purpose:max/window,…", e.g.
// "sms:marketing:1/24h,*:marketing:3/168h"; an empty purpose counts all.
func ParseCaps(s string) ([]Cap, error) {
	var caps []Cap
	for _, part := range splitList(s, ",") {
		f := strings.Split(part, ":")
		if len(f) != 3 {
			return nil, fmt.Errorf("%q: want channel:purpose:max/window", part)
		}
		maxS, winS, ok := strings.Cut(f[2], "/")
		if !ok {
			return nil, fmt.Errorf("%q: want max/window, e.g. 1/24h", part)
		}
		n, err := strconv.Atoi(maxS)
		if err != nil {
			return nil, fmt.Errorf("%q: max %q is not a whole number", part, maxS)
		}
		w, err := ParseDuration(winS)
		if err != nil {
			return nil, fmt.Errorf("%q: window %q: %v", part, winS, err)
		}
		caps = append(caps, Cap{Channel: f[0], Purpose: f[1], Max: n, Window: w})
	}
	return caps, nil
}

func (c Compliance) validate() error {
	if err := c.Contact.Validate(); err != nil {
		return err
	}
	switch c.AILabel.Position {
	case "", "prefix", "suffix":
	default:
		return apperr.New(apperr.Invalid, "compliance.ai_label.position %q: use prefix or suffix (CHORUS_COMPLIANCE_AI_LABEL_POSITION)", c.AILabel.Position)
	}
	placed := make([]string, 0, len(c.AILabel.Placement))
	for ch := range c.AILabel.Placement {
		placed = append(placed, ch)
	}
	sort.Strings(placed)
	for _, ch := range placed {
		switch p := c.AILabel.Placement[ch]; p {
		case "prefix", "suffix", "none":
		default:
			return apperr.New(apperr.Invalid, "compliance.ai_label.placement.%s %q: use prefix, suffix or none (CHORUS_COMPLIANCE_AI_LABEL_PLACEMENT)", ch, p)
		}
	}
	if c.PII.MaxRetries < 0 {
		return apperr.New(apperr.Invalid, "compliance.pii.max_retries must not be negative (CHORUS_COMPLIANCE_PII_MAX_RETRIES)")
	}
	return nil
}

// PIIExempt reports whether prompts to the resolved model llm may skip
// redaction: only for a provider marked local, and only when the operator
// has said so explicitly (compliance.pii.exempt_local or
// llm.allow_pii_to_local).
func (c Compliance) PIIExempt(llm LLM) bool {
	r, err := llm.Resolved()
	if err != nil {
		return false
	}
	return r.Local && (c.PII.ExemptLocal || r.AllowPIIToLocal)
}
