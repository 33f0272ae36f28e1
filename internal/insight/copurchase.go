package insight

import (
	"sort"
	"strings"
)

// BoughtWith are, for each of skus, the catalog titles of the products
// bought in the same orders as it (purchase lines only; refunds are not
// purchases), most shared orders first (ties by SKU), those shared by at
// least minOrders orders, at most n. A SKU with no such product is left
// out of the map. It reads products and orders only, never a customer.
func (d *Dataset) BoughtWith(skus []string, n, minOrders int) map[string][]string {
	target := map[int32]bool{}
	for _, s := range skus {
		if i, ok := d.itemIdx[s]; ok {
			target[i] = true
		}
	}
	if len(target) == 0 || n <= 0 {
		return nil
	}
	// the target items of each order that holds one
	inOrder := map[int32][]int32{}
	for l, k := range d.lineKind {
		it := d.lineItem[l]
		if k != kindPurchase || it < 0 || !target[it] || d.lineOrder[l] < 0 {
			continue
		}
		o := d.lineOrder[l]
		if !containsItem(inOrder[o], it) {
			inOrder[o] = append(inOrder[o], it)
		}
	}
	type pair struct{ a, b int32 }
	seen := map[[3]int32]bool{} // order, target, other
	counts := map[pair]int{}
	for l, k := range d.lineKind {
		it, o := d.lineItem[l], d.lineOrder[l]
		if k != kindPurchase || it < 0 || o < 0 || !d.InCatalog[it] {
			continue
		}
		for _, t := range inOrder[o] {
			if t == it || seen[[3]int32{o, t, it}] {
				continue
			}
			seen[[3]int32{o, t, it}] = true
			counts[pair{t, it}]++
		}
	}
	by := map[int32][]pair{}
	for p, c := range counts {
		if c >= max(minOrders, 1) {
			by[p.a] = append(by[p.a], p)
		}
	}
	out := map[string][]string{}
	for t, ps := range by {
		sort.Slice(ps, func(i, j int) bool {
			ci, cj := counts[ps[i]], counts[ps[j]]
			if ci != cj {
				return ci > cj
			}
			return d.Items[ps[i].b] < d.Items[ps[j].b]
		})
		for _, p := range ps[:min(n, len(ps))] {
			if title := strings.TrimSpace(d.Titles[p.b]); title != "" {
				out[d.Items[t]] = append(out[d.Items[t]], title)
			}
		}
	}
	return out
}

func containsItem(xs []int32, x int32) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
