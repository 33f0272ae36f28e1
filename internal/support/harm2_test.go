package support_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// A harm a doctor named (医生说是过敏, "the doctor says it's an allergy") is
// harm done, not a doctor's advice; a rash told as a red patch (红了一大片)
// is an injury. Advice and questions whether harm could come stay answered.
func TestHarmDiagnosedByDoctor(t *testing.T) {
	for _, q := range []string{
		"宝宝用了湿巾屁屁红了一大片，医生说是过敏，你们说怎么办吧",
		"用了面霜之后脸红了一片，医生诊断为接触性皮炎",
		"my son used the wipes and the doctor says it's an allergy, what are you going to do?",
		"after the sunscreen the dermatologist confirmed it was contact dermatitis",
		"the sunscreen gave my daughter a rash, the GP said it was a reaction to it",
	} {
		if s := support.Analyze(q, ""); !s.Harm || s.Intent() != support.IntentComplaint {
			t.Errorf("%q: harm %v, intent %s; want harm, a complaint", q, s.Harm, s.Intent())
		}
	}
	for _, q := range []string{
		"the doctor said I need a firmer pillow for my neck",
		"医生建议我用无香的湿巾，你们的湿巾有香味吗",
		"湿巾宝宝用会过敏吗",
		"the doctor said it's fine to use the cream on eczema, is it fragrance free?",
		"医生说这个面霜可以用，会过敏吗",
		"my baby's skin is sensitive, are the wipes ok?",
	} {
		if support.Analyze(q, "").Harm {
			t.Errorf("%q: read as harm done", q)
		}
	}
}

// Damage to her own things with who pays for them (a lens cracked when a
// strap snapped, 镜头摔裂了谁赔) asks to be made good: a compensation
// hand-off. Who pays the postage of a return, whatever broke, is a rule's.
func TestCompensationForHerThings(t *testing.T) {
	for _, q := range []string{
		"the backpack strap snapped on a trail and my camera hit the rocks, lens cracked, who's paying for my lens?",
		"the camera bag zip burst open, my camera fell out and broke. who pays for the camera?",
		"背包带子断了，相机摔在地上镜头裂了，镜头的钱谁赔？",
		"相机包的扣子松了，相机摔碎了，谁来负责？",
	} {
		if !support.Analyze(q, "").Compensation {
			t.Errorf("%q: not read as asking for compensation", q)
		}
	}
	for _, q := range []string{
		"the lamp arrived broken, who pays the return shipping?",
		"灯罩裂了，寄回运费谁出？",
		"the backpack strap snapped after two months, is it under warranty?",
	} {
		if support.Analyze(q, "").Compensation {
			t.Errorf("%q: read as asking for compensation", q)
		}
	}
	a := assistant(t, demoShop(t), support.Options{})
	for _, q := range []string{
		"the backpack strap snapped on a trail and my camera hit the rocks, lens cracked, who's paying for my lens?",
		"宝宝用了湿巾屁屁红了一大片，医生说是过敏，你们说怎么办吧",
		"孩子用了濕巾皮膚紅了一大片，醫生說是過敏，怎麼辦",
	} {
		if r := ask(t, a, q); !r.Handoff {
			t.Errorf("%q: answered without a hand-off: %q", q, r.Answer)
		}
	}
}
