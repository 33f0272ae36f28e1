package content

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/catalog"
)

func TestPackKeepsEachCustomersOwnRecommendations(t *testing.T) {
	a, b, c, d := catalog.Product{SKU: "A"}, catalog.Product{SKU: "B"}, catalog.Product{SKU: "C"}, catalog.Product{SKU: "D"}
	rs := []Recipient{
		{CustomerID: "1", Segment: "s", Language: Zh, Product: a, Choices: []catalog.Product{a, b}},
		{CustomerID: "2", Segment: "s", Language: Zh, Product: c, Choices: []catalog.Product{c, b}},
		{CustomerID: "3", Segment: "s", Language: Zh, Product: b, Choices: []catalog.Product{b, d}},
		{CustomerID: "4", Segment: "s", Language: Zh, Product: d, Choices: []catalog.Product{d}},
	}
	if got := Pack(rs, 1); got[0].Product.SKU != "A" || got[1].Product.SKU != "C" {
		t.Fatalf("k=1 must keep the first choice: %+v", got)
	}
	got := Pack(rs, 2)
	want := map[string]string{"1": "B", "2": "B", "3": "B", "4": "D"}
	for _, r := range got {
		if r.Product.SKU != want[r.CustomerID] {
			t.Errorf("customer %s got %s, want %s", r.CustomerID, r.Product.SKU, want[r.CustomerID])
		}
		own := false
		for _, c := range r.Choices {
			own = own || c.SKU == r.Product.SKU
		}
		if !own {
			t.Errorf("customer %s got %s, which is not among her recommendations", r.CustomerID, r.Product.SKU)
		}
	}
	if rs[0].Product.SKU != "A" {
		t.Fatal("Pack modified its input")
	}
	if n1, n2 := len(Groups(DepthCohort, Pack(rs, 1))), len(Groups(DepthCohort, got)); n2 >= n1 {
		t.Fatalf("packing did not reduce cohorts: %d → %d", n1, n2)
	}
}
