package catalog

import (
	"strings"
	"testing"
)

func TestPage(t *testing.T) {
	ps := []Product{{SKU: "C"}, {SKU: "A"}, {SKU: "B"}, {SKU: "D"}}
	skus := func(ps []Product) string {
		var b strings.Builder
		for _, p := range ps {
			b.WriteString(p.SKU)
		}
		return b.String()
	}
	for _, tt := range []struct {
		after      string
		limit      int
		want, next string
	}{
		{"", 2, "AB", "B"},
		{"B", 2, "CD", ""},
		{"BB", 1, "C", "C"},
		{"D", 5, "", ""},
		{"", 10, "ABCD", ""},
	} {
		got, next := Page(ps, tt.after, tt.limit)
		if skus(got) != tt.want || next != tt.next {
			t.Errorf("Page(after %q, %d) = %s, next %q; want %s, %q", tt.after, tt.limit, skus(got), next, tt.want, tt.next)
		}
	}
}
