// Package pii keeps customers' personal data out of model calls. A Scanner
// finds personal data in text — mainland mobile and landline numbers,
// international numbers, 18-digit resident IDs, bank cards, email
// addresses, Chinese and English postal addresses, and the literal values
// of the customer records a request is about (a name no pattern could
// catch). A Vault replaces each distinct value with a typed token such as
// ⟦PHONE_1⟧ for the life of one request and restores the tokens in the
// answer; Model is the llm.Model decorator that does both around every
// call, retries answers with unknown or mangled tokens and blocks answers
// that carry somebody else's data.
//
// Check digits (ISO 7064 MOD 11-2 for IDs, Luhn for cards) only label a
// finding: a mistyped ID is still somebody's ID.
package pii

import (
	"context"
	"strings"

	"github.com/chorusmkt/chorus/internal/customer"
)

// Type is the kind of a finding; it names the token (⟦PHONE_1⟧).
type Type string

// The types of personal data.
const (
	Phone   Type = "PHONE"
	Name    Type = "NAME"
	Email   Type = "EMAIL"
	ID      Type = "ID"
	Card    Type = "CARD"
	Address Type = "ADDRESS"
)

// Types lists every type.
func Types() []Type { return []Type{Phone, Name, Email, ID, Card, Address} }

// Noun is the type in words, for messages that must not show the value.
func (t Type) Noun() string {
	switch t {
	case Phone:
		return "phone number"
	case Name:
		return "name"
	case Email:
		return "email address"
	case ID:
		return "resident ID number"
	case Card:
		return "bank card number"
	case Address:
		return "postal address"
	}
	return strings.ToLower(string(t))
}

// Labels of findings.
const (
	LabelValidChecksum   = "valid_checksum"
	LabelInvalidChecksum = "invalid_checksum"
	LabelMobile          = "mobile"
	LabelLandline        = "landline"
	LabelService         = "service_number" // 400/800 numbers
	LabelInternational   = "international"
	LabelKnown           = "known_value" // a value of a customer record
)

// Record is the personal data of one customer as stored; empty fields are
// ignored.
type Record struct {
	Name    string `json:"name,omitempty"`
	Email   string `json:"email,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Address string `json:"address,omitempty"`
}

// RecordOf is the personal data of a stored customer.
func RecordOf(c customer.Customer) Record {
	return Record{Name: c.Name, Email: c.Email, Phone: c.Phone, Address: c.Address}
}

func (r Record) values() []Entity {
	var out []Entity
	add := func(t Type, v string) {
		v = strings.TrimSpace(v)
		if v == "" || (t == Name && len([]rune(v)) < 2) {
			return // a one-rune name would match everywhere
		}
		out = append(out, Entity{Type: t, Text: v})
	}
	add(Name, r.Name)
	add(Email, r.Email)
	add(Phone, r.Phone)
	add(Address, r.Address)
	return out
}

// Known are the customer records a model call is about: the Recipient the
// copy is for (whose data may appear in the answer) and Others whose data
// must never reach the model or the answer.
type Known struct {
	Recipient Record
	Others    []Record
}

func (k Known) records() []Record {
	out := make([]Record, 0, 1+len(k.Others))
	out = append(out, k.Recipient)
	return append(out, k.Others...)
}

type knownKey struct{}

// WithKnown returns ctx carrying k for the model calls made with it: the
// content pipeline sets it per item so the redactor knows whose data to
// protect and whose may come back.
func WithKnown(ctx context.Context, k Known) context.Context {
	return context.WithValue(ctx, knownKey{}, k)
}

// KnownFrom returns the records set by WithKnown (zero without).
func KnownFrom(ctx context.Context) Known {
	k, _ := ctx.Value(knownKey{}).(Known)
	return k
}
