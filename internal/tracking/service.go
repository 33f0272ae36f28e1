package tracking

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/tracking/token"
)

// Store is everything the Service needs from persistence. It is declared
// here, by its consumer; store/sqlstore implements it on both engines.
type Store interface {
	HitStore
	// SendByKey returns the send whose idempotency key is key (the part
	// of its Message-ID before the @, its webhook-id after msg_), or an
	// apperr.NotFound error.
	SendByKey(ctx context.Context, key string) (SendRef, error)
	// GetCustomer returns a customer or an apperr.NotFound error.
	GetCustomer(ctx context.Context, id string) (customer.Customer, error)
	// ApplyEffect writes a hit that changes what may be sent, with its
	// consent revocations and suppressions, in one transaction (see
	// Effect).
	ApplyEffect(ctx context.Context, e Effect) (EffectResult, error)
}

// Effect is a synchronous hit and what it changes. ApplyEffect stores the
// hit and its event unless its key is stored; writes each revocation
// unless the latest ledger entry of its customer, channel and purpose
// already revokes; and adds each suppression unless its key is already
// suppressed (an existing entry, whatever its reason, is left as it is).
type Effect struct {
	Hit      Hit
	Revoke   []customer.Consent
	Suppress []policy.Suppression
}

// EffectResult says what ApplyEffect changed.
type EffectResult struct {
	New        bool `json:"new"` // the hit was not stored before
	Revoked    int  `json:"revoked"`
	Suppressed int  `json:"suppressed"`
}

// Service is the tracking server's domain: what the public routes do.
// Handlers parse the request, call one method and render its answer.
type Service struct {
	store    Store
	codec    *token.Codec
	recorder *Recorder
	detector *Detector
	hooks    *Hooks
	now      func() time.Time
}

// ServiceOptions are the optional parts of a Service.
type ServiceOptions struct {
	// Hooks verify delivery receipts; nil answers every receipt NotFound.
	Hooks *Hooks
	// Now is the clock [time.Now].
	Now func() time.Time
}

// NewService returns the Service over st. rec batches opens and clicks;
// d judges requests (nil: none is a machine).
func NewService(st Store, codec *token.Codec, rec *Recorder, d *Detector, o ServiceOptions) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{store: st, codec: codec, recorder: rec, detector: d, hooks: o.Hooks, now: o.Now}
}

// Recorder returns the Service's recorder (to start and stop it).
func (s *Service) Recorder() *Recorder { return s.recorder }

// Now is the Service's clock.
func (s *Service) Now() time.Time { return s.now() }

func (s *Service) hit(kind string, cl token.Claims, c Client) Hit {
	id, _ := ParseSendID(cl.SendID)
	h := Hit{Key: NewKey(), Kind: kind, SendID: id, Campaign: cl.Campaign, Channel: cl.Channel, Variant: cl.Variant,
		Link: cl.Link, URL: cl.URL, At: s.now().UTC(), Client: c}
	if s.detector != nil {
		h.Machine, h.MachineReason = s.detector.Request(c)
	}
	return h
}

// Open records an open of the pixel token tok. A token that does not
// verify is token.ErrInvalid (NotFound), found without a database read;
// a full buffer that does not drain before ctx ends is Unavailable.
func (s *Service) Open(ctx context.Context, tok string, c Client) error {
	cl, err := s.codec.Verify(tok, token.Open)
	if err != nil {
		return err
	}
	if _, ok := ParseSendID(cl.SendID); !ok {
		return nil // signed by us, but names no send we track
	}
	return s.recorder.Record(ctx, s.hit(KindOpen, cl, c))
}

// Click records a click of token tok and returns the destination to
// redirect to: always the URL inside the token, which only we can sign,
// so there is no open redirect. Errors are Open's; the click is recorded
// before the destination is returned.
func (s *Service) Click(ctx context.Context, tok string, c Client) (string, error) {
	cl, err := s.codec.Verify(tok, token.Click)
	if err != nil {
		return "", err
	}
	if _, ok := ParseSendID(cl.SendID); ok {
		if err := s.recorder.Record(ctx, s.hit(KindClick, cl, c)); err != nil {
			return "", err
		}
	}
	return cl.URL, nil
}

// Signed reports whether tok is an unsubscribe token we signed, without a
// database read (the rate limit lets these through: an unsubscribe is
// never refused).
func (s *Service) Signed(tok string) bool {
	_, err := s.codec.Verify(tok, token.Unsubscribe)
	return err == nil
}

// Scopes of an unsubscribe.
const (
	ScopeChannel = "channel" // the channel of the message the link came in
	ScopeAll     = "all"     // every channel
)

// UnsubscribePage is what the unsubscribe page shows: no address, no
// name, only the choice.
type UnsubscribePage struct {
	// Channel is the message's channel; Language the recipient's
	// language ("zh", "en", or "" when unknown: the page shows both).
	Channel  string
	Language string
	// Unsubscribed lists the channels already unsubscribed from (all of
	// them when All).
	Unsubscribed []string
	All          bool
}

// unsubscribeChannels are the channels "everything" revokes.
var unsubscribeChannels = []string{customer.ChannelEmail, customer.ChannelSMS, customer.ChannelPush, customer.ChannelWeChat, "app"}

// sendOf verifies an unsubscribe token and returns its send's row and
// recipient. Errors: token.ErrInvalid for a bad token, and a NotFound
// error saying the link is no longer valid for a send the store does not
// have.
func (s *Service) sendOf(ctx context.Context, tok string) (SendRef, customer.Customer, error) {
	cl, err := s.codec.Verify(tok, token.Unsubscribe)
	if err != nil {
		return SendRef{}, customer.Customer{}, err
	}
	id, ok := ParseSendID(cl.SendID)
	if !ok {
		return SendRef{}, customer.Customer{}, token.ErrInvalid
	}
	sends, err := s.store.Sends(ctx, []int64{id})
	if err != nil {
		return SendRef{}, customer.Customer{}, err
	}
	ref, ok := sends[id]
	if !ok || ref.CustomerID == "" {
		return SendRef{}, customer.Customer{}, apperr.New(apperr.NotFound, "this unsubscribe link is no longer valid; reply to the message or contact the shop to unsubscribe")
	}
	if ref.Channel == "" {
		ref.Channel = cl.Channel
	}
	cu, err := s.store.GetCustomer(ctx, ref.CustomerID)
	if err != nil {
		return SendRef{}, customer.Customer{}, err
	}
	return ref, cu, nil
}

// Page returns the unsubscribe page of token tok. Errors are sendOf's.
func (s *Service) Page(ctx context.Context, tok string, st ConsentReader) (UnsubscribePage, error) {
	ref, cu, err := s.sendOf(ctx, tok)
	if err != nil {
		return UnsubscribePage{}, err
	}
	p := UnsubscribePage{Channel: ref.Channel, Language: cu.Language}
	if st != nil {
		ledger, err := st.Consents(ctx, cu.ID)
		if err != nil {
			return UnsubscribePage{}, err
		}
		cur := customer.CurrentConsent(ledger)
		all := true
		for _, ch := range unsubscribeChannels {
			if c, ok := cur[customer.Key(ch, customer.PurposeMarketing)]; ok && c.Status == customer.Revoked {
				p.Unsubscribed = append(p.Unsubscribed, ch)
			} else {
				all = false
			}
		}
		p.All = all
	}
	return p, nil
}

// ConsentReader reads a customer's consent ledger (for the page's "already
// unsubscribed").
type ConsentReader interface {
	Consents(ctx context.Context, customerID string) ([]customer.Consent, error)
}

// UnsubscribeResult is the outcome of an unsubscribe.
type UnsubscribeResult struct {
	Scope    string   `json:"scope"`
	Channels []string `json:"channels"`
	// Language is the recipient's (for the confirmation page).
	Language string `json:"-"`
	EffectResult
}

// Sources of the ledger entries an unsubscribe writes.
const (
	SourceLink     = "unsubscribe link"
	SourceOneClick = "one-click unsubscribe (RFC 8058)"
	SourceReply    = "reply"
)

// Unsubscribe unsubscribes the recipient of token tok from marketing on
// the message's channel (ScopeChannel) or on every channel (ScopeAll),
// before it returns: the revocations go into the consent ledger and the
// addresses into the suppression list (marketing only, reason
// unsubscribe), with the hit and its event, in one transaction. Doing it
// again changes nothing. Errors are sendOf's, apperr.Invalid for another
// scope, and the store's.
func (s *Service) Unsubscribe(ctx context.Context, tok, scope, source string, c Client) (UnsubscribeResult, error) {
	if scope == "" {
		scope = ScopeChannel
	}
	if scope != ScopeChannel && scope != ScopeAll {
		return UnsubscribeResult{}, apperr.New(apperr.Invalid, "unsubscribe scope %q: use channel or all", scope)
	}
	ref, cu, err := s.sendOf(ctx, tok)
	if err != nil {
		return UnsubscribeResult{}, err
	}
	return s.unsubscribe(ctx, ref, cu, scope, source, c)
}

func (s *Service) unsubscribe(ctx context.Context, ref SendRef, cu customer.Customer, scope, source string, c Client) (UnsubscribeResult, error) {
	at := s.now().UTC()
	channels := []string{ref.Channel}
	if scope == ScopeAll {
		channels = slices.Clone(unsubscribeChannels)
		if !slices.Contains(channels, ref.Channel) && ref.Channel != "" {
			channels = append(channels, ref.Channel)
		}
	}
	e := Effect{Hit: Hit{
		Key: DerivedKey("unsubscribe", strconv.FormatInt(ref.ID, 10), scope), Kind: KindUnsubscribe, SendID: ref.ID,
		Campaign: ref.Campaign, Channel: ref.Channel, Variant: ref.Variant, CustomerID: cu.ID,
		Code: scope, At: at, Client: c,
	}}
	for _, ch := range channels {
		e.Revoke = append(e.Revoke, customer.Consent{CustomerID: cu.ID, Channel: ch, Purpose: customer.PurposeMarketing,
			Status: customer.Revoked, LegalBasis: "consent", Source: source, At: at})
	}
	add := func(kind, value string) {
		if sp, err := policy.NewSuppression(kind, value, "unsubscribe", true, "campaign "+ref.Campaign, source, at); err == nil {
			e.Suppress = append(e.Suppress, sp)
		}
	}
	if scope == ScopeAll {
		add(policy.KindCustomer, cu.ID)
	}
	if slices.Contains(channels, customer.ChannelEmail) && cu.Email != "" {
		add(policy.KindEmail, cu.Email)
	}
	if slices.Contains(channels, customer.ChannelSMS) && cu.Phone != "" {
		add(policy.KindPhone, cu.Phone)
	}
	res, err := s.store.ApplyEffect(ctx, e)
	if err != nil {
		return UnsubscribeResult{}, err
	}
	return UnsubscribeResult{Scope: scope, Channels: channels, Language: cu.Language, EffectResult: res}, nil
}
