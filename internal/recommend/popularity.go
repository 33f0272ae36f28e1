package recommend

import (
	"math"
)

// trainSet is what every recommender trains on: one view of the data with
// its matrices built once.
type trainSet struct {
	d      *Data
	ui     *csr // customers x items
	iu     *csr // items x customers
	now    int64
	bought [][]int32
}

func newTrainSet(d *Data, w Weights) *trainSet {
	ui := userItem(d, w)
	ts := &trainSet{d: d, ui: ui, iu: ui.transpose(), bought: purchased(d)}
	if n := len(d.Events); n > 0 {
		ts.now = d.Events[n-1].At
	}
	return ts
}

// decay is the weight of something age seconds old with the given
// half-life in days; a half-life <= 0 switches decay off.
func decay(age int64, halfLifeDays float64) float32 {
	if halfLifeDays <= 0 || age <= 0 {
		return 1
	}
	return float32(math.Exp(-math.Ln2 * float64(age) / (halfLifeDays * 86400)))
}

// popularity ranks items by recency-weighted purchase count, guests
// included: the baseline every other recommender must beat, and the
// fallback for customers with no history.
type popularity struct {
	scores []float32
	label  string
}

func trainPopularity(ts *trainSet, halfLifeDays float64, label string) *popularity {
	p := &popularity{scores: make([]float32, ts.d.NumItems()), label: label}
	for _, e := range ts.d.Events {
		if e.Kind == kindPurchase {
			p.scores[e.Item] += decay(ts.now-e.At, halfLifeDays)
		}
	}
	return p
}

func (p *popularity) name() string { return p.label }

func (p *popularity) score(_ int32, out []float32, _ *scratch) { copy(out, p.scores) }

// historyWeights is the recency weight of every (customer, item) pair,
// computed once so that scoring does no exponentials.
func (ts *trainSet) historyWeights(halfLifeDays float64) []float32 {
	w := make([]float32, ts.ui.nnz())
	for x, last := range ts.ui.Last {
		w[x] = decay(ts.now-last, halfLifeDays)
	}
	return w
}
