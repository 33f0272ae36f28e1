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
