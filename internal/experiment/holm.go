package experiment

import (
	"cmp"
	"slices"
)

// Holm adjusts p-values for testing several variants against one control
// (Holm 1979): the i-th smallest of m becomes max over j <= i of
// min(1, (m-j+1)·p_(j)). Rejecting where the adjusted value is below α
// keeps the chance of any false positive among the m comparisons at most
// α, whatever their dependence, and is uniformly more powerful than
// Bonferroni. The result is in the order of ps.
func Holm(ps []float64) []float64 {
	m := len(ps)
	idx := make([]int, m)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(ps[a], ps[b]) })
	out := make([]float64, m)
	run := 0.0
	for rank, i := range idx {
		run = max(run, min(1, float64(m-rank)*ps[i]))
		out[i] = run
	}
	return out
}
