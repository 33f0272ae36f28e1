package recommend

import (
	"slices"
)

// csr is a sparse matrix in compressed sparse row form. Row r holds
// columns Ind[Ptr[r]:Ptr[r+1]] (ascending) with values Val and, for the
// user-item matrix, the time of the latest interaction Last.
type csr struct {
	Rows, Cols int
	Ptr        []int32
	Ind        []int32
	Val        []float32
	Last       []int64
	// Src is, in a transpose, the position of each entry in the original.
	Src []int32
}

func (m *csr) row(r int) (ind []int32, val []float32) {
	a, b := m.Ptr[r], m.Ptr[r+1]
	return m.Ind[a:b], m.Val[a:b]
}

func (m *csr) nnz() int { return len(m.Ind) }

// transpose returns the column-major view as another csr (items x users).
func (m *csr) transpose() *csr {
	t := &csr{Rows: m.Cols, Cols: m.Rows, Ptr: make([]int32, m.Cols+1)}
	for _, c := range m.Ind {
		t.Ptr[c+1]++
	}
	for i := 0; i < m.Cols; i++ {
		t.Ptr[i+1] += t.Ptr[i]
	}
	n := len(m.Ind)
	t.Ind = make([]int32, n)
	t.Val = make([]float32, n)
	t.Src = make([]int32, n)
	if m.Last != nil {
		t.Last = make([]int64, n)
	}
	next := slices.Clone(t.Ptr[:m.Cols])
	for r := 0; r < m.Rows; r++ {
		for k := m.Ptr[r]; k < m.Ptr[r+1]; k++ {
			c := m.Ind[k]
			p := next[c]
			next[c]++
			t.Ind[p] = int32(r)
			t.Val[p] = m.Val[k]
			t.Src[p] = k
			if m.Last != nil {
				t.Last[p] = m.Last[k]
			}
		}
	}
	return t
}

// Weights turn events into implicit feedback strength.
type Weights struct {
	Purchase float64 `json:"purchase"`
	Cart     float64 `json:"cart"`
	View     float64 `json:"view"`
	Refund   float64 `json:"refund"` // usually negative: a refund takes a purchase back
}

// DefaultWeights count a purchase line as 1, a cart as 0.3, a view as 0.1,
// and let a refund cancel one purchase.
func DefaultWeights() Weights { return Weights{Purchase: 1, Cart: 0.3, View: 0.1, Refund: -1} }

func (w Weights) of(kind uint8) float32 {
	switch kind {
	case kindPurchase:
		return float32(w.Purchase)
	case kindCart:
		return float32(w.Cart)
	case kindView:
		return float32(w.View)
	case kindRefund:
		return float32(w.Refund)
	}
	return 0
}

// userItem builds the customer x item matrix of summed weights from a view;
// guests are left out (they have no history to personalise) and pairs whose
// sum is not positive (everything refunded) are dropped.
func userItem(d *Data, w Weights) *csr {
	type cell struct {
		item int32
		val  float32
		last int64
	}
	rows := make([][]cell, d.NumCustomers())
	for _, e := range d.Events {
		if e.Customer < 0 {
			continue
		}
		r := rows[e.Customer]
		found := false
		// Histories are short; a linear probe of the row beats a map.
		for k := range r {
			if r[k].item == e.Item {
				r[k].val += w.of(e.Kind)
				if e.Kind != kindRefund && e.At > r[k].last {
					r[k].last = e.At
				}
				found = true
				break
			}
		}
		if !found {
			rows[e.Customer] = append(r, cell{e.Item, w.of(e.Kind), e.At})
		}
	}
	m := &csr{Rows: d.NumCustomers(), Cols: d.NumItems(), Ptr: make([]int32, d.NumCustomers()+1)}
	for u, r := range rows {
		slices.SortFunc(r, func(a, b cell) int { return int(a.item - b.item) })
		for _, c := range r {
			if c.val > 0 {
				m.Ind = append(m.Ind, c.item)
				m.Val = append(m.Val, c.val)
				m.Last = append(m.Last, c.last)
			}
		}
		m.Ptr[u+1] = int32(len(m.Ind))
	}
	return m
}

// purchased returns, per customer, the sorted items bought in the view (the
// set the exclusion rule and the evaluation protocol use).
func purchased(d *Data) [][]int32 {
	out := make([][]int32, d.NumCustomers())
	for _, e := range d.Events {
		if e.Customer >= 0 && e.Kind == kindPurchase {
			out[e.Customer] = append(out[e.Customer], e.Item)
		}
	}
	for u := range out {
		slices.Sort(out[u])
		out[u] = slices.Compact(out[u])
	}
	return out
}

func contains(sorted []int32, x int32) bool {
	_, ok := slices.BinarySearch(sorted, x)
	return ok
}
