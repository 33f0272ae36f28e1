package insight_test

import (
	"context"
	"fmt"
	"time"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/insight"
)

// staticRecommender is the smallest insight.Recommender: fixed products.
type staticRecommender []insight.ProductRec

func (r staticRecommender) Recommend(_ context.Context, _ string, k int) ([]insight.ProductRec, error) {
	return r[:min(k, len(r))], nil
}

// Build a Dataset in memory, compute metrics and render one profile with
// recommendations from any insight.Recommender.
func Example() {
	b := insight.NewBuilder()
	b.AddProducts([]catalog.Product{
		{SKU: "lens", Title: "Prime lens 35mm", Category: "Camera > Lenses", Brand: "Sigma", Price: 400},
		{SKU: "strap", Title: "Strap", Price: 10}, {SKU: "bag", Title: "Bag", Price: 50},
		{SKU: "cam", Title: "Mirrorless camera", Price: 900}, {SKU: "pro", Title: "Pro body", Price: 2000},
	})
	t0 := time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)
	for i := range 10 {
		id := fmt.Sprintf("c%02d", i)
		for k := 0; k <= i%4; k++ {
			b.AddEvent(event.Event{CustomerID: id, Type: event.Purchase, SKU: "lens", Quantity: 1, Amount: 400,
				OrderID: fmt.Sprintf("%s-%d", id, k), OccurredAt: t0.AddDate(0, 0, 10*i+20*k)})
		}
	}
	ds := b.Dataset()
	opts := insight.DefaultOptions()
	opts.CLVHorizonDays = 0
	snap, err := insight.Compute(ds, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, _ := snap.Get("c07")
	var rec insight.Recommender = staticRecommender{{SKU: "cam", Title: "Mirrorless camera", Reason: "bought together with Prime lens 35mm"}}
	recs, _ := rec.Recommend(context.Background(), "c07", 3)
	p := insight.BuildProfile(customer.Customer{ID: "c07", Name: "not shown", Language: "en"}, m, nil, ds, recs)
	fmt.Print(p.Text())
	// Output:
	// Customer profile
	//   Language:          en
	//   RFM segment:       champions
	//   Lifecycle:         active
	//   Top categories:    Camera 100%
	//   Top brands:        Sigma 100%
	//   Price band:        mid
	//   Recent purchases:
	//     - Prime lens 35mm
	//   Recommended:
	//     - Mirrorless camera (cam): bought together with Prime lens 35mm
	//   Figures:           orders=4 revenue=1600 avg_order_value=400 recency_days=0 r=5 f=5 m=5
}
