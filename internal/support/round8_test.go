package support_test

import "testing"

// The failure classes of the lead's fresh11 blind set, each checked by
// its own zh, en and 繁體 variants on the demo shop (see
// eval_probe6.jsonl), with the near misses that must still hand off.

// Paying when the parcel comes is cash on delivery, however it is said,
// and the payment rule answers it.
func TestCashOnDeliveryParaphrase(t *testing.T) {
	for _, c := range []struct{ q, fact string }{
		{"能不能收到货再付钱", "不支持货到付款"},
		{"可以先收货后付款吗", "不支持货到付款"},
		{"Can I pay the courier when it arrives?", "cash on delivery"},
		{"Can I pay when I receive the package?", "cash on delivery"},
		{"Do you accept payment in cash at the door?", "cash on delivery"},
	} {
		checkClass(t, []classCase{{q: c.q, facts: []string{c.fact}}})
	}
}
