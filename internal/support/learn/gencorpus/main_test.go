package main

import (
	"os"
	"slices"
	"testing"

	"github.com/chorusmkt/chorus/internal/support/learn"
)

// maxSignalDrift is the share of records whose stored rule signals may
// differ from what the rules read now before the corpus must be
// regenerated: a small change of a rule moves a few cases' features and
// the model barely; a large one trains the model on signals the rules no
// longer give.
const maxSignalDrift = 0.02

// TestLearnCorpusIsCurrent rebuilds the corpus from the shipped sets and
// compares it with the committed one: every case, its text and labels
// must be there as they are now; the rules' signals may drift a little
// (maxSignalDrift).
func TestLearnCorpusIsCurrent(t *testing.T) {
	b, err := Build("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := learn.ReadCorpus(string(b))
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("../corpus.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	stored, err := learn.ReadCorpus(string(committed))
	if err != nil {
		t.Fatal(err)
	}
	if len(fresh) != len(stored) {
		t.Fatalf("the corpus has %d cases, the shipped sets %d: run go generate ./internal/support/learn", len(stored), len(fresh))
	}
	drift := 0
	for i, f := range fresh {
		s := stored[i]
		if f.Set != s.Set || f.ID != s.ID || f.Question != s.Question || f.Text != s.Text || f.Intent != s.Intent || f.Handoff != s.Handoff ||
			f.Injection != s.Injection || !slices.Equal(f.Turns, s.Turns) {
			t.Fatalf("corpus line %d (%s %s) differs from its set: run go generate ./internal/support/learn", i+1, s.Set, s.ID)
		}
		if !slices.Equal(f.Signals, s.Signals) {
			drift++
		}
	}
	t.Logf("%d of %d cases' rule signals changed since the corpus was generated", drift, len(fresh))
	if float64(drift) > maxSignalDrift*float64(len(fresh)) {
		t.Errorf("%d of %d cases' rule signals changed: run go generate ./internal/support/learn", drift, len(fresh))
	}
}
