package support_test

import "testing"

// The failure classes of the lead's fresh11 blind set, each checked by
// its own zh, en and 繁體 variants on the demo shop (see
// eval_probe6.jsonl), with the near misses that must still hand off.

// Whether a coupon's value comes back with a return is the refund rule's
// coupon clause, however it is asked, not a hand-off and not the rule
// for using a coupon.
func TestCouponValueOnReturn(t *testing.T) {
	checkClass(t, []classCase{
		{q: "If I return an order I used a coupon on, do I get the coupon value back?", cites: []string{"[policy:refund]"}},
		{q: "I used a voucher on this order. If I send it back, what happens to the voucher?", cites: []string{"[policy:refund]"}},
		{q: "Is the discount from my promo code refunded when I return the item?", cites: []string{"[policy:refund]"}},
		{q: "Is there any way to get back the coupon I used if I return my order?", cites: []string{"[policy:refund]"}},
		{q: "用了优惠券的订单退货，优惠券还退吗", cites: []string{"[policy:refund]"}},
		{q: "退货的话，用券抵扣的那部分钱怎么算", cites: []string{"[policy:refund]"}},
		{q: "優惠券的金額退貨後會還給我嗎", cites: []string{"[policy:refund]"}},
		{q: "退货后满减优惠怎么算", cites: []string{"[policy:refund]"}},
		{q: "我买了两件用了满减券，退一件钱怎么退", cites: []string{"[policy:refund]"}},
		{q: "退款会扣掉优惠券的钱吗", cites: []string{"[policy:refund]"}},
		// how a coupon is used is still the coupon entry
		{q: "优惠券怎么用", cites: []string{"[policy:faq-coupon]"}},
	})
}

// A return asked with the item's state (worn once) and the time since it
// came (ten days) is the returns rules' question: the no-reason window
// and the item's condition first, and, in the shop that has one, the
// quality-problem rule with its longer window after it. No hand-off.
func TestWornOnceAfterDays(t *testing.T) {
	checkClass(t, []classCase{
		{q: "衣服上身穿了一次，到手十天，能不能退", cites: []string{"[policy:returns-7day]", "[policy:returns]"}},
		{q: "这件衣服穿过一次，收到10天了还能退吗", cites: []string{"[policy:returns-7day]", "[policy:returns]"}},
		{q: "鞋子穿了一回，到家十来天了，还能退吗", cites: []string{"[policy:returns-7day]"}},
		{q: "外套穿過一次，收到十天了，可以退嗎？", cites: []string{"[policy:returns-7day]", "[policy:returns]"}},
		{q: "I wore the jacket one time, it came ten days back. Returnable?", cites: []string{"[policy:returns]"}},
		{q: "Can I return shoes I've worn once? They arrived about ten days ago.", cites: []string{"[policy:returns]"}},
		{q: "It came 10 days ago and I've worn it twice, still returnable?", cites: []string{"[policy:returns]"}},
		// worn once and it broke is the quality-problem rule
		{q: "穿了一次就开线了，收到10天，能退吗", cites: []string{"[policy:returns]"}},
	})
}

// Paid (or ordered) a short while ago and not shipped yet is asked of the
// shipping rule's dispatch time (48 hours, 2 business days), not of an
// order to verify or a person; anger, or an order she names, still
// takes its own path.
func TestNotShippedYet(t *testing.T) {
	checkClass(t, []classCase{
		{q: "付款一天了还没发货", cites: []string{"[policy:shipping]"}, facts: []string{"48小时"}},
		{q: "昨天付的款，到现在都还没发货，怎么回事", cites: []string{"[policy:shipping]"}, facts: []string{"48小时"}},
		{q: "付款一天了還沒出貨", cites: []string{"[policy:shipping]"}, facts: []string{"48小時"}},
		{q: "I paid yesterday and it still hasn't shipped", cites: []string{"[policy:shipping]"}, facts: []string{"2 business days of payment"}},
		{q: "My order was placed a day ago and it has not been dispatched yet, why?", cites: []string{"[policy:shipping]"}},
		{q: "I ordered 2 days ago and it still says processing", cites: []string{"[policy:shipping]"}},
		{q: "Paid yesterday, nothing shipped yet, is that normal?", cites: []string{"[policy:shipping]"}},
		{q: "付款五天了还不发货，什么破店，我要投诉！！", handoff: true},
		{q: "It's been a week since I paid and nothing has shipped, this is ridiculous, I want a manager", handoff: true},
	})
}

// Paying when the parcel comes is cash on delivery, however it is said,
// and the payment rule answers it.
func TestCashOnDeliveryParaphrase(t *testing.T) {
	for _, c := range []struct{ q, fact string }{
		{"能不能收到货再付钱", "不支持货到付款"},
		{"可以先收货后付款吗", "不支持货到付款"},
		{"Can I pay the courier when it arrives?", "cash on delivery"},
		{"Can I pay when I receive the package?", "cash on delivery"},
		{"Do you accept payment in cash at the door?", "cash on delivery"},
	} {
		checkClass(t, []classCase{{q: c.q, facts: []string{c.fact}}})
	}
}

// The fee for an order of a given value is the shipping rule's threshold
// and the fee below it; fixing the address before it ships is the
// order-change rule.
func TestShippingFeeAndAddressFix(t *testing.T) {
	checkClass(t, []classCase{
		{q: "买了60块的东西要付运费吗", cites: []string{"[policy:shipping]"}, facts: []string{"99元", "10元"}},
		{q: "買了60塊的東西要付運費嗎", cites: []string{"[policy:shipping]"}},
		{q: "How much is shipping on a $40 order?", cites: []string{"[policy:shipping]"}, facts: []string{"$49", "$6.95"}},
		{q: "If I spend 30 dollars do I pay for delivery?", cites: []string{"[policy:shipping]"}, facts: []string{"$6.95"}},
		{q: "邮费怎么算，我这单才五十块", cites: []string{"[policy:shipping]"}, facts: []string{"99元"}},
		// the postage of a return is still the returns rule's
		{q: "退货的话邮费我自己出还是你们出", cites: []string{"[policy:returns-7day]"}},
		{q: "退货邮费谁出", cites: []string{"[policy:returns-7day]"}},
		{q: "I typed the wrong address, can I fix it before it ships?", cites: []string{"[policy:order-change]"}},
		{q: "地址填错了，还没发货能改吗", cites: []string{"[policy:order-change]"}},
		{q: "地址寫錯了，出貨前可以改嗎", cites: []string{"[policy:order-change]"}},
		{q: "收货地址能不能改一下，还没发货", cites: []string{"[policy:order-change]"}},
		{q: "Oops I put my old address, how do I update it?", cites: []string{"[policy:order-change]"}},
	})
}

// Her reason, told beside a question of a rule in words the shop never
// uses ("they hurt my ears"), is hers: the rule is answered, not handed
// off; a service asked beside it that no rule names still is.
func TestToldReasonBesideRule(t *testing.T) {
	checkClass(t, []classCase{
		{q: "I want to return the earbuds, they hurt my ears", cites: []string{"[policy:returns]"}},
		{q: "我想退掉这个耳机，戴着耳朵疼", cites: []string{"[policy:returns-7day]"}},
		{q: "I'd like to return this, do you offer shipping insurance?", handoff: true},
		{q: "我想退货，运费险怎么理赔", handoff: true},
	})
}

// More ways of the same classes, said casually, in 繁體 and with the
// words between: each answered, none handed off.
func TestRound8MoreWays(t *testing.T) {
	checkClass(t, []classCase{
		{q: "Returned something last week, used a $10 coupon on it — do I lose the $10?", cites: []string{"[policy:refund]"}},
		{q: "退貨的話折價券還能用嗎", cites: []string{"[policy:refund]"}},
		{q: "我下错地址了，还没发货，可以帮我改吗", cites: []string{"[policy:order-change]"}},
		{q: "付完款两天了怎么还没动静", cites: []string{"[policy:shipping]"}},
		{q: "Paid 3 days ago still no tracking number", cites: []string{"[policy:shipping]"}},
	})
}
