package support_test

import "testing"

// The failure classes of the lead's newest blind set, each checked by its
// own zh and en variants on the demo shop (see eval_probe5.jsonl).

// A demand that the shop pay for damage its product caused, without the
// word compensation, is a complaint handed to a person.
func TestPayForDamageHandsOff(t *testing.T) {
	checkClass(t, []classCase{
		{q: "I expect you to pay for the jacket your leaking bottle ruined", handoff: true},
		{q: "Who is going to pay for my ruined carpet? Your lamp overheated", handoff: true},
		{q: "你们的充电器把我手机烧坏了，你们得赔我一台", handoff: true},
		{q: "水杯漏水把电脑泡坏了，这损失谁来承担？", handoff: true},
		{q: "Who pays for the return shipping?", cites: []string{"[policy:returns]"}},
	})
}

// A contact detail the shop's data does not hold (a phone number, a street
// address, an e-mail or WeChat) is a person's to give.
func TestMissingContactHandsOff(t *testing.T) {
	checkClass(t, []classCase{
		{q: "What's your customer service phone number?", handoff: true},
		{q: "What is the street address of your store? I want to drop by", handoff: true},
		{q: "客服电话是多少？", handoff: true},
		{q: "你们有没有微信或者邮箱，我想写信反映一下", handoff: true},
	})
}

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
