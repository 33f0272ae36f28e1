package support_test

import (
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// The checker compares facts after folding script and width on both
// sides: an answer in 繁體 states the fact a case wrote in 简体, and the
// other way round.
func TestFactsFoldScriptAndWidth(t *testing.T) {
	cases := []struct {
		answer, fact string
		want         bool
	}{
		{"我們推薦氮化鎵三口充電器 [product:SKU-1]", "氮化镓三口充电器", true},
		{"我们推荐氮化镓三口充电器", "氮化鎵三口充電器", true},
		{"退貨運費由買家承擔", "退货运费", true},
		{"發票會在 3 個工作日內開出", "3个工作日", true},
		{"售價 ￥１，２９９", "¥1299", true},
		{"THE PRICE IS $49.00", "$49.00", true},
		{"七天無理由退貨|", "七天无理由退货", true},
		{"保修一年", "保修两年|保修二年", false},
		{"我們推薦藍牙耳機", "氮化镓三口充电器", false},
		{"Free shipping over $50", "免运费", false},
	}
	for _, c := range cases {
		if got := support.ContainsFact(c.answer, c.fact); got != c.want {
			t.Errorf("answer %q, fact %q: %v, want %v", c.answer, c.fact, got, c.want)
		}
	}
}

// An evaluation file may name intents by their short names.
func TestEvalIntentAliases(t *testing.T) {
	in := strings.Join([]string{
		`{"question":"a","intent":"product","expect_facts":[],"expect_citations":[],"expect_handoff":false}`,
		`{"question":"b","intent":"Recommend","expect_facts":[],"expect_citations":[],"expect_handoff":false}`,
		`{"question":"c","intent":"human","expect_facts":[],"expect_citations":[],"expect_handoff":true}`,
		`{"question":"d","intent":"order_status","expect_facts":[],"expect_citations":[],"expect_handoff":false}`,
	}, "\n")
	cases, err := support.ReadEvalCases(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{support.IntentProduct, support.IntentRecommendation, support.IntentHuman, support.IntentOrder}
	for i, c := range cases {
		if c.Intent != want[i] {
			t.Errorf("case %d: intent %q, want %q", i, c.Intent, want[i])
		}
	}
}
