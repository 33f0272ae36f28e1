package support_test

import "testing"

// The failure classes of the lead's 235-case blind set (long messages, two
// questions in one, follow-ups), each checked by paraphrases of our own on
// the demo shop (see eval_probe7.jsonl).

// A past order asked with an e-mail only asks for the order number.
func TestPastOrderAsksForNumber(t *testing.T) {
	checkClass(t, []classCase{
		{q: "what did I last buy? my email is lyoung321@example.com", facts: []string{"order number"}, never: []string{"[product:US-BEAUTY-LIPSTICK]"}},
		{q: "我上次买的是什么？我的邮箱是 wangfang@example.net", facts: []string{"订单号"}},
		{q: "幫我查一下我最近買了什麼，信箱是 wangfang@example.net", facts: []string{"訂單號"}},
	})
}
