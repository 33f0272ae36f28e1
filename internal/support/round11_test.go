package support_test

import "testing"

// The failure classes of the lead's 299-case blind set, each checked by
// paraphrases of our own on the demo shop (see eval_probe9.jsonl).

// One product set against an order's rule (only the cables: is shipping
// free? gift-wrap the scarf, how much extra?) is answered by the rule and
// the product's price; cash taken at delivery is cash on delivery.
func TestItemAgainstRule(t *testing.T) {
	checkClass(t, []classCase{
		{q: "If I only buy the mini tripod, do I pay shipping?", cites: []string{"[policy:shipping]", "[product:US-PHOTO-TRIPOD2]"}, facts: []string{"$49", "$15"}},
		{q: "I'm only buying the braided cables, is shipping free?", cites: []string{"[policy:shipping]", "[product:US-TECH-CABLE]"}},
		{q: "只买一个挂耳咖啡，包邮吗？", cites: []string{"[policy:shipping]", "[product:CN-FOOD-DRIP]"}},
		{q: "Could you gift-wrap the silk scarf, how much extra?", cites: []string{"[policy:faq-giftwrap]", "[product:US-FASH-SCARF]"}, facts: []string{"$4.95"}},
		{q: "Do you offer gift wrapping?", cites: []string{"[policy:faq-giftwrap]"}, never: []string{"[product:US-FASH-SCARF]"}},
		{q: "do u take cash when the parcel arrives", cites: []string{"[policy:faq-cod]"}},
		{q: "可以 cash on delivery 吗", cites: []string{"[policy:faq-cod]"}},
	})
}
