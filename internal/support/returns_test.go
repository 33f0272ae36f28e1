package support_test

import (
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// Returns, refunds and exchanges: the general rule first, the quality
// rule where a fault is told, the refund rule for the money.

// A bare return question is answered by the general rule (seven days, no
// reason needed) and mentions the rule for quality problems; a question
// that states a fault or names the general rule's own terms keeps one.
func TestBareReturnQuestionGeneralRuleFirst(t *testing.T) {
	st := demoShop(t)
	a := assistant(t, st, support.Options{})
	cases := []struct {
		q          string
		cite, also string // also: cited too ("" for no second rule)
		fact       string
	}{
		{"退货", "[policy:returns-7day]", "[policy:returns]", "7天"},
		{"怎么退货", "[policy:returns-7day]", "[policy:returns]", "7天"},
		{"退貨運費誰出", "[policy:returns-7day]", "[policy:returns]", "買家承擔"},
		{"退货条件是什么", "[policy:returns-7day]", "", "7天"},
		{"鞋子试穿过还能退吗", "[policy:returns-7day]", "", "7天"},
		{"买了觉得不合适，不想要了能退不", "[policy:returns-7day]", "", "7天"},
		{"发错货了怎么退", "[policy:returns]", "", "15天"},
		{"收到的杯子破了怎么退货", "[policy:returns]", "", "15天"},
		{"换货要运费吗", "[policy:exchange]", "", "免费换货一次"},
	}
	for _, c := range cases {
		r := ask(t, a, c.q)
		ok := !r.Handoff && cites(r, c.cite) && strings.Contains(r.Answer, c.fact)
		if c.also != "" {
			ok = ok && cites(r, c.also) && strings.Index(r.Answer, c.cite) < strings.Index(r.Answer, c.also)
		} else {
			ok = ok && len(r.Citations) == 1 || ok && c.cite == "[policy:exchange]"
		}
		if !ok {
			t.Errorf("%q: hand-off %v, citations %v, answer %q; want %s first (then %q) with %q", c.q, r.Handoff, r.Citations, r.Answer, c.cite, c.also, c.fact)
		}
	}
}

// A return asked with the time since she bought or received it is
// answered by the window that time falls in: 30 days in the en shop, the
// seven-day no-reason rule in the zh one.
func TestReturnWithElapsedTime(t *testing.T) {
	checkClass(t, []classCase{
		{q: "can I still return something I bought about 3 weeks ago? never used it", cites: []string{"[policy:returns]"}, facts: []string{"30 days"}},
		{q: "I ordered a jacket two weeks ago, can I still send it back?", cites: []string{"[policy:returns]"}, facts: []string{"30 days"}},
		{q: "is it too late to return shoes I received 10 days ago? still in the box", cites: []string{"[policy:returns]"}, facts: []string{"30 days"}},
		{q: "got it a month ago and never used it, can I return it?", cites: []string{"[policy:returns]"}, facts: []string{"30 days"}},
		{q: "买了5天了，没用过，还能退吗", cites: []string{"[policy:returns-7day]"}, facts: []string{"7天"}},
		{q: "签收三天了，没拆封，可以退吗", cites: []string{"[policy:returns-7day]"}, facts: []string{"7天"}},
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

// A rule asked of a purchase she made (her last one, one three days ago)
// is the returns rule, not an order to look up.
func TestReturnOfAPurchase(t *testing.T) {
	checkClass(t, []classCase{
		{q: "Can I return my last purchase?", cites: []string{"[policy:returns]"}},
		{q: "买了3天，还能退吗？", cites: []string{"[policy:returns-7day]"}},
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

// A small flaw on arrival is a quality problem, answered with empathy.
func TestSmallFlawOnArrival(t *testing.T) {
	checkClass(t, []classCase{
		{q: "刚收到的台灯底座有个磕碰", cites: []string{"[policy:returns]"}, facts: []string{"抱歉", "15天"}},
		{q: "The ceramic mug arrived with a chip on the handle", cites: []string{"[policy:returns]"}, facts: []string{"sorry", "faulty"}},
		{q: "The lamp has a scratch on it and honestly this is the worst shop ever, get me a manager", handoff: true},
	})
}

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

// The wrong item sent is the returns rule for quality problems and wrong
// items, not a complaint to hand off.
func TestWrongItemSent(t *testing.T) {
	checkClass(t, []classCase{
		{q: "你们发错了，寄来个小号", cites: []string{"[policy:returns]"}},
		{q: "你們寄錯顏色了", cites: []string{"[policy:returns]"}},
		{q: "I ordered blue and got a red one instead of it, what now?", cites: []string{"[policy:returns]"}},
		// sent wrong and said with force is still a complaint
		{q: "发错货了！！！垃圾店，气死我了", handoff: true},
	})
}

// How long the refund takes once the return is back is the refund rule's
// processing time; how to return, without the money, is still the returns
// rules.
func TestRefundTimingAfterReturn(t *testing.T) {
	a := assistant(t, demoShop(t), support.Options{})
	checkClassWith(t, a, []classCase{
		{q: "退货寄回去以后钱多久能退到我账上", cites: []string{"[policy:refund]"}, facts: []string{"1-7个工作日"}},
		{q: "东西寄回去了，退款多久到账", cites: []string{"[policy:refund]"}, facts: []string{"1-7个工作日"}},
		{q: "退货以后钱几天能退回来", cites: []string{"[policy:refund]"}, facts: []string{"1-7个工作日"}},
		{q: "我想退货，寄回去之后多久能收到退款", cites: []string{"[policy:refund]"}, facts: []string{"1-7个工作日"}},
		{q: "after I send the return back, how long until I get my money back?", cites: []string{"[policy:refund]"}, facts: []string{"5 business days"}},
		{q: "once you get my return, when will the refund show on my card?", cites: []string{"[policy:refund]"}, facts: []string{"5 business days"}},
		{q: "I returned the jacket, how long for the refund to arrive?", cites: []string{"[policy:refund]"}, facts: []string{"5 business days"}},
	})
	// how to return, without the money, is still the returns rules
	for _, q := range []string{"不想要了可以寄回去吗", "can I send it back if I don't like it?"} {
		r := ask(t, a, q)
		if cites(r, "[policy:refund]") || len(r.Citations) == 0 {
			t.Errorf("%q: citations %v; want the returns rules alone", q, r.Citations)
		}
	}
}

// Where a refund goes is the refund rule.
func TestRefundToCard(t *testing.T) {
	checkClass(t, []classCase{
		{q: "退的钱会回到我的信用卡上吗", cites: []string{"[policy:refund]"}, facts: []string{"原路退款"}},
		{q: "Does the money go back on my credit card?", cites: []string{"[policy:refund]"}, facts: []string{"original payment method"}},
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

// Whether a coupon's value comes back with a return is the refund rule's
// coupon clause, however it is asked, not a hand-off and not the rule
// for using a coupon.
func TestCouponOnReturn(t *testing.T) {
	checkClass(t, []classCase{
		{q: "Will the discount code come back if I return the order?", cites: []string{"[policy:refund]"}, facts: []string{"Coupon discounts are not refunded"}},
		{q: "退款后优惠券会返还吗", cites: []string{"[policy:refund]"}, facts: []string{"优惠券不予退还"}},
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
		{q: "Returned something last week, used a $10 coupon on it — do I lose the $10?", cites: []string{"[policy:refund]"}},
		{q: "退貨的話折價券還能用嗎", cites: []string{"[policy:refund]"}},
		{q: "do I lose my coupon discount if I return", cites: []string{"[policy:refund]"}, facts: []string{"Coupon discounts are not refunded"}},
		{q: "if I return it do I keep the discount from my voucher?", cites: []string{"[policy:refund]"}},
		// how a coupon is used is still the coupon entry
		{q: "优惠券怎么用", cites: []string{"[policy:faq-coupon]"}},
	})
}
