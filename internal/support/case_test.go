package support_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// The case tables of the behaviour tests: each case is a message asked of
// the demo shop, with what the reply must and must not hold. Most are
// paraphrases written for a class seen failing; many are also cases of the
// tuned probe sets (testdata/eval_probe*.jsonl), which are not held out.

// classCase is one message asked of the assistant, after its earlier
// turns, and what the reply must hold: the hand-off as given (false
// unless set), every cite and fact, none of never.
type classCase struct {
	turns   []string // earlier messages of the conversation, sent first
	q       string
	handoff bool
	cites   []string // every one must be cited
	facts   []string // every one must be in the answer
	never   []string // none may be cited
}

// checkClass asks each case of a fresh assistant on the demo shop.
func checkClass(t *testing.T, cases []classCase) {
	t.Helper()
	checkClassWith(t, assistant(t, demoShop(t), support.Options{}), cases)
}

// ask sends q alone, in a conversation of its own, and returns the reply.
func ask(t *testing.T, a *support.Assistant, q string) support.Reply {
	t.Helper()
	r, err := a.Answer(ctx, support.Request{Text: q, Channel: "test"}, nil)
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	return r
}

// checkClassWith asks each case of a, in a conversation of its own that
// sends the case's earlier turns first.
func checkClassWith(t *testing.T, a *support.Assistant, cases []classCase) {
	t.Helper()
	for _, c := range cases {
		conv := ""
		for _, tu := range c.turns {
			r, err := a.Answer(ctx, support.Request{Text: tu, Channel: "test", ConversationID: conv}, nil)
			if err != nil {
				t.Fatal(err)
			}
			conv = r.ConversationID
		}
		r, err := a.Answer(ctx, support.Request{Text: c.q, Channel: "test", ConversationID: conv}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ok := r.Handoff == c.handoff
		for _, x := range c.cites {
			ok = ok && cites(r, x)
		}
		for _, f := range c.facts {
			ok = ok && strings.Contains(r.Answer, f)
		}
		for _, x := range c.never {
			ok = ok && !cites(r, x)
		}
		if !ok {
			t.Errorf("%q after %q: hand-off %v, citations %v, answer %q; want hand-off %v, citations %v (never %v), facts %q",
				c.q, c.turns, r.Handoff, r.Citations, r.Answer, c.handoff, c.cites, c.never, c.facts)
		}
	}
}

// cites reports whether r cites c, written as "[kind:id]".
func cites(r support.Reply, c string) bool {
	return slices.ContainsFunc(r.Citations, func(x support.Citation) bool { return x.String() == c })
}
