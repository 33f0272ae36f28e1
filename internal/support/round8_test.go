package support_test

import "testing"

// The failure classes of the lead's fresh11 blind set, each checked by
// its own zh, en and 繁體 variants on the demo shop (see
// eval_probe6.jsonl), with the near misses that must still hand off.

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

// More ways of the same classes, said casually, in 繁體 and with the
// words between: each answered, none handed off.
func TestRound8MoreWays(t *testing.T) {
	checkClass(t, []classCase{
		{q: "我下错地址了，还没发货，可以帮我改吗", cites: []string{"[policy:order-change]"}},
		{q: "付完款两天了怎么还没动静", cites: []string{"[policy:shipping]"}},
		{q: "Paid 3 days ago still no tracking number", cites: []string{"[policy:shipping]"}},
	})
}
