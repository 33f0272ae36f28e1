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

func TestBetweenSizesIsSizing(t *testing.T) {
	st := demoShop(t)
	a := assistant(t, st, support.Options{})
	for _, q := range []string{
		"I'm between two sizes on the cardigan, which should I pick?",
		"Merino Cardigan: I'm between a M and a L",
		"between sizes on the jacket - size up or down?",
		"开衫我在两个码之间，选哪个",
		"羊毛针织开衫我介于S码和M码之间，选大码还是小码",
		"外套M还是L，帮我选一下",
		"大一码还是小一码好？",
	} {
		r, err := a.Answer(ctx, support.Request{Text: q, Channel: "test"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Intent == support.IntentRecommendation || r.Handoff || !cites(r, "[policy:sizing]") {
			t.Errorf("%q: intent %s, hand-off %v, citations %v; want the size guide", q, r.Intent, r.Handoff, r.Citations)
		}
	}
	// the item too, when the question names its kind
	for q, sku := range map[string]string{
		"I'm between two sizes on the cardigan, which should I pick?": "[product:US-FASH-CARDIGAN]",
		"开衫我在两个码之间，选哪个":                                               "[product:CN-FASH-CARDIGAN]",
	} {
		r, err := a.Answer(ctx, support.Request{Text: q, Channel: "test"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !cites(r, sku) || !cites(r, "[policy:sizing]") {
			t.Errorf("%q: citations %v, want the size guide and %s", q, r.Citations, sku)
		}
	}
}
