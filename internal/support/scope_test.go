package support_test

import "testing"

// A question that is not about the shop is declined, not handed off; one
// that is, however casual, is answered.

// A question that is not about the shop is declined, not handed off.
func TestOutOfScopeDeclined(t *testing.T) {
	checkClass(t, []classCase{
		{q: "今天广州会下雨吗", facts: []string{"超出"}},
		{q: "What's a good stock to invest in right now?", facts: []string{"outside"}},
		{q: "Solve 3x + 5 = 20 for me", facts: []string{"outside"}},
	})
}

// A need with a negation, said short (别推), is a recommendation, and a
// casual product question is answered: no decline without an off-topic
// signal.
func TestNoEagerOutOfScope(t *testing.T) {
	checkClass(t, []classCase{
		{q: "敏感肌，要保湿，别推面膜", cites: []string{"[product:CN-BEAUTY-SERUM]"}, never: []string{"[product:CN-BEAUTY-MASK]"}},
		{q: "how heavy is the carbon travel tripod? trying to keep my bag light lol", cites: []string{"[product:US-PHOTO-TRIPOD1]"}, facts: []string{"1.2 kg"}},
		{q: "What's the weather like in Paris tomorrow?", facts: []string{"outside"}},
	})
}
