package support_test

import (
	"slices"
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// Passages come in id order, the same on every call (they are kept in a
// map): a tool's reviews for the model are the same JSON from run to run.
func TestPassagesInIDOrder(t *testing.T) {
	ix := syncedIndex(t, demoShop(t))
	for _, kind := range []string{support.CitePolicy, support.CiteReview, support.CiteProduct} {
		var first []string
		for i := range 20 {
			var ids []string
			for _, p := range ix.Passages(kind, "zh") {
				ids = append(ids, p.ID)
			}
			if len(ids) < 3 || !slices.IsSorted(ids) {
				t.Fatalf("%s: %d passages, sorted %v: %v", kind, len(ids), slices.IsSorted(ids), ids)
			}
			if i == 0 {
				first = ids
			} else if !slices.Equal(ids, first) {
				t.Fatalf("%s: call %d gave another order", kind, i)
			}
		}
	}
}
