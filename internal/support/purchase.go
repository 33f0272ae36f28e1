package support

import "regexp"

// "What did I last buy? my email is …": a question about her own past
// orders that names no order. The e-mail alone proves nothing of which
// order is hers, and no product answers it: she is asked for the order
// number with its e-mail or the phone's last four digits, as any order
// question without one is (see orderAnswer).

// pastPurchaseRe asks what she bought or ordered before.
var pastPurchaseRe = regexp.MustCompile(`(?i)\bwhat\s+(did|have|was\s+it\s+that)\s+i\s+(last\s+|recently\s+|just\s+|previously\s+)?(buy|bought|order|ordered|purchase|purchased|get|got)\b` +
	`|\b(my|the)\s+(last|latest|recent|previous|most\s+recent|past|earlier)\s+(orders?|purchases?)\b|\b(order|purchase)\s+history\b|\bwhen\s+did\s+i\s+(last\s+)?(order|buy|purchase)\b` +
	`|\b(look\s+up|check|find|show\s+me|list)\s+(all\s+)?my\s+(orders|purchases)\b|\bwhich\s+\w+\s+did\s+i\s+(order|buy)\b` +
	`|(上次|上一次|最近|之前|以前|前几天|上个月)(我)?(买|购买|下单|订|下的单)(的|了|过)?(是)?(什么|啥|哪)|我(都|之前|以前)?(买|购买|订)(过)?(了)?(什么|啥|哪些)|购买记录|订单记录|历史订单|我的订单(有哪些|列表|记录)|最近(的)?(一笔|那笔)?订单`)

// pastPurchase reports whether the message asks of her past orders
// without naming one.
func pastPurchase(t *turn) bool {
	return len(t.sig.OrderIDs) == 0 && t.conv.PendingOrder == "" && len(t.sig.Injection) == 0 &&
		t.sig.Intent() != IntentRecommendation && t.sig.Intent() != IntentHuman && t.sig.Intent() != IntentComplaint &&
		// "can I return my last purchase?" asks a rule
		t.sig.Scores[IntentPolicy] == 0 &&
		pastPurchaseRe.MatchString(normalize(t.req.Text))
}
