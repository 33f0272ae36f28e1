// Package customer holds the consumer record and its consent ledger.
//
// A customer is identified by the merchant's own external id (ID). Consent is
// a history of grants and revocations per channel and purpose; the current
// state is the latest entry, never a stored boolean.
package customer

import (
	"context"
	"time"
)

// Customer is one consumer of the merchant. Fields other than ID are optional.
type Customer struct {
	ID         string         `json:"id"`
	Name       string         `json:"name,omitempty"`
	Email      string         `json:"email,omitempty"`
	Phone      string         `json:"phone,omitempty"`
	Gender     string         `json:"gender,omitempty"` // female | male | other | ""
	BirthYear  int            `json:"birth_year,omitempty"`
	Occupation string         `json:"occupation,omitempty"`
	City       string         `json:"city,omitempty"`
	Country    string         `json:"country,omitempty"`
	Address    string         `json:"address,omitempty"`
	TimeZone   string         `json:"time_zone,omitempty"` // IANA name, e.g. Asia/Shanghai
	Language   string         `json:"language,omitempty"`  // zh | en | …
	Interests  []string       `json:"interests,omitempty"`
	Tags       []string       `json:"tags,omitempty"`
	Attrs      map[string]any `json:"attrs,omitempty"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
}

// Channels a consent or a message can be about.
const (
	ChannelEmail  = "email"
	ChannelSMS    = "sms"
	ChannelPush   = "push"
	ChannelWeChat = "wechat"
	ChannelSocial = "social"
	ChannelPhone  = "phone"
	// ChannelAd is an ad platform's customer-match audience: her hashed
	// e-mail address or phone number uploaded for targeting.
	ChannelAd = "ad"
)

// Channels lists the channels a consent or a message can be about.
func Channels() []string {
	return []string{ChannelEmail, ChannelSMS, ChannelPush, ChannelWeChat, ChannelSocial, ChannelPhone, ChannelAd}
}

// KnownChannel reports whether ch is one of Channels.
func KnownChannel(ch string) bool {
	for _, c := range Channels() {
		if c == ch {
			return true
		}
	}
	return false
}

// Purposes of processing a consent can be about.
const (
	PurposeMarketing       = "marketing"
	PurposeTransactional   = "transactional"
	PurposePersonalization = "personalization" // PIPL Art. 24 automated decision-making
)

// Consent statuses.
const (
	Granted = "granted"
	Revoked = "revoked"
)

// Consent is one entry of the consent ledger.
type Consent struct {
	CustomerID string    `json:"customer_id"`
	Channel    string    `json:"channel"`
	Purpose    string    `json:"purpose"`
	Status     string    `json:"status"`                // granted | revoked
	LegalBasis string    `json:"legal_basis,omitempty"` // consent, contract, legitimate_interest, …
	Source     string    `json:"source,omitempty"`      // import file, web form, unsubscribe link, …
	At         time.Time `json:"at"`
}

// Store is what the customer domain needs from persistence. Get returns an
// apperr.NotFound error for an unknown id.
type Store interface {
	UpsertCustomers(ctx context.Context, cs []Customer) (UpsertCounts, error)
	GetCustomer(ctx context.Context, id string) (Customer, error)
	ListCustomers(ctx context.Context, fn func(Customer) error) error
	CountCustomers(ctx context.Context) (int, error)
	AddConsents(ctx context.Context, cs []Consent) (added int, err error)
	Consents(ctx context.Context, customerID string) ([]Consent, error)
	ListConsents(ctx context.Context, fn func(Consent) error) error
}

// UpsertCounts says what an upsert did with each row.
type UpsertCounts struct {
	Inserted  int `json:"inserted"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Add accumulates other into c.
func (c *UpsertCounts) Add(o UpsertCounts) {
	c.Inserted += o.Inserted
	c.Updated += o.Updated
	c.Unchanged += o.Unchanged
}

// ConsentState is the latest status per (channel, purpose).
type ConsentState map[string]Consent

// Key names a (channel, purpose) pair in a ConsentState.
func Key(channel, purpose string) string { return channel + "/" + purpose }

// CurrentConsent folds a ledger (in any order) into the latest entry per
// channel and purpose. Entries at the same instant resolve to revoked.
func CurrentConsent(ledger []Consent) ConsentState {
	st := ConsentState{}
	for _, c := range ledger {
		k := Key(c.Channel, c.Purpose)
		prev, ok := st[k]
		if !ok || c.At.After(prev.At) || (c.At.Equal(prev.At) && c.Status == Revoked) {
			st[k] = c
		}
	}
	return st
}

// Granted reports whether the latest entry for channel and purpose grants.
func (s ConsentState) Granted(channel, purpose string) bool {
	c, ok := s[Key(channel, purpose)]
	return ok && c.Status == Granted
}

// Age returns the customer's age in whole years at t, or 0 when unknown.
func (c Customer) Age(t time.Time) int {
	if c.BirthYear <= 0 {
		return 0
	}
	return t.Year() - c.BirthYear
}

// The languages Chorus writes and analyses in, as ISO 639-1 codes: the one
// definition every package's language constants refer to
// (content.Zh, demo.LangZH, …).
const (
	Chinese = "zh"
	English = "en"
)

// Search asks for one keyset page of customers in id order: those after
// the id After (exclusive, "" from the start), at most Limit, matching
// Query when it is set (an id prefix, or part of the name, email or
// phone, ignoring case).
type Search struct {
	After string
	Limit int
	Query string
}

// MaxPage is the most customers one page holds.
const MaxPage = 1000

// WindowSearcher finds the matches of a query among the next Scan
// customers in id order (after Search.After), so that a search costs the
// same whatever the query: the console shows them and continues from
// Last, the id of the last customer examined ("" when the table ended).
type WindowSearcher interface {
	SearchCustomerWindow(ctx context.Context, q Search, scan int) (page []Customer, last string, err error)
}

// Searcher finds customers a page at a time (the API's listing).
type Searcher interface {
	SearchCustomers(ctx context.Context, q Search) ([]Customer, error)
}
