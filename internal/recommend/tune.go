package recommend

import (
	"context"
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
	vm, err := trainComponents(ctx, inner, opts)
	if err != nil {
		rep.Reason = "validation training failed (" + err.Error() + "); kept the configured weights"
		return rep, nil
	}
	t := buildTestSet(vm.ts, ds.Between(valFrom, time.Time{}))
	rep.ValidationUsers = len(t.users)
	if len(t.users) < minValidationUsers {
		rep.Reason = "fewer than 30 validation customers; kept the configured weights"
		return rep, nil
	}
	cand := known(vm.ts)
	k := opts.TuneK
	nc := len(components)
	// Per user: candidate items and their normalised component scores.
	type userCands struct {
		items []int32
		comp  []float32 // len(items) x nc
	}
	uc := make([]userCands, len(t.users))
	parallelRange(len(t.users), func(lo, hi int) {
		s := vm.newScratch()
		buf := make([]int32, 0, tuneCandidates)
		mark := make([]bool, len(cand))
		for x := lo; x < hi; x++ {
			u := t.users[x]
			vm.candidates(u, cand, s)
			var items []int32
			for c, r := range vm.comps {
				if r == nil {
					continue
				}
				single(r)(u, s)
				copy(s.comp[c], s.blend)
				if sc := normScale(s.blend, s.exclude); sc > 0 {
					for i := range s.comp[c] {
						s.comp[c][i] *= sc
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
			vals := make([]float32, len(items)*nc)
			for y, i := range items {
				mark[i] = false
				for c, r := range vm.comps {
					if r != nil {
						vals[y*nc+c] = s.comp[c][i]
					}
				}
			}
			uc[x] = userCands{items, vals}
		}
	})
	grid := simplex(nc, 10)
	best, bestW := -1.0, []float64(nil)
	scores := make([]float32, 0, 512)
	tops := make([]int32, 0, k)
	ids := make([]int32, 0, k)
	for _, w := range grid {
		if vm.als == nil && w[2] > 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rep.Candidates++
		var sum float64
		for x, c := range uc {
			scores = scores[:0]
			for y := range c.items {
				var v float32
				for j := 0; j < nc; j++ {
					v += float32(w[j]) * c.comp[y*nc+j]
				}
				scores = append(scores, v)
			}
			top := topK(scores, k, tops)
			ids = ids[:0]
			for _, y := range top {
				ids = append(ids, c.items[y])
			}
			sum += userMetrics(ids, t.relevant[x], k).NDCG
		}
		if sum > best+1e-12 {
			best, bestW = sum, w
		}
	}
	rep.Tuned = true
	rep.NDCG = best / float64(len(uc))
	rep.Weights = map[string]float64{}
	for c, n := range components {
		rep.Weights[n] = math.Round(bestW[c]*100) / 100
	}
	rep.Reason = "grid search on the validation period"
	return rep, nil
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
