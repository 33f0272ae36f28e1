package support_test

import (
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// Round 3 of the blind-set failure classes, each with variants of its own
// in both languages, and the negatives that must keep their hand-off.

func TestCompoundProductAndPolicy(t *testing.T) {
	st := demoShop(t)
	a := assistant(t, st, support.Options{})
	cases := []struct {
		q     string
		cites []string
		fact  string
	}{
		{"How much is the Carry-on Spinner 20\" and how long does shipping to Australia take?", []string{"[policy:shipping]"}, "5-10 business days"},
		{"双人轻量帐篷多重？另外你们满多少包邮", []string{"[product:CN-OUT-TENT2]", "[policy:shipping]"}, "99元"},
		{"双人轻量帐篷多少钱？退款多久到账", []string{"[product:CN-OUT-TENT2]", "[policy:refund]"}, "1-7个工作日"},
		{"How much is the Carry-on Spinner 20\" and what is your return policy?", []string{"[policy:returns]"}, "30 days"},
	}
	for _, c := range cases {
		r, err := a.Answer(ctx, support.Request{Text: c.q, Channel: "test"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ok := !r.Handoff && strings.Contains(r.Answer, c.fact) && len(r.Citations) >= 2
		for _, w := range c.cites {
			ok = ok && cites(r, w)
		}
		if !ok {
			t.Errorf("%q: hand-off %v, citations %v, answer %q; want %v with %q and both halves cited", c.q, r.Handoff, r.Citations, r.Answer, c.cites, c.fact)
		}
	}
}
