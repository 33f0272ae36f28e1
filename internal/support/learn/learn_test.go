package learn

import (
	"math"
	"slices"
	"testing"
)

// TestTrainSeparatesClasses trains on two classes told apart by one
// feature each, with a shared feature beside, and reads each class back
// with confidence; trained twice, the weights are the same.
func TestTrainSeparatesClasses(t *testing.T) {
	var ex []Example
	for i := range 40 {
		if i%2 == 0 {
			ex = append(ex, Example{Features: []string{"h1:退", "shared"}, Label: "policy"})
		} else {
			ex = append(ex, Example{Features: []string{"w1:human", "shared"}, Label: "person"})
		}
	}
	m, err := Train(ex, []string{"policy", "person"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p := m.Prob([]string{"h1:退", "shared"}, "policy"); p < 0.9 {
		t.Errorf("policy feature: P(policy) = %.3f", p)
	}
	if p := m.Prob([]string{"w1:human", "shared"}, "person"); p < 0.9 {
		t.Errorf("person feature: P(person) = %.3f", p)
	}
	if p := m.Prob([]string{"shared"}, "person"); math.Abs(p-0.5) > 0.2 {
		t.Errorf("the shared feature alone: P(person) = %.3f, want near 0.5", p)
	}
	again, err := Train(slices.Clone(ex), []string{"policy", "person"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.w, again.w) || !slices.Equal(m.bias, again.bias) {
		t.Error("training twice on the same examples gave different weights")
	}
}

// TestTrainBalanced weighs a rare class up: with one positive in ten, a
// balanced model still reads the positive's feature as the positive.
func TestTrainBalanced(t *testing.T) {
	var ex []Example
	for i := range 100 {
		if i%10 == 0 {
			ex = append(ex, Example{Features: []string{"w1:lawyer", "w1:the"}, Label: "yes"})
		} else {
			ex = append(ex, Example{Features: []string{"w1:the", "w1:price"}, Label: "no"})
		}
	}
	m, err := Train(ex, []string{"no", "yes"}, Options{Balanced: true})
	if err != nil {
		t.Fatal(err)
	}
	if p := m.Prob([]string{"w1:lawyer", "w1:the"}, "yes"); p < 0.8 {
		t.Errorf("P(yes | lawyer) = %.3f", p)
	}
	if p := m.Prob([]string{"w1:the", "w1:price"}, "yes"); p > 0.2 {
		t.Errorf("P(yes | price) = %.3f", p)
	}
}

// TestTrainErrors: fewer than two classes, or no example of a known
// class, is an error.
func TestTrainErrors(t *testing.T) {
	if _, err := Train([]Example{{Features: []string{"a"}, Label: "x"}}, []string{"x"}, Options{}); err == nil {
		t.Error("one class: no error")
	}
	if _, err := Train([]Example{{Features: []string{"a"}, Label: "z"}}, []string{"x", "y"}, Options{}); err == nil {
		t.Error("no known label: no error")
	}
}

// TestCorpus: the embedded corpus parses, and every record has a set, a
// question and the text the rules read.
func TestCorpus(t *testing.T) {
	rs := Corpus()
	if len(rs) == 0 {
		t.Fatal("empty corpus")
	}
	for i, r := range rs {
		if r.Set == "" || r.Question == "" || r.Text == "" || len(r.Signals) == 0 {
			t.Fatalf("record %d: %+v", i, r)
		}
	}
	if sets := Sets(rs); len(sets) < 2 || sets[0] != rs[0].Set {
		t.Errorf("sets %v", sets)
	}
}
