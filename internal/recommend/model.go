package recommend

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/config"
)

// Names of the recommenders, used in Item.Source, reports and blend weights.
const (
	SourcePopularity = "popularity"
	SourceTrending   = "trending"    // popularity with a short half-life
	SourceCosine     = "item_cosine" // plain cosine, trained for the evaluation's comparison only
	SourceItemKNN    = "item_knn"
	SourceALS        = "als"
	SourceContent    = "content"
	SourceUserKNN    = "user_knn"
	SourceRebuy      = "rebuy" // the customer's own purchases of consumable items
	SourceHybrid     = "hybrid"
)

// components is the fixed order of the blended recommenders.
//
// The customer-to-customer recommender is evaluated beside them but not
// blended: the validation search gave it weight 0 at every cutoff tried on
// Online Retail (its signal is what ALS and item-to-item already carry), and
// each dimension multiplies the search by about 3.5.
//
// Re-buy is nil, and out of the search, unless some item is repeatable
// (consumable): a shop without consumables searches four dimensions.
var components = []string{SourceTrending, SourceItemKNN, SourceALS, SourceContent, SourceRebuy}

// Options configure training. Zero values are replaced by DefaultOptions'.
type Options struct {
	Weights            Weights        `json:"weights"`
	PopularityHalfLife float64        `json:"popularity_half_life_days"`
	TrendingHalfLife   float64        `json:"trending_half_life_days"`
	KNN                KNNOptions     `json:"item_knn"`
	ALS                ALSOptions     `json:"als"`
	ContentHalfLife    float64        `json:"content_half_life_days"`
	UserKNN            UserKNNOptions `json:"user_knn"`
	// Blend are the hybrid weights by recommender name; Tune replaces them
	// with weights searched on a validation split of the training period.
	Blend map[string]float64 `json:"blend"`
	Tune  bool               `json:"tune"`
	// RecentHalfLives are the item-to-item co-occurrence half-lives
	// (KNNOptions.RecentHalfLife) Tune tries; empty: only the configured.
	RecentHalfLives []float64 `json:"recent_half_lives"`
	// ValidationDays is the length of the validation period carved from the
	// end of the training events when tuning.
	ValidationDays int `json:"validation_days"`
	// TuneK is the cut-off of the NDCG the tuning maximises.
	TuneK int `json:"tune_k"`
	// DiversityCap is the most items of one top category in a list (0: no cap).
	DiversityCap int `json:"diversity_cap"`
	// Consumable categories may be recommended again after a purchase;
	// "*" makes every item repeatable.
	Consumable []string `json:"consumable"`
	// SkipALS leaves the factorisation out (tests of the other parts).
	SkipALS bool `json:"-"`
	// Progress, when set, is told each training step as it finishes.
	Progress func(step string, took time.Duration) `json:"-"`
}

// DefaultOptions are the settings measured best on Online Retail (see
// docs in eval.go and `chorus recommend eval`).
func DefaultOptions() Options {
	return FromConfig(config.Default().Recommend)
}

// FromConfig turns the recommend config section into training options.
func FromConfig(c config.Recommend) Options {
	return Options{
		Weights:            Weights{Purchase: c.PurchaseWeight, Cart: c.CartWeight, View: c.ViewWeight, Refund: c.RefundWeight},
		PopularityHalfLife: c.PopularityHalfLifeDays,
		TrendingHalfLife:   c.TrendingHalfLifeDays,
		KNN: KNNOptions{
			Neighbours: c.Neighbours, Shrink: c.Shrinkage, PowI: c.KNNPowI, PowJ: c.KNNPowJ, UserPow: c.KNNUserPow,
			Exponent: c.KNNExponent, LogValues: c.KNNLogValues, HistoryHalfLife: c.HistoryHalfLifeDays,
			RecentHalfLife: c.KNNRecentHalfLifeDays,
		},
		RecentHalfLives: slices.Clone(c.TuneRecentHalfLives),
		ALS: ALSOptions{
			Factors: c.ALSFactors, Iterations: c.ALSIterations, Regularization: c.ALSRegularization,
			Alpha: c.ALSAlpha, Epsilon: 1, LogConfidence: c.ALSLogConfidence, CGSteps: c.ALSCGSteps, Seed: c.Seed,
		},
		ContentHalfLife: c.HistoryHalfLifeDays,
		UserKNN:         UserKNNOptions{Neighbours: c.UserNeighbours, Shrink: c.UserShrinkage, Exponent: c.UserExponent},
		Blend: map[string]float64{
			SourceTrending: c.BlendTrending, SourceItemKNN: c.BlendItemKNN, SourceALS: c.BlendALS, SourceContent: c.BlendContent,
			SourceRebuy: c.BlendRebuy,
		},
		Tune:           c.Tune,
		ValidationDays: c.ValidationDays,
		TuneK:          10,
		DiversityCap:   c.DiversityCap,
		Consumable:     slices.Clone(c.Consumable),
	}
}

// recommender scores every item for one customer.
type recommender interface {
	name() string
	// score writes one score per item into out (len = number of items).
	score(u int32, out []float32, s *scratch)
}

// Model is a trained set of recommenders and their blend. It is safe for
// concurrent use by many goroutines.
type Model struct {
	data    *Data
	ts      *trainSet
	pop     *popularity
	trend   *popularity
	knn     *itemKNN
	als     *als
	content *content
	user    *userKNN
	rebuy   *rebuy        // nil when no item is repeatable
	comps   []recommender // in the order of components; nil when skipped
	weights []float64
	// hist is the recency weight of every customer-item pair at
	// KNN.HistoryHalfLife, computed once and shared by item-to-item,
	// re-buy and (at the same half-life, as configured) content.
	hist []float32
	// Per item, precomputed by prepare: the stock/active rule and the
	// consumable rule.
	avail      []bool
	repeatable []bool
	opts       Options

	// Timings of each training step.
	Timings map[string]time.Duration
	// Tuning reports how the blend weights were chosen.
	Tuning TuneReport
}

// Train fits every recommender on ds (typically all events, or the events
// before an evaluation cutoff) and, when opts.Tune is set, searches the
// blend weights on a validation split carved from the end of ds. It fails
// with apperr.Invalid when ds holds no customer purchases.
func Train(ds *Data, opts Options) (*Model, error) {
	return TrainContext(context.Background(), ds, opts)
}

// TrainContext is Train with cancellation between the steps.
func TrainContext(ctx context.Context, ds *Data, opts Options) (*Model, error) {
	opts = opts.withDefaults()
	// Tuning comes first: it may choose the item-to-item half-life that
	// the final training then uses.
	rep := TuneReport{Tuned: false, Reason: "tuning off: configured weights"}
	var tuneTime time.Duration
	if opts.Tune {
		t0 := time.Now()
		var err error
		if rep, err = tuneBlend(ctx, ds, opts); err != nil {
			return nil, err
		}
		if rep.Tuned {
			opts.KNN.RecentHalfLife = rep.RecentHalfLife
		}
		tuneTime = time.Since(t0)
		if opts.Progress != nil {
			opts.Progress("tune (validation split)", tuneTime)
		}
	}
	m, err := trainComponents(ctx, ds, opts)
	if err != nil {
		return nil, err
	}
	m.weights = make([]float64, len(components))
	for c, n := range components {
		m.weights[c] = opts.Blend[n]
		if rep.Tuned {
			m.weights[c] = rep.Weights[n]
		}
	}
	if !rep.Tuned {
		rep.Weights = m.BlendWeights()
		rep.RecentHalfLife = opts.KNN.RecentHalfLife
	}
	m.Tuning = rep
	if opts.Tune {
		m.Timings["tune"] = tuneTime
	}
	return m, nil
}

func (o Options) withDefaults() Options {
	def := FromConfig(config.Default().Recommend)
	if o.Weights == (Weights{}) {
		o.Weights = def.Weights
	}
	if o.KNN.Neighbours == 0 {
		o.KNN = def.KNN
	}
	if o.UserKNN.Neighbours == 0 {
		o.UserKNN = def.UserKNN
	}
	if o.ALS.Factors == 0 {
		o.ALS = def.ALS
	}
	if o.ALS.Epsilon == 0 {
		o.ALS.Epsilon = 1
	}
	if o.Blend == nil {
		o.Blend = def.Blend
	}
	if o.ValidationDays == 0 {
		o.ValidationDays = def.ValidationDays
	}
	if o.TuneK == 0 {
		o.TuneK = 10
	}
	return o
}

func trainComponents(ctx context.Context, ds *Data, opts Options) (*Model, error) {
	m := &Model{data: ds, opts: opts, Timings: map[string]time.Duration{}}
	t0 := time.Now()
	m.ts = newTrainSet(ds, opts.Weights)
	if m.ts.ui.nnz() == 0 {
		return nil, apperr.New(apperr.Invalid, "recommend: no customer has a purchase in the training events; import orders with customer ids first")
	}
	m.hist = m.ts.historyWeights(opts.KNN.HistoryHalfLife)
	m.Timings["matrix"] = time.Since(t0)
	step := func(name string, fn func()) error {
		if err := ctx.Err(); err != nil {
			return apperr.Wrap(err, apperr.Unavailable, "recommend: training cancelled")
		}
		t := time.Now()
		fn()
		m.Timings[name] = time.Since(t)
		if opts.Progress != nil {
			opts.Progress(name, m.Timings[name])
		}
		return nil
	}
	if err := step(SourcePopularity, func() {
		m.pop = trainPopularity(m.ts, opts.PopularityHalfLife, SourcePopularity)
		m.trend = trainPopularity(m.ts, opts.TrendingHalfLife, SourceTrending)
	}); err != nil {
		return nil, err
	}
	if err := step(SourceItemKNN, func() { m.knn = trainItemKNN(m.ts, opts.KNN, SourceItemKNN, m.hist) }); err != nil {
		return nil, err
	}
	if !opts.SkipALS {
		if err := step(SourceALS, func() { m.als = trainALS(m.ts, opts.ALS) }); err != nil {
			return nil, err
		}
	}
	if err := step(SourceContent, func() { m.content = trainContent(m.ts, m.recency(opts.ContentHalfLife)) }); err != nil {
		return nil, err
	}
	if err := step(SourceUserKNN, func() { m.user = trainUserKNN(m.ts, opts.UserKNN) }); err != nil {
		return nil, err
	}
	m.assemble()
	m.prepare()
	return m, nil
}

// assemble lists the trained recommenders in the order of components
// (re-buy is added by prepare, which knows whether any item is
// consumable). ALS may be missing: a typed nil in the interface would
// not read as skipped.
func (m *Model) assemble() {
	m.comps = []recommender{m.trend, m.knn, nil, m.content, nil}
	if m.als != nil {
		m.comps[2] = m.als
	}
}

func normCategory(c string) string { return strings.ToLower(strings.TrimSpace(c)) }

// recency is the recency weight of every customer-item pair at the given
// half-life: the model's hist when it is the history half-life (the usual
// case), else weights computed for the caller.
func (m *Model) recency(halfLifeDays float64) []float32 {
	if m.hist != nil && halfLifeDays == m.opts.KNN.HistoryHalfLife {
		return m.hist
	}
	return m.ts.historyWeights(halfLifeDays)
}

// refreshCatalog applies today's availability to a restored model (see
// Data.refreshCatalog) and prepares it again.
func (m *Model) refreshCatalog(ps []catalog.Product) {
	m.data.refreshCatalog(ps)
	m.prepare()
}

// prepare derives from the options and the catalog what training and
// UnmarshalModel both need before a model scores: the per-item business
// rules, so that scoring a customer reads two slices instead of parsing
// category paths, and re-buy, which exists only when some item is
// consumable. It is the one place that reads Options.Consumable.
func (m *Model) prepare() {
	consumable := map[string]bool{}
	for _, c := range m.opts.Consumable {
		consumable[normCategory(c)] = true
	}
	n := m.data.NumItems()
	m.avail = make([]bool, n)
	m.repeatable = make([]bool, n)
	some := false
	for i := range n {
		m.avail[i] = m.data.available(int32(i))
		m.repeatable[i] = consumableItem(consumable, &m.data.Products[i])
		some = some || m.repeatable[i]
	}
	m.rebuy = nil
	if some {
		m.rebuy = newRebuy(m.ts, m.repeatable, m.hist)
	}
	if len(m.comps) == len(components) {
		m.comps[4] = nil
		if m.rebuy != nil {
			m.comps[4] = m.rebuy
		}
	}
}

// BlendWeights returns the blend weights in use by recommender name; a
// recommender the model does not have (re-buy without consumable items,
// ALS when skipped) is left out.
func (m *Model) BlendWeights() map[string]float64 {
	out := map[string]float64{}
	for c, n := range components {
		if m.comps[c] != nil {
			out[n] = m.weights[c]
		}
	}
	return out
}

// Data returns the data the model was trained on.
func (m *Model) Data() *Data { return m.data }

// Known reports whether the customer has a history the model learnt from;
// Recommend falls back to popularity for everyone else.
func (m *Model) Known(customerID string) bool {
	u, ok := m.data.CustomerIndex(customerID)
	return ok && m.ts.ui.Ptr[u+1] > m.ts.ui.Ptr[u]
}

func (m *Model) newScratch() *scratch {
	n := m.data.NumItems()
	s := &scratch{comp: make([][]float32, len(components)), scale: make([]float32, len(components)), blend: make([]float32, n), exclude: make([]bool, n)}
	for c := range s.comp {
		s.comp[c] = make([]float32, n)
	}
	return s
}

// blendScores fills s.blend with the hybrid score of every item not
// excluded (s.exclude), each component divided by its maximum over those
// items so that weights compare like with like; excluded items get -Inf.
// Excluded items are zeroed in each component instead of tested in every
// loop, so that the per-item passes are branch-free (and the sum is a
// SIMD axpy).
func (m *Model) blendScores(u int32, weights []float64, s *scratch) {
	excl := s.excl[:0]
	for i, x := range s.exclude {
		if x {
			excl = append(excl, int32(i))
		}
	}
	s.excl = excl
	clear(s.blend)
	for c, r := range m.comps {
		s.scale[c] = 0
		if r == nil || weights[c] == 0 {
			continue
		}
		out := s.comp[c]
		r.score(u, out, s)
		for _, i := range excl {
			out[i] = 0
		}
		scale := maxAbsInv(out)
		s.scale[c] = scale
		if scale == 0 {
			continue
		}
		axpy(float32(weights[c])*scale, out, s.blend)
	}
	neg := float32(math.Inf(-1))
	for _, i := range excl {
		s.blend[i] = neg
	}
}

// maxAbsInv is 1/max|v|, 0 when all are zero.
func maxAbsInv(out []float32) float32 {
	// Plain comparisons: the built-in max orders NaN and signed zeros,
	// which makes it several times slower in this loop.
	var mx float32
	for _, v := range out {
		if v > mx {
			mx = v
		} else if -v > mx {
			mx = -v
		}
	}
	if mx == 0 {
		return 0
	}
	return 1 / mx
}

// normScale is 1/max|score| over the candidate items, 0 when all are zero.
func normScale(out []float32, exclude []bool) float32 {
	var mx float32
	for i, v := range out {
		if !exclude[i] {
			if v < 0 {
				v = -v
			}
			if v > mx {
				mx = v
			}
		}
	}
	if mx == 0 {
		return 0
	}
	return 1 / mx
}

// topK returns the indices of the k largest finite scores, best first,
// ties broken by the lower item id so that results are deterministic.
func topK(scores []float32, k int, buf []int32) []int32 {
	buf = buf[:0]
	if k <= 0 {
		return buf
	}
	// thr caches the k-th best score once the list is full.
	neg := float32(math.Inf(-1))
	thr := neg
	for i, v := range scores {
		if v == neg || (len(buf) == k && v <= thr) {
			continue
		}
		// insertion into the sorted top list
		pos := len(buf)
		if len(buf) < k {
			buf = append(buf, int32(i))
		} else {
			pos = k - 1
		}
		for pos > 0 && scores[buf[pos-1]] < v {
			buf[pos] = buf[pos-1]
			pos--
		}
		buf[pos] = int32(i)
		if len(buf) == k {
			thr = scores[buf[k-1]]
		}
	}
	return buf
}

// TrainALSOnly builds the matrices and fits only the factorisation, for
// benchmarks that time ALS by itself; the returned model recommends with
// ALS alone.
func TrainALSOnly(ctx context.Context, ds *Data, opts Options) (*Model, error) {
	opts = opts.withDefaults()
	m := &Model{data: ds, opts: opts, Timings: map[string]time.Duration{}}
	m.ts = newTrainSet(ds, opts.Weights)
	if m.ts.ui.nnz() == 0 {
		return nil, apperr.New(apperr.Invalid, "recommend: no customer has a purchase in the training events; import orders with customer ids first")
	}
	if err := ctx.Err(); err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "recommend: training cancelled")
	}
	t := time.Now()
	m.als = trainALS(m.ts, opts.ALS)
	m.Timings[SourceALS] = time.Since(t)
	m.trend = trainPopularity(m.ts, opts.TrendingHalfLife, SourceTrending)
	m.comps = []recommender{m.trend, nil, m.als, nil, nil}
	m.prepare()
	m.rebuy, m.comps[4] = nil, nil // ALS alone (and no history weights for re-buy)
	m.weights = []float64{0, 0, 1, 0, 0}
	return m, nil
}
