// Package insight computes what Chorus knows about each consumer: RFM
// scores and segments, lifecycle stage, category and brand affinity, price
// band, preferred channel, expected next purchase, customer lifetime value
// (BG/NBD + Gamma-Gamma), and the compact PII-free profile summary (画像)
// used in prompts and shown to people.
//
// Load reads customers, consents, products and events once into a
// columnar Dataset; Compute is then a pure function of the Dataset and
// Options, returning a Snapshot with every customer's Metrics.
//
// # RFM
//
// Recency is (as_of - last purchase) in whole days, floored as pandas'
// Timedelta.days; as_of defaults to the day after the last event, at
// midnight UTC, and events at or after as_of are ignored. Frequency is
// the number of distinct orders, monetary the net revenue: the orders'
// values net of refunds by NetOrders (the rule CLV shares), plus refunds
// of nothing in the data. Recency and frequency count an order later
// refunded, as the textbook recipe does. Scores are quintiles with pandas qcut semantics
// (numpy's linear quantiles, right-closed bins, the lowest bin includes
// the minimum); frequency is ranked first (rank(method="first") in
// ascending customer id order), recency is scored in reverse. When
// quintile edges of recency or monetary coincide, where pandas would
// fail, that dimension is scored by rank instead and a note says so.
// Purchases with a non-positive amount or negative quantity are treated
// as adjustments and skipped, as the common cleaning of order data does.
//
// # Lifecycle
//
// A customer's cadence is the median gap in days between her distinct
// purchase days, at least insight.lifecycle.min_cadence_days (7); for a
// one-time buyer it is the median cadence of all repeat buyers (or
// default_cadence_days, 90, when there are none). With r the days since
// the last purchase:
//
//	prospect  never purchased
//	new       first purchase at most new_days (30) before as_of
//	active    r <= active_factor (1.5) × cadence
//	at_risk   r <= at_risk_factor (3) × cadence
//	lapsed    r <= churn_factor (6) × cadence
//	churned   beyond that
//
// The expected next purchase is the last purchase plus the cadence; it is
// left empty for churned customers.
//
// # Affinity, price band, channel
//
// Category (top level of the path) and brand affinity weigh purchases 1,
// carts 0.5 and views 0.2, each decayed by 2^(-age/half_life_days) (90),
// and are shares of the customer's total in [0,1]. The price band places
// the customer's average paid item price against the catalog price
// quantiles price_quantiles (0.25, 0.75, 0.95): budget, mid, premium,
// luxury. The preferred channel is the one with the most decayed
// engagement (click 3, open 1); without engagement, the first channel
// with a granted marketing consent (wechat, email, sms, push, social,
// phone).
//
// # CLV
//
// BG/NBD (Fader, Hardie & Lee 2005) and Gamma-Gamma (Fader & Hardie 2013)
// are fitted by maximum likelihood on purchase days (the lifetimes
// library's daily summary) of orders net of refunds (NetOrders): an order
// refunded in full is not a purchase, and a day is worth its orders' net
// value. The expected spend per purchase is the Gamma-Gamma conditional
// mean, but never more than the customer's largest net order. CLV sums
// expected spend month by month over the horizon, discounted at the
// annual rate.
package insight

import "time"

// RFM is one customer's recency/frequency/monetary values and scores.
type RFM struct {
	Recency   int     `json:"recency_days"` // whole days from last purchase to the analysis date
	Frequency int     `json:"frequency"`    // distinct orders
	Monetary  float64 `json:"monetary"`     // net revenue
	R         int     `json:"r"`            // 1..5, 5 = most recent
	F         int     `json:"f"`            // 1..5
	M         int     `json:"m"`            // 1..5
	Score     string  `json:"score"`        // e.g. "545"
	Segment   string  `json:"segment"`      // from the configured segment map
}

// CLV is one customer's lifetime-value estimates.
type CLV struct {
	PAlive            float64 `json:"p_alive"`
	ExpectedPurchases float64 `json:"expected_purchases"` // over the horizon
	ExpectedAvgValue  float64 `json:"expected_avg_value"` // Gamma-Gamma conditional mean spend, at most the largest net order
	Value             float64 `json:"value"`              // discounted CLV over the horizon
	HorizonDays       int     `json:"horizon_days"`
}

// Metrics is everything computed for one customer. Maps are keyed by
// category (top level of the category path) or brand; values in [0,1].
type Metrics struct {
	CustomerID       string             `json:"customer_id"`
	RFM              RFM                `json:"rfm"`
	Lifecycle        string             `json:"lifecycle"` // new | active | at_risk | lapsed | churned | prospect
	CategoryAffinity map[string]float64 `json:"category_affinity,omitempty"`
	BrandAffinity    map[string]float64 `json:"brand_affinity,omitempty"`
	PriceBand        string             `json:"price_band,omitempty"` // budget | mid | premium | luxury
	PreferredChannel string             `json:"preferred_channel,omitempty"`
	Orders           int                `json:"orders"`
	Revenue          float64            `json:"revenue"`
	FirstPurchase    time.Time          `json:"first_purchase,omitzero"`
	LastPurchase     time.Time          `json:"last_purchase,omitzero"`
	NextPurchase     time.Time          `json:"expected_next_purchase,omitzero"`
	CLV              CLV                `json:"clv"`
}

// Profile is the compact, structured, PII-free description of one customer
// (画像) for prompts and for people. It never holds name, email, phone,
// address or the external id.
type Profile struct {
	Language         string             `json:"language,omitempty"`
	AgeBand          string             `json:"age_band,omitempty"` // "25-29"
	Gender           string             `json:"gender,omitempty"`
	Occupation       string             `json:"occupation,omitempty"`
	City             string             `json:"city,omitempty"`
	Country          string             `json:"country,omitempty"`
	Interests        []string           `json:"interests,omitempty"`
	Segment          string             `json:"segment,omitempty"`
	Lifecycle        string             `json:"lifecycle,omitempty"`
	TopCategories    []Weighted         `json:"top_categories,omitempty"`
	TopBrands        []Weighted         `json:"top_brands,omitempty"`
	PriceBand        string             `json:"price_band,omitempty"`
	RecentPurchases  []string           `json:"recent_purchases,omitempty"` // product titles, newest first
	PreferredChannel string             `json:"preferred_channel,omitempty"`
	Recommendations  []ProductRec       `json:"recommendations,omitempty"`
	Stats            map[string]float64 `json:"stats,omitempty"` // orders, revenue, clv, p_alive …
	// PersonalizationOptOut is set when the customer revoked consent to
	// personalised marketing (PIPL Art. 24): use segment-level content only.
	PersonalizationOptOut bool `json:"personalization_opt_out,omitempty"`
}

// Weighted is a name with a weight in [0,1].
type Weighted struct {
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
}

// ProductRec is a recommended product with the reason shown to people.
type ProductRec struct {
	SKU    string  `json:"sku"`
	Title  string  `json:"title"`
	Score  float64 `json:"score"`
	Reason string  `json:"reason"`
}
