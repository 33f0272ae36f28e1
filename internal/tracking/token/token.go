// Package token makes and checks the opaque signed tokens of tracking
// links: the open pixel, each click link and the unsubscribe link of a
// send. A token names the send (send id, campaign, channel, variant) and,
// for a click, carries the destination URL, so the click redirect needs no
// database read and can only ever redirect to a URL we signed: there is no
// open redirect. A token holds no personal data (no e-mail, phone or name;
// Sign refuses fields and destinations that carry an e-mail address).
//
// Format (version 1), base64url without padding:
//
//	version(1) kind(1) key-id(4) issued(uvarint, Unix seconds)
//	send-id, campaign, channel, variant   (each uvarint length + bytes)
//	click only: link index (uvarint), destination URL (length + bytes)
//	MAC: the first 16 bytes of HMAC-SHA256 over everything before it
//
// The MAC key and the 4-byte key id both derive from a secret, so keys
// rotate without bookkeeping: a Codec signs with one secret and verifies
// with it and any number of previous ones (tracking.previous_secrets), and
// old links keep working until their secret is dropped. Verify rejects
// forged, truncated, altered, non-canonical and wrong-kind tokens with one
// error, ErrInvalid, comparing MACs in constant time.
package token

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Kind is what a token is for.
type Kind byte

// Token kinds.
const (
	Open        Kind = 1 // the open pixel
	Click       Kind = 2 // a click redirect
	Unsubscribe Kind = 3 // the unsubscribe page and RFC 8058 one-click POST
)

func (k Kind) String() string {
	switch k {
	case Open:
		return "open"
	case Click:
		return "click"
	case Unsubscribe:
		return "unsubscribe"
	}
	return "unknown"
}

// Paths of the tracking server's routes that take a token.
const (
	OpenPath        = "/t/o/"
	ClickPath       = "/t/c/"
	UnsubscribePath = "/u/"
)

const (
	version    = 1
	macLen     = 16
	kidLen     = 4
	headerLen  = 2 + kidLen
	maxField   = 128
	maxURL     = 2048
	minSecret  = 32
	maxEncoded = 4096
)

// ErrInvalid is the one error of a token that does not verify, whatever
// the reason: callers answer 404 and learn nothing more, and neither does
// an attacker.
var ErrInvalid = apperr.New(apperr.NotFound, "this link is not valid")

// Send names the send a token belongs to. No field may hold personal data.
type Send struct {
	SendID   string `json:"send_id"`
	Campaign string `json:"campaign"`
	Channel  string `json:"channel"`
	Variant  string `json:"variant,omitempty"`
}

// Claims is what a token says.
type Claims struct {
	Kind Kind `json:"kind"`
	Send
	// Link is the index of the link in its message (click only).
	Link int `json:"link,omitempty"`
	// URL is the destination of a click (absolute http or https).
	URL string `json:"url,omitempty"`
	// IssuedAt is when the token was signed (to the second).
	IssuedAt time.Time `json:"issued_at"`
}

type key struct {
	id [kidLen]byte
	// macs holds HMAC-SHA256 states keyed with the MAC key, reset
	// between uses: a new HMAC hashes the padded key twice and allocates
	// five times, a reset one restores its saved state.
	macs *sync.Pool
}

func deriveKey(secret string) key {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("chorus tracking token v1: key id"))
	var k key
	copy(k.id[:], m.Sum(nil))
	m = hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("chorus tracking token v1: mac key"))
	macKey := m.Sum(nil)
	k.macs = &sync.Pool{New: func() any { return &macState{h: hmac.New(sha256.New, macKey)} }}
	return k
}

// macState is a pooled HMAC with room for its sum (a sum passed through
// the hash.Hash interface would escape to the heap).
type macState struct {
	h   hash.Hash
	sum [sha256.Size]byte
}

// mac appends the first macLen bytes of HMAC-SHA256 of data to dst.
func (k key) mac(dst, data []byte) []byte {
	m := k.macs.Get().(*macState)
	m.h.Reset()
	m.h.Write(data)
	dst = append(dst, m.h.Sum(m.sum[:0])[:macLen]...)
	k.macs.Put(m)
	return dst
}

// Codec signs and verifies tokens. It is safe for concurrent use.
type Codec struct {
	sign   key
	verify []key
	dummy  key
	now    func() time.Time
}

// New returns a Codec that signs with secret and verifies with secret and
// each of previous. Every secret must have at least 32 bytes; an
// apperr.Invalid error names the setting otherwise.
func New(secret string, previous ...string) (*Codec, error) {
	if len(secret) < minSecret {
		return nil, apperr.New(apperr.Invalid, "tracking.secret must have at least %d characters (CHORUS_TRACKING_SECRET); generate one with: openssl rand -base64 32", minSecret)
	}
	c := &Codec{sign: deriveKey(secret), now: time.Now, dummy: deriveKey("chorus tracking token: no such key id")}
	c.verify = append(c.verify, c.sign)
	for i, p := range previous {
		if len(p) < minSecret {
			return nil, apperr.New(apperr.Invalid, "tracking.previous_secrets[%d] must have at least %d characters (CHORUS_TRACKING_PREVIOUS_SECRETS)", i, minSecret)
		}
		c.verify = append(c.verify, deriveKey(p))
	}
	return c, nil
}

// WithClock returns a copy of c whose tokens are issued at now() (tests).
func (c *Codec) WithClock(now func() time.Time) *Codec {
	cc := *c
	cc.now = now
	return &cc
}

// Sign returns the token of cl. IssuedAt is set to now when zero. It
// returns an apperr.Invalid error for an unknown kind, a field over 128
// bytes, a field or URL that holds an e-mail address or control
// characters, a click without an absolute http(s) URL (at most 2,048
// bytes, no user info), or a URL on a token that is not a click.
func (c *Codec) Sign(cl Claims) (string, error) {
	if cl.Kind != Open && cl.Kind != Click && cl.Kind != Unsubscribe {
		return "", apperr.New(apperr.Invalid, "unknown token kind %d", cl.Kind)
	}
	for _, f := range []struct{ name, v string }{
		{"send id", cl.SendID}, {"campaign", cl.Campaign}, {"channel", cl.Channel}, {"variant", cl.Variant},
	} {
		if err := checkField(f.name, f.v); err != nil {
			return "", err
		}
	}
	if cl.SendID == "" {
		return "", apperr.New(apperr.Invalid, "a tracking token needs a send id")
	}
	if cl.Kind == Click {
		if err := checkURL(cl.URL); err != nil {
			return "", err
		}
		if cl.Link < 0 {
			return "", apperr.New(apperr.Invalid, "link index %d is negative", cl.Link)
		}
	} else if cl.URL != "" || cl.Link != 0 {
		return "", apperr.New(apperr.Invalid, "only click tokens carry a destination")
	}
	at := cl.IssuedAt
	if at.IsZero() {
		at = c.now()
	}
	if at.Unix() < 0 {
		return "", apperr.New(apperr.Invalid, "issue time before 1970")
	}
	b := make([]byte, 0, 64+len(cl.URL))
	b = append(b, version, byte(cl.Kind))
	b = append(b, c.sign.id[:]...)
	b = binary.AppendUvarint(b, uint64(at.Unix()))
	for _, s := range []string{cl.SendID, cl.Campaign, cl.Channel, cl.Variant} {
		b = appendString(b, s)
	}
	if cl.Kind == Click {
		b = binary.AppendUvarint(b, uint64(cl.Link))
		b = appendString(b, cl.URL)
	}
	b = c.sign.mac(b, b)
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func checkField(name, v string) error {
	if len(v) > maxField {
		return apperr.New(apperr.Invalid, "tracking token %s is longer than %d bytes", name, maxField)
	}
	if !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return apperr.New(apperr.Invalid, "tracking token %s has control characters", name)
	}
	if strings.Contains(v, "@") {
		return apperr.New(apperr.Invalid, "tracking token %s looks like an e-mail address: tokens carry no personal data", name)
	}
	return nil
}

func checkURL(raw string) error {
	if len(raw) > maxURL {
		return apperr.New(apperr.Invalid, "link destination is longer than %d bytes", maxURL)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Opaque != "" {
		return apperr.New(apperr.Invalid, "link destination %q is not an absolute http or https URL", shorten(raw))
	}
	if u.User != nil {
		return apperr.New(apperr.Invalid, "link destination %q carries user info", shorten(u.Redacted()))
	}
	if strings.ContainsFunc(raw, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
		return apperr.New(apperr.Invalid, "link destination has spaces or control characters; escape them")
	}
	dec, err := url.PathUnescape(u.EscapedPath() + "?" + u.RawQuery + "#" + u.EscapedFragment())
	if err != nil {
		dec = raw
	}
	if qs, err := url.QueryUnescape(u.RawQuery); err == nil {
		dec += qs
	}
	if strings.Contains(dec, "@") {
		return apperr.New(apperr.Invalid, "link destination carries an e-mail address: links carry no personal data")
	}
	return nil
}

func shorten(s string) string {
	if len(s) > 80 {
		return strings.ToValidUTF8(s[:80], "") + "…"
	}
	return s
}

// Verify checks tok and returns its claims when it is a valid token of
// kind want signed with one of the Codec's secrets. Every failure returns
// ErrInvalid (an apperr.NotFound): a malformed, truncated, altered or
// forged token, one signed with an unknown or retired secret, one of
// another kind, and one whose encoding is not exactly what Sign makes.
func (c *Codec) Verify(tok string, want Kind) (Claims, error) {
	if len(tok) > maxEncoded || len(tok) < 8 {
		return Claims{}, ErrInvalid
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(tok)
	if err != nil || len(b) < headerLen+macLen+1 {
		return Claims{}, ErrInvalid
	}
	body, sum := b[:len(b)-macLen], b[len(b)-macLen:]
	k, known := c.dummy, false
	for _, vk := range c.verify {
		if string(vk.id[:]) == string(body[2:headerLen]) {
			k, known = vk, true
			break
		}
	}
	// The MAC is always computed and compared in constant time, so the
	// time taken says nothing about which check failed.
	var want16 [macLen]byte
	ok := hmac.Equal(k.mac(want16[:0], body), sum)
	// b is this call's own and is never written again, so the claims'
	// strings can share it instead of copying each field.
	cl, perr := parse(unsafe.String(unsafe.SliceData(body), len(body)))
	if !ok || perr != nil || body[0] != version || Kind(body[1]) != want || !known {
		return Claims{}, ErrInvalid
	}
	return cl, nil
}

var errMalformed = errors.New("malformed token")

// parse decodes a token body (without its MAC); it accepts only the
// canonical encoding Sign produces. The claims' strings are substrings
// of b.
func parse(b string) (Claims, error) {
	cl := Claims{Kind: Kind(b[1])}
	d := decoder{p: b[headerLen:], ok: true}
	at := d.uvarint()
	if !d.ok || at > 1<<40 {
		return cl, errMalformed
	}
	cl.IssuedAt = time.Unix(int64(at), 0).UTC()
	cl.SendID = d.str(maxField)
	cl.Campaign = d.str(maxField)
	cl.Channel = d.str(maxField)
	cl.Variant = d.str(maxField)
	if cl.Kind == Click {
		link := d.uvarint()
		if link > 1<<31 {
			d.ok = false
		}
		cl.Link = int(link)
		cl.URL = d.str(maxURL)
	}
	if !d.ok || len(d.p) != 0 {
		return cl, errMalformed
	}
	return cl, nil
}

// decoder reads a token body's fields; ok turns false at the first bad
// one and stays false.
type decoder struct {
	p  string
	ok bool
}

// uvarint reads a minimally encoded uvarint of at most 10 bytes.
func (d *decoder) uvarint() uint64 {
	if !d.ok {
		return 0
	}
	var v uint64
	for i := 0; i < len(d.p) && i < binary.MaxVarintLen64; i++ {
		c := d.p[i]
		if i == binary.MaxVarintLen64-1 && c > 1 {
			break // overflow
		}
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			if i > 0 && c == 0 { // a non-minimal encoding
				break
			}
			d.p = d.p[i+1:]
			return v
		}
	}
	d.ok = false // truncated, overlong or non-minimal
	return 0
}

// str reads a length-prefixed string of at most limit bytes.
func (d *decoder) str(limit int) string {
	n := d.uvarint()
	if !d.ok || n > uint64(limit) || n > uint64(len(d.p)) {
		d.ok = false
		return ""
	}
	v := d.p[:n]
	d.p = d.p[n:]
	return v
}
