package segment

import (
	"context"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/customer"
)

// Contact fields an export may hold, behind ExportOptions.IncludeContact.
// Each but name and address belongs to the channel whose consent and
// suppression decide whether it is written.
var contactFields = map[string]string{
	"email":   customer.ChannelEmail,
	"phone":   customer.ChannelSMS,
	"name":    "",
	"address": "",
}

// ContactFields lists the contact fields in a stable order.
func ContactFields() []string { return []string{"name", "email", "phone", "address"} }

// IsContactField reports whether f names a contact field.
func IsContactField(f string) bool {
	_, ok := contactFields[strings.TrimSpace(f)]
	return ok
}

// ContactSource gives an export the contact details of a member and
// whether she may be contacted for marketing on a channel (a granted
// consent, no suppression, an address). Declared here, where it is used;
// cmd wires the store and the contact policy gate.
type ContactSource interface {
	GetCustomer(ctx context.Context, id string) (customer.Customer, error)
	Reachable(ctx context.Context, customerID, channel string) (bool, error)
}

// ContactExport is one logged export of contact details.
type ContactExport struct {
	ID      int64    `json:"id"`
	Segment string   `json:"segment"`
	Actor   string   `json:"actor"`
	Fields  []string `json:"fields"`
	Purpose string   `json:"purpose,omitempty"`
	// Rows were written; Withheld members were left out because no
	// requested channel was reachable (consent, suppression, address).
	Rows           int       `json:"rows"`
	Withheld       int       `json:"withheld"`
	IgnoredConsent bool      `json:"ignored_consent,omitempty"`
	At             time.Time `json:"exported_at"`
}

// ContactLog records contact exports.
type ContactLog interface {
	LogContactExport(ctx context.Context, e ContactExport) (int64, error)
	ContactExports(ctx context.Context, limit int) ([]ContactExport, error)
}

// contactCols are the requested contact columns and the channels that
// decide a row.
type contactPlan struct {
	fields   []string // in request order
	channels []string // channels of the requested fields; email and sms when none names one
}

func newContactPlan(fields []string) *contactPlan {
	p := &contactPlan{}
	seen := map[string]bool{}
	for _, f := range fields {
		f = strings.TrimSpace(f)
		ch, ok := contactFields[f]
		if !ok {
			continue
		}
		p.fields = append(p.fields, f)
		if ch != "" && !seen[ch] {
			seen[ch] = true
			p.channels = append(p.channels, ch)
		}
	}
	if len(p.fields) == 0 {
		return nil
	}
	if len(p.channels) == 0 {
		p.channels = []string{customer.ChannelEmail, customer.ChannelSMS}
	}
	return p
}

// values returns the member's contact values, blanking those of channels
// she cannot be reached on; ok is false when no requested channel reaches
// her (the row is withheld).
func (p *contactPlan) values(ctx context.Context, src ContactSource, id string, ignoreConsent bool) (map[string]string, bool, error) {
	c, err := src.GetCustomer(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	reach := map[string]bool{}
	any := false
	for _, ch := range p.channels {
		ok := ignoreConsent
		if !ok {
			if ok, err = src.Reachable(ctx, id, ch); err != nil {
				return nil, false, err
			}
		}
		reach[ch], any = ok, any || ok
	}
	if !any {
		return nil, false, nil
	}
	out := map[string]string{}
	for _, f := range p.fields {
		switch f {
		case "email":
			if reach[customer.ChannelEmail] {
				out[f] = c.Email
			}
		case "phone":
			if reach[customer.ChannelSMS] {
				out[f] = c.Phone
			}
		case "name":
			out[f] = c.Name
		case "address":
			out[f] = c.Address
		}
	}
	return out, true, nil
}
