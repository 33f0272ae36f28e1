// Package shop holds the merchant's own settings (name, language, time
// zone, currency, country) and the rules that follow from them: which
// language Chorus writes to a customer in and which time zone her quiet
// hours are judged in. Those two rules live here, once, and every part of
// Chorus that chooses a language or a zone (content generation, the
// contact policy's quiet hours, the demo) calls them.
//
// Settings come from the configuration (shop.* keys, CHORUS_SHOP_*), else
// from the database, where `chorus shop set` writes them and the first
// import that gives evidence infers the missing ones (Infer).
package shop

import (
	"context"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/customer"
)

// Languages Chorus writes (customer.Chinese, customer.English).
const (
	Zh = customer.Chinese
	En = customer.English
)

// DefaultLanguage is the language of a shop that has none set or
// inferred: Chorus's first market.
const DefaultLanguage = Zh

// Keys of the settings, as in the config file (shop.KEY) and `chorus shop set KEY`.
const (
	KeyName     = "name"
	KeyLanguage = "language"
	KeyTimeZone = "time_zone"
	KeyCurrency = "currency"
	KeyCountry  = "country"
)

// Keys lists the setting keys in display order.
func Keys() []string { return []string{KeyName, KeyLanguage, KeyTimeZone, KeyCurrency, KeyCountry} }

// Settings are the shop's settings; an empty field is unknown.
type Settings struct {
	Name     string `json:"name"`
	Language string `json:"language"`  // zh | en
	TimeZone string `json:"time_zone"` // IANA name
	Currency string `json:"currency"`  // ISO 4217
	Country  string `json:"country"`   // ISO 3166-1 alpha-2
}

// Get returns the value of key.
func (s Settings) Get(key string) string {
	switch key {
	case KeyName:
		return s.Name
	case KeyLanguage:
		return s.Language
	case KeyTimeZone:
		return s.TimeZone
	case KeyCurrency:
		return s.Currency
	case KeyCountry:
		return s.Country
	}
	return ""
}

// set stores v under key; the key is known.
func (s *Settings) set(key, v string) {
	switch key {
	case KeyName:
		s.Name = v
	case KeyLanguage:
		s.Language = v
	case KeyTimeZone:
		s.TimeZone = v
	case KeyCurrency:
		s.Currency = v
	case KeyCountry:
		s.Country = v
	}
}

// Normalize checks one setting and returns its canonical form: a language
// Chorus writes (zh-CN → zh), an IANA zone, a three-letter currency code
// (£ → GBP), a country code (United Kingdom → GB), a name of at most 100
// runes. Errors are apperr.Invalid and say what is accepted.
func Normalize(key, value string) (string, error) {
	v := strings.TrimSpace(value)
	switch key {
	case KeyName:
		if v == "" {
			return "", apperr.New(apperr.Invalid, "shop name is empty")
		}
		if n := len([]rune(v)); n > 100 {
			return "", apperr.New(apperr.Invalid, "shop name has %d characters; at most 100", n)
		}
		return v, nil
	case KeyLanguage:
		l := NormalizeLanguage(v)
		if !Writes(l) {
			return "", apperr.New(apperr.Invalid, "shop language %q: Chorus writes zh or en", value)
		}
		return l, nil
	case KeyTimeZone:
		if _, err := time.LoadLocation(v); err != nil || v == "" || v == "Local" {
			return "", apperr.New(apperr.Invalid, "shop time zone %q is not an IANA zone such as Europe/London or Asia/Shanghai", value)
		}
		return v, nil
	case KeyCurrency:
		c, ok := CurrencyCode(v)
		if !ok {
			return "", apperr.New(apperr.Invalid, "shop currency %q is not an ISO 4217 code such as GBP, CNY or USD", value)
		}
		return c, nil
	case KeyCountry:
		c, ok := LookupCountry(v)
		if !ok {
			return "", apperr.New(apperr.Invalid, "shop country %q is not a country Chorus knows (use an ISO code such as GB or CN)", value)
		}
		return c.Code, nil
	}
	return "", apperr.New(apperr.Invalid, "unknown shop setting %q (use %s)", key, strings.Join(Keys(), ", "))
}

// Writes reports whether Chorus writes copy in lang.
func Writes(lang string) bool { return lang == Zh || lang == En }

// NormalizeLanguage reduces a language tag or name to its base language
// in lower case: zh-CN, zh_Hans, Chinese and 中文 are zh; en-GB and
// English are en; other tags keep their first subtag (de-AT → de).
func NormalizeLanguage(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "chinese", "中文", "汉语", "漢語", "简体中文", "繁體中文", "普通话", "mandarin", "cantonese", "粤语":
		return Zh
	case "english", "英语", "英文":
		return En
	}
	if i := strings.IndexAny(s, "-_"); i > 0 {
		s = s[:i]
	}
	return s
}

// Choice is a resolved language or zone and where it came from.
type Choice struct {
	Value string `json:"value"`
	// From is "customer" (her own field), "country" (her country's),
	// "shop" (the shop's setting) or "default".
	From string `json:"from"`
}

// Sources of a Choice.
const (
	FromCustomer = "customer"
	FromCountry  = "country"
	FromShop     = "shop"
	FromDefault  = "default"
)

// CustomerLanguage is the language Chorus writes to c in: her own
// language field when Chorus writes it, else her country's language when
// Chorus writes it, else the shop's language, else DefaultLanguage.
func CustomerLanguage(c customer.Customer, s Settings) Choice {
	if l := NormalizeLanguage(c.Language); Writes(l) {
		return Choice{l, FromCustomer}
	}
	if co, ok := LookupCountry(c.Country); ok && Writes(co.Language) {
		return Choice{co.Language, FromCountry}
	}
	if l := NormalizeLanguage(s.Language); Writes(l) {
		return Choice{l, FromShop}
	}
	return Choice{DefaultLanguage, FromDefault}
}

// CustomerTimeZone is the zone c's local time is judged in: her own time
// zone when it is a valid IANA zone, else her country's when the country
// has one zone, else the shop's time zone, else fallback (the
// configured default zone; UTC when empty or invalid).
func CustomerTimeZone(c customer.Customer, s Settings, fallback string) Choice {
	if validZone(c.TimeZone) {
		return Choice{c.TimeZone, FromCustomer}
	}
	if co, ok := LookupCountry(c.Country); ok && co.Zone != "" {
		return Choice{co.Zone, FromCountry}
	}
	if validZone(s.TimeZone) {
		return Choice{s.TimeZone, FromShop}
	}
	if validZone(fallback) {
		return Choice{fallback, FromDefault}
	}
	return Choice{"UTC", FromDefault}
}

func validZone(name string) bool {
	if name == "" || name == "Local" {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}

// Setting is one stored setting.
type Setting struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	// Source says who set it: "set" (chorus shop set) or "inferred from …".
	Source    string    `json:"source"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Store keeps the settings. PutShopSettings inserts or replaces the given
// keys; with onlyMissing it leaves keys already stored untouched and
// reports how many it wrote.
type Store interface {
	ShopSettings(ctx context.Context) ([]Setting, error)
	PutShopSettings(ctx context.Context, ss []Setting, onlyMissing bool) (written int, err error)
}

// Configured are the settings given in the configuration; they override
// the stored ones.
type Configured = Settings

// Resolved is the shop's effective settings with the source of each.
type Resolved struct {
	Settings
	// Sources by key: "config", "set", "inferred from …" or "" when unset.
	Sources map[string]string `json:"sources"`
}

// Load returns the effective settings: each key from cfg when set there,
// else from the store.
func Load(ctx context.Context, st Store, cfg Configured) (Resolved, error) {
	r := Resolved{Sources: map[string]string{}}
	stored, err := st.ShopSettings(ctx)
	if err != nil {
		return r, err
	}
	for _, s := range stored {
		r.set(s.Key, s.Value)
		r.Sources[s.Key] = s.Source
	}
	for _, k := range Keys() {
		if v := cfg.Get(k); v != "" {
			r.set(k, v)
			r.Sources[k] = "config"
		}
	}
	return r, nil
}

// FromConfig checks and normalizes the configured settings (shop.* keys,
// CHORUS_SHOP_*). Errors are apperr.Invalid and name the key.
func FromConfig(c config.Shop) (Configured, error) {
	var out Configured
	for _, kv := range []struct{ key, val, env string }{
		{KeyName, c.Name, "CHORUS_SHOP_NAME"}, {KeyLanguage, c.Language, "CHORUS_SHOP_LANGUAGE"},
		{KeyTimeZone, c.TimeZone, "CHORUS_SHOP_TIME_ZONE"}, {KeyCurrency, c.Currency, "CHORUS_SHOP_CURRENCY"},
		{KeyCountry, c.Country, "CHORUS_SHOP_COUNTRY"},
	} {
		if strings.TrimSpace(kv.val) == "" {
			continue
		}
		v, err := Normalize(kv.key, kv.val)
		if err != nil {
			return out, apperr.Wrap(err, apperr.Invalid, "config shop.%s (%s)", kv.key, kv.env)
		}
		out.set(kv.key, v)
	}
	return out, nil
}
