package support_test

import (
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// A message of several questions, or of a product and a rule, is answered
// part by part with every source cited (compound.go, pair.go, itemfee.go);
// a part nothing answers keeps the hand-off.

// A product and a policy asked in one message are answered both, each
// half cited.
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
		r := ask(t, a, c.q)
		ok := !r.Handoff && strings.Contains(r.Answer, c.fact) && len(r.Citations) >= 2
		for _, w := range c.cites {
			ok = ok && cites(r, w)
		}
		if !ok {
			t.Errorf("%q: hand-off %v, citations %v, answer %q; want %v with %q and both halves cited", c.q, r.Handoff, r.Citations, r.Answer, c.cites, c.fact)
		}
	}
}

// Two questions in one message are answered each from its own sources,
// with every citation; a part nothing answers keeps the hand-off.
func TestTwoQuestionsInOne(t *testing.T) {
	checkClass(t, []classCase{
		{q: "How much is the Everyday Camera Bag and what warranty does it have?", cites: []string{"[product:US-PHOTO-BAG01]", "[policy:warranty]"}, facts: []string{"$59", "6-month"}},
		{q: "1) do you take PayPal 2) do you offer gift wrapping?", cites: []string{"[policy:payment]", "[policy:faq-giftwrap]"}, facts: []string{"$4.95"}},
		{q: "How long does shipping take and how long do I have to return something?", cites: []string{"[policy:shipping]", "[policy:returns]"}, facts: []string{"3-7 business days", "30 days"}},
		{q: "满多少包邮？还有，发票怎么开？", cites: []string{"[policy:shipping]", "[policy:invoice]"}, facts: []string{"99元", "抬头"}},
		{q: "請問滿多少免運？另外可以開發票嗎？", cites: []string{"[policy:shipping]", "[policy:invoice]"}},
		{q: "我想问两个问题：一是优惠券怎么用，二是支持花呗吗", cites: []string{"[policy:faq-coupon]", "[policy:payment]"}},
		{q: "Two things: is there gift wrapping, and what payment methods do you accept?", cites: []string{"[policy:faq-giftwrap]", "[policy:payment]"}},
		// a product, or a purchase of hers, beside a rule question
		{q: "請問這個月下單，幾天會出貨？可以貨到付款嗎？", cites: []string{"[policy:shipping]"}},
		{q: "我下周要出差，想买个20寸登机箱。请问多少钱？多久能发货？", cites: []string{"[product:CN-TRAVEL-CARRYON]", "[policy:shipping]"}, facts: []string{"899"}},
		{q: "Does the Mirrorless Sling Bag come with a warranty, and how much is it?", cites: []string{"[product:US-PHOTO-BAG03]", "[policy:warranty]"}},
		{q: "I got the Resistance Band Set as a gift but I already have one. Can I return it without a receipt, and how long does the refund take?", cites: []string{"[policy:returns]"}},
		{q: "I bought the Waffle Knit Throw last week. It's lovely! Can I buy another as a gift and have it gift wrapped?", cites: []string{"[policy:faq-giftwrap]"}},
		// a part no rule answers: still a person's
		{q: "What's the price of the Soy Wax Candle and do you have a loyalty programme?", handoff: true},
		{q: "保修期内维修要多少天，配件收费标准是什么？", handoff: true},
	})
}

// A product and a rule asked in one message are answered both: the rule
// part in the rules' own words (电子发票) is no unknown term, and is
// answered by its rule though the whole was not known; a follow-up part
// asked alone when joined to the part before finds nothing.
func TestProductThenRuleTopic(t *testing.T) {
	checkClass(t, []classCase{
		{q: "降噪耳机多少钱？买了能开电子发票吗", cites: []string{"[product:CN-TECH-EARBUDS]", "[policy:invoice]"}, facts: []string{"599"}},
		{q: "可以开电子发票吗", cites: []string{"[policy:invoice]"}},
		{q: "护眼台灯多少钱？能开电子发票吗？", cites: []string{"[product:CN-HOME-LAMP]", "[policy:invoice]"}},
		{q: "月亮椅多少钱？寄西藏要几天", cites: []string{"[product:CN-OUT-CHAIR]", "[policy:shipping]"}},
		{q: "How much is the camp lantern and how long is the warranty on it?", cites: []string{"[product:US-OUT-LANTERN]", "[policy:warranty]"}, facts: []string{"$39"}},
		{q: "What's the price of the tripod, and is it covered if it breaks?", cites: []string{"[policy:warranty]"}},
		{q: "How much is the carry-on? Can I split it into payments?", cites: []string{"[product:US-TRAVEL-CARRYON]", "[policy:payment]"}, facts: []string{"Klarna"}},
		{q: "How much is the Soy Wax Candle and do you have a loyalty programme?", handoff: true},
	})
}

// One question of a product that names a rule topic asks the rule too.
func TestProductQuestionWithRuleTopic(t *testing.T) {
	checkClass(t, []classCase{
		{q: "The lantern dropped in price after I bought it, can I get the difference?", cites: []string{"[product:US-OUT-LANTERN]", "[policy:price-protection]"}},
		{q: "Quick q's - 1. price of the Leather Camera Strap? 2. can I swap it for another colour if I don't like it?", cites: []string{"[policy:exchange]"}, facts: []string{"$35"}},
	})
}

// An invoice question of two clauses (can you issue one? how soon is it
// sent?) is answered by the invoice rule with its time.
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
		r := ask(t, a, c.q)
		if r.Handoff || !cites(r, "[policy:invoice]") || !strings.Contains(r.Answer, c.fact) {
			t.Errorf("%q: hand-off %v, citations %v, answer %q; want the invoice rules with %q", c.q, r.Handoff, r.Citations, r.Answer, c.fact)
		}
	}
}

// A return she says she wants of a product she names is the returns rule
// beside the product; a purchase is the product alone.
func TestWantToReturnProduct(t *testing.T) {
	checkClass(t, []classCase{
		{q: "I would like to return the packing cubes", cites: []string{"[product:US-TRAVEL-CUBES]", "[policy:returns]"}},
		{q: "I want to return the packing cubes, unused, got them 10 days ago", cites: []string{"[policy:returns]"}, facts: []string{"30 days"}},
		{q: "I want to buy the packing cubes", cites: []string{"[product:US-TRAVEL-CUBES]"}, never: []string{"[policy:returns]"}},
	})
}

// One product set against an order's rule (only the cables: is shipping
// free? gift-wrap the scarf, how much extra?) is answered by the rule and
// the product's price.
func TestItemAgainstRule(t *testing.T) {
	checkClass(t, []classCase{
		{q: "If I only buy the mini tripod, do I pay shipping?", cites: []string{"[policy:shipping]", "[product:US-PHOTO-TRIPOD2]"}, facts: []string{"$49", "$15"}},
		{q: "I'm only buying the braided cables, is shipping free?", cites: []string{"[policy:shipping]", "[product:US-TECH-CABLE]"}},
		{q: "只买一个挂耳咖啡，包邮吗？", cites: []string{"[policy:shipping]", "[product:CN-FOOD-DRIP]"}},
		{q: "Could you gift-wrap the silk scarf, how much extra?", cites: []string{"[policy:faq-giftwrap]", "[product:US-FASH-SCARF]"}, facts: []string{"$4.95"}},
		{q: "Do you offer gift wrapping?", cites: []string{"[policy:faq-giftwrap]"}, never: []string{"[product:US-FASH-SCARF]"}},
	})
}
