package content

import (
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/catalog"
)

func TestGroundingCheck(t *testing.T) {
	b := Brief{Name: "d", Goal: "g", Offer: Offer{Text: "全场8折", TextEn: "20% off", Discount: "8折", Deadline: "2026-11-11"},
		Facts: []string{"满300减50"}}
	if err := b.Check(); err != nil {
		t.Fatal(err)
	}
	shirt := catalog.Product{SKU: "S", Title: "亚麻衬衫", Price: 299, Currency: "CNY", Description: "100%亚麻"}
	other := catalog.Product{SKU: "O", Title: "羊绒围巾礼盒", Price: 899}
	g := Grounding{Products: []catalog.Product{shirt}, Brief: b, Others: []catalog.Product{shirt, other}}
	tests := []struct {
		text string
		bad  []string // substrings of the expected violations; nil = clean
	}{
		{"亚麻衬衫全场8折，原价¥299，到手¥239.2，2026-11-11截止", nil},
		{"亚麻衬衫八折，11月11日截止，满300减50", nil},
		{"Linen shirt 20% off until Nov 11, 100% linen", nil},
		{"亚麻衬衫折扣来袭", nil}, // 折扣 is a word, not a discount
		{"亚麻衬衫限时5折", []string{`the discount "5折" is invented: the brief's offer is 8折 (全场8折)`}},
		{"亚麻衬衫七五折", []string{`"七五折" is invented`}},
		{"Linen shirt 30% off", []string{`"30% off" is invented`}},
		{"亚麻衬衫只要¥99", []string{`the price "¥99" does not match the catalog: 亚麻衬衫 costs ¥299`}},
		{"亚麻衬衫 199元", []string{`the price "199元"`}},
		{"亚麻衬衫好评率98%", []string{`the percentage "98%"`}},
		{"亚麻衬衫8折，11月12日截止", []string{`the date "11月12日" is not in the brief: the offer ends 2026-11-11`}},
		{"亚麻衬衫8折，截止2026-11-12", []string{`the date "2026-11-12"`}},
		{"买亚麻衬衫送羊绒围巾礼盒", []string{`names the product "羊绒围巾礼盒"`}},
	}
	for _, tt := range tests {
		lang := Zh
		if !strings.ContainsFunc(tt.text, func(r rune) bool { return r > 0x2E80 }) {
			lang = En
		}
		vs := g.Check(tt.text, lang)
		if len(vs) != len(tt.bad) {
			t.Errorf("%q: %d violations %v, want %d", tt.text, len(vs), vs, len(tt.bad))
			continue
		}
		for i, w := range tt.bad {
			if !strings.Contains(vs[i].Message, w) {
				t.Errorf("%q: violation %q lacks %q", tt.text, vs[i].Message, w)
			}
		}
	}
}

func TestProductNamed(t *testing.T) {
	p := catalog.Product{Title: "Lumen Hyaluronic Serum 30ml", Brand: "Lumen"}
	for text, want := range map[string]bool{
		"Meet the lumen hyaluronic  serum 30ml": true,
		"Our Hyaluronic Serum 30ml is back":     true,
		"The Lumen Hyaluronic Serum is back":    true,
		"Our serum is back":                     false,
	} {
		if got := ProductNamed(text, p); got != want {
			t.Errorf("ProductNamed(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestValidateRequiredElementsAndBudgets(t *testing.T) {
	sms, _ := SpecFor(SMS)
	p := catalog.Product{SKU: "S", Title: "亚麻衬衫", Price: 299}
	b := Brief{Name: "d", Goal: "g", MustNotSay: []string{"全网最低"}}
	tg := Target{Spec: sms, Lang: Zh, Product: &p, Brief: b, Voice: Voice{Brand: "Lumen", Emoji: "none", Taboo: []string{"史上"}},
		Sender: "【Lumen】", OptOut: "回T退订", Grounding: Grounding{Products: []catalog.Product{p}, Brief: b}}
	rules := func(vs []Violation) string {
		var r []string
		for _, v := range vs {
			r = append(r, v.Rule)
		}
		return strings.Join(r, ",")
	}
	if vs := tg.Validate(Copy{Text: "【Lumen】亚麻衬衫上新，快来看看。回T退订"}); len(vs) != 0 {
		t.Fatalf("clean SMS: %v", vs)
	}
	if got := rules(tg.Validate(Copy{Text: "亚麻衬衫上新，快来看看"})); got != "required,required" {
		t.Fatalf("no signature, no opt-out: rules %s", got)
	}
	if got := rules(tg.Validate(Copy{Text: "【Lumen】亚麻衬衫史上全网最低😀。回T退订"})); got != "emoji,brief,voice" {
		t.Fatalf("taboo, must-not and emoji: rules %s", got)
	}
	if got := rules(tg.Validate(Copy{Text: "【Lumen】{{first_name}}亚麻衬衫。回T退订"})); got != "schema" {
		t.Fatalf("slot on a target without slots: rules %s", got)
	}
	if got := rules(tg.Validate(Copy{Text: "【Lumen】Linen shirt new arrivals, have a look now, friends. 回T退订"})); !strings.Contains(got, "language") || !strings.Contains(got, "product") {
		t.Fatalf("English text for a zh target without the product: rules %s", got)
	}
	xhs, _ := SpecFor(Xiaohongshu)
	tx := Target{Spec: xhs, Lang: Zh, Voice: Voice{Emoji: "light"}}
	c := Copy{Title: "这是一个超过二十个字的小红书标题真的太长了吧朋友们", Body: strings.Repeat("好", 50), Hashtags: []string{"a", "b"}}
	if got := rules(tx.Validate(c)); got != "budget,schema" {
		t.Fatalf("long title, two tags: rules %s", got)
	}
}

// With no offer of its own and several discounts among its facts, the
// brief's offer a violation names is one and the same run after run (the
// discounts are found through a map).
func TestGroundingCheckOfferIsStable(t *testing.T) {
	g := Grounding{Products: []catalog.Product{{SKU: "S", Title: "亚麻衬衫", Price: 299, Currency: "CNY"}},
		Brief: Brief{Name: "d", Goal: "g", Facts: []string{"新品7折", "会员6折", "清仓5折起"}}}
	for range 50 {
		vs := g.Check("亚麻衬衫限时9折", Zh)
		if len(vs) != 1 || vs[0].Message != `the discount "9折" is invented: the brief's offer is 5折; state only that discount` {
			t.Fatalf("%+v", vs)
		}
	}
}
