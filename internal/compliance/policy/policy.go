// Package policy is the contact-policy gate every send passes: consent per
// channel and purpose, the global suppression list, quiet hours in the
// recipient's time zone, frequency caps counted from the sends log, and the
// PIPL Art. 24 opt-out of personalised marketing. It also labels
// AI-generated copy (Label).
//
// A campaign asks Decide for a read-only verdict (previews, `chorus policy
// check`) and Admit right before delivery: Admit decides, and in the same
// transaction that re-counts the caps it records the send, so two workers
// cannot both pass a cap for one customer. Every skip Admit makes is
// recorded with its reason code so a campaign can show why a customer was
// not contacted. The sends log keeps sends for the configured retention
// (prune.go): Prune deletes older ones, and recorded sends prune as they go.
package policy

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/shop"
)

// Purposes of a message.
const (
	Marketing     = customer.PurposeMarketing
	Transactional = customer.PurposeTransactional
)

// Reason codes of a skip. Cap codes are built from the cap: cap_channel_day,
// cap_all_week, cap_channel_hour, cap_all_month or cap_<scope>_<window>.
const (
	CodeNoConsent         = "no_consent"          // never granted marketing on the channel
	CodeConsentRevoked    = "consent_revoked"     // revoked marketing on the channel
	CodeOptedOutElsewhere = "opted_out_elsewhere" // revoked marketing on another channel after this grant
	CodeSuppressed        = "suppressed"          // on the suppression list
	CodeNoAddress         = "no_address"          // no e-mail address or phone number for the channel
	CodeQuietHours        = "quiet_hours"         // outside the channel's send window, local time
)

// Message is one planned send.
type Message struct {
	CustomerID string `json:"customer_id"`
	Channel    string `json:"channel"` // email, sms, push, wechat, social, phone, …
	// Purpose is marketing (the default) or transactional.
	Purpose string `json:"purpose"`
	// At is the planned send time; the zero time means now.
	At time.Time `json:"at"`
	// Campaign names the campaign in the sends and skips logs (optional).
	Campaign string `json:"campaign,omitempty"`
	// Key, when set, names the send (a campaign send's idempotency key):
	// AdmitBatch logs it once however often it is admitted, and an
	// admission repeated after a crash neither logs it again nor counts
	// its own earlier entry against the caps.
	Key string `json:"key,omitempty"`
}

// Decision is the gate's verdict on a message.
type Decision struct {
	Allow bool `json:"allow"`
	// Code is the machine reason of a skip; "" when allowed.
	Code string `json:"code,omitempty"`
	// Reason says the same for people; it names no address or number.
	Reason string `json:"reason,omitempty"`
	// NextAt is the earliest time the rule that skipped would allow the
	// message (quiet hours, caps); zero when waiting does not help.
	NextAt time.Time `json:"next_at,omitzero"`
	// Personalize is false when the customer opted out of personalised
	// marketing (PIPL Art. 24): send segment-level content only.
	Personalize bool `json:"personalize"`
	// TimeZone is the zone the quiet hours were judged in.
	TimeZone string `json:"time_zone"`
	// At is the planned send time the decision is about.
	At time.Time `json:"at"`
}

func skip(d Decision, code, reason string, next time.Time) Decision {
	d.Allow, d.Code, d.Reason, d.NextAt = false, code, reason, next
	return d
}

// Send is one entry of the sends log.
type Send struct {
	CustomerID string    `json:"customer_id"`
	Channel    string    `json:"channel"`
	Purpose    string    `json:"purpose"`
	Campaign   string    `json:"campaign,omitempty"`
	SentAt     time.Time `json:"sent_at"`
	// Key is the send's idempotency key, "" for sends logged without one.
	Key string `json:"key,omitempty"`
}

// Skip is one entry of the skips log: why a message was not sent.
type Skip struct {
	Campaign   string    `json:"campaign,omitempty"`
	CustomerID string    `json:"customer_id"`
	Channel    string    `json:"channel"`
	Purpose    string    `json:"purpose"`
	PlannedAt  time.Time `json:"planned_at"`
	Code       string    `json:"code"`
	Reason     string    `json:"reason"`
	NextAt     time.Time `json:"next_at,omitzero"`
	DecidedAt  time.Time `json:"decided_at"`
}

// Store is what the gate needs from persistence. It is declared here, by its
// one consumer, so the gate can be tested against any implementation;
// store/sqlstore implements it for both engines.
//
// GetCustomer returns an apperr.NotFound error for an unknown id;
// RemoveSuppression returns one for an entry that does not exist.
type Store interface {
	GetCustomer(ctx context.Context, id string) (customer.Customer, error)
	Consents(ctx context.Context, customerID string) ([]customer.Consent, error)

	// AddSuppressions inserts entries, replacing the reason, scope and note
	// of an existing key; it reports how many keys were new.
	AddSuppressions(ctx context.Context, ss []Suppression) (added int, err error)
	RemoveSuppression(ctx context.Context, k SuppressionKey) error
	ListSuppressions(ctx context.Context, fn func(Suppression) error) error
	// MatchSuppressions returns the entries whose key is one of keys.
	MatchSuppressions(ctx context.Context, keys []SuppressionKey) ([]Suppression, error)

	// SendsSince returns the customer's sends after since, oldest first.
	SendsSince(ctx context.Context, customerID string, since time.Time) ([]Send, error)
	// RecordSend runs check on the customer's sends after since and, when it
	// returns nil, logs s — all while holding a per-customer lock, so
	// concurrent calls for one customer are serialised. check's error is
	// returned unchanged.
	RecordSend(ctx context.Context, s Send, since time.Time, check func(prior []Send) error) error
	// AddSends logs sends as given, without cap checks (history from
	// before Chorus, a benchmark's population), and reports how many. It
	// returns an apperr.Invalid error for a send without a customer,
	// channel, purpose or time.
	AddSends(ctx context.Context, ss []Send) (added int, err error)
	// CountSends reports how many sends were made before cutoff.
	CountSends(ctx context.Context, cutoff time.Time) (int64, error)
	// DeleteSends deletes up to limit (all when limit ≤ 0) of the sends
	// made before cutoff, oldest first, and reports how many.
	DeleteSends(ctx context.Context, cutoff time.Time, limit int) (int64, error)
	// CountSkips reports how many skips were decided before cutoff.
	CountSkips(ctx context.Context, cutoff time.Time) (int64, error)
	// DeleteSkips deletes up to limit (all when limit ≤ 0) of the skips
	// decided before cutoff, oldest first, and reports how many.
	DeleteSkips(ctx context.Context, cutoff time.Time, limit int) (int64, error)
	// RecordSkip logs a skip; a second skip of the same campaign, customer,
	// channel, purpose and planned time replaces the first.
	RecordSkip(ctx context.Context, sk Skip) error
	// ListSkips returns a campaign's skips ("" for those without a
	// campaign), oldest decision first.
	ListSkips(ctx context.Context, campaign string) ([]Skip, error)
}

// Gate applies the contact policy. It is safe for concurrent use.
type Gate struct {
	st      Store
	cfg     config.Contact
	windows map[string]window
	defTZ   *time.Location
	caps    []capRule
	maxWin  time.Duration
	now     func() time.Time
	zones   sync.Map // IANA name → *time.Location, or nil when unknown
	shop    shop.Settings

	retention     time.Duration
	skipRetention time.Duration
	pruneDue      atomic.Int64 // Unix nanoseconds from which autoPrune may run
	log           *slog.Logger
}

// New returns a gate for cfg over st. It returns the apperr.Invalid error
// of cfg.Validate, which config validation has already run for a loaded
// configuration; the gate then reads cfg knowing it is well formed.
func New(cfg config.Contact, st Store) (*Gate, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	g := &Gate{st: st, cfg: cfg, windows: map[string]window{}, defTZ: time.UTC, now: time.Now,
		retention: cfg.Retention(), skipRetention: cfg.SkipsRetention(), log: slog.Default()}
	for ch, w := range cfg.SendWindows {
		from, until, _ := w.Minutes() // validated
		g.windows[ch] = window{from: from, until: until}
	}
	if cfg.DefaultTimeZone != "" {
		g.defTZ, _ = time.LoadLocation(cfg.DefaultTimeZone) // validated
	}
	for _, c := range cfg.Caps {
		r := newCapRule(c)
		g.caps = append(g.caps, r)
		g.maxWin = max(g.maxWin, r.window)
	}
	return g, nil
}

// normalize checks m and fills its defaults.
func (g *Gate) normalize(m Message) (Message, error) {
	m.CustomerID = strings.TrimSpace(m.CustomerID)
	m.Channel = strings.ToLower(strings.TrimSpace(m.Channel))
	m.Purpose = strings.ToLower(strings.TrimSpace(m.Purpose))
	if m.Purpose == "" {
		m.Purpose = Marketing
	}
	if m.CustomerID == "" {
		return m, apperr.New(apperr.Invalid, "message without a customer id")
	}
	if m.Channel == "" {
		return m, apperr.New(apperr.Invalid, "message for customer %s without a channel", m.CustomerID)
	}
	if !customer.KnownChannel(m.Channel) {
		return m, apperr.New(apperr.Invalid, "unknown channel %q (use %s)", m.Channel, strings.Join(customer.Channels(), ", "))
	}
	if m.Purpose != Marketing && m.Purpose != Transactional {
		return m, apperr.New(apperr.Invalid, "purpose %q: use marketing or transactional", m.Purpose)
	}
	if m.At.IsZero() {
		m.At = g.now()
	}
	return m, nil
}

// Decide judges m without writing anything. Rules apply in this order and
// the first that fails names the skip: suppression, consent (marketing
// only), an address for the channel, quiet hours, caps. It returns an
// apperr.Invalid error for a malformed message and apperr.NotFound for an
// unknown customer.
func (g *Gate) Decide(ctx context.Context, m Message) (d Decision, err error) {
	defer apperr.Wrapf(&err, "policy.Decide(%q, %s)", m.CustomerID, m.Channel)
	if m, err = g.normalize(m); err != nil {
		return d, err
	}
	if d, err = g.decideBeforeCaps(ctx, m); err != nil || !d.Allow || len(g.caps) == 0 {
		return d, err
	}
	prior, err := g.st.SendsSince(ctx, m.CustomerID, m.At.Add(-g.maxWin))
	if err != nil {
		return d, err
	}
	if s, ok := g.checkCaps(m, prior); !ok {
		return skip(d, s.Code, s.Reason, s.NextAt), nil
	}
	return d, nil
}

// decideBeforeCaps applies every rule but the caps, which come last: Decide
// counts them from a read of the sends log, Admit under the store's lock
// while recording, so that the log is read once per message either way.
func (g *Gate) decideBeforeCaps(ctx context.Context, m Message) (Decision, error) {
	c, err := g.st.GetCustomer(ctx, m.CustomerID)
	if err != nil {
		return Decision{}, err
	}
	ledger, err := g.st.Consents(ctx, m.CustomerID)
	if err != nil {
		return Decision{}, err
	}
	hits, err := g.st.MatchSuppressions(ctx, suppressionKeys(c, m.Channel))
	if err != nil {
		return Decision{}, err
	}
	return g.judge(m, c, ledger, hits), nil
}

// judge applies every rule but the caps to m for customer c, given her
// consent ledger and the suppression entries matching her keys (read one
// by one by Decide and Admit, for a whole batch by AdmitBatch).
func (g *Gate) judge(m Message, c customer.Customer, ledger []customer.Consent, hits []Suppression) Decision {
	state := customer.CurrentConsent(ledger)
	loc := g.Location(c)
	d := Decision{Allow: true, Personalize: personalize(state), TimeZone: loc.String(), At: m.At}
	if d = g.reachWith(c, state, m, d, hits); !d.Allow {
		return d
	}
	if m.Purpose == Marketing || g.cfg.QuietHoursTransactional {
		if w, ok := g.windows[m.Channel]; ok {
			if next, quiet := w.next(m.At, loc); quiet {
				return skip(d, CodeQuietHours, w.describe(m.Channel, m.At, loc), next)
			}
		}
	}
	return d
}

// reach applies the rules that say whether c can be reached on the
// channel at all: suppression, consent (marketing only), an address.
func (g *Gate) reach(ctx context.Context, c customer.Customer, state customer.ConsentState, m Message, d Decision) (Decision, error) {
	hits, err := g.st.MatchSuppressions(ctx, suppressionKeys(c, m.Channel))
	if err != nil {
		return d, err
	}
	return g.reachWith(c, state, m, d, hits), nil
}

// reachWith is reach with the suppression entries matching c's keys.
func (g *Gate) reachWith(c customer.Customer, state customer.ConsentState, m Message, d Decision, hits []Suppression) Decision {
	if s, ok := firstApplying(hits, m.Purpose); ok {
		return skip(d, CodeSuppressed, s.describe(), time.Time{})
	}
	if m.Purpose == Marketing {
		if code, reason := g.consent(state, m.Channel); code != "" {
			return skip(d, code, reason, time.Time{})
		}
	}
	if reason := missingAddress(c, m.Channel); reason != "" {
		return skip(d, CodeNoAddress, reason, time.Time{})
	}
	return d
}

// Reachable reports whether a marketing message to customerID on channel
// passes suppression, consent and the address check: whether her contact
// details for the channel may leave Chorus in a marketing export. Quiet
// hours and caps, which are about a send's timing, do not apply. Errors
// are those of Decide.
func (g *Gate) Reachable(ctx context.Context, customerID, channel string) (ok bool, err error) {
	m, err := g.normalize(Message{CustomerID: customerID, Channel: channel, Purpose: Marketing, At: g.now()})
	if err != nil {
		return false, err
	}
	c, err := g.st.GetCustomer(ctx, m.CustomerID)
	if err != nil {
		return false, err
	}
	ledger, err := g.st.Consents(ctx, m.CustomerID)
	if err != nil {
		return false, err
	}
	d, err := g.reach(ctx, c, customer.CurrentConsent(ledger), m, Decision{Allow: true})
	return d.Allow, err
}

// Admit decides m and acts on the decision: an allowed message is logged
// as sent at m.At, the caps being counted under the store's per-customer
// lock in the same transaction (a cap another worker filled meanwhile
// turns it into a skip); a skipped message is logged with its reason.
// Call it right before handing the message to the channel. Errors are
// those of Decide and of the store.
func (g *Gate) Admit(ctx context.Context, m Message) (d Decision, err error) {
	defer apperr.Wrapf(&err, "policy.Admit(%q, %s)", m.CustomerID, m.Channel)
	if m, err = g.normalize(m); err != nil {
		return d, err
	}
	if d, err = g.decideBeforeCaps(ctx, m); err != nil {
		return d, err
	}
	if d.Allow {
		if d, err = g.record(ctx, m, d); err != nil {
			return d, err
		}
	}
	if !d.Allow {
		err = g.st.RecordSkip(ctx, Skip{Campaign: m.Campaign, CustomerID: m.CustomerID, Channel: m.Channel, Purpose: m.Purpose,
			PlannedAt: m.At, Code: d.Code, Reason: d.Reason, NextAt: d.NextAt, DecidedAt: g.now().UTC()})
		if err == nil {
			g.autoPrune(ctx, m.At) // a run that only skips keeps the logs bounded too
		}
	}
	return d, err
}

// Record logs a send made at s.SentAt (zero: now) if the caps allow it,
// checking and inserting under the store's per-customer lock. When a cap
// is full it logs nothing and returns a skip decision with the cap's code.
// Senders that deliver without Admit (a transactional notice, say) call it
// so their sends count towards the caps.
func (g *Gate) Record(ctx context.Context, s Send) (d Decision, err error) {
	defer apperr.Wrapf(&err, "policy.Record(%q, %s)", s.CustomerID, s.Channel)
	m, err := g.normalize(Message{CustomerID: s.CustomerID, Channel: s.Channel, Purpose: s.Purpose, At: s.SentAt, Campaign: s.Campaign})
	if err != nil {
		return d, err
	}
	return g.record(ctx, m, Decision{Allow: true, Personalize: true, At: m.At})
}

// errCapFull carries a cap skip out of the store's locked check.
type errCapFull struct{ d Decision }

func (e *errCapFull) Error() string { return e.d.Reason }

func (g *Gate) record(ctx context.Context, m Message, d Decision) (Decision, error) {
	send := Send{CustomerID: m.CustomerID, Channel: m.Channel, Purpose: m.Purpose, Campaign: m.Campaign, SentAt: m.At.UTC()}
	err := g.st.RecordSend(ctx, send, m.At.Add(-g.maxWin), func(prior []Send) error {
		if s, ok := g.checkCaps(m, prior); !ok {
			return &errCapFull{skip(d, s.Code, s.Reason, s.NextAt)}
		}
		return nil
	})
	var full *errCapFull
	if errors.As(err, &full) {
		return full.d, nil
	}
	if err == nil {
		g.autoPrune(ctx, m.At)
	}
	return d, err
}

// UseShop makes the shop's settings the fallback of Location: customers
// with no zone of their own or of their country are judged in the shop's
// zone. Call it before the gate is used.
func (g *Gate) UseShop(s shop.Settings) { g.shop = s }

// Location is the zone quiet hours are judged in for c, by
// shop.CustomerTimeZone: her own zone, else her country's when it has
// one, else the shop's, else compliance.contact.default_time_zone, else
// UTC.
func (g *Gate) Location(c customer.Customer) *time.Location {
	// her own zone, when valid, is what shop.CustomerTimeZone picks; it
	// is looked up in the cache first, as that function would read and
	// parse the zone file again for every message
	if c.TimeZone != "" && c.TimeZone != "Local" {
		if loc := g.zone(c.TimeZone); loc != nil {
			return loc
		}
	}
	if loc := g.zone(shop.CustomerTimeZone(c, g.shop, g.cfg.DefaultTimeZone).Value); loc != nil {
		return loc
	}
	return g.defTZ
}

// zone is time.LoadLocation(name), cached (nil for a name that is not a
// zone). LoadLocation reads and parses the zone file on every call.
func (g *Gate) zone(name string) *time.Location {
	v, ok := g.zones.Load(name)
	if !ok {
		loc, err := time.LoadLocation(name)
		if err != nil {
			loc = nil
		}
		v, _ = g.zones.LoadOrStore(name, loc)
	}
	return v.(*time.Location)
}

// missingAddress names what channel needs and c lacks. Channels whose
// address lives elsewhere (push tokens, WeChat openids) are not checked.
func missingAddress(c customer.Customer, channel string) string {
	switch channel {
	case customer.ChannelEmail:
		if strings.TrimSpace(c.Email) == "" {
			return "the customer has no e-mail address"
		}
	case customer.ChannelSMS, customer.ChannelPhone:
		if strings.TrimSpace(c.Phone) == "" {
			return "the customer has no phone number"
		}
	case customer.ChannelAd:
		if strings.TrimSpace(c.Email) == "" && strings.TrimSpace(c.Phone) == "" {
			return "the customer has neither an e-mail address nor a phone number to match"
		}
	}
	return ""
}
