// Package event holds behaviour events: views, carts, purchases, refunds and
// engagement with messages. Events are append-only and deduplicated by a
// natural key, so importing the same file twice stores nothing new.
package event

import (
	"context"
	"encoding/binary"
	"hash/fnv"
	"math"
	"time"
)

// Event types.
const (
	View        = "view"
	Cart        = "cart"
	Purchase    = "purchase"
	Refund      = "refund"
	Open        = "open"
	Click       = "click"
	Unsubscribe = "unsubscribe"
	Delivered   = "delivered"
	Bounce      = "bounce"
	Complaint   = "complaint"
	Search      = "search"
)

// Event is one thing a customer (or a guest) did.
type Event struct {
	ID         int64          `json:"id,omitempty"`
	CustomerID string         `json:"customer_id,omitempty"` // "" for guests
	Type       string         `json:"type"`
	SKU        string         `json:"sku,omitempty"`
	Quantity   float64        `json:"quantity,omitempty"`
	Amount     float64        `json:"amount,omitempty"` // signed line total; refunds are negative
	Currency   string         `json:"currency,omitempty"`
	OrderID    string         `json:"order_id,omitempty"`
	Channel    string         `json:"channel,omitempty"`
	Campaign   string         `json:"campaign,omitempty"`
	OccurredAt time.Time      `json:"occurred_at"`
	Properties map[string]any `json:"properties,omitempty"`
	// Ordinal distinguishes events that are otherwise identical (the k-th
	// identical line of one order); importers set it so that real repeated
	// lines are kept while a re-import is recognised as a duplicate.
	Ordinal int `json:"ordinal,omitempty"`
	// Key is the natural key; when zero the store computes NaturalKey().
	Key int64 `json:"-"`
}

// NaturalKey is a 64-bit hash of the fields that identify an event.
func (e Event) NaturalKey() int64 {
	h := fnv.New64a()
	var b [8]byte
	w := func(s string) { h.Write([]byte(s)); h.Write([]byte{0}) }
	wf := func(f float64) { binary.LittleEndian.PutUint64(b[:], math.Float64bits(f)); h.Write(b[:]) }
	wi := func(i int64) { binary.LittleEndian.PutUint64(b[:], uint64(i)); h.Write(b[:]) }
	w(e.CustomerID)
	w(e.Type)
	w(e.SKU)
	w(e.OrderID)
	w(e.Channel)
	w(e.Campaign)
	wf(e.Quantity)
	wf(e.Amount)
	wi(e.OccurredAt.UnixNano())
	wi(int64(e.Ordinal))
	return int64(h.Sum64())
}

// Filter selects events for a scan; zero fields do not filter.
type Filter struct {
	CustomerID string
	Types      []string
	Since      time.Time // inclusive
	Until      time.Time // exclusive
	// AfterID keeps the events stored after the one with this id (ids grow
	// with every insert): what a reader that has seen up to it catches up
	// on.
	AfterID int64
}

// InsertCounts says what an insert did.
type InsertCounts struct {
	Inserted   int `json:"inserted"`
	Duplicates int `json:"duplicates"`
}

// Store is what the event domain needs from persistence. ScanEvents visits
// events ordered by occurred_at, then id.
type Store interface {
	InsertEvents(ctx context.Context, es []Event) (InsertCounts, error)
	ScanEvents(ctx context.Context, f Filter, fn func(Event) error) error
	CountEvents(ctx context.Context, f Filter) (int, error)
}
