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
