package support_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// A follow-up is read with the conversation before it (followup.go): the
// product of the last answer, or the rule asked before.

// A follow-up is about the product of the answer before, unless it names
// another by its title; the store and the evaluation's memory recorder
// both keep the conversation's earlier answers.
func TestFollowUpProduct(t *testing.T) {
	st := demoShop(t)
	for _, rec := range []support.Recorder{nil, support.NewMemoryRecorder()} {
		followUps(t, assistant(t, st, support.Options{Recorder: rec}))
	}
}

// followUps asks the product follow-ups of a, each after the turn that
// names its product.
func followUps(t *testing.T, a *support.Assistant) {
	t.Helper()
	checkClassWith(t, a, []classCase{
		{turns: []string{"Tell me about the Noise-cancelling Earbuds"}, q: "and how much is it?", cites: []string{"[product:US-TECH-EARBUDS]"}, facts: []string{"$129"}},
		{turns: []string{"护眼台灯怎么样"}, q: "那它多少钱？", cites: []string{"[product:CN-HOME-LAMP]"}, facts: []string{"299"}},
		{turns: []string{"那款降噪耳機多少錢？"}, q: "它續航多久？", cites: []string{"[product:CN-TECH-EARBUDS]"}, facts: []string{"30"}},
		{turns: []string{"How much is the Merino Cardigan?"}, q: "actually forget that, how much is the Leather Belt?", cites: []string{"[product:US-FASH-BELT]"}, facts: []string{"$49"}, never: []string{"[product:US-FASH-CARDIGAN]"}},
		{turns: []string{"Do you sell hovercraft?"}, q: "ok then how much is the Reed Diffuser?", cites: []string{"[product:US-HOME-DIFFUSER]"}, facts: []string{"$38"}},
	})
}

// A follow-up that tells her detail of a rule asked before, or points
// back to it, is read with that question; a thanks is not.
func TestFollowUpRule(t *testing.T) {
	checkClass(t, []classCase{
		{turns: []string{"do you ship to the UK?"}, q: "how long does that take", cites: []string{"[policy:faq-overseas]"}},
		{turns: []string{"the zipper on my backpack broke"}, q: "bought it 5 months ago", cites: []string{"[policy:warranty]"}},
		{turns: []string{"我想退货"}, q: "是旅行收纳袋，没用过，10天前买的", cites: []string{"[policy:returns-7day]"}},
		{turns: []string{"how long is the warranty?"}, q: "what about the tote, how much is it?", cites: []string{"[product:US-FASH-TOTE]"}, never: []string{"[policy:warranty]"}},
		{turns: []string{"how long is the warranty?"}, q: "thanks!", never: []string{"[policy:warranty]"}},
		{turns: []string{"I want to return something"}, q: "it's the packing cubes, unused, got them 10 days ago", cites: []string{"[policy:returns]"}},
		// a Chinese question with no subject asks of the product before
		{turns: []string{"月亮椅多少钱"}, q: "能坐两百斤的人吗", cites: []string{"[product:CN-OUT-CHAIR]"}, never: []string{"[product:CN-OUT-TENT2]"}},
		{turns: []string{"月亮椅多少钱"}, q: "可以开发票吗", cites: []string{"[policy:invoice]"}},
	})
}

// A bare "and its X?" in Chinese (续航呢？) asks of the product of the
// turn before; one that names a rule (运费呢？) asks the rule.
func TestBareFollowUpReadsEarlierProduct(t *testing.T) {
	checkClass(t, []classCase{
		{turns: []string{"降噪耳机怎么样"}, q: "续航呢？", cites: []string{"[product:CN-TECH-EARBUDS]"}, facts: []string{"30小时"}},
		{turns: []string{"Tell me about the earbuds"}, q: "and the battery?", cites: []string{"[product:US-TECH-EARBUDS]"}, facts: []string{"30 h"}},
		{turns: []string{"降噪耳机怎么样"}, q: "运费呢？", cites: []string{"[policy:shipping]"}, never: []string{"[product:CN-TECH-EARBUDS]"}},
	})
}

// A clause joins the one before it as a follow-up only when it names
// nothing of its own.
func TestFollowUpClauseNamesNothing(t *testing.T) {
	for _, q := range []string{"how soon is it sent?", "多久能寄出", "选哪个", "which one should I pick?"} {
		if !support.FollowUp(q) {
			t.Errorf("%q: not read as a follow-up", q)
		}
	}
	for _, q := range []string{"what do parts cost?", "how much is the camera bag", "护照包多少钱", "do you ship to Germany"} {
		if support.FollowUp(q) {
			t.Errorf("%q: read as a follow-up", q)
		}
	}
}
