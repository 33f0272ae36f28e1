package recommend

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"
)

// TuneReport says how the blend weights were chosen.
type TuneReport struct {
	Tuned           bool               `json:"tuned"`
	Reason          string             `json:"reason,omitempty"`
	ValidationFrom  time.Time          `json:"validation_from,omitzero"`
	ValidationUsers int                `json:"validation_users,omitempty"`
	Candidates      int                `json:"weight_vectors_tried,omitempty"`
	NDCG            float64            `json:"validation_ndcg,omitempty"`
	Weights         map[string]float64 `json:"weights"`
	// RecentHalfLife is the item-to-item co-occurrence half-life chosen
	// (days), and HalfLives the validation NDCG of each one tried.
	RecentHalfLife float64         `json:"recent_half_life_days,omitempty"`
	HalfLives      []HalfLifeScore `json:"half_lives_tried,omitempty"`
}

// HalfLifeScore is the validation NDCG@K of the best blend with one
// item-to-item co-occurrence half-life.
type HalfLifeScore struct {
	Days float64 `json:"days"`
	NDCG float64 `json:"validation_ndcg"`
}

// minValidationUsers is the fewest validation users worth tuning on; with
// fewer the search fits noise and the configured weights are kept.
const minValidationUsers = 30

// tuneCandidates is how deep each recommender's list is taken when
// collecting the items the blend could rank for a validation user.
const tuneCandidates = 50

// tuneBlend carves the last ValidationDays of ds off as a validation period,
// trains the recommenders on the rest, and grid-searches blend weights (a
// simplex in steps of 0.1) for the best NDCG@TuneK there. The test period
// of an evaluation is never seen: ds is already the training view.
func tuneBlend(ctx context.Context, ds *Data, opts Options) (TuneReport, error) {
	_, last := ds.Span()
	valFrom := last.Add(-time.Duration(opts.ValidationDays) * 24 * time.Hour)
	rep := TuneReport{ValidationFrom: valFrom}
	inner := ds.Before(valFrom)
	if len(inner.Events) == 0 {
		rep.Reason = "too little history before the validation period; kept the configured weights"
		return rep, nil
	}
	innerOpts := opts
	if opts.Progress != nil {
		innerOpts.Progress = func(step string, took time.Duration) { opts.Progress("validation "+step, took) }
	}
	vm, err := trainComponents(ctx, inner, innerOpts)
	if err != nil {
		rep.Reason = "validation training failed (" + err.Error() + "); kept the configured weights"
		return rep, nil
	}
	t := buildTestSet(vm.ts, ds.Between(valFrom, time.Time{}), vm.repeatable)
	rep.ValidationUsers = len(t.users)
	if len(t.users) < minValidationUsers {
		rep.Reason = "fewer than 30 validation customers; kept the configured weights"
		return rep, nil
	}
	cand := known(vm.ts)
	// The co-occurrence half-life of item-to-item is searched with the
	// weights: item-to-item is trained on the inner split once per
	// half-life, the other recommenders once.
	halfLives := opts.RecentHalfLives
	if len(halfLives) == 0 {
		halfLives = []float64{opts.KNN.RecentHalfLife}
	}
	scorers := []recommender{vm.trend, vm.comps[2], vm.content, vm.comps[4]} // then one item-to-item per half-life
	for _, h := range halfLives {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		ko := opts.KNN
		ko.RecentHalfLife = h
		k := vm.knn
		if ko != vm.knn.opt {
			t0 := time.Now()
			k = trainItemKNN(vm.ts, ko, SourceItemKNN, vm.recency(ko.HistoryHalfLife))
			if opts.Progress != nil {
				opts.Progress(fmt.Sprintf("validation item_knn %gd", h), time.Since(t0))
			}
		}
		scorers = append(scorers, k)
	}
	uc := collectCandidates(vm, scorers, t, cand)
	best, bestW, bestH := -1.0, []float64(nil), opts.KNN.RecentHalfLife
	for x, h := range halfLives {
		// columns of the components (trending, item_knn, als, content, rebuy)
		cols := []int{0, 4 + x, 1, 2, 3}
		sum, w, tried, err := searchWeights(ctx, uc, len(scorers), cols, t, opts.TuneK, vm.comps)
		if err != nil {
			return rep, err
		}
		rep.Candidates += tried
		rep.HalfLives = append(rep.HalfLives, HalfLifeScore{Days: h, NDCG: sum / float64(len(uc))})
		if sum > best+1e-12 {
			best, bestW, bestH = sum, w, h
		}
	}
	rep.Tuned = true
	rep.NDCG = best / float64(len(t.users))
	rep.RecentHalfLife = bestH
	rep.Weights = map[string]float64{}
	for c, n := range components {
		if vm.comps[c] != nil { // a missing recommender is not reported as weight 0
			rep.Weights[n] = math.Round(bestW[c]*100) / 100
		}
	}
	rep.Reason = "grid search on the validation period"
	return rep, nil
}

// userCands are one validation user's candidate items and their
// normalised scores by each scorer.
type userCands struct {
	items []int32
	// comp is column-major: scorer c's scores of items at
	// comp[c*len(items):(c+1)*len(items)], so a blend is a few axpys.
	comp []float32
}

// collectCandidates takes, for every validation user, the union of each
// scorer's top tuneCandidates items (the only items a blend could rank in
// its top K) with their normalised scores by every scorer (nil scorers
// score 0).
func collectCandidates(vm *Model, scorers []recommender, t testSet, cand []bool) []userCands {
	nc := len(scorers)
	uc := make([]userCands, len(t.users))
	parallelRange(len(t.users), func(lo, hi int) {
		s := vm.newScratch()
		vals := make([][]float32, nc)
		for c := range vals {
			vals[c] = make([]float32, len(cand))
		}
		buf := make([]int32, 0, tuneCandidates)
		mark := make([]bool, len(cand))
		for x := lo; x < hi; x++ {
			u := t.users[x]
			vm.candidates(u, cand, s)
			var items []int32
			for c, r := range scorers {
				if r == nil {
					continue
				}
				single(r)(u, s)
				copy(vals[c], s.blend)
				if sc := normScale(s.blend, s.exclude); sc > 0 {
					for i := range vals[c] {
						vals[c][i] *= sc
					}
				}
				for _, i := range topK(s.blend, tuneCandidates, buf) {
					if !mark[i] {
						mark[i] = true
						items = append(items, i)
					}
				}
			}
			slices.Sort(items)
			n := len(items)
			v := make([]float32, n*nc)
			for y, i := range items {
				mark[i] = false
				for c, r := range scorers {
					if r != nil {
						v[c*n+y] = vals[c][i]
					}
				}
			}
			uc[x] = userCands{items, v}
		}
	})
	return uc
}

// searchWeights grid-searches the blend weights (a simplex in steps of
// 0.1) for the best summed NDCG@k over the validation users; ties keep the
// first vector in simplex order. cols maps each of components to its
// column among the nc scorers of uc; comps (the model's) tells which are
// missing.
func searchWeights(ctx context.Context, uc []userCands, nc int, cols []int, t testSet, k int, comps []recommender) (best float64, bestW []float64, tried int, err error) {
	var grid [][]float64
	// Vectors that weight a missing recommender are left out.
next:
	for _, w := range simplex(len(components), 10) {
		for c, r := range comps {
			if r == nil && w[c] > 0 {
				continue next
			}
		}
		grid = append(grid, w)
	}
	sums := make([]float64, len(grid))
	parallelRange(len(grid), func(lo, hi int) {
		scores := make([]float32, 0, 512)
		tops := make([]int32, 0, k)
		ids := make([]int32, 0, k)
		for g := lo; g < hi; g++ {
			if ctx.Err() != nil {
				return
			}
			w := grid[g]
			var sum float64
			for x, c := range uc {
				n := len(c.items)
				scores = slices.Grow(scores[:0], n)[:n]
				clear(scores)
				for j, col := range cols {
					if w[j] != 0 {
						axpy(float32(w[j]), c.comp[col*n:(col+1)*n], scores)
					}
				}
				top := topK(scores, k, tops)
				ids = ids[:0]
				for _, y := range top {
					ids = append(ids, c.items[y])
				}
				sum += userMetrics(ids, t.relevant[x], k).NDCG
			}
			sums[g] = sum
		}
	})
	if err := ctx.Err(); err != nil {
		return 0, nil, 0, err
	}
	best = -1
	for g, sum := range sums {
		if sum > best+1e-12 {
			best, bestW = sum, grid[g]
		}
	}
	return best, bestW, len(grid), nil
}

// simplex lists every vector of n non-negative multiples of 1/steps that
// sum to one, in a fixed order.
func simplex(n, steps int) [][]float64 {
	var out [][]float64
	cur := make([]int, n)
	var rec func(pos, left int)
	rec = func(pos, left int) {
		if pos == n-1 {
			cur[pos] = left
			w := make([]float64, n)
			for i, c := range cur {
				w[i] = float64(c) / float64(steps)
			}
			out = append(out, w)
			return
		}
		for c := 0; c <= left; c++ {
			cur[pos] = c
			rec(pos+1, left-c)
		}
	}
	rec(0, steps)
	return out
}
