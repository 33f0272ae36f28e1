package recommend

import (
	"math"
	"slices"
)

// UserKNNOptions tune the customer-to-customer recommender: a customer's
// neighbours are the Neighbours customers whose purchases overlap hers
// most, by cosine over items weighted by inverse item frequency (sharing a
// rare item says more than sharing a best seller), shrunk towards zero for
// small overlaps; a neighbour's vote is her similarity to the power
// Exponent, so the closest neighbours dominate.
type UserKNNOptions struct {
	Neighbours int     `json:"neighbours"`
	Shrink     float64 `json:"shrink"`
	Exponent   float64 `json:"exponent"`
}

// userKNN needs no training beyond the item weights: neighbours are found
// at query time from the inverted index (items x customers).
type userKNN struct {
	opt  UserKNNOptions
	ts   *trainSet
	iuf  []float32 // per item
	norm []float32 // per customer: sqrt(Σ iuf²) over her items
}

func trainUserKNN(ts *trainSet, o UserKNNOptions) *userKNN {
	k := &userKNN{opt: o, ts: ts, iuf: make([]float32, ts.iu.Rows), norm: make([]float32, ts.ui.Rows)}
	buyers := 0
	for u := 0; u < ts.ui.Rows; u++ {
		if ts.ui.Ptr[u+1] > ts.ui.Ptr[u] {
			buyers++
		}
	}
	for i := range k.iuf {
		if n := ts.iu.Ptr[i+1] - ts.iu.Ptr[i]; n > 0 {
			k.iuf[i] = float32(math.Log(1 + float64(buyers)/float64(n)))
		}
	}
	for u := range k.norm {
		var s float32
		ind, _ := ts.ui.row(u)
		for _, i := range ind {
			s += k.iuf[i] * k.iuf[i]
		}
		k.norm[u] = float32(math.Sqrt(float64(s)))
	}
	return k
}

func (k *userKNN) name() string { return SourceUserKNN }

func (k *userKNN) score(u int32, out []float32, s *scratch) {
	clear(out)
	if u < 0 || int(u) >= k.ts.ui.Rows || k.norm[u] == 0 {
		return
	}
	acc := s.users(k.ts.ui.Rows)
	ind, _ := k.ts.ui.row(int(u))
	for _, i := range ind {
		w := k.iuf[i] * k.iuf[i]
		users, _ := k.ts.iu.row(int(i))
		for _, v := range users {
			if v == u {
				continue
			}
			if acc.v[v] == 0 {
				acc.touched = append(acc.touched, v)
			}
			acc.v[v] += w
		}
	}
	nb := acc.nb[:0]
	for _, v := range acc.touched {
		sim := float64(acc.v[v]) / (float64(k.norm[u])*float64(k.norm[v]) + k.opt.Shrink)
		acc.v[v] = 0
		nb = append(nb, neighbour{v, float32(math.Pow(sim, k.opt.Exponent))})
	}
	acc.touched = acc.touched[:0]
	if len(nb) > k.opt.Neighbours {
		slices.SortFunc(nb, func(a, b neighbour) int {
			if a.sim != b.sim {
				if a.sim > b.sim {
					return -1
				}
				return 1
			}
			return int(a.item - b.item)
		})
		nb = nb[:k.opt.Neighbours]
	}
	for _, n := range nb {
		items, _ := k.ts.ui.row(int(n.item))
		for _, j := range items {
			out[j] += n.sim
		}
	}
	acc.nb = nb
}

type userBuf struct {
	v       []float32
	touched []int32
	nb      []neighbour
}

func (s *scratch) users(n int) *userBuf {
	if s.user == nil || len(s.user.v) < n {
		s.user = &userBuf{v: make([]float32, n)}
	}
	return s.user
}
