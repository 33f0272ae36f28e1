package support_test

import "testing"

// The failure classes of the lead's newest blind set, each checked by its
// own zh and en variants on the demo shop (see eval_probe5.jsonl).

// A 繁體 policy question is folded to the rules' words, 信箱 to 邮箱 too,
// and answered from the rule without a hand-off.
func TestTraditionalInvoice(t *testing.T) {
	checkClass(t, []classCase{
		{q: "電子發票什麼時候會寄到我的信箱？", cites: []string{"[policy:invoice]"}},
		{q: "電子發票會寄到我的電子信箱嗎？", cites: []string{"[policy:invoice]"}},
		{q: "請問電子發票多久會寄到信箱", cites: []string{"[policy:invoice]"}},
	})
}

// A bare ask for a person without "to" ("get me a manager") is an ask
// for a person; "get me a gift" is not.
func TestGetMeAPersonHandsOff(t *testing.T) {
	checkClass(t, []classCase{
		{q: "get me a manager", handoff: true},
		{q: "just get me a real person already", handoff: true},
		{q: "Find me a human, this bot is useless", handoff: true},
	})
}
