package support_test

import "testing"

// What a product's card states answers a question of it, however it is
// asked (stated.go); what the card does not state, or a service or proof
// its texts never name, is a person's.

// A product card that states the kind of value asked (65 W, 0 to 36
// months, steel burrs, a 14-inch laptop) answers it though the question
// names it otherwise; a product silent on it still hands off.
func TestStatedValueNoHandoff(t *testing.T) {
	checkClass(t, []classCase{
		{q: "What's the wattage of the power bank?", cites: []string{"[product:US-TECH-POWERBANK]"}, facts: []string{"65 W"}},
		{q: "这个移动电源功率多大？", cites: []string{"[product:CN-TECH-POWERBANK]"}, facts: []string{"65W"}},
		{q: "What's the age range of the baby carrier?", cites: []string{"[product:US-BABY-CARRIER]"}, facts: []string{"36 months"}},
		{q: "What is the burr material of the grinder?", cites: []string{"[product:US-FOOD-GRINDER]"}, facts: []string{"Steel"}},
		{q: "磨豆机的磨芯是什么材质？", cites: []string{"[product:CN-FOOD-GRINDER]"}, facts: []string{"不锈钢"}},
		{q: "托特包能装几寸的电脑？", cites: []string{"[product:CN-FASH-TOTE]"}, facts: []string{"14寸"}},
		{q: "Is the desk lamp flicker-free?", cites: []string{"[product:US-HOME-LAMP]"}},
		// near-misses: the card is silent, or a certification is asked
		{q: "What's the wattage of the desk lamp?", handoff: true},
		{q: "What's the age range of the diaper backpack?", handoff: true},
		{q: "How many pounds does the carry-on spinner weigh?", handoff: true},
		{q: "Is the work tote made of organic leather?", handoff: true},
	})
}

// An exact rating the card does not give (a battery's Wh, for a flight)
// hands off as not stated.
func TestUnstatedRatingHandsOff(t *testing.T) {
	checkClass(t, []classCase{
		{q: "What is the Wh rating of the power bank? The airline needs it", handoff: true},
		{q: "移动电源的电池是多少Wh？", handoff: true},
		{q: "充电宝多少瓦时？", handoff: true},
		// near-miss: the capacity the card states is answered
		{q: "What's the power bank's battery capacity?", cites: []string{"[product:US-TECH-POWERBANK]"}, facts: []string{"20,000 mAh"}},
		{q: "How many watt-hours is the power bank?", handoff: true},
	})
}

// A question of two parts where the card states one answers that one
// and says plainly the other is not stated.
func TestTwoPartOneStatedAnswers(t *testing.T) {
	checkClass(t, []classCase{
		{q: "How much does the camping chair weigh and how much weight can it take?", cites: []string{"[product:US-OUT-CHAIR]"}},
		{q: "Are the carry-on spinner's wheels quiet and what is the shell made of?", cites: []string{"[product:US-TRAVEL-CARRYON]"}},
		// litres asked, a volume in L stated (the bladder's 2 L reservoir)
		{q: "How many litres does the hydration pack's bladder hold?", cites: []string{"[product:US-OUT-HYDRO]"}, facts: []string{"2 L"}},
		{q: "How many litres does the water bottle hold?", cites: []string{"[product:US-FIT-BOTTLE]"}, facts: []string{"750ml"}},
		// a part the card names otherwise (a bladder, its reservoir), asked beside a rule
		{q: "Does the hydration pack come with a bladder?", cites: []string{"[product:US-OUT-HYDRO]"}, facts: []string{"reservoir"}},
		{q: "Does the hydration pack come with the bladder, and how long does shipping take?", cites: []string{"[product:US-OUT-HYDRO]", "[policy:shipping]"}},
		{q: "Does the work tote come with a bladder?", handoff: true},
		// near-misses: a card with no volume still hands off
		{q: "How many litres does the work tote hold?", handoff: true},
		{q: "How many litres is the weekender bag?", handoff: true},
	})
}

// Whether a product is safe for a condition of hers (in pregnancy, 孕妇)
// is a person's when the card does not say; the card's own claim
// (sensitive skin) still answers.
func TestSafeForConditionHandsOff(t *testing.T) {
	checkClass(t, []classCase{
		{q: "Is the serum safe during pregnancy?", handoff: true},
		{q: "精华孕妇能用吗？", handoff: true},
		{q: "精华敏感肌能用吗？", cites: []string{"[product:CN-BEAUTY-SERUM]"}},
	})
}

// A question of a product the shop sells, in words its texts never use
// (a service, a test report), is a person's; a task outside the shop is
// declined, not handed off.
func TestUnknownOfProductHandsOff(t *testing.T) {
	checkClass(t, []classCase{
		{q: "Can you engrave my name on the water bottle?", handoff: true},
		{q: "你们的帐篷有阻燃检测报告吗", handoff: true},
		{q: "這個帳篷有阻燃檢測報告嗎", handoff: true},
		{q: "Can you print my company logo on the tote bags?", handoff: true},
		{q: "Do you offer personalisation on the tote?", handoff: true},
		// a certification, a test report or a measure no card states
		{q: "Is the Natural Rubber Yoga Mat certified by OEKO-TEX?", handoff: true},
		{q: "降噪耳机有没有3C认证？", handoff: true},
		{q: "What's the thread count of the Waffle Knit Throw?", handoff: true},
		{q: "天然橡胶瑜伽垫有没有SGS检测？", handoff: true},
		{q: "Quick one: is the Daily Sunscreen SPF50 reef-safe?", handoff: true},
		// near misses: what the card states is answered
		{q: "Is the tote leather?", cites: []string{"[product:US-FASH-TOTE]"}},
		{q: "Is the Natural Rubber Yoga Mat non-slip?", cites: []string{"[product:US-FIT-MAT]"}},
		{q: "What's the max load of the carbon travel tripod?", cites: []string{"[product:US-PHOTO-TRIPOD1]"}, facts: []string{"8 kg"}},
		// a task outside the shop is declined, and a product asked with a
		// rule's word answered: neither handed off
		{q: "help with my calculus homework", handoff: false},
		{q: "帮我写一首关于秋天的诗", handoff: false},
		{q: "how do i fix my home wifi router, it keeps dropping", handoff: false},
		{q: "Can the camera bag go in the overhead locker on a flight?", handoff: false},
		{q: "whats the weather like tomorrow", handoff: false},
	})
}
