package support_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// The words of the law that threaten nothing are no legal hand-off
// (legal.go); a threat to sue, report or expose the shop is.

// The law and anger are read at the start of a word: "issue", "whatever"
// and "suede" are neither, while a threat to sue or report, and anger said
// outright, are one or the other.
func TestWordsOfTheLawAndAngerAtWordStarts(t *testing.T) {
	for _, q := range []string{"I have an issue with my order", "whatever colour is fine", "is the suede jacket in stock"} {
		s := support.Analyze(q, "")
		if s.Legal || s.Negative >= 2 {
			t.Errorf("%q: legal %v negative %d", q, s.Legal, s.Negative)
		}
	}
	for _, q := range []string{"I will sue", "I'm going to take you to court", "I hate this shop", "I'm reporting you to consumer rights",
		"我要去工商告你们", "这是虚假宣传，我要举报", "that's the second parcel you've lost, I'm done with this shop", "客服态度太恶劣了，没人管"} {
		s := support.Analyze(q, "")
		if !s.Legal && s.Negative < 2 {
			t.Errorf("%q: neither legal nor angry", q)
		}
	}
}

// The words of the law that threaten nothing are not a legal hand-off;
// a threat still is.
func TestLawWordsWithoutThreat(t *testing.T) {
	checkClass(t, []classCase{
		{q: "I'm a lawyer and need an invoice with my firm's name for my order, how do I get one?", cites: []string{"[policy:invoice]"}},
		{q: "I work as an attorney, can I get a VAT invoice with my company name?", cites: []string{"[policy:invoice]"}},
		{q: "I don't want to go to court over this haha, just tell me how long I have to return the sneakers", cites: []string{"[policy:returns]"}, facts: []string{"30 days"}},
		{q: "我老公是律师，他让我问问发票能不能开公司抬头", cites: []string{"[policy:invoice]"}},
		{q: "不想走到起诉那一步，就想问问保修多久", cites: []string{"[policy:warranty]"}},
		{q: "My lawyer friend told me to ask: how long is the warranty on the Bluetooth Item Trackers (4-pack)?", cites: []string{"[policy:warranty]"}, facts: []string{"1-year"}},
		{q: "我朋友在律师事务所上班，她说你们的发票可以补开，是真的吗？", cites: []string{"[policy:invoice]"}},
		// court shoes are shoes
		{q: "Court shoes — do you sell any?", handoff: false},
		{q: "If you don't refund me I will sue you and report you to the consumer protection agency", handoff: true},
		{q: "再不處理我就提告", handoff: true},
		{q: "不退錢的話我們法院見", handoff: true},
	})
}

// A threat to report the shop to Taiwan's consumer-protection
// authorities (消保會, 消保官, 檢舉) hands off as legal.
func TestTaiwanAuthorityThreat(t *testing.T) {
	checkClass(t, []classCase{
		{q: "再不處理我就去消保會檢舉你們", handoff: true},
		{q: "我要去消保官那裡申訴", handoff: true},
		{q: "我要檢舉你們的不實廣告", handoff: true},
	})
}

// A photograph's exposure (长曝光) is no media exposure, and the law cited
// as her reading of a rule, asked back, is a rule question; a threat to
// expose the shop or report it still hands off.
func TestExposureAndLawCitedNoThreat(t *testing.T) {
	checkClass(t, []classCase{
		{q: "长曝光用哪个三脚架好？", cites: []string{"[product:CN-PHOTO-TRIPOD1]"}},
		{q: "消费者权益保护法不是规定七天无理由吗？我买的耳机拆了还能退吗", cites: []string{"[policy:returns-7day]"}},
		{q: "按照消法，七天无理由退货是不是都可以？", cites: []string{"[policy:returns-7day]"}},
		{q: "我要去媒体曝光你们", handoff: true},
		{q: "再不退款我就去曝光你们，还要打12315", handoff: true},
		{q: "消法规定了退一赔三，你们赔不赔？", handoff: true},
	})
}
