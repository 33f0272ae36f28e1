package recommend

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
)

// Recommend returns up to k products for a customer, best first, after the
// business rules: items she bought are left out unless their category is
// consumable, out-of-stock and inactive products are left out (fields the
// catalog does not track count as in stock and active), and at most
// DiversityCap items share a top-level category. Each item says why it is
// there, in Chinese when the customer's (or else the product's) language
// is zh.
//
// A customer the model has no history for (unknown id, or no purchase
// before the training data ends) is not an error: she gets the popular
// items of the last weeks (the trending ranking), each with the reason
// "popular right now" and Source "trending";
// call Known to tell the two cases apart. An empty id or k < 1 is
// apperr.Invalid.
func (m *Model) Recommend(customerID string, k int) ([]Item, error) {
	if strings.TrimSpace(customerID) == "" {
		return nil, apperr.New(apperr.Invalid, "recommend: empty customer id")
	}
	if k < 1 {
		return nil, apperr.New(apperr.Invalid, "recommend: k is %d; ask for at least 1 item", k)
	}
	return m.recommend(customerID, k, m.newScratch()), nil
}

// Batch is the recommendations of one customer in RecommendMany.
type Batch struct {
	CustomerID string `json:"customer_id"`
	Known      bool   `json:"known"`
	Items      []Item `json:"items"`
}

// RecommendMany recommends for many customers on all cores, in input
// order; it stops early when ctx is cancelled.
func (m *Model) RecommendMany(ctx context.Context, customerIDs []string, k int) ([]Batch, error) {
	if k < 1 {
		return nil, apperr.New(apperr.Invalid, "recommend: k is %d; ask for at least 1 item", k)
	}
	out := make([]Batch, len(customerIDs))
	parallelRange(len(customerIDs), func(lo, hi int) {
		if ctx.Err() != nil {
			return
		}
		s := m.newScratch()
		for x := lo; x < hi; x++ {
			id := customerIDs[x]
			out[x] = Batch{CustomerID: id, Known: m.Known(id), Items: m.recommend(id, k, s)}
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "recommend: cancelled")
	}
	return out, nil
}

// consumableItem reports whether a repeat purchase of p is welcome, given
// the consumable categories (normalised by normCategory; "*" for all).
func consumableItem(consumable map[string]bool, p *catalog.Product) bool {
	if len(consumable) == 0 {
		return false
	}
	if consumable["*"] {
		return true // every item may be bought again (wholesale, supplies)
	}
	for _, c := range p.CategoryPath() {
		if consumable[normCategory(c)] {
			return true
		}
	}
	return false
}

func (m *Model) recommend(customerID string, k int, s *scratch) []Item {
	u, ok := m.data.CustomerIndex(customerID)
	if !ok || m.ts.ui.Ptr[u+1] == m.ts.ui.Ptr[u] {
		u = -1
	}
	for i, a := range m.avail {
		s.exclude[i] = !a
	}
	if u >= 0 {
		for _, i := range m.ts.bought[u] {
			if !m.repeatable[i] {
				s.exclude[i] = true
			}
		}
	}
	weights := m.weights
	if u < 0 {
		weights = make([]float64, len(components))
		weights[0] = 1
	}
	m.blendScores(u, weights, s)
	picked := m.pick(s.blend, k)
	zh := u >= 0 && strings.HasPrefix(strings.ToLower(m.data.Language[u]), "zh")
	items := make([]Item, 0, len(picked))
	for _, i := range picked {
		items = append(items, m.explain(u, i, weights, s, zh))
	}
	return items
}

// pick takes the best items under the diversity cap, widening the search
// when the cap removes too many.
func (m *Model) pick(scores []float32, k int) []int32 {
	limit := m.opts.DiversityCap
	for depth := k * 4; ; depth *= 4 {
		top := topK(scores, depth, make([]int32, 0, depth))
		var out []int32
		perCat := map[string]int{}
		for _, i := range top {
			if limit > 0 {
				if c := m.data.topCategory(i); c != "" {
					if perCat[c] >= limit {
						continue
					}
					perCat[c]++
				}
			}
			out = append(out, i)
			if len(out) == k {
				return out
			}
		}
		if len(top) < depth || depth >= len(scores) {
			return out
		}
	}
}

// explain scores item i's contributions and words the reason after the
// strongest one.
func (m *Model) explain(u int32, i int32, weights []float64, s *scratch, zh bool) Item {
	p := &m.data.Products[i]
	if !zh && u < 0 {
		zh = strings.HasPrefix(strings.ToLower(p.Language), "zh")
	}
	it := Item{SKU: p.SKU, Title: p.Title, Score: float64(s.blend[i])}
	type contrib struct {
		name string
		v    float64
	}
	var cs []contrib
	for c, r := range m.comps {
		if r == nil || weights[c] == 0 {
			continue
		}
		// s.comp and s.scale hold each component's raw scores and
		// normalisation from blendScores.
		v := weights[c] * float64(s.scale[c]) * float64(s.comp[c][i])
		if v > 0 {
			cs = append(cs, contrib{components[c], v})
		}
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].v > cs[b].v })
	names := make([]string, len(cs))
	for x, c := range cs {
		names[x] = c.name
	}
	it.Source = strings.Join(names, "+")
	if it.Source == "" {
		it.Source = SourceTrending
	}
	top := SourceTrending
	if len(cs) > 0 {
		top = cs[0].name
	}
	it.Reason = m.reason(u, i, top, zh)
	if math.IsInf(it.Score, 0) {
		it.Score = 0
	}
	return it
}

func (m *Model) reason(u, i int32, source string, zh bool) string {
	title := func(j int32) string {
		if t := m.data.Products[j].Title; t != "" {
			return t
		}
		return m.data.Items[j]
	}
	switch source {
	case SourceItemKNN:
		if j, ok := m.knn.because(u, i); ok {
			if zh {
				return fmt.Sprintf("常与「%s」一起购买", title(j))
			}
			return fmt.Sprintf("bought together with %s", title(j))
		}
	case SourceContent:
		if c := m.data.Products[i].CategoryPath(); len(c) > 0 {
			if zh {
				return fmt.Sprintf("因为你喜欢%s", c[len(c)-1])
			}
			return fmt.Sprintf("because you like %s", c[len(c)-1])
		}
		if j, ok := m.content.because(u, i); ok {
			if zh {
				return fmt.Sprintf("与你买过的「%s」相似", title(j))
			}
			return fmt.Sprintf("similar to %s, which you bought", title(j))
		}
	case SourceRebuy:
		if zh {
			return "你常买的商品，该补货了"
		}
		return "you buy this regularly"
	case SourceALS, SourceUserKNN:
		if zh {
			return "和你相似的顾客也买了"
		}
		return "customers like you also bought"
	}
	if zh {
		return "当下热卖"
	}
	return "popular right now"
}
