package support_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// Rule questions of an unseen set's classes (stream zhrules, issue #16):
// each class in three or more wordings of our own, with the near-misses
// that must not change.

// A rule asked beside her order's state, with no order named, is the
// rule's: not an order to look up.
func TestRuleBesideOrderState(t *testing.T) {
	checkClass(t, []classCase{
		{q: "发票什么时候发、发到哪里？确认收货两天了还没看到", cites: []string{"[policy:invoice]"}, facts: []string{"1-3个工作日"}},
		{q: "我已经确认收货了，电子发票一般多久能收到啊", cites: []string{"[policy:invoice]"}},
		{q: "確認收貨好幾天了，發票會寄到哪裡？", cites: []string{"[policy:invoice]"}},
		{q: "我老公是律师，他让我问清楚：价保是签收后几天内可以申请", cites: []string{"[policy:price-protection]"}, facts: []string{"7天"}},
		{q: "签收之后降价了，价保要在几天内申请？", cites: []string{"[policy:price-protection]"}, facts: []string{"7天"}},
		{q: "已经发货了但下周要搬家，地址还能改吗", cites: []string{"[policy:order-change]"}},
		{q: "快递送到时箱子压扁了、灯罩裂了怎么处理", cites: []string{"[policy:returns]"}, facts: []string{"15天"}},
		// a service no rule names, beside the state: a person's
		{q: "退货可以上门取件吗，我不方便去快递点", handoff: true},
	})
	// near-misses: her parcel's whereabouts, or an order she names, are
	// still looked up
	a := assistant(t, demoShop(t), support.Options{})
	for _, q := range []string{"我的快递到哪了", "签收了吗？帮我查一下物流", "退货已经签收了吧？帮我查下", "换货的包裹到哪了", "我的订单号是 SO-20261101-0042，发票开了吗"} {
		if r := ask(t, a, q); r.Intent != support.IntentOrder || r.Handoff || len(r.Citations) > 0 {
			t.Errorf("%q: intent %s, hand-off %v, citations %v; want an order lookup", q, r.Intent, r.Handoff, r.Citations)
		}
	}
}

// A clause that says again in everyday words what the clause before it
// asked (过期清零 of 有效期, 来得及吗 of 几天到, 从哪天开始算 of 自签收之日起)
// does not sink the rule the search ranks first; unknown services still
// hand off.
func TestRuleRephrasedInEverydayWords(t *testing.T) {
	checkClass(t, []classCase{
		{q: "积分有有效期吗，会不会过期清零", cites: []string{"[policy:faq-points]"}, facts: []string{"12个月"}},
		{q: "会员积分会过期吗？攒了很久怕清零", cites: []string{"[policy:faq-points]"}, facts: []string{"12个月"}},
		{q: "積分有效期多久？到期會不會清零", cites: []string{"[policy:faq-points]"}},
		{q: "杭州的话一般几天到，下周三要送人，现在下单来得及吗", cites: []string{"[policy:shipping]"}, facts: []string{"2-3天"}},
		{q: "寄到苏州要几天？周末前要用，今天拍来得及不", cites: []string{"[policy:shipping]"}, facts: []string{"2-3天"}},
		{q: "發到上海大概幾天到？月底生日要送人，來得及嗎", cites: []string{"[policy:shipping]"}},
		{q: "我是做律师的，习惯问清楚：七天无理由具体从哪天开始算？下单那天还是签收那天", cites: []string{"[policy:returns-7day]"}},
		{q: "七天无理由是从付款那天算还是收到货那天算呀", cites: []string{"[policy:returns-7day]"}},
		{q: "價保的七天是從哪天開始算？", cites: []string{"[policy:price-protection]"}},
		{q: "你们有运费险吗？退货的时候能赔运费吗", handoff: true},
		{q: "退货能上门取件吗", handoff: true},
	})
}

// The rule she asks of is cited: an exchange asked after the seven days,
// the warranty's return leg, a misspelt rule word beside a product, cash
// at the door, and each part of a question in two.
func TestRightRuleCited(t *testing.T) {
	checkClass(t, []classCase{
		{q: "鞋子小了想换大一码，签收十天了还能换不", cites: []string{"[policy:exchange]"}},
		{q: "收到貨十二天了，鞋子有點磨腳…還可以退嗎？不行的話可以換嗎", cites: []string{"[policy:exchange]"}},
		{q: "裤子买大了，收到快两周了，能换小一号吗", cites: []string{"[policy:exchange]"}},
		{q: "保修的话维修好了是寄回给我吗？运费要我出吗", cites: []string{"[policy:warranty]"}, never: []string{"[policy:returns-7day]"}},
		{q: "耳机拿去保修，修好以后你们负责寄回来吗", cites: []string{"[policy:warranty]"}, never: []string{"[policy:returns-7day]"}},
		{q: "hw long do i have to retrun stuff?? bought a desk lamp", cites: []string{"[policy:returns]"}, facts: []string{"30 days"}},
		{q: "how many days to retrn things, i got the yoga mat last week", cites: []string{"[policy:returns]"}},
		{q: "can i get a refnd on the earbuds", cites: []string{"[policy:refund]"}},
		{q: "can i pay cash when it arrives", cites: []string{"[policy:faq-cod]"}},
		{q: "is it ok to pay the courier in cash at my door?", cites: []string{"[policy:faq-cod]"}},
		{q: "送到的时候可以给快递员现金吗", cites: []string{"[policy:faq-cod]"}},
		{q: "two things: (1) do you ship to Australia, (2) how long to return if the size is wrong", cites: []string{"[policy:faq-overseas]", "[policy:returns]"}},
		// near-misses: a return within the seven days stays the 7-day
		// rule's; a product's own question stays the product's
		{q: "签收五天了还能退吗", cites: []string{"[policy:returns-7day]"}, facts: []string{"7天"}},
		{q: "does the desk lamp have a warm light", cites: []string{"[product:US-HOME-LAMP]"}, never: []string{"[policy:returns]"}},
	})
}
