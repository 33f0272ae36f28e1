package support_test

import "testing"

// The failure classes of the lead's newest blind set, each checked by its
// own zh and en variants on the demo shop (see eval_probe4.jsonl).

// A parcel damaged in transit is the quality-problem returns rule, with an
// apology, not the warranty.
func TestDamagedInTransit(t *testing.T) {
	checkClass(t, []classCase{
		{q: "快递盒子被压坏了，里面的灯也裂了，有点郁闷", cites: []string{"[policy:returns]"}, facts: []string{"15天"}, never: []string{"[policy:warranty]"}},
		{q: "封口是破的，东西到手就坏了，有点郁闷", cites: []string{"[policy:returns]"}, facts: []string{"抱歉"}},
		{q: "The carton turned up crushed and the lamp inside is broken, a bit gutted", cites: []string{"[policy:returns]"}, facts: []string{"30 days", "sorry"}},
		{q: "The seal was broken when it arrived, kind of bummed", cites: []string{"[policy:returns]"}, facts: []string{"30 days"}},
	})
}

// A price drop said with the price as subject, in 繁體 too, is price
// protection, answered without a hand-off.
func TestPriceDropTraditional(t *testing.T) {
	checkClass(t, []classCase{
		{q: "前天才買，今天價格又跌了，有點鬱悶", cites: []string{"[policy:price-protection]"}, facts: []string{"7天"}},
		{q: "昨天刚下单，价钱就便宜了，好郁闷", cites: []string{"[policy:price-protection]"}},
		{q: "Ordered it on Monday and the price dropped on Tuesday, a bit annoyed", cites: []string{"[policy:price-protection]"}, facts: []string{"14 days"}},
	})
}

// A refund still missing after the return arrived is the refund rule's
// processing time, answered without a hand-off.
func TestRefundStillMissing(t *testing.T) {
	checkClass(t, []classCase{
		{q: "It's been a week since you got my return and I still haven't received my refund, bit frustrated", cites: []string{"[policy:refund]"}, facts: []string{"5 business days"}},
		{q: "仓库收到我的退货好几天了，钱还没到账，有点着急", cites: []string{"[policy:refund]"}, facts: []string{"1-3个工作日"}},
		{q: "I want to speak to a human about my refund", handoff: true},
	})
}

// Changing the address after shipping, in mixed zh/en too, is the
// order-change rule, not a request to verify an order.
func TestAddressAfterShipping(t *testing.T) {
	checkClass(t, []classCase{
		{q: "已经ship了还可以改address吗", cites: []string{"[policy:order-change]"}},
		{q: "发货以后还能换收货address吗", cites: []string{"[policy:order-change]"}},
		{q: "Can I update my address once the order has shipped?", cites: []string{"[policy:order-change]"}},
	})
}

// A coupon on a returned order is the refund rule's coupon clause.
func TestCouponOnReturn(t *testing.T) {
	checkClass(t, []classCase{
		{q: "Will the discount code come back if I return the order?", cites: []string{"[policy:refund]"}, facts: []string{"Coupon discounts are not refunded"}},
		{q: "退款后优惠券会返还吗", cites: []string{"[policy:refund]"}, facts: []string{"优惠券不予退还"}},
	})
}
