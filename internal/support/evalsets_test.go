package support_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// TestEvalSets prints the figures of every shipped evaluation set on the
// full demo shop, with each failure, for work on the rules: it asserts
// nothing of its own (TestShippedEvalSet holds the targets), so it runs
// only with CHORUS_SUPPORT_EVAL set to a path where the built shop is
// kept between runs (building it takes about 20 s).
func TestEvalSets(t *testing.T) {
	st, ix, ck := evalShop(t, "set CHORUS_SUPPORT_EVAL=/some/shop.db to run every shipped evaluation set and print its failures")
	a := support.New(st, ix, support.Options{AdLaw: ck})
	files, _ := filepath.Glob("testdata/eval_*.jsonl")
	for _, file := range files {
		cases := readEvalFile(t, file)
		rep, err := support.Evaluate(ctx, a, cases, nil)
		if err != nil {
			t.Fatal(err)
		}
		// the cases whose expected sources are not among the first five
		// passages (what retrieval recall@5 counts)
		for _, c := range cases {
			lang := c.Language
			if lang == "" {
				lang = support.DetectLanguage(c.Question)
			}
			hits, err := ix.Search(ctx, c.Question, support.SearchOptions{Language: lang, K: 5})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range c.ExpectCitations {
				if w.Kind != support.CiteProduct && w.Kind != support.CitePolicy {
					continue
				}
				if !slices.ContainsFunc(hits, func(h support.Passage) bool { return h.Cite() == w }) {
					t.Logf("%s RETRIEVAL %s %q: %s not in %v", file, c.ID, c.Question, w, hits)
				}
			}
		}
		for _, fl := range rep.Failures {
			j, _ := json.Marshal(fl)
			t.Logf("%s FAIL %s unknown %q", file, j, ix.UnknownWords(fl.Question, support.DetectLanguage(fl.Question)))
		}
		t.Logf("%s: cases %d accuracy %.3f intent %.3f citation P %.3f R %.3f grounded %.3f (%d figures) hand-off P %.3f R %.3f injection %.3f p95 %.1f ms recall@5 %v",
			file, rep.Cases, rep.Accuracy, rep.IntentAccuracy, rep.CitationPrecision, rep.CitationRecall, rep.Groundedness, rep.NumericClaims, rep.HandoffPrecision, rep.HandoffRecall, rep.InjectionRefusal, rep.LatencyMS.P95, rep.RetrievalRecall5)
	}
}

// The probe set of these misses (testdata/eval_probe2.jsonl) meets the
// targets of issue #16 on the demo shop. It was written while fixing
// them: a regression check, not a held-out figure.
func TestProbe2EvalSet(t *testing.T) {
	cases := readEvalFile(t, "testdata/eval_probe2.jsonl")
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

// readEvalFile reads the evaluation cases of a JSONL file.
func readEvalFile(t testing.TB, file string) []support.EvalCase {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := support.ReadEvalCases(f)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}
