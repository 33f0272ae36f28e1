// Package webhook is the Sender of SMS, push, WeChat and app messages:
// each message is an outgoing webhook per the Standard Webhooks spec, a
// JSON body (Payload, documented with its JSON Schema in
// docs/webhooks.md) POSTed to the channel's endpoint with webhook-id (from
// the send's idempotency key, the same on every retry), webhook-timestamp
// and webhook-signature ("v1," and base64 HMAC-SHA256 over
// id.timestamp.body with the whsec_ secret). A 2xx answer is success, 410
// Gone disables the endpoint (delivery.EndpointGone), 429 and 5xx are
// retried with the spec's schedule (delivery.WebhookSchedule) or the
// endpoint's Retry-After.
package webhook

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/delivery"
)

// Config configures the Sender of one channel.
type Config struct {
	// Channel is the channel this endpoint carries (sms, push, wechat, app).
	Channel string
	// URL is the endpoint: https, or http on a loopback host (or anywhere
	// with AllowInsecure).
	URL string
	// Secret is the signing secret, "whsec_" and base64 of at least 16
	// random bytes (the spec's form).
	Secret string
	// PreviousSecrets are also signed with during a rotation: the
	// webhook-signature then holds one v1 signature per secret, so the
	// receiver may switch at its own pace.
	PreviousSecrets []string
	// Headers are extra request headers (an API key of the gateway …).
	Headers map[string]string
	// Timeout bounds each request (default 10 s).
	Timeout time.Duration
	// Connections is the most connections kept to the endpoint (default 16).
	Connections int
	// AllowInsecure permits http:// to a host that is not loopback.
	AllowInsecure bool
	// Client replaces the HTTP client (tests); redirects are never followed.
	Client *http.Client
	// Now is the clock of webhook-timestamp (default time.Now).
	Now func() time.Time
}

// Payload is the JSON body of every message webhook. Type is
// "message.<channel>"; Timestamp is when this attempt was made.
type Payload struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      Data      `json:"data"`
}

// Data is the message in a Payload. It carries what a gateway needs to
// deliver and to send receipts back, and no more: no customer id, no name.
type Data struct {
	// ID equals the webhook-id header: the same on every attempt, so a
	// receiver drops a retry of a message it already has.
	ID       string `json:"id"`
	Channel  string `json:"channel"`
	To       string `json:"to"`
	Language string `json:"language,omitempty"`
	Purpose  string `json:"purpose"`
	Title    string `json:"title,omitempty"`
	Body     string `json:"body"`
	URL      string `json:"url,omitempty"`
	// Extra are channel-specific fields (a WeChat template id …).
	Extra          map[string]string `json:"extra,omitempty"`
	CampaignID     string            `json:"campaign_id,omitempty"`
	Variant        string            `json:"variant,omitempty"`
	SendID         string            `json:"send_id,omitempty"`
	UnsubscribeURL string            `json:"unsubscribe_url,omitempty"`
	Attempt        int               `json:"attempt"`
}

// Sender posts one channel's messages to its endpoint. Safe for concurrent
// use.
type Sender struct {
	cfg     Config
	url     string
	signers []*standardwebhooks.Webhook
	client  *http.Client
	headers http.Header
}

// New checks cfg and returns a Sender. Errors are apperr.Invalid and name
// the setting (delivery.webhooks.<channel>.url / .secret).
func New(cfg Config) (*Sender, error) {
	ch := strings.TrimSpace(cfg.Channel)
	key := "delivery.webhooks." + ch
	env := "CHORUS_DELIVERY_WEBHOOKS_" + strings.ToUpper(ch)
	if ch == "" || ch == delivery.Email {
		return nil, apperr.New(apperr.Invalid, "a webhook sender needs a channel other than email")
	}
	u, err := url.Parse(strings.TrimSpace(cfg.URL))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, apperr.New(apperr.Invalid, "%s.url %q must be an absolute https URL (%s_URL)", key, cfg.URL, env)
	}
	if u.User != nil {
		return nil, apperr.New(apperr.Invalid, "%s.url must not carry a user or password; use %s.headers for credentials", key, key)
	}
	if u.Scheme == "http" && !cfg.AllowInsecure && !loopback(u.Hostname()) {
		return nil, apperr.New(apperr.Invalid, "%s.url %q is plain http: messages carry phone numbers, so use https (or set %s.allow_insecure for a private network)", key, u.Redacted(), key)
	}
	s := &Sender{cfg: cfg, url: u.String(), headers: http.Header{}}
	for i, sec := range append([]string{cfg.Secret}, cfg.PreviousSecrets...) {
		name := key + ".secret"
		if i > 0 {
			name = fmt.Sprintf("%s.previous_secrets[%d]", key, i-1)
		}
		w, err := signer(sec)
		if err != nil {
			return nil, apperr.New(apperr.Invalid, "%s %v (%s_SECRET)", name, err, env)
		}
		s.signers = append(s.signers, w)
	}
	for k, v := range cfg.Headers {
		switch strings.ToLower(k) {
		case "webhook-id", "webhook-timestamp", "webhook-signature", "content-type", "content-length", "host":
			return nil, apperr.New(apperr.Invalid, "%s.headers may not set %s", key, k)
		}
		s.headers.Set(k, v)
	}
	if s.cfg.Timeout <= 0 {
		s.cfg.Timeout = 10 * time.Second
	}
	if s.cfg.Connections <= 0 {
		s.cfg.Connections = 16
	}
	if s.cfg.Now == nil {
		s.cfg.Now = time.Now
	}
	s.client = cfg.Client
	if s.client == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConns = s.cfg.Connections
		tr.MaxIdleConnsPerHost = s.cfg.Connections
		tr.MaxConnsPerHost = s.cfg.Connections
		s.client = &http.Client{Transport: tr}
	} else {
		c := *s.client
		s.client = &c
	}
	s.client.Timeout = s.cfg.Timeout
	s.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return s, nil
}

func signer(secret string) (*standardwebhooks.Webhook, error) {
	raw := strings.TrimPrefix(strings.TrimSpace(secret), "whsec_")
	if raw == "" {
		return nil, errors.New("is empty: give the endpoint's whsec_… secret")
	}
	key, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		return nil, errors.New("is not whsec_ followed by base64")
	}
	if len(key) < 16 {
		return nil, fmt.Errorf("holds %d bytes; use at least 16 random bytes (e.g. whsec_$(openssl rand -base64 32))", len(key))
	}
	return standardwebhooks.NewWebhookRaw(key)
}

func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Channel returns the channel the sender carries.
func (s *Sender) Channel() string { return s.cfg.Channel }

// Schedule is the retry schedule of webhooks (the spec's).
func (s *Sender) Schedule() delivery.Schedule { return delivery.WebhookSchedule }

// Send posts m to the endpoint once; see delivery.Sender for the error
// contract. m must be of the sender's channel and have a body (Permanent
// invalid_message otherwise). Answers: 2xx success, with the peer's "id"
// (or "message_id") from a JSON answer as PeerID; 410 EndpointGone; 429
// Throttled with Retry-After; 408, 425 and 5xx Temporary peer_unavailable
// (Retry-After kept); 3xx (redirects are not followed), 401, 403, 404 and
// 405 Temporary endpoint_error (the configuration needs fixing, nothing is
// lost meanwhile); 413 Permanent message_too_large; other 4xx Permanent
// message_rejected, suppressing the address when the answer is JSON with
// "suppress": true. A request that times out is Temporary timeout, one that
// fails to connect Temporary connection. Scope is always the channel.
func (s *Sender) Send(ctx context.Context, m delivery.Message) (delivery.Result, error) {
	start := time.Now()
	if err := m.Validate(); err != nil {
		return delivery.Result{}, err
	}
	if m.Channel != s.cfg.Channel {
		return delivery.Result{}, &delivery.Error{Class: delivery.Permanent, Code: delivery.CodeInvalidMessage,
			Msg: "the " + s.cfg.Channel + " webhook got a " + m.Channel + " message"}
	}
	id := delivery.WebhookID(m.Key)
	now := s.cfg.Now()
	body, err := json.Marshal(payload(m, id, now))
	if err != nil {
		return delivery.Result{}, &delivery.Error{Class: delivery.Permanent, Code: delivery.CodeInvalidMessage, Msg: "message could not be encoded", Err: err}
	}
	sigs := make([]string, len(s.signers))
	for i, w := range s.signers {
		if sigs[i], err = w.Sign(id, now, body); err != nil {
			return delivery.Result{}, &delivery.Error{Class: delivery.Permanent, Code: delivery.CodeInvalidMessage, Msg: "message could not be signed", Err: err}
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return delivery.Result{}, &delivery.Error{Class: delivery.Permanent, Code: delivery.CodeInvalidMessage, Msg: "request could not be built", Err: err}
	}
	for k, vs := range s.headers {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Chorus-Webhooks/1")
	req.Header.Set(standardwebhooks.HeaderWebhookID, id)
	req.Header.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(standardwebhooks.HeaderWebhookSignature, strings.Join(sigs, " "))

	resp, err := s.client.Do(req)
	if err != nil {
		return delivery.Result{}, s.transportError(ctx, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 == 2 {
		return delivery.Result{ID: id, PeerID: peerID(answer), Duration: time.Since(start)}, nil
	}
	return delivery.Result{}, s.statusError(resp, answer, now)
}

func payload(m delivery.Message, id string, now time.Time) Payload {
	purpose := m.Purpose
	if purpose == "" {
		purpose = "marketing"
	}
	attempt := max(m.Attempt, 1)
	return Payload{Type: "message." + m.Channel, Timestamp: now.UTC().Truncate(time.Second), Data: Data{
		ID: id, Channel: m.Channel, To: m.To, Language: m.Language, Purpose: purpose,
		Title: m.Title, Body: m.Body, URL: m.URL, Extra: m.Data,
		CampaignID: m.CampaignID, Variant: m.Variant, SendID: m.SendID, UnsubscribeURL: m.UnsubscribeURL, Attempt: attempt,
	}}
}

func peerID(answer []byte) string {
	var v struct {
		ID        any `json:"id"`
		MessageID any `json:"message_id"`
	}
	if json.Unmarshal(answer, &v) != nil {
		return ""
	}
	for _, x := range []any{v.ID, v.MessageID} {
		switch x := x.(type) {
		case string:
			if len(x) <= 128 {
				return x
			}
		case float64:
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
	}
	return ""
}

func (s *Sender) transportError(ctx context.Context, err error) *delivery.Error {
	if ctx.Err() != nil {
		return delivery.AsError(ctx.Err())
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return &delivery.Error{Class: delivery.Temporary, Code: delivery.CodeTimeout, Scope: s.cfg.Channel,
			Msg: "the " + s.cfg.Channel + " endpoint did not answer in time"}
	}
	return &delivery.Error{Class: delivery.Temporary, Code: delivery.CodeConnection, Scope: s.cfg.Channel,
		Msg: "the " + s.cfg.Channel + " endpoint could not be reached", Detail: delivery.Redact(unwrapURL(err).Error())}
}

// unwrapURL drops net/http's "Post URL:" framing (the URL may carry a
// token in its query).
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func (s *Sender) statusError(resp *http.Response, answer []byte, now time.Time) *delivery.Error {
	code := resp.StatusCode
	e := &delivery.Error{Status: code, Scope: s.cfg.Channel, Detail: delivery.Redact(strings.TrimSpace(string(answer)))}
	ep := "the " + s.cfg.Channel + " endpoint"
	switch {
	case code == http.StatusGone:
		e.Class, e.Code, e.Msg = delivery.EndpointGone, delivery.CodeEndpointGone, ep+" is gone (410): disable it or set a new delivery.webhooks."+s.cfg.Channel+".url"
	case code == http.StatusTooManyRequests:
		e.Class, e.Code, e.Msg = delivery.Throttled, delivery.CodeThrottled, ep+" asked us to slow down (429)"
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), now)
	case code == http.StatusRequestTimeout || code == http.StatusTooEarly || code/100 == 5:
		e.Class, e.Code, e.Msg = delivery.Temporary, delivery.CodePeerUnavailable, fmt.Sprintf("%s failed (%d)", ep, code)
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), now)
	case code/100 == 3:
		e.Class, e.Code, e.Msg = delivery.Temporary, delivery.CodeEndpointError, fmt.Sprintf("%s redirects (%d); redirects are not followed: set the final URL", ep, code)
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		e.Class, e.Code, e.Msg = delivery.Temporary, delivery.CodeEndpointError, fmt.Sprintf("%s refused our credentials or signature (%d): check its secret and headers", ep, code)
	case code == http.StatusNotFound || code == http.StatusMethodNotAllowed:
		e.Class, e.Code, e.Msg = delivery.Temporary, delivery.CodeEndpointError, fmt.Sprintf("%s URL is wrong (%d)", ep, code)
	case code == http.StatusRequestEntityTooLarge:
		e.Class, e.Code, e.Msg = delivery.Permanent, delivery.CodeTooLarge, ep+" says the message is too large (413)"
	case code/100 == 4:
		e.Class, e.Code, e.Msg = delivery.Permanent, delivery.CodeRejected, fmt.Sprintf("%s rejected the message (%d)", ep, code)
		var v struct {
			Suppress bool `json:"suppress"`
		}
		if json.Unmarshal(answer, &v) == nil && v.Suppress {
			e.Code, e.Suppress = delivery.CodeInvalidAddress, true
		}
	default:
		e.Class, e.Code, e.Msg = delivery.Temporary, delivery.CodePeerUnavailable, fmt.Sprintf("%s answered %d", ep, code)
	}
	return e
}

// retryAfter reads a Retry-After header: seconds or an HTTP date; 0 when
// absent or unreadable, capped at a day.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.Atoi(v); err == nil {
		d = time.Duration(max(n, 0)) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), 24*time.Hour)
}
