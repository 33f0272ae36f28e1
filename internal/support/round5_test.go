package support_test

import "testing"

// The failure classes of the lead's third blind set, each checked by its
// own zh and en variants on the demo shop (see eval_probe3.jsonl).

// A rule asked in unusual words gets the closest rule and a person offered.
func TestClosestRuleOffered(t *testing.T) {
	checkClass(t, []classCase{
		{q: "价保的规定包括秒杀买的吗", cites: []string{"[policy:price-protection]"}, facts: []string{"秒杀", "转人工"}},
		{q: "Which items are excluded from the warranty rules?", cites: []string{"[policy:warranty]"}, facts: []string{"Accidental damage", "human"}},
		// several parts the rules do not cover still go to a person
		{q: "保修期内维修要多少天，配件收费标准是什么？", handoff: true},
		{q: "你们的退货仓库地址和联系电话是多少？", handoff: true},
	})
}

// A price drop naming a product is price protection and the product.
func TestPriceDropNamingProduct(t *testing.T) {
	checkClass(t, []classCase{
		{q: "移动电源买完第二天就降了二十块", cites: []string{"[policy:price-protection]", "[product:CN-TECH-POWERBANK]"}, facts: []string{"差价"}},
		{q: "The power bank went down in price two days after I bought it", cites: []string{"[policy:price-protection]", "[product:US-TECH-POWERBANK]"}, facts: []string{"14 days"}},
	})
}
