// Package tracking turns what recipients and delivery peers do with a
// campaign's messages into stored facts and, from them, into what the
// campaign achieved.
//
//   - Hits: an open of the pixel, a click, an unsubscribe, and the receipts
//     of delivery peers (delivered, failed, bounced, complained, replied).
//     Each is stored twice in one transaction: as a row of tracking_hits
//     (typed: send, variant, machine flag, link) that reports count, and
//     as an event of the one event log (type open, click, unsubscribe,
//     delivered, bounce or complaint, with the campaign and channel as
//     columns and the send and variant as properties) that insight reads.
//   - Opens and clicks go through the Recorder: batched in memory and
//     written at most tracking.flush_interval (≤ 1 s) behind; Stop writes
//     what is left, so a SIGTERM loses nothing and a hard crash at most
//     the last interval. Unsubscribes and receipts are written before the
//     request is answered, so they are never lost.
//   - Machine opens and clicks (Apple Mail Privacy Protection's proxy,
//     security scanners fetching every link within seconds of delivery,
//     HEAD probes, known scanner agents) are stored flagged, and left out
//     of the human opens and clicks that reports count (Detector).
//   - Attribution credits a purchase to the last human click within a
//     window (and optionally to an open, view-through), with revenue net
//     of refunds by the one rule RFM and CLV use.
//   - Reports aggregate a campaign per variant, channel or segment and
//     measure it against its holdout with internal/experiment.
//
// Nothing here knows HTTP or SQL: internal/httpapi calls the Service,
// store/sqlstore implements Store.
package tracking

import (
	"hash/fnv"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"time"

	"github.com/chorusmkt/chorus/internal/event"
)

// Kinds of hit. Except Failed and Reply they equal the event types the
// hits become; a failed receipt becomes a bounce event, a reply an
// unsubscribe event when it asks to stop and no event otherwise.
const (
	KindOpen        = event.Open
	KindClick       = event.Click
	KindUnsubscribe = event.Unsubscribe
	KindDelivered   = event.Delivered
	KindBounce      = event.Bounce
	KindComplaint   = event.Complaint
	KindFailed      = "failed" // a webhook channel's receipt: not delivered
	KindReply       = "reply"  // an inbound reply to a message (SMS)
)

// Hit is one thing that happened to a send.
type Hit struct {
	// Key identifies the hit. For a receipt or an unsubscribe a hit whose
	// key is stored is a repeat and is skipped (Deduplicated); for an
	// open or a click it is random and becomes its event's key.
	Key    int64
	Kind   string
	SendID int64
	// Campaign, Channel and Variant are the send's (from its token, or
	// its row when the row is known).
	Campaign string
	Channel  string
	Variant  string
	// CustomerID is the send's recipient, filled from the send's row.
	CustomerID string
	// Link is the clicked link's index in its message; URL its
	// destination (click only).
	Link int
	URL  string
	// Machine says a machine made the hit, for MachineReason (one of the
	// Reason* constants).
	Machine       bool
	MachineReason string
	// Code is a receipt's reason code (bounce_hard, mailbox_unknown, the
	// reply's keyword); Detail a user-safe sentence.
	Code   string
	Detail string
	// At is when it happened.
	At time.Time

	// Client is what the request said about its sender; it is used to
	// judge machines and then dropped (never stored or logged).
	Client Client
}

// Client is the request's origin, kept only in memory.
type Client struct {
	Addr      netip.Addr
	UserAgent string
	Method    string
}

// SendRef is what tracking needs of a row of the send table.
type SendRef struct {
	ID         int64
	CampaignID int64
	Campaign   string
	CustomerID string
	Channel    string
	Variant    string
	State      string
	PlannedAt  time.Time
	SentAt     time.Time
}

// NewKey returns a random hit key for a hit that has no natural identity
// (an open, a click).
func NewKey() int64 { return int64(rand.Uint64() >> 1) }

// DerivedKey returns the key of a hit identified by parts (a receipt's
// webhook-id and kind; an unsubscribe's send and scope), so that posting
// it again changes nothing.
func DerivedKey(parts ...string) int64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return int64(h.Sum64() >> 1)
}

// Deduplicated reports whether a hit with the same key is a repeat to
// skip: receipts and unsubscribes, whose keys derive from what they are.
// Opens and clicks have random keys; every one is stored.
func (h Hit) Deduplicated() bool { return h.Kind != KindOpen && h.Kind != KindClick }

// EventType is the event type a hit becomes, "" for none.
func (h Hit) EventType() string {
	switch h.Kind {
	case KindOpen, KindClick, KindUnsubscribe, KindDelivered, KindBounce, KindComplaint:
		return h.Kind
	case KindFailed:
		return event.Bounce
	}
	return ""
}

// Event is the hit as an event of the event log (see EventType); ok is
// false for a hit that becomes none or has no known recipient.
func (h Hit) Event() (e event.Event, ok bool) {
	t := h.EventType()
	if t == "" || h.CustomerID == "" {
		return event.Event{}, false
	}
	props := map[string]any{"send_id": strconv.FormatInt(h.SendID, 10)}
	if h.Variant != "" {
		props["variant"] = h.Variant
	}
	if h.Machine {
		props["machine"] = true
		props["machine_reason"] = h.MachineReason
	}
	if h.Kind == KindClick {
		props["link"] = float64(h.Link)
	}
	if h.Code != "" {
		props["code"] = h.Code
	}
	if h.Kind == KindFailed {
		props["receipt"] = KindFailed
	}
	return event.Event{
		Key: h.Key, CustomerID: h.CustomerID, Type: t, Channel: h.Channel, Campaign: h.Campaign,
		OccurredAt: h.At.UTC(), Properties: props,
	}, true
}

// ParseSendID reads a token's send id; ok is false when it is not a
// positive number.
func ParseSendID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}
