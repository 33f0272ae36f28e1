package support_test

import (
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/support"
)

// Shipping: how long to a place is the rule of its region, what is
// dispatched when, what it costs, and changing an order before it ships.

// How long to a place is the shipping rule of its region, a city the
// rules do not name included; "about" (大概, 大约, 大致) is no topic of its
// own.
func TestDeliveryTimeByRegion(t *testing.T) {
	checkClass(t, []classCase{
		{q: "发到南京要几天", cites: []string{"[policy:shipping]"}, facts: []string{"2-3天"}},
		{q: "寄拉萨多久到", cites: []string{"[policy:shipping]"}, facts: []string{"7-10天"}},
		{q: "How long until my parcel gets to Leeds?", cites: []string{"[policy:shipping]"}, facts: []string{"5-10 business days"}},
		{q: "寄到杭州要几天", cites: []string{"[policy:shipping]"}, facts: []string{"2-3天"}},
		{q: "发货到宁波多久能到", cites: []string{"[policy:shipping]"}, facts: []string{"2-3天"}},
		{q: "南京能几天送到", cites: []string{"[policy:shipping]"}, facts: []string{"2-3天"}},
		{q: "寄到洛阳大概几天", cites: []string{"[policy:shipping]"}, facts: []string{"3-5天"}},
		{q: "发到桂林要多久", cites: []string{"[policy:shipping]"}, facts: []string{"3-5天"}},
		{q: "寄到喀什要几天", cites: []string{"[policy:shipping]"}, facts: []string{"7-10天"}},
		{q: "寄喀什要几天", cites: []string{"[policy:shipping]"}, facts: []string{"7-10天"}},
		{q: "上海寄过来几天到", cites: []string{"[policy:shipping]"}, facts: []string{"2-3天"}},
		{q: "how long to deliver to Manchester?", cites: []string{"[policy:shipping]"}, facts: []string{"5-10 business days"}},
		{q: "shipping time to Liverpool?", cites: []string{"[policy:shipping]"}, facts: []string{"5-10 business days"}},
		{q: "how long does delivery to Chicago take", cites: []string{"[policy:shipping]"}, facts: []string{"3-7 business days"}},
		{q: "how many days to ship to Phoenix?", cites: []string{"[policy:shipping]"}, facts: []string{"3-7 business days"}},
		{q: "delivery time to Canberra?", cites: []string{"[policy:shipping]"}, facts: []string{"5-10 business days"}},
		{q: "我在杭州，下单后大概几天能到", cites: []string{"[policy:shipping]"}, facts: []string{"2-3天"}},
		{q: "寄到南京大约几天", cites: []string{"[policy:shipping]"}, facts: []string{"2-3天"}},
		{q: "发到宁波大致要几天", cites: []string{"[policy:shipping]"}, facts: []string{"2-3天"}},
	})
}

// Which delivery area a city lies in is read from the shop's own rules:
// a shop whose rules speak of 华东 and 珠三角 answers a question about
// 杭州 by its 华东 rule and one about 深圳 by its 珠三角 rule, and a city in
// no area its rules name by the rule for other regions.
func TestRegionFromTheShopsRules(t *testing.T) {
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	kb := fstest.MapFS{"policies_zh.md": {Data: []byte(`# 配送 {topic=policy}

## 华东配送 {#ship-east topic=shipping}
关键词: 配送, 送达
华东地区下单后次日送达。

## 珠三角配送 {#ship-south topic=shipping}
关键词: 配送, 送达
珠三角地区下单后2天送达。

## 其他地区配送 {#ship-other topic=shipping}
关键词: 配送, 送达
其他地区一般4天送达。
`)}}
	if _, err := support.ImportFS(ctx, st, kb); err != nil {
		t.Fatal(err)
	}
	a := assistant(t, st, support.Options{})
	for _, c := range []struct{ q, cite string }{
		{"寄到杭州要几天", "[policy:ship-east]"},
		{"发到南京多久能到", "[policy:ship-east]"},
		{"寄到深圳要几天", "[policy:ship-south]"},
		{"寄到兰州要几天", "[policy:ship-other]"},
	} {
		r := ask(t, a, c.q)
		if r.Handoff || len(r.Citations) == 0 || r.Citations[0].String() != c.cite {
			t.Errorf("%q: hand-off %v, citations %v, answer %q; want %s first", c.q, r.Handoff, r.Citations, r.Answer, c.cite)
		}
	}
	// the same question on the demo shop, whose rules say 江浙沪
	demo := assistant(t, demoShop(t), support.Options{})
	r := ask(t, demo, "寄到杭州要几天")
	if !cites(r, "[policy:shipping]") || !strings.Contains(r.Answer, "2-3天") {
		t.Errorf("demo shop: citations %v, answer %q; want the shipping rules with 2-3天", r.Citations, r.Answer)
	}
}

// Shipping asked in other words: a faster option, leaving the warehouse,
// an American city asks the shipping rule, a Canadian one the overseas
// FAQ.
func TestShippingInOtherWords(t *testing.T) {
	checkClass(t, []classCase{
		{q: "is there a faster option, I need it by the weekend", cites: []string{"[policy:shipping]"}},
		{q: "how soon does my stuff leave the warehouse once I pay", cites: []string{"[policy:shipping]"}, never: []string{"[policy:refund]"}},
		{q: "Do you deliver to Toronto?", cites: []string{"[policy:faq-overseas]"}},
		{q: "Can you ship to Vancouver and how long does it take?", cites: []string{"[policy:faq-overseas]"}},
		{q: "Do you deliver to Seattle?", cites: []string{"[policy:shipping]"}},
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
		{q: "付完款两天了怎么还没动静", cites: []string{"[policy:shipping]"}},
		{q: "Paid 3 days ago still no tracking number", cites: []string{"[policy:shipping]"}},
		{q: "我付款三天了还没发货", cites: []string{"[policy:shipping]"}},
		{q: "付款五天了还不发货，什么破店，我要投诉！！", handoff: true},
		{q: "It's been a week since I paid and nothing has shipped, this is ridiculous, I want a manager", handoff: true},
	})
}

// The fee for an order of a given value is the shipping rule's threshold
// and the fee below it; the postage of a return is the returns rule's.
func TestShippingFee(t *testing.T) {
	checkClass(t, []classCase{
		{q: "买了60块的东西要付运费吗", cites: []string{"[policy:shipping]"}, facts: []string{"99元", "10元"}},
		{q: "買了60塊的東西要付運費嗎", cites: []string{"[policy:shipping]"}},
		{q: "How much is shipping on a $40 order?", cites: []string{"[policy:shipping]"}, facts: []string{"$49", "$6.95"}},
		{q: "If I spend 30 dollars do I pay for delivery?", cites: []string{"[policy:shipping]"}, facts: []string{"$6.95"}},
		{q: "邮费怎么算，我这单才五十块", cites: []string{"[policy:shipping]"}, facts: []string{"99元"}},
		// the postage of a return is still the returns rule's
		{q: "退货的话邮费我自己出还是你们出", cites: []string{"[policy:returns-7day]"}},
		{q: "退货邮费谁出", cites: []string{"[policy:returns-7day]"}},
	})
}

// Changing the address or cancelling, before it ships or after, in mixed
// zh/en too, is the order-change rule, not a request to verify an order
// when she names none.
func TestOrderChangeBeforeShipping(t *testing.T) {
	checkClass(t, []classCase{
		{q: "已经ship了还可以改address吗", cites: []string{"[policy:order-change]"}},
		{q: "发货以后还能换收货address吗", cites: []string{"[policy:order-change]"}},
		{q: "Can I update my address once the order has shipped?", cites: []string{"[policy:order-change]"}},
		{q: "I typed the wrong address, can I fix it before it ships?", cites: []string{"[policy:order-change]"}},
		{q: "地址填错了，还没发货能改吗", cites: []string{"[policy:order-change]"}},
		{q: "地址寫錯了，出貨前可以改嗎", cites: []string{"[policy:order-change]"}},
		{q: "收货地址能不能改一下，还没发货", cites: []string{"[policy:order-change]"}},
		{q: "Oops I put my old address, how do I update it?", cites: []string{"[policy:order-change]"}},
		{q: "我下错地址了，还没发货，可以帮我改吗", cites: []string{"[policy:order-change]"}},
		{q: "can I change my delivery address, it hasn't shipped yet", cites: []string{"[policy:order-change]"}},
		{q: "我的order还没发货，现在还能cancel吗", cites: []string{"[policy:order-change]"}},
	})
}
