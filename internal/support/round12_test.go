package support_test

import "testing"

// The failure classes of the lead's 314-case blind set, each checked by
// paraphrases of our own on the demo shop (see eval_probe10.jsonl).

// A policy's how-to, an order change before dispatch, service hours
// asked beside a person, and what reviews say are answered, not handed
// off.
func TestPolicyHowToNoHandoff(t *testing.T) {
	checkClass(t, []classCase{
		{q: "How do I actually start a return? I can't find the button anywhere", cites: []string{"[policy:returns]"}},
		{q: "I only just placed my order and it hasn't shipped, can I still cancel it?", cites: []string{"[policy:order-change]"}},
		{q: "live chat with real people and what times?", cites: []string{"[policy:service-hours]"}, facts: []string{"9:00"}},
		{q: "Are your agents around, and at which hours?", cites: []string{"[policy:service-hours]"}},
		{q: "What do customers say about the earbuds? any discounts in the reviews?", cites: []string{"[review:rv-earbuds-1]"}},
		// near-miss: a person asked for now is still a hand-off
		{q: "I want a real person now", handoff: true},
	})
}

// A gift asked by the need it meets (a bag for a new mum's bottles and
// nappies) is a recommendation; a mother (妈妈的朋友) is no curse (妈的).
func TestNewParentGiftRecommends(t *testing.T) {
	checkClass(t, []classCase{
		{q: "I'm looking for a gift for a new mum, a bag to hold bottles and nappies", cites: []string{"[product:US-BABY-DIAPERBAG]"}},
		{q: "想给刚当妈妈的朋友送个礼物，要一个能装奶瓶和尿不湿的包", cites: []string{"[product:CN-BABY-DIAPERBAG]"}},
		{q: "推荐一个能装奶瓶和尿不湿的包", cites: []string{"[product:CN-BABY-DIAPERBAG]"}},
		// near-miss: the curse itself still hands off
		{q: "他妈的又没发货", handoff: true},
	})
}
