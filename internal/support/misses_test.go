package support_test

import (
	"os"
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// Known misses of issue #16, checked by class on the demo shop.

// Politeness, a Chinese sentence around English product words and an
// order not yet placed are read for what they ask.
func TestPoliteAndMixedQuestions(t *testing.T) {
	st := demoShop(t)
	a := assistant(t, st, support.Options{})
	cases := []struct{ q, intent, cite string }{
		{"sorry to bother you, how much is shipping?", support.IntentPolicy, "[policy:shipping]"},
		{"不好意思打扰一下，退款多久到账", support.IntentPolicy, "[policy:refund]"},
		{"camping lantern有货吗", support.IntentProduct, "[product:CN-OUT-LANTERN]"},
		{"今天下单什么时候发货", support.IntentPolicy, "[policy:shipping]"},
	}
	for _, c := range cases {
		r, err := a.Answer(ctx, support.Request{Text: c.q, Channel: "test"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Handoff || r.Intent != c.intent || !cites(r, c.cite) {
			t.Errorf("%q: intent %s, hand-off %v, citations %v, answer %q; want %s citing %s", c.q, r.Intent, r.Handoff, r.Citations, r.Answer, c.intent, c.cite)
		}
	}
	if got := support.DetectLanguage("camping lantern有货吗"); got != support.Zh {
		t.Errorf("DetectLanguage(camping lantern有货吗) = %s, want zh", got)
	}
	if got := support.DetectLanguage("how much is the lantern, 谢谢"); got != support.En {
		t.Errorf("DetectLanguage(how much is the lantern, 谢谢) = %s, want en", got)
	}
	// an order placed already is still looked up
	r, err := a.Answer(ctx, support.Request{Text: "我昨天下单的什么时候发货", Channel: "test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Intent != support.IntentOrder {
		t.Errorf("我昨天下单的什么时候发货: intent %s, want %s", r.Intent, support.IntentOrder)
	}
}

// The probe set of these misses (testdata/eval_probe2.jsonl) meets the
// targets of issue #16 on the demo shop. It was written while fixing
// them: a regression check, not a held-out figure.
func TestProbe2EvalSet(t *testing.T) {
	f, err := os.Open("testdata/eval_probe2.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := support.ReadEvalCases(f)
	if err != nil {
		t.Fatal(err)
	}
	a := assistant(t, demoShop(t), support.Options{})
	rep, err := support.Evaluate(ctx, a, cases, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, fl := range rep.Failures {
		t.Logf("%s %q: %v (answer %q)", fl.ID, fl.Question, fl.Problems, fl.Answer)
	}
	if len(cases) != 40 || rep.Accuracy < 0.95 || rep.Groundedness < 1 || rep.HandoffRecall < 0.95 || rep.HandoffPrecision < 0.9 ||
		rep.RetrievalRecall5["zh"] < 0.9 || rep.RetrievalRecall5["en"] < 0.9 {
		t.Fatalf("below target: %d cases, accuracy %.3f, grounded %.3f, hand-off P %.3f R %.3f, recall@5 %v",
			len(cases), rep.Accuracy, rep.Groundedness, rep.HandoffPrecision, rep.HandoffRecall, rep.RetrievalRecall5)
	}
}

// Who she asks for and what for (my sister, 帮我老婆问, a birthday party)
// is her circumstance, not a topic the rules must name; 能不能用花呗 asks
// whether she may use something, and is no fault.
func TestCircumstanceIsNotATopic(t *testing.T) {
	st := demoShop(t)
	a := assistant(t, st, support.Options{})
	for _, c := range []struct{ q, cite string }{
		{"my sister wants to know if you ship to Australia", "[policy:faq-overseas]"},
		{"asking for my mum: can she pay with Klarna?", "[policy:payment]"},
		{"for my birthday party, do you do gift wrapping?", "[policy:faq-giftwrap]"},
		{"帮我老婆问一下，退款多久到账", "[policy:refund]"},
		{"能不能用花呗分期", "[policy:payment]"},
		{"这个充电器苹果手机能不能用", "[product:CN-TECH-CHARGER]"},
	} {
		r, err := a.Answer(ctx, support.Request{Text: c.q, Channel: "test"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Handoff || !cites(r, c.cite) || r.Intent == support.IntentComplaint {
			t.Errorf("%q: intent %s, hand-off %v, citations %v; want %s answered", c.q, r.Intent, r.Handoff, r.Citations, c.cite)
		}
	}
	// a service the shop's rules never name still goes to a person
	r, err := a.Answer(ctx, support.Request{Text: "Do you do student discounts?", Channel: "test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Handoff {
		t.Errorf("student discounts: %q; want a hand-off", r.Answer)
	}
}
