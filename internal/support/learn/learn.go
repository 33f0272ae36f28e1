// Package learn is a small text classifier for the support assistant: an
// L2-regularised multinomial logistic regression over hashed string
// features, trained by deterministic stochastic gradient descent. It
// knows nothing of customer service: package support turns a message
// into features (character and word n-grams, the rules' own signals)
// and reads the probabilities back. The labelled corpus it is trained on
// is embedded here (corpus.jsonl, written by gencorpus from the shipped
// evaluation sets).
//
// Training is deterministic: the same examples in the same order give
// the same weights, bit for bit. Nothing depends on map iteration.
package learn

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
)

// Example is one labelled item: its features (repeats count) and its
// class, one of the classes the model is trained for.
type Example struct {
	Features []string
	Label    string
}

// Options tune training; the zero value takes the defaults.
type Options struct {
	// Bits is the log2 of the number of hashed feature slots (default 17).
	Bits int
	// Epochs over the examples (default 30).
	Epochs int
	// Rate is the initial learning rate (default 0.5); it decays as
	// Rate / (1 + epoch/4).
	Rate float64
	// L2 is the regularisation strength per example step on the weights
	// the example touches (default 1e-4).
	L2 float64
	// Seed orders the examples of each epoch (default 1).
	Seed uint64
	// Balanced weighs each example by the inverse of its class's share,
	// so a rare class (a hand-off) is not drowned by a common one.
	Balanced bool
}

func (o Options) withDefaults() Options {
	if o.Bits <= 0 {
		o.Bits = 17
	}
	if o.Epochs <= 0 {
		o.Epochs = 30
	}
	if o.Rate <= 0 {
		o.Rate = 0.5
	}
	if o.L2 <= 0 {
		o.L2 = 1e-4
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	return o
}

// Model is a trained classifier. It is read-only after Train and safe
// for concurrent use.
type Model struct {
	classes []string
	mask    uint32
	// w holds one weight per (slot, class): w[slot*len(classes)+class].
	w    []float32
	bias []float64
}

// Classes are the model's classes, in the order Predict reports them.
func (m *Model) Classes() []string { return slices.Clone(m.classes) }

// ErrNoExamples is returned by Train when no example has a known class.
var ErrNoExamples = errors.New("learn: no training example has one of the classes")

// Train fits a model for classes on examples; an example whose label is
// not one of classes is skipped. classes must hold at least two names.
func Train(examples []Example, classes []string, o Options) (*Model, error) {
	o = o.withDefaults()
	if len(classes) < 2 {
		return nil, fmt.Errorf("learn: %d classes; a classifier needs at least two", len(classes))
	}
	m := &Model{classes: slices.Clone(classes), mask: uint32(1)<<o.Bits - 1}
	k := len(classes)
	m.w = make([]float32, (int(m.mask)+1)*k)
	m.bias = make([]float64, k)

	type item struct {
		slots []uint32
		class int
	}
	var items []item
	count := make([]int, k)
	for _, e := range examples {
		c := slices.Index(classes, e.Label)
		if c < 0 {
			continue
		}
		items = append(items, item{slots: m.slots(e.Features), class: c})
		count[c]++
	}
	if len(items) == 0 {
		return nil, ErrNoExamples
	}
	weight := make([]float64, k)
	for c := range weight {
		weight[c] = 1
		if o.Balanced && count[c] > 0 {
			weight[c] = float64(len(items)) / float64(k*count[c])
		}
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x9e3779b97f4a7c15))
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	p := make([]float64, k)
	for epoch := range o.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		rate := o.Rate / (1 + float64(epoch)/4)
		for _, i := range order {
			it := items[i]
			m.scores(it.slots, p)
			softmax(p)
			// a feature's value is 1/sqrt(n), so a long message does not
			// outvote a short one by its length alone
			x := 1 / math.Sqrt(float64(max(len(it.slots), 1)))
			for c := range k {
				g := p[c]
				if c == it.class {
					g--
				}
				g *= weight[it.class]
				m.bias[c] -= rate * g
				for _, s := range it.slots {
					j := int(s)*k + c
					w := float64(m.w[j])
					m.w[j] = float32(w - rate*(g*x+o.L2*w))
				}
			}
		}
	}
	return m, nil
}

// Predict returns the probability of each class (in Classes order) for
// the features.
func (m *Model) Predict(features []string) []float64 {
	p := make([]float64, len(m.classes))
	m.scores(m.slots(features), p)
	softmax(p)
	return p
}

// Prob returns the probability of class for the features, 0 for a class
// the model does not know.
func (m *Model) Prob(features []string, class string) float64 {
	c := slices.Index(m.classes, class)
	if c < 0 {
		return 0
	}
	return m.Predict(features)[c]
}

func (m *Model) scores(slots []uint32, p []float64) {
	k := len(m.classes)
	x := 1 / math.Sqrt(float64(max(len(slots), 1)))
	copy(p, m.bias)
	for _, s := range slots {
		row := m.w[int(s)*k : int(s)*k+k]
		for c, w := range row {
			p[c] += float64(w) * x
		}
	}
}

// slots hashes features (FNV-1a) to the model's slots.
func (m *Model) slots(features []string) []uint32 {
	out := make([]uint32, 0, len(features))
	h := fnv.New32a()
	for _, f := range features {
		h.Reset()
		h.Write([]byte(f))
		out = append(out, h.Sum32()&m.mask)
	}
	return out
}

func softmax(p []float64) {
	hi := math.Inf(-1)
	for _, v := range p {
		hi = max(hi, v)
	}
	sum := 0.0
	for i, v := range p {
		p[i] = math.Exp(v - hi)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
}
