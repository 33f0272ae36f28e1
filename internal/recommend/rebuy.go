package recommend

import "math"

// rebuy scores the items a customer bought before and may buy again
// (consumable categories, see Options.Consumable): how much she bought,
// log-damped, times the recency of her last purchase. Wholesale and
// supplies customers restock the same lines; no co-occurrence model ranks
// an item by the customer's own purchases of it.
type rebuy struct {
	ts         *trainSet
	repeatable []bool
	hist       []float32 // per user-item pair: recency weight
}

func newRebuy(ts *trainSet, repeatable []bool, hist []float32) *rebuy {
	return &rebuy{ts: ts, repeatable: repeatable, hist: hist}
}

func (r *rebuy) name() string { return SourceRebuy }

func (r *rebuy) score(u int32, out []float32, _ *scratch) {
	clear(out)
	if u < 0 || int(u) >= r.ts.ui.Rows {
		return
	}
	a, b := r.ts.ui.Ptr[u], r.ts.ui.Ptr[u+1]
	for x := a; x < b; x++ {
		i := r.ts.ui.Ind[x]
		if r.repeatable[i] {
			out[i] = float32(math.Log1p(float64(r.ts.ui.Val[x]))) * r.hist[x]
		}
	}
}
