package support_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// A product is found however she names it (in the other script, in other
// words, misspelt, by what it does), and a specification is read from its
// attributes.

// A product named in other words, or in the other language's script, is
// the counterpart in the customer's own catalog: its price and stock are
// the shop's she buys from.
func TestProductNamedInOtherWords(t *testing.T) {
	checkClass(t, []classCase{
		{q: "do you have a powerbank?", cites: []string{"[product:US-TECH-POWERBANK]"}},
		{q: "how much is the powerbank", cites: []string{"[product:US-TECH-POWERBANK]"}},
		{q: "powerbank 20000mAh", cites: []string{"[product:US-TECH-POWERBANK]"}},
		{q: "power bank 20000mAh price", cites: []string{"[product:US-TECH-POWERBANK]"}},
		{q: "the 20,000mAh one, is it in stock?", cites: []string{"[product:US-TECH-POWERBANK]"}},
		{q: "do you sell ear buds", cites: []string{"[product:US-TECH-EARBUDS]"}},
		{q: "那个20000mAh的power bank多少钱", cites: []string{"[product:CN-TECH-POWERBANK]"}},
		{q: "20000毫安的充电宝有货吗", cites: []string{"[product:CN-TECH-POWERBANK]"}},
		{q: "20000MAH那款多少钱", cites: []string{"[product:CN-TECH-POWERBANK]"}},
		{q: "is the 65W charger in stock", cites: []string{"[product:US-TECH-CHARGER]"}},
		{q: "那个power bank多少钱", cites: []string{"[product:CN-TECH-POWERBANK]"}, facts: []string{"¥199"}},
		{q: "power bank有货吗", cites: []string{"[product:CN-TECH-POWERBANK]"}, facts: []string{"有货"}},
		{q: "这个earbuds多少钱", cites: []string{"[product:CN-TECH-EARBUDS]"}, facts: []string{"¥599"}},
		{q: "那个charger多少钱", cites: []string{"[product:CN-TECH-CHARGER]"}, facts: []string{"¥149"}},
		{q: "Do you have the 露营灯 in stock, and what does it cost?", cites: []string{"[product:US-OUT-LANTERN]"}, facts: []string{"$39"}},
	})
}

// Her own words beside a product's ("下周要去草原", a measure the
// catalog does not use) do not hide the product; a product the shop does
// not sell is still not found.
func TestProductBesideOwnWords(t *testing.T) {
	st := demoShop(t)
	a := assistant(t, st, support.Options{})
	cases := []struct {
		q, cite string
	}{
		{"露营灯多少钱？下周要去草原玩", "[product:CN-OUT-LANTERN]"},
		{"降噪耳机多少钱，坐高铁通勤想戴", "[product:CN-TECH-EARBUDS]"},
		{"how much is the camp lantern, we're going glamping in Wales", "[product:US-OUT-LANTERN]"},
	}
	for _, c := range cases {
		r := ask(t, a, c.q)
		if !has(r.Citations, c.cite) {
			t.Errorf("%q: citations %v flags %v, want %s (%s)", c.q, r.Citations, r.Flags, c.cite, r.Answer)
		}
	}
	for _, q := range []string{"你们卖无人机吗", "do you sell electric scooters?"} {
		r := ask(t, a, q)
		for _, c := range r.Citations {
			if c.Kind == support.CiteProduct {
				t.Errorf("%q: cites %v, a product the shop does not sell", q, r.Citations)
			}
		}
	}
}

// A product or a rule asked in misspelt words is read as the shop's word
// each is one slip from (spell.go).
func TestMisspeltProductsAndPolicies(t *testing.T) {
	checkClass(t, []classCase{
		{q: "price of the everday camera bagg?", cites: []string{"[product:US-PHOTO-BAG01]"}},
		{q: "is the recharable camp lantren in stock", cites: []string{"[product:US-OUT-LANTERN]"}},
		{q: "how much r the noise cancelling earbds", cites: []string{"[product:US-TECH-EARBUDS]"}},
		{q: "whats ur warrenty", cites: []string{"[policy:warranty]"}},
		{q: "do u do exchnages", cites: []string{"[policy:exchange]"}},
		{q: "how do i retrun an item i dont want", cites: []string{"[policy:returns]"}},
		{q: "is shiping free over a certian amount?", cites: []string{"[policy:shipping]"}},
		{q: "can i get an invoce for my compnay", cites: []string{"[policy:invoice]"}},
	})
}

// A product asked by a description, or in the other script, is found.
func TestDescribedProduct(t *testing.T) {
	checkClass(t, []classCase{
		{q: "那个moon chair有货吗", cites: []string{"[product:CN-OUT-CHAIR]"}},
		{q: "How much are your moon chairs?", cites: []string{"[product:US-OUT-CHAIR]"}, facts: []string{"$49"}},
		// a word of another subject names no product
		{q: "who won the world cup in 2014", never: []string{"[product:US-HOME-MUG]"}},
	})
}

// A product named by what it does, and a product with the rule that names
// it, cited both.
func TestDescribedAndPairedSources(t *testing.T) {
	checkClass(t, []classCase{
		{q: "I need something to protect my camera inside my own backpack, what do you have?", cites: []string{"[product:US-PHOTO-BAG04]"}},
		{q: "想找个能放进自己背包里保护相机的东西", cites: []string{"[product:CN-PHOTO-BAG04]"}},
		{q: "那個可以當行動電源的露營燈還有貨嗎？", cites: []string{"[product:CN-OUT-LANTERN]"}},
		{q: "How much is the lantern that works as a power bank?", cites: []string{"[product:US-OUT-LANTERN]"}},
		{q: "What sizes do the Classic White Sneakers come in?", cites: []string{"[product:US-FASH-SNEAKER]", "[policy:sizing]"}, facts: []string{"5-12"}},
		{q: "百搭小白鞋有哪些码？", cites: []string{"[product:CN-FASH-SNEAKER]", "[policy:sizing]"}, facts: []string{"35-44"}},
		{q: "Does the Camera Backpack 25L fit my laptop?", cites: []string{"[product:US-PHOTO-BAG02]", "[policy:faq-laptop-bag]"}},
		{q: "Can I bring the Everyday Camera Bag as cabin luggage?", cites: []string{"[product:US-PHOTO-BAG01]", "[policy:faq-security]"}},
	})
}

// Negation inside a product question rules a kind out.
func TestProductNegation(t *testing.T) {
	checkClass(t, []classCase{
		{q: "A tripod I can fly with, not the tabletop one", cites: []string{"[product:US-PHOTO-TRIPOD1]"}, never: []string{"[product:US-PHOTO-TRIPOD2]"}},
		{q: "出差带的三脚架，不要桌面那种", cites: []string{"[product:CN-PHOTO-TRIPOD1]"}, never: []string{"[product:CN-PHOTO-TRIPOD2]"}},
		{q: "Something to keep drinks cold on a hike, I don't want a hydration pack", cites: []string{"[product:US-FIT-BOTTLE]"}, never: []string{"[product:US-OUT-HYDRO]"}},
	})
}

// The size or capacity of a thing is the product's attribute, not the
// sizing rule; which size to wear still is the rule.
func TestThingSize(t *testing.T) {
	checkClass(t, []classCase{
		{q: "what size is the reservoir of the hiking hydration pack?", cites: []string{"[product:US-OUT-HYDRO]"}, facts: []string{"2 L"}, never: []string{"[policy:sizing]"}},
		{q: "What's the capacity of the insulated sports bottle?", cites: []string{"[product:US-FIT-BOTTLE]"}, never: []string{"[policy:sizing]"}},
		{q: "What size should I take, I'm between two sizes?", cites: []string{"[policy:sizing]"}},
	})
}

// Load capacity, and a specification asked half in English in a Chinese
// question (max load, weight capacity, battery life), are read from the
// product's attributes in the catalog's words.
func TestSpecificationFromAttributes(t *testing.T) {
	checkClass(t, []classCase{
		{q: "三脚架最大承重是多少", cites: []string{"[product:CN-PHOTO-TRIPOD1]"}, facts: []string{"承重8kg"}},
		{q: "Can the camp chair take someone who weighs 110 kg?", cites: []string{"[product:US-OUT-CHAIR]"}, facts: []string{"120 kg"}},
		{q: "这个月亮椅max load是多少kg", cites: []string{"[product:CN-OUT-CHAIR]"}, facts: []string{"承重120kg"}},
		{q: "折叠椅的weight capacity是多少", cites: []string{"[product:CN-OUT-CHAIR]"}, facts: []string{"承重120kg"}},
		{q: "折叠椅的承重是多少", cites: []string{"[product:CN-OUT-CHAIR]"}, facts: []string{"承重120kg"}},
		{q: "這個月亮椅max load是多少", cites: []string{"[product:CN-OUT-CHAIR]"}},
		{q: "那个露营灯battery life多久", cites: []string{"[product:CN-OUT-LANTERN]"}, facts: []string{"续航20小时"}},
	})
}

// An everyday noun with the suffix 子 (椅子, 鞋子, 毯子) is the one
// character the catalog's titles use for it, and a demonstrative with its
// measure word (这把, 这双) names nothing: the product is found, with the
// specification asked half in English too.
func TestNounSuffixAndMeasureWords(t *testing.T) {
	checkClass(t, []classCase{
		{q: "这把椅子承重多少", cites: []string{"[product:CN-OUT-CHAIR]"}, facts: []string{"承重120kg"}},
		{q: "这把椅子max承重多少", cites: []string{"[product:CN-OUT-CHAIR]"}},
		{q: "这双鞋子多少钱", cites: []string{"[product:CN-FASH-SNEAKER]"}},
		{q: "那个毯子能机洗吗", cites: []string{"[product:CN-HOME-THROW]"}},
		{q: "這把椅子承重多少", cites: []string{"[product:CN-OUT-CHAIR]"}},
		{q: "折叠椅max承重多少", cites: []string{"[product:CN-OUT-CHAIR]"}},
		// the concepts still read 箱子 as she wrote it
		{q: "快递到了箱子被压扁了，里面东西也坏了", cites: []string{"[policy:returns]"}},
	})
}
