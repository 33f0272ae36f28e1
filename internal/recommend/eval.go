package recommend

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Protocol is the offline evaluation protocol, printed beside the numbers
// so that nobody mistakes them for something easier.
const Protocol = `Offline evaluation protocol (temporal split, full ranking):
  - train every recommender on events strictly before the cutoff; the test period is never
    used for training or tuning;
  - tuning: the last validation_days of the training events are held out as a validation
    period; the recommenders are trained on the events before it and the blend weights (a
    simplex grid in steps of 0.1) and item-to-item's co-occurrence half-life (among
    tune_recent_half_lives) are chosen for the best validation NDCG@10, measured the same way
    as below; the final models are then trained on all training events with that choice;
  - test on purchases from the cutoff to the end of the data (or --until) by customers who had
    at least one event before the cutoff;
  - relevant items of a customer = the items she bought in the test period that she had not
    bought before the cutoff, plus re-buys of consumable items: exactly what the business rule
    lets Recommend show (already-bought items are left out unless their category is
    consumable); customers with no relevant item are not test users;
  - each recommender ranks ALL items known before the cutoff (no sampled negatives), minus the
    customer's earlier purchases of non-consumable items; items first sold after the cutoff
    are relevant but can be recommended by nobody (they count as misses);
  - metrics at K, averaged over test users: HR (at least one hit), precision (hits/K), recall
    (hits/|relevant|), NDCG (binary gains, log2 discount, ideal = min(K,|relevant|) hits),
    MAP (sum of precision at each hit / min(K,|relevant|)); catalog coverage = distinct items in
    all top-K lists / items known before the cutoff; ratio = NDCG / popularity's NDCG in this run.`

// Metrics are ranking metrics at K averaged over test users.
type Metrics struct {
	HR        float64 `json:"hr"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	NDCG      float64 `json:"ndcg"`
	MAP       float64 `json:"map"`
	Coverage  float64 `json:"coverage"`
}

// Result is one recommender's evaluation.
type Result struct {
	Recommender string  `json:"recommender"`
	Metrics     Metrics `json:"metrics"`
	// NDCGRatio is NDCG divided by popularity's NDCG in the same run.
	NDCGRatio float64 `json:"ndcg_vs_popularity"`
	// Seconds spent ranking every test user.
	RankSeconds float64 `json:"rank_seconds"`
}

// EvalOptions configure Evaluate.
type EvalOptions struct {
	Cutoff time.Time
	Until  time.Time // zero: to the end of the data
	K      int
	Train  Options
}

// EvalReport is the outcome of Evaluate.
type EvalReport struct {
	Protocol      string    `json:"protocol"`
	Cutoff        time.Time `json:"cutoff"`
	Until         time.Time `json:"until,omitzero"`
	K             int       `json:"k"`
	Train         Stats     `json:"train"`
	TestUsers     int       `json:"test_users"`
	RelevantItems int       `json:"relevant_pairs"`
	// TestPairs are the distinct (customer, item) purchases of the test
	// period by customers seen before the cutoff; RepeatPairs those of an
	// item she had bought before (relevant only when consumable).
	TestPairs      int                `json:"test_pairs"`
	RepeatPairs    int                `json:"repeat_pairs"`
	CandidateItems int                `json:"candidate_items"`
	Results        []Result           `json:"results"`
	Best           string             `json:"best"`
	Blend          map[string]float64 `json:"blend_weights"`
	Tuning         TuneReport         `json:"tuning"`
	TrainSeconds   map[string]float64 `json:"train_seconds"`
}

// testSet is the held-out truth of one split.
type testSet struct {
	users    []int32
	relevant [][]int32 // sorted
	// pairs counts the distinct (customer, item) purchases of the test
	// period by customers seen before it, repeats those of an item the
	// customer had bought before (not relevant unless repeatable).
	pairs, repeats int
}

// buildTestSet takes the purchases in test by customers with events in ts
// and keeps the items they had not bought in ts, or had bought but which
// are repeatable (consumable): exactly what Recommend may show.
func buildTestSet(ts *trainSet, test *Data, repeatable []bool) testSet {
	seen := make([]bool, ts.d.NumCustomers())
	for _, e := range ts.d.Events {
		if e.Customer >= 0 {
			seen[e.Customer] = true
		}
	}
	all := make([][]int32, ts.d.NumCustomers())
	for _, e := range test.Events {
		if e.Kind != kindPurchase || e.Customer < 0 || !seen[e.Customer] {
			continue
		}
		all[e.Customer] = append(all[e.Customer], e.Item)
	}
	var t testSet
	for u, items := range all {
		slices.Sort(items)
		items = slices.Compact(items)
		var rel []int32
		for _, i := range items {
			t.pairs++
			if contains(ts.bought[u], i) {
				t.repeats++
				if repeatable == nil || !repeatable[i] {
					continue
				}
			}
			rel = append(rel, i)
		}
		if len(rel) == 0 {
			continue
		}
		t.users = append(t.users, int32(u))
		t.relevant = append(t.relevant, rel)
	}
	return t
}

// known marks the items with at least one training event: the ranking's
// candidates in an evaluation.
func known(ts *trainSet) []bool {
	k := make([]bool, ts.d.NumItems())
	for _, e := range ts.d.Events {
		k[e.Item] = true
	}
	return k
}

// userMetrics scores one ranked list against the sorted relevant items.
func userMetrics(top []int32, relevant []int32, k int) Metrics {
	var m Metrics
	hits := 0
	var dcg, ap float64
	for r, i := range top {
		if r >= k {
			break
		}
		if contains(relevant, i) {
			hits++
			dcg += 1 / math.Log2(float64(r)+2)
			ap += float64(hits) / float64(r+1)
		}
	}
	ideal := min(k, len(relevant))
	var idcg float64
	for r := 0; r < ideal; r++ {
		idcg += 1 / math.Log2(float64(r)+2)
	}
	if hits > 0 {
		m.HR = 1
	}
	m.Precision = float64(hits) / float64(k)
	m.Recall = float64(hits) / float64(len(relevant))
	if idcg > 0 {
		m.NDCG = dcg / idcg
		m.MAP = ap / float64(ideal)
	}
	return m
}

// rankFunc fills s.blend with the scores of one customer, -Inf for
// excluded items.
type rankFunc func(u int32, s *scratch)

// evaluate ranks every test user with rank and averages the metrics.
func evaluate(m *Model, t testSet, cand []bool, k int, rank rankFunc) Metrics {
	per := make([]Metrics, len(t.users))
	tops := make([][]int32, len(t.users))
	parallelRange(len(t.users), func(lo, hi int) {
		s := m.newScratch()
		buf := make([]int32, 0, k)
		for x := lo; x < hi; x++ {
			u := t.users[x]
			m.candidates(u, cand, s)
			rank(u, s)
			top := topK(s.blend, k, buf)
			per[x] = userMetrics(top, t.relevant[x], k)
			tops[x] = slices.Clone(top)
		}
	})
	var sum Metrics
	covered := make([]bool, len(cand))
	for x, p := range per {
		sum.HR += p.HR
		sum.Precision += p.Precision
		sum.Recall += p.Recall
		sum.NDCG += p.NDCG
		sum.MAP += p.MAP
		for _, i := range tops[x] {
			covered[i] = true
		}
	}
	n := float64(len(per))
	if n > 0 {
		sum.HR /= n
		sum.Precision /= n
		sum.Recall /= n
		sum.NDCG /= n
		sum.MAP /= n
	}
	nc, nk := 0, 0
	for i, c := range cand {
		if c {
			nk++
			if covered[i] {
				nc++
			}
		}
	}
	if nk > 0 {
		sum.Coverage = float64(nc) / float64(nk)
	}
	return sum
}

// candidates sets s.exclude for an evaluation: everything not a candidate
// and everything the customer bought in training that is not repeatable,
// as Recommend's business rule does.
func (m *Model) candidates(u int32, cand []bool, s *scratch) {
	for i, c := range cand {
		s.exclude[i] = !c
	}
	for _, i := range m.ts.bought[u] {
		if !m.repeatable[i] {
			s.exclude[i] = true
		}
	}
}

// single ranks by one recommender alone.
func single(r recommender) rankFunc {
	neg := float32(math.Inf(-1))
	return func(u int32, s *scratch) {
		r.score(u, s.blend, s)
		for i, x := range s.exclude {
			if x {
				s.blend[i] = neg
			}
		}
	}
}

// Evaluate trains on ds before the cutoff and measures every recommender —
// popularity, plain item cosine, the tuned item-to-item, ALS, content,
// customer-to-customer and the hybrid — on the purchases after it, following Protocol. It fails with
// apperr.Invalid, saying what is missing, when either side of the split is
// empty.
func Evaluate(ctx context.Context, ds *Data, o EvalOptions) (*EvalReport, error) {
	if o.K <= 0 {
		o.K = 10
	}
	first, last := ds.Span()
	if len(ds.Events) == 0 {
		return nil, apperr.New(apperr.Invalid, "recommend eval: the store holds no purchase, cart or view events; import orders first")
	}
	if !o.Cutoff.After(first) || o.Cutoff.After(last) {
		return nil, apperr.New(apperr.Invalid, "recommend eval: cutoff %s is outside the data (events from %s to %s); choose a date in between",
			o.Cutoff.Format(time.DateOnly), first.Format(time.DateOnly), last.Format(time.DateOnly))
	}
	train := ds.Before(o.Cutoff)
	test := ds.Between(o.Cutoff, o.Until)
	m, err := TrainContext(ctx, train, o.Train)
	if err != nil {
		return nil, err
	}
	t := buildTestSet(m.ts, test, m.repeatable)
	if len(t.users) == 0 {
		return nil, apperr.New(apperr.Invalid, "recommend eval: no customer seen before %s bought anything new after it; choose an earlier cutoff", o.Cutoff.Format(time.DateOnly))
	}
	rep := &EvalReport{
		Protocol: Protocol, Cutoff: o.Cutoff, Until: o.Until, K: o.K, Train: train.Stats(), TestUsers: len(t.users),
		TestPairs: t.pairs, RepeatPairs: t.repeats,
		Blend: m.BlendWeights(), Tuning: m.Tuning, TrainSeconds: map[string]float64{},
	}
	for _, r := range t.relevant {
		rep.RelevantItems += len(r)
	}
	cand := known(m.ts)
	for _, c := range cand {
		if c {
			rep.CandidateItems++
		}
	}
	t0 := time.Now()
	cosOpts := PlainCosine()
	cos := trainItemKNN(m.ts, cosOpts, SourceCosine, m.recency(cosOpts.HistoryHalfLife))
	m.Timings[SourceCosine] = time.Since(t0)
	for k, v := range m.Timings {
		rep.TrainSeconds[k] = v.Seconds()
	}
	type entry struct {
		name string
		rank rankFunc
	}
	entries := []entry{{SourcePopularity, single(m.pop)}, {SourceTrending, single(m.trend)}, {SourceCosine, single(cos)}, {SourceItemKNN, single(m.knn)}}
	if m.als != nil {
		entries = append(entries, entry{SourceALS, single(m.als)})
	}
	entries = append(entries, entry{SourceContent, single(m.content)}, entry{SourceUserKNN, single(m.user)})
	if m.rebuy != nil {
		entries = append(entries, entry{SourceRebuy, single(m.rebuy)})
	}
	entries = append(entries, entry{SourceHybrid, func(u int32, s *scratch) { m.blendScores(u, m.weights, s) }})
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, apperr.Wrap(err, apperr.Unavailable, "recommend eval: cancelled")
		}
		t0 := time.Now()
		met := evaluate(m, t, cand, o.K, e.rank)
		rep.Results = append(rep.Results, Result{Recommender: e.name, Metrics: met, RankSeconds: time.Since(t0).Seconds()})
	}
	pop := rep.Results[0].Metrics.NDCG
	best := -1.0
	for x := range rep.Results {
		if pop > 0 {
			rep.Results[x].NDCGRatio = rep.Results[x].Metrics.NDCG / pop
		}
		if rep.Results[x].Metrics.NDCG > best {
			best = rep.Results[x].Metrics.NDCG
			rep.Best = rep.Results[x].Recommender
		}
	}
	return rep, nil
}

// ParseEval reads an evaluation's split as a person writes it: the cutoff
// and the optional end of the test period as YYYY-MM-DD (UTC), and K.
// Errors are apperr.Invalid and name the flag.
func ParseEval(cutoff, until string, k int) (EvalOptions, error) {
	if k < 1 {
		return EvalOptions{}, apperr.New(apperr.Invalid, "--k is %d; use at least 1", k)
	}
	cut, err := parseDay("--cutoff", cutoff)
	if err != nil {
		return EvalOptions{}, err
	}
	o := EvalOptions{Cutoff: cut, K: k}
	if until == "" {
		return o, nil
	}
	if o.Until, err = parseDay("--until", until); err != nil {
		return o, err
	}
	if !o.Until.After(cut) {
		return o, apperr.New(apperr.Invalid, "--until %s must be after --cutoff %s", until, cutoff)
	}
	return o, nil
}

func parseDay(flag, s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return t, apperr.New(apperr.Invalid, "%s %q is not a date; use YYYY-MM-DD", flag, s)
	}
	return t, nil
}
