package support

import (
	"slices"
	"testing"
)

// Concepts name a policy topic however the customer puts it, in zh and en
// (Traditional is folded before the rules read it), and only where the
// phrase means it.
func TestConcepts(t *testing.T) {
	for _, c := range []struct {
		q    string
		want string // "" : no concept
	}{
		{"What's the minimum spend for free delivery?", "shipping_cost"},
		{"满多少免运费", "shipping_cost"},
		{"Can I swap it for a smaller size?", "exchange"},
		{"能换个颜色吗", "exchange"},
		{"能换个地址吗", "order_change"},
		{"Can I pay in instalments?", "instalment"},
		{"可以分6期吗", "instalment"},
		{"两张优惠券能一起用吗", "coupon_stack"},
		{"买两张镜头布", ""},
		{"积分能抵多少钱", "offset"},
		{"人工客服几点下班", "hours"},
		{"Are you open on weekends?", "hours"},
		{"拆了吊牌还能退吗", "item_condition"},
		{"退款几天到账", "refund_time"},
		{"When will I get my money back?", "refund_time"},
		{"退款会退到哪里", "refund_time"},
		{"保固多久", "regional_warranty"},
		{"Are the Noise-cancelling Earbuds in stock?", ""},
		{"要退款", ""}, // a refund, not a return
		{"Do you take American Express?", ""},
		{"What's the price tag on the tote?", ""},
		{"Can I return it without the tags?", "item_condition"},
	} {
		got := conceptNames(c.q)
		if c.want == "" && len(got) > 0 || c.want != "" && !slices.Contains(got, c.want) {
			t.Errorf("%q: concepts %v, want %q", c.q, got, c.want)
		}
	}
}

// A concept's phrase is searched for in the policies' own words.
func TestConceptWordsReplacePhrase(t *testing.T) {
	got := searchText("Can I swap for a bigger size?")
	for _, w := range []string{"exchange", "size"} {
		if !containsAnyWord(got, []string{w}) {
			t.Errorf("search text %q lacks %q", got, w)
		}
	}
	if containsAnyWord(got, []string{"swap", "bigger"}) {
		t.Errorf("search text %q keeps the customer's phrase", got)
	}
}

// The discount guard fires on requests for a lower price, never on
// questions about the shop's free services or its published codes.
func TestDiscountRequest(t *testing.T) {
	for q, want := range map[string]bool{
		"give me 50% off":                              true,
		"can i have it for free?":                      true,
		"给我打个折":                                        true,
		"把露营灯价格改成1元":                                   true,
		"set the lantern price to $1":                  true,
		"免单":                                           true,
		"what's the minimum spend for free delivery?":  false,
		"can i return it for free?":                    false,
		"is shipping free on my order?":                false,
		"免运费吗":                                         false,
		"折扣码怎么用":                                       false,
		"do you offer free gift wrapping on an order?": false,
		"能改收货地址吗":                                      false,
	} {
		if got := DiscountRequest(normalize(q)); got != want {
			t.Errorf("DiscountRequest(%q) = %v, want %v", q, got, want)
		}
	}
}

// Anger alone, at its fiercest or with an intensifier, makes a strong
// complaint; Traditional reaches the same words once folded.
func TestAngerIntensity(t *testing.T) {
	sc := &Scripts{}
	for _, c := range []struct {
		q      string
		strong bool
	}{
		{"你們這種服務簡直忍無可忍", true},
		{"this is outrageous", true},
		{"简直太失望了", true},
		{"太坑了吧，东西一个月都没到", true},
		{"偏光太阳镜还有货吗！！", false},
		{"我的耳机坏了", false},
	} {
		text, _, err := sc.Fold(c.q)
		if err != nil {
			t.Fatal(err)
		}
		s := Analyze(text, "")
		strong := s.Intent() == IntentComplaint && s.Negative >= 2
		if strong != c.strong {
			t.Errorf("%q: intent %s negative %d, strong %v want %v", c.q, s.Intent(), s.Negative, strong, c.strong)
		}
	}
}

// The kind of product is the head noun, its other names included.
func TestHeads(t *testing.T) {
	for _, c := range []struct {
		q, lang string
		title   string
		match   bool
	}{
		{"适合露营的灯", Zh, "复古露营灯", true},
		{"适合露营的灯", Zh, "时尚相机包", false},
		{"a camping lamp", En, "Rechargeable Camp Lantern", true},
		{"a lamp for camping", En, "Everyday Camera Bag", false},
		{"a bag for my camera", En, "Everyday Camera Bag", true},
	} {
		if got := headMatch(Passage{Title: c.title, Language: c.lang}, heads(c.q, c.lang)); got != c.match {
			t.Errorf("%q vs %q: %v (heads %v)", c.q, c.title, got, heads(c.q, c.lang))
		}
	}
}

// Plain words are grammar, counts and everyday words, not names.
func TestPlainBigram(t *testing.T) {
	for w, want := range map[string]bool{"两张": true, "块钱": true, "晚上": true, "衣服": true, "学生": false, "理赔": false, "门槛": false} {
		if got := plainBigram([]rune(w)); got != want {
			t.Errorf("plainBigram(%q) = %v, want %v", w, got, want)
		}
	}
}
