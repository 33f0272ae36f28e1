package recommend

import (
	"math"
	"runtime"
	"slices"
	"sync"
)

// KNNOptions tune the item-to-item recommender. The similarity between
// items i and j is
//
//	sim(i,j) = ( Σ_u f(u)·g(r_ui)·g(r_uj) / (n_i^PowI · n_j^PowJ + Shrink) )^Exponent
//
// where n is an item's number of buyers, f(u) = |I_u|^-UserPow damps
// customers who buy everything (an inverse-user-frequency weight, as IDF
// damps common words), and g is binary or log(1+r). PowI = PowJ = 0.5 with
// UserPow = 0 is plain cosine; PowI = 1 with PowJ = β and UserPow = 1 is the
// RP3β random-walk similarity (Paudel et al. 2017); other PowI/PowJ splits
// are the asymmetric cosine of Aiolli (2013). A customer's score for j sums
// sim(i,j) over her history, each item weighted by the recency of her last
// interaction with it (HistoryHalfLife days).
type KNNOptions struct {
	Neighbours      int     `json:"neighbours"`
	Shrink          float64 `json:"shrink"`
	PowI            float64 `json:"pow_i"`
	PowJ            float64 `json:"pow_j"`
	UserPow         float64 `json:"user_pow"`
	Exponent        float64 `json:"exponent"`
	LogValues       bool    `json:"log_values"`
	HistoryHalfLife float64 `json:"history_half_life_days"`
	// RecentHalfLife (days) weights each customer-item pair in the
	// co-occurrence counts by the decay of its last interaction, so that
	// similarities follow what is bought together now (0: off).
	RecentHalfLife float64 `json:"recent_half_life_days"`
}

// PlainCosine is the textbook item-to-item cosine on binary co-purchase.
func PlainCosine() KNNOptions {
	return KNNOptions{Neighbours: 200, PowI: 0.5, PowJ: 0.5, Exponent: 1}
}

type neighbour struct {
	item int32
	sim  float32
}

// itemKNN keeps, per item, its strongest neighbours sorted by item id (so
// explanations can look a pair up by binary search).
type itemKNN struct {
	opt   KNNOptions
	nbrs  [][]neighbour
	ts    *trainSet
	label string
	hist  []float32 // per user-item pair: recency weight of the history item
}

// trainItemKNN builds the neighbour lists; hist are the recency weights of
// the customer-item pairs at opt.HistoryHalfLife, for scoring.
func trainItemKNN(ts *trainSet, opt KNNOptions, label string, hist []float32) *itemKNN {
	nItems := ts.d.NumItems()
	ui, iu := ts.ui, ts.iu
	g := func(v float32) float32 {
		if opt.LogValues {
			return float32(math.Log1p(float64(v)))
		}
		return 1
	}
	fu := make([]float32, ui.Rows)
	for u := range fu {
		n := ui.Ptr[u+1] - ui.Ptr[u]
		if n > 0 {
			fu[u] = float32(math.Pow(float64(n), -opt.UserPow))
		}
	}
	pop := make([]float64, nItems)
	for i := range pop {
		pop[i] = float64(iu.Ptr[i+1] - iu.Ptr[i])
	}
	powI := make([]float64, nItems)
	powJ := make([]float64, nItems)
	for i := range pop {
		powI[i] = math.Pow(pop[i], opt.PowI)
		powJ[i] = math.Pow(pop[i], opt.PowJ)
	}
	// rw is the weight of each customer-item pair in the co-occurrence
	// counts: the decay of its last interaction (1 without RecentHalfLife).
	var rw []float32
	if opt.RecentHalfLife > 0 {
		rw = ts.historyWeights(opt.RecentHalfLife)
	}
	k := &itemKNN{opt: opt, nbrs: make([][]neighbour, nItems), ts: ts, label: label, hist: hist}
	parallelRange(nItems, func(lo, hi int) {
		acc := make([]float32, nItems)
		touched := make([]int32, 0, 1024)
		cand := make([]neighbour, 0, 1024)
		for i := lo; i < hi; i++ {
			users, vals := iu.row(i)
			if len(users) == 0 {
				continue
			}
			touched = touched[:0]
			for x, u := range users {
				wu := fu[u] * g(vals[x])
				a := ui.Ptr[u]
				items, ivals := ui.row(int(u))
				if rw != nil {
					wu *= rw[iu.Src[int(iu.Ptr[i])+x]] // the pair (u, i)
				}
				for y, j := range items {
					if acc[j] == 0 {
						touched = append(touched, j)
					}
					if rw != nil {
						acc[j] += wu * g(ivals[y]) * rw[int(a)+y]
					} else {
						acc[j] += wu * g(ivals[y])
					}
				}
			}
			cand = cand[:0]
			for _, j := range touched {
				c := acc[j]
				acc[j] = 0
				if int(j) == i {
					continue
				}
				s := float64(c) / (powI[i]*powJ[j] + opt.Shrink)
				cand = append(cand, neighbour{j, float32(s)})
			}
			// The exponent is monotonic, so it is applied to the kept
			// neighbours only.
			nb := topNeighbours(cand, opt.Neighbours)
			if opt.Exponent != 1 {
				for x := range nb {
					nb[x].sim = float32(math.Pow(float64(nb[x].sim), opt.Exponent))
				}
			}
			k.nbrs[i] = nb
		}
	})
	return k
}

// topNeighbours keeps the n most similar (ties by the lower item id)
// sorted by item. A bounded min-heap selects them: most candidates fall
// below the heap's minimum and cost one comparison.
func topNeighbours(c []neighbour, n int) []neighbour {
	if n > 0 && len(c) > n {
		// worse reports whether a ranks below b.
		worse := func(a, b neighbour) bool { return a.sim < b.sim || a.sim == b.sim && a.item > b.item }
		h := c[:n]
		down := func(i int) {
			for {
				l := 2*i + 1
				if l >= n {
					return
				}
				m := l
				if r := l + 1; r < n && worse(h[r], h[l]) {
					m = r
				}
				if !worse(h[m], h[i]) {
					return
				}
				h[i], h[m] = h[m], h[i]
				i = m
			}
		}
		for i := n/2 - 1; i >= 0; i-- {
			down(i)
		}
		for _, x := range c[n:] {
			if worse(h[0], x) {
				h[0] = x
				down(0)
			}
		}
		c = h
	}
	out := slices.Clone(c)
	slices.SortFunc(out, func(a, b neighbour) int { return int(a.item - b.item) })
	return out
}

func (k *itemKNN) name() string { return k.label }

func (k *itemKNN) histWeight(_ int32, x int) float32 { return k.hist[x] }

func (k *itemKNN) score(u int32, out []float32, _ *scratch) {
	clear(out)
	if u < 0 || int(u) >= k.ts.ui.Rows {
		return
	}
	a, b := k.ts.ui.Ptr[u], k.ts.ui.Ptr[u+1]
	for x := a; x < b; x++ {
		w := k.histWeight(u, int(x))
		for _, n := range k.nbrs[k.ts.ui.Ind[x]] {
			out[n.item] += w * n.sim
		}
	}
}

// because returns the history item contributing most to j's score, for the
// "bought together with …" explanation; ok is false when none does.
func (k *itemKNN) because(u int32, j int32) (int32, bool) {
	best, bestW := int32(-1), float32(0)
	a, b := k.ts.ui.Ptr[u], k.ts.ui.Ptr[u+1]
	for x := a; x < b; x++ {
		i := k.ts.ui.Ind[x]
		nb := k.nbrs[i]
		p := findNeighbour(nb, j)
		if p < 0 {
			continue
		}
		if w := k.histWeight(u, int(x)) * nb[p].sim; w > bestW {
			best, bestW = i, w
		}
	}
	return best, best >= 0
}

// findNeighbour is the position of item j in nb (sorted by item), or -1:
// a plain binary search, on the explanation's hot path.
func findNeighbour(nb []neighbour, j int32) int {
	lo, hi := 0, len(nb)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if nb[h].item < j {
			lo = h + 1
		} else {
			hi = h
		}
	}
	if lo < len(nb) && nb[lo].item == j {
		return lo
	}
	return -1
}

// parallelRange splits [0,n) into chunks run on GOMAXPROCS goroutines.
// Chunks are handed out dynamically because rows differ wildly in cost.
func parallelRange(n int, fn func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	chunk := max(1, min(256, n/(workers*8)+1))
	var mu sync.Mutex
	next := 0
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				lo := next
				next += chunk
				mu.Unlock()
				if lo >= n {
					return
				}
				fn(lo, min(n, lo+chunk))
			}
		}()
	}
	wg.Wait()
}
