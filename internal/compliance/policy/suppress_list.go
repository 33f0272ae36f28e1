package policy

import (
	"context"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// SuppressRequest is values to suppress for one reason.
//
// The tags name the flags of `chorus suppress add`.
type SuppressRequest struct {
	Values []string
	// Kind is email, phone or customer; "" guesses each value's (see
	// Gate.KindOf).
	Kind          string `flag:"kind"`
	Reason        string `flag:"reason"`
	MarketingOnly bool   `flag:"marketing-only"`
	Note          string `flag:"note"`
	Source        string
}

// AddFile adds the values of the file at path (one per line, blanks and
// # comments skipped) to r, its source the file; "" adds nothing. A file
// that cannot be read is Invalid.
func (r *SuppressRequest) AddFile(path string) error {
	if path == "" {
		return nil
	}
	vs, err := ReadValues(path)
	if err != nil {
		return err
	}
	r.Values, r.Source = append(r.Values, vs...), "file:"+path
	return nil
}

// Suppress adds r's values to the suppression list (replacing the entry of
// a value already on it) and reports how many were new. A value of no
// kind, or a bad reason, is Invalid and nothing is written.
func (g *Gate) Suppress(ctx context.Context, r SuppressRequest) (total, added int, err error) {
	if len(r.Values) == 0 {
		return 0, 0, apperr.New(apperr.Invalid, "nothing to suppress: give values or --file")
	}
	now := g.now()
	ss := make([]Suppression, 0, len(r.Values))
	for _, v := range r.Values {
		sp, err := NewSuppression(g.KindOf(ctx, r.Kind, v), v, r.Reason, r.MarketingOnly, r.Note, r.Source, now)
		if err != nil {
			return 0, 0, err
		}
		ss = append(ss, sp)
	}
	added, err = g.st.AddSuppressions(ctx, ss)
	return len(ss), added, err
}

// Unsuppress lifts the suppression of value (of kind, "" to guess) in
// every form it may be stored in (a phone number in its earlier form too)
// and returns the keys it removed; none removed is NotFound.
func (g *Gate) Unsuppress(ctx context.Context, kind, value string) ([]SuppressionKey, error) {
	keys, err := KeyForms(g.KindOf(ctx, kind, value), value)
	if err != nil {
		return nil, err
	}
	var removed []SuppressionKey
	var first error
	for _, k := range keys {
		switch err := g.st.RemoveSuppression(ctx, k); {
		case err == nil:
			removed = append(removed, k)
		case apperr.Is(err, apperr.NotFound):
			if first == nil {
				first = err
			}
		default:
			return removed, err
		}
	}
	if len(removed) == 0 {
		return nil, first
	}
	return removed, nil
}

// KindOf is kind when set, else the kind guessed from v (GuessKind); a
// number that is a known customer's id (importers key customers by their
// phone when there is no id) is that customer.
func (g *Gate) KindOf(ctx context.Context, kind, v string) string {
	if kind != "" {
		return kind
	}
	k := GuessKind(v)
	if k == KindPhone {
		if _, err := g.st.GetCustomer(ctx, strings.TrimSpace(v)); err == nil {
			return KindCustomer
		}
	}
	return k
}
