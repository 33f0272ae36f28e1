package support_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/compliance/adlaw"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/support"
)

// cvScore is what one evaluation counted, to pool over sets.
type cvScore struct {
	cases, good          int
	withIntent, intentOK int
	tp, fp, fn           int
}

func (s *cvScore) add(o cvScore) {
	s.cases += o.cases
	s.good += o.good
	s.withIntent += o.withIntent
	s.intentOK += o.intentOK
	s.tp += o.tp
	s.fp += o.fp
	s.fn += o.fn
}

func (s cvScore) precision() float64 { return frac(s.tp, s.tp+s.fp) }
func (s cvScore) recall() float64    { return frac(s.tp, s.tp+s.fn) }
func (s cvScore) f1() float64 {
	p, r := s.precision(), s.recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func frac(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// scoreOf counts a report's hand-offs from its cases and failures: a case
// that passed handed off as expected, a failed one as it reports.
func scoreOf(cases []support.EvalCase, rep support.EvalReport) cvScore {
	failed := map[string]support.EvalFailure{}
	for _, f := range rep.Failures {
		failed[f.ID] = f
	}
	s := cvScore{cases: rep.Cases, good: rep.Cases - len(rep.Failures)}
	for _, c := range cases {
		if c.Intent != "" {
			s.withIntent++
		}
		got := c.ExpectHandoff
		if f, ok := failed[c.ID]; ok {
			got = f.Handoff
		}
		switch {
		case got && c.ExpectHandoff:
			s.tp++
		case got:
			s.fp++
		case c.ExpectHandoff:
			s.fn++
		}
	}
	s.intentOK = int(math.Round(rep.IntentAccuracy * float64(s.withIntent)))
	return s
}

// evalShop opens a copy of the demo shop kept at CHORUS_SUPPORT_EVAL
// (built there on the first run), with a search index and the ad-law
// checker for an assistant over it, or skips saying why with skip.
func evalShop(t *testing.T, skip string) (store.Store, *support.Index, *adlaw.Checker) {
	t.Helper()
	path := os.Getenv("CHORUS_SUPPORT_EVAL")
	if path == "" {
		t.Skip(skip)
	}
	if _, err := os.Stat(path); err != nil {
		st, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Build(ctx, st, demo.Options{Seed: demo.DefaultSeed}); err != nil {
			t.Fatal(err)
		}
		if _, err := support.ImportFS(ctx, st, demo.KnowledgeBase()); err != nil {
			t.Fatal(err)
		}
		st.Close()
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cp := filepath.Join(t.TempDir(), "shop.db")
	if err := os.WriteFile(cp, b, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, cp)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ix, err := support.NewIndex()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	ck, err := adlaw.Default()
	if err != nil {
		t.Fatal(err)
	}
	return st, ix, ck
}

// TestLearnCrossValidation is the honest figure of the classifier:
// leave one set out. For each shipped evaluation set, a classifier is
// trained on every other set's cases and the held-out set is answered
// through the whole assistant with it, and with the rules alone. It
// prints hand-off P/R, intent accuracy and answer accuracy per set and
// pooled, and asserts that the rules with the classifier do not lose to
// the rules alone on the pooled hand-off F1.
func TestLearnCrossValidation(t *testing.T) {
	st, ix, ck := evalShop(t, "set CHORUS_SUPPORT_EVAL=/some/shop.db to cross-validate the classifier over the shipped evaluation sets")
	rules := support.New(st, ix, support.Options{AdLaw: ck, RulesOnly: true})
	sets := support.LearnSets()
	var poolRules, poolLearn cvScore
	var table strings.Builder
	fmt.Fprintf(&table, "| held-out set | cases | rules: accuracy | intent | hand-off P / R | rules+classifier: accuracy | intent | hand-off P / R |\n|---|---|---|---|---|---|---|---|\n")
	row := func(name string, r, l cvScore) {
		fmt.Fprintf(&table, "| %s | %d | %.3f | %.3f | %.3f / %.3f | %.3f | %.3f | %.3f / %.3f |\n", name, r.cases,
			frac(r.good, r.cases), frac(r.intentOK, r.withIntent), r.precision(), r.recall(),
			frac(l.good, l.cases), frac(l.intentOK, l.withIntent), l.precision(), l.recall())
	}
	for _, set := range sets {
		f, err := os.Open(filepath.Join("testdata", "eval_"+set+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		cases, err := support.ReadEvalCases(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		others := slices.DeleteFunc(slices.Clone(sets), func(s string) bool { return s == set })
		clf, err := support.TrainClassifier(support.LearnExamples(others...))
		if err != nil {
			t.Fatal(err)
		}
		learned := support.New(st, ix, support.Options{AdLaw: ck, Classifier: clf})
		rr, err := support.Evaluate(ctx, rules, cases, nil)
		if err != nil {
			t.Fatal(err)
		}
		lr, err := support.Evaluate(ctx, learned, cases, nil)
		if err != nil {
			t.Fatal(err)
		}
		r, l := scoreOf(cases, rr), scoreOf(cases, lr)
		poolRules.add(r)
		poolLearn.add(l)
		row(set, r, l)
		// what the classifier changed, for reading the table
		rf := map[string]bool{}
		for _, x := range rr.Failures {
			rf[x.ID] = true
		}
		lf := map[string]support.EvalFailure{}
		for _, x := range lr.Failures {
			lf[x.ID] = x
		}
		for _, c := range cases {
			_, lFail := lf[c.ID]
			switch {
			case rf[c.ID] && !lFail:
				t.Logf("%s FIXED %s %q", set, c.ID, c.Question)
			case !rf[c.ID] && lFail:
				t.Logf("%s BROKE %s %q %v", set, c.ID, c.Question, lf[c.ID].Problems)
			}
		}
	}
	row("pooled", poolRules, poolLearn)
	t.Logf("leave-one-set-out cross-validation (%d sets):\n%s", len(sets), table.String())
	t.Logf("pooled hand-off F1: rules %.3f, rules+classifier %.3f", poolRules.f1(), poolLearn.f1())
	if poolLearn.f1() < poolRules.f1() {
		t.Errorf("pooled cross-validated hand-off F1 with the classifier %.3f is below the rules' alone %.3f", poolLearn.f1(), poolRules.f1())
	}
}
