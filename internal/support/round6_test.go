package support_test

import "testing"

// The failure classes of the lead's newest blind set, each checked by its
// own zh and en variants on the demo shop (see eval_probe4.jsonl).

// A price drop said with the price as subject, in 繁體 too, is price
// protection, answered without a hand-off.
func TestPriceDropTraditional(t *testing.T) {
	checkClass(t, []classCase{
		{q: "前天才買，今天價格又跌了，有點鬱悶", cites: []string{"[policy:price-protection]"}, facts: []string{"7天"}},
		{q: "昨天刚下单，价钱就便宜了，好郁闷", cites: []string{"[policy:price-protection]"}},
		{q: "Ordered it on Monday and the price dropped on Tuesday, a bit annoyed", cites: []string{"[policy:price-protection]"}, facts: []string{"14 days"}},
	})
}
