package support_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// Harm a product did is read by composition (personvocab.go): an injury
// or a health word, or a safety event, tied to the product or its use,
// outside a question whether it could happen. It is a strong complaint
// for a person; a safety question, a warm lamp and dry skin are answered.
func TestHarmDoneHandsOff(t *testing.T) {
	harm := []string{
		"my daughter broke out in hives after the sunscreen, we saw a doctor",
		"the hair dryer overheated and left a burn on my hand",
		"the camp chair collapsed while my husband was sitting on it",
		"the charger sparked and melted the socket cover",
		"your candle jar exploded on the table",
		"the heater is dangerous, it got so hot the plastic melted",
		"涂了面膜脸上起了红疹，还去了医院",
		"这个台灯把灯罩烫化了",
		"充电器用着用着冒烟了",
		"椅子坐着坐着就塌了，老人腰受伤了",
		"宝宝用了你们的湿巾过敏了，去看了皮肤科",
		"the serum gave me an allergic reaction, 去了急诊室",
		"my son got a cut from the sharp edge of the bottle lid",
		"热水壶的盖子掉了，开水把我手烫伤了",
		"the chew toy splintered and we had to take the dog to the vet",
		"用了这个眼霜，眼睛肿了，去诊所开了药",
		"the step stool wobbled, I fell and sprained my wrist",
		"吃了这个零食以后孩子上吐下泻",
		"the hair straightener's plug gave me an electric shock",
		"暖宝宝贴了一晚上，皮肤起了水泡",
	}
	for _, q := range harm {
		s := support.Analyze(q, "")
		if !s.Harm || s.Intent() != support.IntentComplaint {
			t.Errorf("%q: harm %v, intent %s; want harm, a complaint", q, s.Harm, s.Intent())
		}
	}
	near := []string{
		"is the face cream safe for sensitive skin?",
		"the desk lamp gets warm after a while, is that normal?",
		"my skin gets dry in winter, what do you suggest?",
		"will the wipes cause a rash on a newborn?",
		"does the candle burn evenly?",
		"is the stool collapsible?",
		"这款精华敏感肌能用吗",
		"湿巾宝宝用会过敏吗",
		"台灯用久了有点热，正常吗",
		"冬天皮肤干，推荐点什么",
		"I'm allergic to wool, which scarf would you recommend?",
		"off to the beach next week and my skin always burns",
		"我皮肤一晒就容易晒伤，有防晒推荐吗",
		"the doctor said I need a firmer pillow for my neck",
		"医生让我多补充维生素",
	}
	for _, q := range near {
		if support.Analyze(q, "").Harm {
			t.Errorf("%q: read as harm done", q)
		}
	}
}

// Harm told of hands off through the assistant whatever the classifier
// reads, in each script: the rule's hand-off is a hard one.
func TestHarmHandoffThroughAssistant(t *testing.T) {
	a := assistant(t, demoShop(t), support.Options{})
	for _, q := range []string{
		"the power bank got so hot it burned my palm",
		"用了你們的面霜臉上起紅疹，還去看了醫生",
		"充电宝冒烟了，太危险了",
	} {
		r := ask(t, a, q)
		if !r.Handoff || r.HandoffReason != support.ReasonComplaint {
			t.Errorf("%q: hand-off %v (%s), want a complaint's", q, r.Handoff, r.HandoffReason)
		}
	}
}
