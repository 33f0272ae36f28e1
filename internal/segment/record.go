package segment

import (
	"math"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/insight"
)

// Record is the environment a segment expression is evaluated against: one
// customer's profile fields and computed metrics, flattened to snake_case
// names. Expressions are type-checked against this struct at compile time,
// so a misspelt field fails before anything runs, and evaluation reads
// fields by index rather than by name.
//
// Fields that are unknown for a customer hold their zero value, with two
// documented exceptions: days_since_last_purchase and
// expected_next_purchase_days are -1 when there is no purchase to measure
// from (so "days_since_last_purchase > 90" never matches a prospect).
type Record struct {
	ID         string         `expr:"id" json:"id"`
	Age        int            `expr:"age" json:"age"`
	Gender     string         `expr:"gender" json:"gender"`
	City       string         `expr:"city" json:"city"`
	Country    string         `expr:"country" json:"country"`
	Language   string         `expr:"language" json:"language"`
	Occupation string         `expr:"occupation" json:"occupation"`
	Interests  []string       `expr:"interests" json:"interests"`
	Tags       []string       `expr:"tags" json:"tags"`
	Attrs      map[string]any `expr:"attrs" json:"attrs"`

	RFM              RFM                `expr:"rfm" json:"rfm"`
	Lifecycle        string             `expr:"lifecycle" json:"lifecycle"`
	CLV              float64            `expr:"clv" json:"clv"`
	PAlive           float64            `expr:"p_alive" json:"p_alive"`
	Affinity         map[string]float64 `expr:"affinity" json:"affinity"`
	BrandAffinity    map[string]float64 `expr:"brand_affinity" json:"brand_affinity"`
	PriceBand        string             `expr:"price_band" json:"price_band"`
	PreferredChannel string             `expr:"preferred_channel" json:"preferred_channel"`
	Consent          Consent            `expr:"consent" json:"consent"`

	Orders                   int     `expr:"orders" json:"orders"`
	Revenue                  float64 `expr:"revenue" json:"revenue"`
	DaysSinceLastPurchase    int     `expr:"days_since_last_purchase" json:"days_since_last_purchase"`
	ExpectedNextPurchaseDays int     `expr:"expected_next_purchase_days" json:"expected_next_purchase_days"`
}

// RFM is the recency/frequency/monetary part of a Record.
type RFM struct {
	Recency   int     `expr:"recency" json:"recency"`
	Frequency int     `expr:"frequency" json:"frequency"`
	Monetary  float64 `expr:"monetary" json:"monetary"`
	R         int     `expr:"r" json:"r"`
	F         int     `expr:"f" json:"f"`
	M         int     `expr:"m" json:"m"`
	Score     string  `expr:"score" json:"score"`
	Segment   string  `expr:"segment" json:"segment"`
}

// Consent is the current marketing consent per channel: true only when the
// latest ledger entry for (channel, marketing) is a grant.
type Consent struct {
	Email  bool `expr:"email" json:"email"`
	SMS    bool `expr:"sms" json:"sms"`
	Push   bool `expr:"push" json:"push"`
	WeChat bool `expr:"wechat" json:"wechat"`
}

// FromMetrics builds the Record of customer c from its computed metrics and
// current consent, measuring day counts from asOf.
func FromMetrics(c customer.Customer, m insight.Metrics, consent customer.ConsentState, asOf time.Time) Record {
	r := Record{
		ID:         c.ID,
		Age:        c.Age(asOf),
		Gender:     c.Gender,
		City:       c.City,
		Country:    c.Country,
		Language:   c.Language,
		Occupation: c.Occupation,
		Interests:  c.Interests,
		Tags:       c.Tags,
		Attrs:      c.Attrs,
		RFM: RFM{
			Recency:   m.RFM.Recency,
			Frequency: m.RFM.Frequency,
			Monetary:  m.RFM.Monetary,
			R:         m.RFM.R,
			F:         m.RFM.F,
			M:         m.RFM.M,
			Score:     m.RFM.Score,
			Segment:   m.RFM.Segment,
		},
		Lifecycle:        m.Lifecycle,
		CLV:              finite(m.CLV.Value),
		PAlive:           finite(m.CLV.PAlive),
		Affinity:         m.CategoryAffinity,
		BrandAffinity:    m.BrandAffinity,
		PriceBand:        m.PriceBand,
		PreferredChannel: m.PreferredChannel,
		Consent: Consent{
			Email:  consent.Granted(customer.ChannelEmail, customer.PurposeMarketing),
			SMS:    consent.Granted(customer.ChannelSMS, customer.PurposeMarketing),
			Push:   consent.Granted(customer.ChannelPush, customer.PurposeMarketing),
			WeChat: consent.Granted(customer.ChannelWeChat, customer.PurposeMarketing),
		},
		Orders:                   m.Orders,
		Revenue:                  finite(m.Revenue),
		DaysSinceLastPurchase:    -1,
		ExpectedNextPurchaseDays: -1,
	}
	if !m.LastPurchase.IsZero() {
		r.DaysSinceLastPurchase = max(0, wholeDays(asOf.Sub(m.LastPurchase)))
	}
	if !m.NextPurchase.IsZero() {
		// An overdue purchase is due now: 0, never negative, so that -1
		// keeps meaning "no estimate".
		r.ExpectedNextPurchaseDays = max(0, wholeDays(m.NextPurchase.Sub(asOf)))
	}
	return r
}

// wholeDays truncates like pandas' Timedelta.days (floor for negatives).
func wholeDays(d time.Duration) int {
	return int(math.Floor(d.Hours() / 24))
}

// finite maps NaN and ±Inf to 0 so that comparisons stay meaningful and
// records stay JSON-encodable.
func finite(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

// Field describes one name an expression can use.
type Field struct {
	Path string `json:"path"` // e.g. "rfm.segment"
	Type string `json:"type"` // expression-level type: string, int, float, bool, list of string, map …
	Doc  string `json:"doc"`
}

var fieldDocs = map[string]string{
	"id":                          "customer id (the merchant's external id)",
	"age":                         "age in whole years at the analysis date; 0 when the birth year is unknown",
	"gender":                      "female | male | other | \"\"",
	"city":                        "city",
	"country":                     "country",
	"language":                    "preferred language, e.g. zh, en",
	"occupation":                  "occupation",
	"interests":                   `declared interests, e.g. "travel" in interests`,
	"tags":                        `merchant tags, e.g. "vip" in tags`,
	"attrs":                       `free-form attributes; a missing key is nil, so write attrs["tier"] ?? "none"`,
	"rfm":                         "recency/frequency/monetary values and scores",
	"rfm.recency":                 "whole days from the last purchase to the analysis date",
	"rfm.frequency":               "distinct orders",
	"rfm.monetary":                "net revenue",
	"rfm.r":                       "recency score 1..5 (5 = most recent); 0 = not scored",
	"rfm.f":                       "frequency score 1..5",
	"rfm.m":                       "monetary score 1..5",
	"rfm.score":                   `the three scores as text, e.g. "545"`,
	"rfm.segment":                 "segment from the configured map, e.g. champions, at_risk, cant_loose",
	"lifecycle":                   "new | active | at_risk | lapsed | churned | prospect",
	"clv":                         "discounted customer lifetime value over the configured horizon",
	"p_alive":                     "probability the customer is still active (BG/NBD)",
	"affinity":                    `category affinity in [0,1] by top-level category, e.g. affinity["camera"] > 0.3; missing = 0`,
	"brand_affinity":              `brand affinity in [0,1] by brand; missing = 0`,
	"price_band":                  "budget | mid | premium | luxury",
	"preferred_channel":           "channel the customer engages with most, e.g. email, sms",
	"consent":                     "current marketing consent per channel",
	"consent.email":               "marketing e-mail consent is granted",
	"consent.sms":                 "marketing SMS consent is granted",
	"consent.push":                "marketing push consent is granted",
	"consent.wechat":              "marketing WeChat consent is granted",
	"orders":                      "distinct orders",
	"revenue":                     "net revenue (purchases minus refunds)",
	"days_since_last_purchase":    "whole days since the last purchase; -1 when the customer never bought",
	"expected_next_purchase_days": "whole days until the expected next purchase, 0 when due or overdue; -1 when unknown",
}

// Fields lists every name an expression can use, in declaration order,
// nested fields after their parent.
func Fields() []Field {
	var out []Field
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			name := sf.Tag.Get("expr")
			if name == "" || name == "-" {
				continue
			}
			path := prefix + name
			out = append(out, Field{Path: path, Type: typeName(sf.Type), Doc: fieldDocs[path]})
			if sf.Type.Kind() == reflect.Struct {
				walk(sf.Type, path+".")
			}
		}
	}
	walk(reflect.TypeFor[Record](), "")
	return out
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int64:
		return "int"
	case reflect.Float64:
		return "float"
	case reflect.Bool:
		return "bool"
	case reflect.Slice:
		return "list of " + typeName(t.Elem())
	case reflect.Map:
		return "map of " + typeName(t.Elem())
	case reflect.Struct:
		return "object"
	case reflect.Interface:
		return "any"
	}
	return t.String()
}

// fieldPaths returns the known paths, optionally only those under parent
// ("" for the top level, "rfm" for rfm.*), sorted.
func fieldPaths(parent string) []string {
	var out []string
	for _, f := range Fields() {
		p, leaf := "", f.Path
		if i := strings.LastIndexByte(f.Path, '.'); i >= 0 {
			p, leaf = f.Path[:i], f.Path[i+1:]
		}
		if parent == "*" {
			out = append(out, f.Path)
		} else if p == parent {
			out = append(out, leaf)
		}
	}
	sort.Strings(out)
	return out
}
