// Package delivery is the contract between a campaign's send path and the
// channels that carry its messages: the Message a sender gets, the Result it
// returns, and the typed Error whose class tells the queue what to do next
// (retry with backoff, slow the recipient's domain or endpoint, give up and
// perhaps suppress the address, or disable an endpoint that is gone).
//
// One Sender exists per channel: email over SMTP (delivery/smtp), SMS, push,
// WeChat and app messages as Standard Webhooks (delivery/webhook). Ad
// audiences and social posts are batch exports (delivery/export). The
// reusable pieces of the send path live here too: a rate limiter per channel
// and per recipient domain (Limiter), a circuit breaker per sender (Breaker),
// a Guard that puts both in front of a Sender, and the retry schedules the
// queue turns an error into a delay with (Schedule, RetryDelay).
//
// Every send carries an idempotency key that is stable per (campaign,
// customer, channel) (Key). The email Message-ID and the webhook-id derive
// from it, so a retry after a peer accepted a message but before our commit
// reaches the peer with the same id and can be dropped there.
package delivery

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"
)

// Channels a Sender can carry. Email goes over SMTP; SMS, push, WeChat and
// app (in-app inbox) messages go out as webhooks; ad audiences and social
// posts are exports.
const (
	Email  = "email"
	SMS    = "sms"
	Push   = "push"
	WeChat = "wechat"
	App    = "app"
	Ad     = "ad"
	Social = "social"
)

// WebhookChannels are the channels delivered as outgoing webhooks.
var WebhookChannels = []string{SMS, Push, WeChat, App}

// Message is one send as a Sender gets it: fully rendered (slots filled,
// links signed), addressed, and named by its idempotency key.
type Message struct {
	// Key is the idempotency key (Key(campaign, customer, channel)); the
	// email Message-ID and the webhook-id derive from it. Required.
	Key string `json:"key"`
	// Channel is one of the channel constants. Required.
	Channel string `json:"channel"`
	// To is the recipient's address on the channel: an e-mail address, an
	// E.164 phone number, a device token or a WeChat openid. Required.
	To string `json:"to"`
	// ToName is the recipient's display name for the email To header
	// (optional; it never leaves the message itself).
	ToName string `json:"to_name,omitempty"`
	// Language is the message's language (zh, en, …): Content-Language of
	// an email, "language" of a webhook body.
	Language string `json:"language,omitempty"`
	// Purpose is marketing (default) or transactional.
	Purpose string `json:"purpose,omitempty"`

	// Subject, Text and HTML are the email's subject and its two
	// alternative bodies; an email needs a subject and at least one body.
	Subject string `json:"subject,omitempty"`
	Text    string `json:"text,omitempty"`
	HTML    string `json:"html,omitempty"`

	// Title and Body are the short form of the other channels (an SMS has
	// only a body); URL is a push/app deep link; Data carries extra
	// string fields for the receiving gateway (a WeChat template id …).
	Title string            `json:"title,omitempty"`
	Body  string            `json:"body,omitempty"`
	URL   string            `json:"url,omitempty"`
	Data  map[string]string `json:"data,omitempty"`

	// CampaignID, Variant, SendID and CustomerID name the send for the
	// peer and for logs; none of them is personal data.
	CampaignID string `json:"campaign_id,omitempty"`
	Variant    string `json:"variant,omitempty"`
	SendID     string `json:"send_id,omitempty"`
	CustomerID string `json:"customer_id,omitempty"`

	// UnsubscribeURL is the signed one-click unsubscribe link
	// (List-Unsubscribe of an email, "unsubscribe_url" of a webhook).
	UnsubscribeURL string `json:"unsubscribe_url,omitempty"`
	// UnsubscribeMailto is an optional mailto: fallback for
	// List-Unsubscribe.
	UnsubscribeMailto string `json:"unsubscribe_mailto,omitempty"`

	// Attempt is the 1-based delivery attempt, for the webhook body and
	// logs; 0 is taken as 1.
	Attempt int `json:"attempt,omitempty"`
}

// Scope is what a rate limit and a throttling signal apply to: the
// recipient's domain for email (lower case), the channel's endpoint for
// every other channel.
func (m Message) Scope() string {
	if m.Channel == Email {
		return Domain(m.To)
	}
	return m.Channel
}

// Domain returns the lower-case domain of an e-mail address, or "" when
// there is none.
func Domain(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return ""
	}
	return strings.ToLower(strings.TrimRight(strings.TrimSpace(addr[i+1:]), ">"))
}

// Validate checks what every sender needs: a key, a channel, a recipient
// and content for the channel. It returns a Permanent *Error with code
// invalid_message (never suppressing) naming the missing field.
func (m Message) Validate() error {
	bad := func(what string) error {
		return &Error{Class: Permanent, Code: CodeInvalidMessage, Msg: "message " + what}
	}
	switch {
	case strings.TrimSpace(m.Key) == "":
		return bad("has no idempotency key")
	case strings.TrimSpace(m.Channel) == "":
		return bad("has no channel")
	case strings.TrimSpace(m.To) == "":
		return bad("has no recipient address")
	case !utf8.ValidString(m.Subject) || !utf8.ValidString(m.Text) || !utf8.ValidString(m.HTML) || !utf8.ValidString(m.Title) || !utf8.ValidString(m.Body):
		return bad("is not valid UTF-8")
	}
	switch m.Channel {
	case Email:
		if strings.TrimSpace(m.Subject) == "" {
			return bad("has no subject")
		}
		if strings.TrimSpace(m.Text) == "" && strings.TrimSpace(m.HTML) == "" {
			return bad("has neither a text nor an HTML body")
		}
	default:
		if strings.TrimSpace(m.Body) == "" {
			return bad("has no body")
		}
	}
	return nil
}

// Result is what a Sender reports for an accepted message.
type Result struct {
	// ID is our id of the message at the peer: the Message-ID of an email
	// (without angle brackets), the webhook-id of a webhook.
	ID string `json:"id"`
	// PeerID is the peer's own id when it gave one (the SMTP queue id of
	// "250 … queued as X", the "id" of a webhook response body); "" if not.
	PeerID string `json:"peer_id,omitempty"`
	// Duration is how long the send took, connection set-up included.
	Duration time.Duration `json:"duration"`
}

// Sender delivers messages on one channel.
//
// Send delivers m once. It returns a Result when the peer accepted the
// message. Every failure is a *Error (see ClassOf) whose class tells the
// caller what to do: Temporary (retry with backoff, after RetryAfter when
// set), Throttled (retry later and slow the scope), Permanent (do not retry;
// suppress the address when Suppress is set) or EndpointGone (disable the
// endpoint and fail its sends). A message that fails Validate is Permanent
// with code invalid_message. A cancelled ctx returns a Temporary error with
// code cancelled; whether the peer got the message is then unknown, and a
// retry carries the same id. Send is safe for concurrent use.
type Sender interface {
	Send(ctx context.Context, m Message) (Result, error)
}

// BatchSender delivers many messages as one unit (an export file): the
// campaign hands it a chunk of messages at once, and results[i] and
// errs[i] are msgs[i]'s outcome (a nil error: delivered). An error of the
// whole unit is each message's error.
type BatchSender interface {
	SendBatch(ctx context.Context, msgs []Message) (results []Result, errs []error)
}

// SenderFunc adapts a function to a Sender.
type SenderFunc func(ctx context.Context, m Message) (Result, error)

// Send calls f.
func (f SenderFunc) Send(ctx context.Context, m Message) (Result, error) { return f(ctx, m) }

// Key is the idempotency key of the send of a campaign to a customer on a
// channel: 32 lower-case hex digits (128 bits of SHA-256 over the three
// parts). It is the same on every attempt and every worker, and reveals
// nothing about the customer.
func Key(campaign, customer, channel string) string {
	h := sha256.New()
	for _, p := range []string{"chorus-send/v1", campaign, customer, channel} {
		var n [4]byte
		l := len(p)
		n[0], n[1], n[2], n[3] = byte(l>>24), byte(l>>16), byte(l>>8), byte(l)
		h.Write(n[:])
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// MessageID is the email Message-ID of a send (without angle brackets):
// the key at the sender's domain, e.g. 3f…c1@mail.shop.com.
func MessageID(key, fromDomain string) string {
	if fromDomain == "" {
		fromDomain = "chorus.invalid"
	}
	return key + "@" + fromDomain
}

// WebhookID is the webhook-id of a send: "msg_" and the key.
func WebhookID(key string) string { return "msg_" + key }
