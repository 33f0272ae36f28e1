package tracking

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	"golang.org/x/text/width"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/customer"
)

// Receipt types, by channel: email's come from the mail provider or MTA
// (bounces and feedback-loop complaints), the others' from the webhook
// gateway that delivered the message.
const (
	EmailDelivered   = "email.delivered"
	EmailBounced     = "email.bounced"
	EmailComplained  = "email.complained"
	MessageDelivered = "message.delivered"
	MessageFailed    = "message.failed"
	MessageReplied   = "message.replied"
)

// Receipt is the JSON body of POST /hooks/{channel} (docs/webhooks.md,
// "Receipts").
type Receipt struct {
	Type      string      `json:"type"`
	Timestamp time.Time   `json:"timestamp"`
	Data      ReceiptData `json:"data"`
}

// ReceiptData names the message and says what happened to it.
type ReceiptData struct {
	// ID is the message's id: the webhook-id Chorus sent it with, or the
	// email's Message-ID (with or without angle brackets).
	ID string `json:"id"`
	// SendID is the send_id of the message webhook, when echoed.
	SendID string `json:"send_id"`
	// At is when it happened at the peer [the receipt's timestamp].
	At time.Time `json:"at"`
	// Code is the peer's reason code (e.g. 5.1.1, mailbox_unknown).
	Code string `json:"code"`
	// BounceType is hard or soft (email.bounced); Permanent says the same
	// for message.failed. Hard bounces suppress the address; a failed
	// message does when Suppress is set too (the number does not exist).
	BounceType string `json:"bounce_type"`
	Permanent  bool   `json:"permanent"`
	Suppress   bool   `json:"suppress"`
	// Text is a reply's text (message.replied); a stop word unsubscribes.
	Text string `json:"text"`
}

// Signature is a request's Standard Webhooks headers.
type Signature struct {
	ID        string // webhook-id
	Timestamp string // webhook-timestamp
	Signature string // webhook-signature
}

// Hooks verify receipts' Standard Webhooks signatures per channel. It is
// safe for concurrent use.
type Hooks struct {
	verifiers map[string][]*standardwebhooks.Webhook
	tolerance time.Duration
}

// receiptTolerance is how far a receipt's webhook-timestamp may be from
// our clock (the spec's recommended 5 minutes): older ones are replays.
const receiptTolerance = 5 * time.Minute

// NewHooks builds the verifiers of every channel with a secret:
// tracking.hooks.<channel>.secret (and previous_secrets), else, for a
// webhook channel, delivery.webhooks.<channel>.secret. Errors are
// apperr.Invalid naming the setting.
func NewHooks(c config.Config) (*Hooks, error) {
	h := &Hooks{verifiers: map[string][]*standardwebhooks.Webhook{}, tolerance: receiptTolerance}
	secrets := map[string][]string{}
	for ch, w := range c.Delivery.Webhooks {
		if w.Secret != "" {
			secrets[ch] = append([]string{w.Secret}, w.PreviousSecrets...)
		}
	}
	for ch, hk := range c.Tracking.Hooks {
		if hk.Secret != "" {
			secrets[ch] = append([]string{hk.Secret}, hk.PreviousSecrets...)
		}
	}
	chs := make([]string, 0, len(secrets))
	for ch := range secrets {
		chs = append(chs, ch)
	}
	sort.Strings(chs)
	for _, ch := range chs {
		for _, s := range secrets[ch] {
			w, err := standardwebhooks.NewWebhook(strings.TrimSpace(s))
			if err != nil {
				return nil, apperr.New(apperr.Invalid, "tracking.hooks.%s.secret is not a whsec_ secret", ch)
			}
			h.verifiers[ch] = append(h.verifiers[ch], w)
		}
	}
	return h, nil
}

// Channels lists the channels that accept receipts.
func (h *Hooks) Channels() []string {
	out := make([]string, 0, len(h.verifiers))
	for ch := range h.verifiers {
		out = append(out, ch)
	}
	sort.Strings(out)
	return out
}

// errBadSignature is the one answer to a receipt that does not verify.
var errBadSignature = apperr.New(apperr.Forbidden, "the receipt's webhook signature does not verify")

// verify checks sig over body for channel at now: a signature of one of
// the channel's secrets, and a timestamp within 5 minutes.
func (h *Hooks) verify(channel string, sig Signature, body []byte, now time.Time) error {
	vs := h.verifiers[channel]
	if len(vs) == 0 {
		return apperr.New(apperr.NotFound, "no receipts are configured for channel %q (tracking.hooks.%s.secret)", channel, channel)
	}
	if sig.ID == "" || sig.Timestamp == "" || sig.Signature == "" {
		return apperr.New(apperr.Forbidden, "the receipt has no webhook-id, webhook-timestamp and webhook-signature headers")
	}
	ts, err := strconv.ParseInt(sig.Timestamp, 10, 64)
	if err != nil {
		return errBadSignature
	}
	if d := now.Sub(time.Unix(ts, 0)); d > h.tolerance || d < -h.tolerance {
		return apperr.New(apperr.Forbidden, "the receipt's webhook-timestamp is more than 5 minutes from the server's clock")
	}
	hdr := http.Header{}
	hdr.Set(standardwebhooks.HeaderWebhookID, sig.ID)
	hdr.Set(standardwebhooks.HeaderWebhookTimestamp, sig.Timestamp)
	hdr.Set(standardwebhooks.HeaderWebhookSignature, sig.Signature)
	for _, v := range vs {
		// the timestamp was checked above against our own clock
		if v.VerifyIgnoringTimestamp(body, hdr) == nil {
			return nil
		}
	}
	return errBadSignature
}

// ReceiptResult says what a receipt did.
type ReceiptResult struct {
	Kind string `json:"kind"`
	// Duplicate is true when the receipt was posted before.
	Duplicate bool `json:"duplicate"`
	EffectResult
	// Unsubscribed is true for a reply that asked to stop.
	Unsubscribed bool `json:"unsubscribed,omitempty"`
}

// maxReceipt bounds a receipt's body.
const maxReceipt = 64 << 10

// Receipt verifies and applies one receipt posted to channel, before it
// returns. Errors: NotFound for a channel without a secret or a message
// we do not know (the peer retries: the send's row may not be committed
// yet); Forbidden for a bad or stale signature; Invalid for a body that
// is not a receipt for the channel; the store's. A receipt posted again
// (the same webhook-id) changes nothing and succeeds.
func (s *Service) Receipt(ctx context.Context, channel string, sig Signature, body []byte) (ReceiptResult, error) {
	if s.hooks == nil {
		return ReceiptResult{}, apperr.New(apperr.NotFound, "no receipts are configured for channel %q", channel)
	}
	now := s.now()
	if err := s.hooks.verify(channel, sig, body, now); err != nil {
		return ReceiptResult{}, err
	}
	if len(body) > maxReceipt {
		return ReceiptResult{}, apperr.New(apperr.Invalid, "the receipt is larger than %d KiB", maxReceipt>>10)
	}
	var r Receipt
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&r); err != nil {
		return ReceiptResult{}, apperr.New(apperr.Invalid, "the receipt is not JSON of the documented form (docs/webhooks.md)")
	}
	kind, err := receiptKind(channel, r.Type)
	if err != nil {
		return ReceiptResult{}, err
	}
	ref, err := s.receiptSend(ctx, channel, r.Data)
	if err != nil {
		return ReceiptResult{}, err
	}
	cu, err := s.store.GetCustomer(ctx, ref.CustomerID)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return ReceiptResult{}, err
	}
	at := r.Data.At
	if at.IsZero() {
		at = r.Timestamp
	}
	if at.IsZero() || at.After(now.Add(receiptTolerance)) {
		at = now
	}
	at = at.UTC()
	h := Hit{Key: DerivedKey("receipt", channel, sig.ID), Kind: kind, SendID: ref.ID, Campaign: ref.Campaign,
		Channel: ref.Channel, Variant: ref.Variant, CustomerID: ref.CustomerID, Code: clean(r.Data.Code), At: at}
	e := Effect{Hit: h}
	res := ReceiptResult{Kind: kind}
	suppress := func(kind, value, reason string) {
		if sp, err := policy.NewSuppression(kind, value, reason, false, "receipt "+r.Type, "receipt", at); err == nil {
			e.Suppress = append(e.Suppress, sp)
		}
	}
	switch r.Type {
	case EmailBounced:
		e.Hit.Detail = "soft"
		if hard := strings.EqualFold(r.Data.BounceType, "hard") || r.Data.Permanent; hard {
			e.Hit.Detail = "hard"
			suppress(policy.KindEmail, cu.Email, "hard_bounce")
		}
	case EmailComplained:
		suppress(policy.KindEmail, cu.Email, "complaint")
		e.Revoke = append(e.Revoke, customer.Consent{CustomerID: ref.CustomerID, Channel: customer.ChannelEmail,
			Purpose: customer.PurposeMarketing, Status: customer.Revoked, LegalBasis: "consent", Source: "spam complaint", At: at})
	case MessageFailed:
		if r.Data.Permanent && r.Data.Suppress && (channel == customer.ChannelSMS || channel == customer.ChannelPhone) {
			suppress(policy.KindPhone, cu.Phone, "hard_bounce")
		}
	case MessageReplied:
		word, stop := StopWord(r.Data.Text)
		e.Hit.Code = word
		if stop && cu.ID != "" {
			u, err := s.unsubscribe(ctx, ref, cu, ScopeChannel, SourceReply, Client{})
			if err != nil {
				return ReceiptResult{}, err
			}
			res.Unsubscribed = true
			res.Revoked, res.Suppressed = u.Revoked, u.Suppressed
		}
	}
	if cu.ID == "" {
		e.Suppress, e.Revoke = nil, nil
	}
	er, err := s.store.ApplyEffect(ctx, e)
	if err != nil {
		return ReceiptResult{}, err
	}
	res.Duplicate = !er.New
	res.Revoked += er.Revoked
	res.Suppressed += er.Suppressed
	res.New = er.New
	return res, nil
}

func receiptKind(channel, typ string) (string, error) {
	email := channel == customer.ChannelEmail
	kinds := map[string]string{EmailDelivered: KindDelivered, EmailBounced: KindBounce, EmailComplained: KindComplaint}
	if !email {
		kinds = map[string]string{MessageDelivered: KindDelivered, MessageFailed: KindFailed, MessageReplied: KindReply}
	}
	if k, ok := kinds[typ]; ok {
		return k, nil
	}
	names := make([]string, 0, len(kinds))
	for n := range kinds {
		names = append(names, n)
	}
	sort.Strings(names)
	return "", apperr.New(apperr.Invalid, "receipt type %q is not one of %s for channel %s", clean(typ), strings.Join(names, ", "), channel)
}

// receiptSend finds the send a receipt is about: by send_id, else by the
// idempotency key inside the message id. It must be on channel.
func (s *Service) receiptSend(ctx context.Context, channel string, d ReceiptData) (SendRef, error) {
	var ref SendRef
	id, named := ParseSendID(d.SendID)
	if named {
		got, err := s.store.Sends(ctx, []int64{id})
		if err != nil {
			return SendRef{}, err
		}
		ref = got[id]
	}
	if ref.ID == 0 {
		key := SendKeyOf(d.ID)
		if key == "" && named {
			return SendRef{}, apperr.New(apperr.NotFound, "no %s message has send_id %s", channel, d.SendID)
		}
		if key == "" {
			return SendRef{}, apperr.New(apperr.Invalid, "the receipt names no message: set data.id to the message's webhook-id or Message-ID, or data.send_id")
		}
		var err error
		if ref, err = s.store.SendByKey(ctx, key); err != nil {
			return SendRef{}, err
		}
	}
	if ref.Channel != channel {
		return SendRef{}, apperr.New(apperr.NotFound, "no %s message has this id", channel)
	}
	return ref, nil
}

// SendKeyOf returns the idempotency key inside a message id: a
// webhook-id (msg_KEY) or a Message-ID (<KEY@domain>); "" when id has
// neither form.
func SendKeyOf(id string) string {
	id = strings.TrimSpace(id)
	id = strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">")
	if k, ok := strings.CutPrefix(id, "msg_"); ok {
		id = k
	} else if at := strings.LastIndexByte(id, '@'); at > 0 {
		id = id[:at]
	}
	if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
		return ""
	}
	return id
}

// stopWords are the replies that ask to stop (after folding width and
// case): the English keywords carriers honour and the Chinese 退订
// conventions (回T退订, TD).
var stopWords = map[string]bool{
	"STOP": true, "STOPALL": true, "UNSUBSCRIBE": true, "CANCEL": true, "END": true, "QUIT": true, "OPTOUT": true,
	"T": true, "TD": true, "N": true, "退订": true, "取消": true, "退": true, "取消订阅": true, "退订短信": true,
}

// StopWord reports whether a reply asks to stop, and the word that did
// (folded; "" for another reply, so its text is never stored).
func StopWord(text string) (string, bool) {
	t := strings.ToUpper(strings.TrimSpace(width.Fold.String(text)))
	t = strings.Trim(t, " .!。！")
	if stopWords[t] {
		return t, true
	}
	if strings.Contains(t, "退订") {
		return "退订", true
	}
	return "", false
}

// clean keeps a peer's code short and printable for storage.
func clean(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 64 {
		s = s[:64]
	}
	s = strings.ToValidUTF8(s, "")
	if strings.ContainsRune(s, '@') {
		return "" // never store an address a peer put in its code
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
}
