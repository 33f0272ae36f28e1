package shop

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
)

// Count is how many records hold one value.
type Count struct {
	Value string `json:"value"`
	N     int    `json:"n"`
}

// Evidence is what the stored data say about the shop: value counts of
// customers' countries and languages, events' and products' currencies
// and products' languages.
type Evidence struct {
	CustomerCountries []Count
	CustomerLanguages []Count
	EventCurrencies   []Count
	ProductCurrencies []Count
	ProductLanguages  []Count
}

// EvidenceSource gathers Evidence (a store.Store does, with aggregate
// queries).
type EvidenceSource interface {
	ShopEvidence(ctx context.Context) (Evidence, error)
}

// Infer derives settings from ev; a field stays empty when the data do
// not tell. The country is the one most customers live in (else the home
// of the currency most events are in); the currency is the events' (else
// the products', else the country's); the language is the one most
// customers with a language Chorus writes have (else the country's, when
// Chorus writes it, else the products'); the time zone is the country's
// when it has one zone. The name is never inferred.
func Infer(ev Evidence) Settings {
	var s Settings
	s.Currency = majority(ev.EventCurrencies, func(v string) string { c, _ := CurrencyCode(v); return c })
	if s.Currency == "" {
		s.Currency = majority(ev.ProductCurrencies, func(v string) string { c, _ := CurrencyCode(v); return c })
	}
	s.Country = majority(ev.CustomerCountries, func(v string) string { c, _ := LookupCountry(v); return c.Code })
	if s.Country == "" && s.Currency != "" {
		if c, ok := CountryOfCurrency(s.Currency); ok {
			s.Country = c.Code
		}
	}
	co, hasCountry := table().byCode[s.Country]
	if s.Currency == "" && hasCountry {
		s.Currency = co.Currency
	}
	written := func(v string) string {
		if l := NormalizeLanguage(v); Writes(l) {
			return l
		}
		return ""
	}
	s.Language = majority(ev.CustomerLanguages, written)
	if s.Language == "" && hasCountry && Writes(co.Language) {
		s.Language = co.Language
	}
	if s.Language == "" {
		s.Language = majority(ev.ProductLanguages, written)
	}
	if hasCountry {
		s.TimeZone = co.Zone
	}
	return s
}

// majority is the most frequent non-empty canonical form of the values
// (ties to the smaller form, so that the result is deterministic).
func majority(cs []Count, canon func(string) string) string {
	n := map[string]int{}
	for _, c := range cs {
		if k := canon(c.Value); k != "" {
			n[k] += c.N
		}
	}
	best, bestN := "", 0
	for k, v := range n {
		if v > bestN || (v == bestN && k < best) {
			best, bestN = k, v
		}
	}
	return best
}

// Inferrer is what InferMissing needs of a store.
type Inferrer interface {
	Store
	EvidenceSource
}

// InferMissing stores the inferred value of every setting that neither
// the configuration nor the store holds yet, with source "inferred from
// <what>", and returns what it stored (none when nothing was missing or
// the data do not tell). Settings once stored are never re-inferred: a
// later import does not move a shop's zone.
func InferMissing(ctx context.Context, st Inferrer, cfg Configured, what string, now time.Time) ([]Setting, error) {
	cur, err := Load(ctx, st, cfg)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, k := range Keys() {
		if k != KeyName && cur.Get(k) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return nil, nil
	}
	if len(missing) == 1 && missing[0] == KeyTimeZone && cur.Country != "" {
		// Only the zone is missing and the country is known: the data
		// cannot say more than the country does (a country of several
		// zones stays without one), so no need to read them again.
		co, ok := table().byCode[cur.Country]
		if !ok || co.Zone == "" {
			return nil, nil
		}
		s := Setting{Key: KeyTimeZone, Value: co.Zone, Source: "inferred from the shop's country", UpdatedAt: now.UTC().Truncate(time.Microsecond)}
		if _, err := st.PutShopSettings(ctx, []Setting{s}, true); err != nil {
			return nil, err
		}
		return []Setting{s}, nil
	}
	ev, err := st.ShopEvidence(ctx)
	if err != nil {
		return nil, err
	}
	inf := Infer(ev)
	var out []Setting
	for _, k := range missing {
		if v := inf.Get(k); v != "" {
			out = append(out, Setting{Key: k, Value: v, Source: "inferred from " + what, UpdatedAt: now.UTC().Truncate(time.Microsecond)})
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	if _, err := st.PutShopSettings(ctx, out, true); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Setting) int { return cmp.Compare(keyOrder(a.Key), keyOrder(b.Key)) })
	return out, nil
}

func keyOrder(k string) int {
	return slices.Index(Keys(), k)
}

// Set normalizes and stores one setting given by the merchant.
func Set(ctx context.Context, st Store, key, value string, now time.Time) (Setting, error) {
	v, err := Normalize(strings.ToLower(strings.TrimSpace(key)), value)
	if err != nil {
		return Setting{}, err
	}
	s := Setting{Key: strings.ToLower(strings.TrimSpace(key)), Value: v, Source: "set", UpdatedAt: now.UTC().Truncate(time.Microsecond)}
	if _, err := st.PutShopSettings(ctx, []Setting{s}, false); err != nil {
		return Setting{}, err
	}
	return s, nil
}
