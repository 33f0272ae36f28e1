package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/pii"
	"github.com/chorusmkt/chorus/internal/customer"
)

// Kinds of suppression key.
const (
	KindEmail    = "email"
	KindPhone    = "phone"
	KindCustomer = "customer"
)

// Reasons a key is suppressed.
var Reasons = []string{"hard_bounce", "complaint", "unsubscribe", "legal", "manual"}

// SuppressionKey names what is suppressed: an e-mail address, a phone
// number or a customer id, in normalised form (see NormalizeKey).
type SuppressionKey struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

// Suppression is one entry of the global suppression list. E-mail entries
// stop e-mail, phone entries stop SMS and calls, customer entries stop
// every channel. MarketingOnly entries let transactional messages through
// (an unsubscribe); the others (bounces, complaints) stop those too.
type Suppression struct {
	SuppressionKey
	Reason        string    `json:"reason"`
	MarketingOnly bool      `json:"marketing_only,omitempty"`
	Note          string    `json:"note,omitempty"`
	Source        string    `json:"source,omitempty"`
	At            time.Time `json:"at"`
}

var phoneRE = regexp.MustCompile(`^\+?[0-9(][0-9 ()./-]*[0-9]$`)

// GuessKind returns the kind of a value typed by a person: an address with
// @ is e-mail; a leading + or at least 7 digits (with separators) make a
// phone number, since shorter numbers are usually customer ids; anything
// else is a customer id.
func GuessKind(v string) string {
	v = strings.TrimSpace(v)
	switch {
	case strings.Contains(v, "@"):
		return KindEmail
	case phoneRE.MatchString(v) && (strings.HasPrefix(v, "+") || len(normalizePhone(v)) >= 7):
		return KindPhone
	}
	return KindCustomer
}

// NormalizeKey returns the stored form of a key: e-mail lower-cased and
// trimmed, phone numbers reduced to their national significant number
// (pii.PhoneKey: "+86 138-0013-8000" and "13800138000" are one key), ids
// trimmed. It returns an apperr.Invalid error for an unknown kind or a
// value that is empty after normalising.
func NormalizeKey(kind, v string) (SuppressionKey, error) {
	v = strings.TrimSpace(v)
	switch kind {
	case KindEmail:
		v = strings.ToLower(v)
		if !strings.Contains(v, "@") {
			return SuppressionKey{}, apperr.New(apperr.Invalid, "%q is not an e-mail address", v)
		}
	case KindPhone:
		v = pii.PhoneKey(v)
	case KindCustomer:
	default:
		return SuppressionKey{}, apperr.New(apperr.Invalid, "suppression kind %q: use email, phone or customer", kind)
	}
	if v == "" || v == "+" {
		return SuppressionKey{}, apperr.New(apperr.Invalid, "empty %s in suppression", kind)
	}
	return SuppressionKey{Kind: kind, Value: v}, nil
}

// KeyForms returns the stored forms an entry for v may have: NormalizeKey's
// and, for a phone number, the form entries were stored in before it (see
// normalizePhone), when that differs.
func KeyForms(kind, v string) ([]SuppressionKey, error) {
	k, err := NormalizeKey(kind, v)
	if err != nil {
		return nil, err
	}
	keys := []SuppressionKey{k}
	if kind == KindPhone {
		if old := normalizePhone(v); old != "" && old != "+" && old != k.Value {
			keys = append(keys, SuppressionKey{Kind: KindPhone, Value: old})
		}
	}
	return keys, nil
}

// normalizePhone keeps digits and a leading +. It was the stored form of
// phone keys before pii.PhoneKey, under which "+86 138…" and "138…" did
// not match; entries stored that way are still looked up by it.
func normalizePhone(v string) string {
	var b strings.Builder
	for i, r := range strings.TrimSpace(v) {
		if r >= '0' && r <= '9' || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// NewSuppression checks and normalises an entry typed by a person.
func NewSuppression(kind, value, reason string, marketingOnly bool, note, source string, at time.Time) (Suppression, error) {
	k, err := NormalizeKey(kind, value)
	if err != nil {
		return Suppression{}, err
	}
	if reason == "" {
		reason = "manual"
	}
	if !slices.Contains(Reasons, reason) {
		return Suppression{}, apperr.New(apperr.Invalid, "suppression reason %q: use one of %s", reason, strings.Join(Reasons, ", "))
	}
	return Suppression{SuppressionKey: k, Reason: reason, MarketingOnly: marketingOnly, Note: note, Source: source, At: at.UTC()}, nil
}

// suppressionKeys are the keys that can stop a message to c on channel.
func suppressionKeys(c customer.Customer, channel string) []SuppressionKey {
	keys := []SuppressionKey{{Kind: KindCustomer, Value: c.ID}}
	switch channel {
	case customer.ChannelEmail:
		if k, err := NormalizeKey(KindEmail, c.Email); err == nil {
			keys = append(keys, k)
		}
	case customer.ChannelSMS, customer.ChannelPhone:
		// entries stored in the earlier form still stop the number they
		// were written for
		if ks, err := KeyForms(KindPhone, c.Phone); err == nil {
			keys = append(keys, ks...)
		}
	}
	return keys
}

// firstApplying returns the first entry that stops a message of purpose.
func firstApplying(hits []Suppression, purpose string) (Suppression, bool) {
	for _, s := range hits {
		if !s.MarketingOnly || purpose == Marketing {
			return s, true
		}
	}
	return Suppression{}, false
}

// describe says why without repeating the address or number.
func (s Suppression) describe() string {
	what := map[string]string{KindEmail: "the customer's e-mail address", KindPhone: "the customer's phone number",
		KindCustomer: "the customer"}[s.Kind]
	return fmt.Sprintf("%s is suppressed (%s, since %s)", what, s.Reason, day(s.At))
}
