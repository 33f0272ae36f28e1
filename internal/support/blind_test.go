package support_test

import (
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// Variants of the failure classes of a blind evaluation set, written for
// the rules' classes rather than copied from any set: a product named in
// other words, a city the shipping rules do not name, a compound policy
// question, a between-sizes question, a notice dressed as the system's,
// and an indirect request for recommendations.

func TestCompoundInvoiceQuestions(t *testing.T) {
	st := demoShop(t)
	a := assistant(t, st, support.Options{})
	cases := []struct{ q, fact string }{
		{"can you issue a VAT special invoice? how soon is it sent?", "3 business days"},
		{"do you issue VAT invoices? when do I get it?", "3 business days"},
		{"Can I get a VAT invoice for my company, and how quickly does it come?", "3 business days"},
		{"能开增值税专用发票吗？多久能寄出？", "7个工作日"},
		{"可以开专票吗，多久发", "7个工作日"},
		{"专票多久能寄出", "7个工作日"},
		{"电子发票多久发", "1-3个工作日"},
		{"公司要开增值税专票，能开吗？大概几天寄出？", "7个工作日"},
	}
	for _, c := range cases {
		r, err := a.Answer(ctx, support.Request{Text: c.q, Channel: "test"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Handoff || !cites(r, "[policy:invoice]") || !strings.Contains(r.Answer, c.fact) {
			t.Errorf("%q: hand-off %v, citations %v, answer %q; want the invoice rules with %q", c.q, r.Handoff, r.Citations, r.Answer, c.fact)
		}
	}
	// a follow-up joins its clause only when it names nothing of its own
	for _, q := range []string{"how soon is it sent?", "多久能寄出", "选哪个", "which one should I pick?"} {
		if !support.FollowUp(q) {
			t.Errorf("%q: not read as a follow-up", q)
		}
	}
	for _, q := range []string{"what do parts cost?", "how much is the camera bag", "护照包多少钱", "do you ship to Germany"} {
		if support.FollowUp(q) {
			t.Errorf("%q: read as a follow-up", q)
		}
	}
}
