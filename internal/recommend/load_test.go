package recommend_test

import (
	"context"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/recommend"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

func TestLoadFromStore(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		if _, err := recommend.Load(ctx, s); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("empty store: %v", err)
		}
		if _, _, _, err := s.UpsertProducts(ctx, []catalog.Product{{SKU: "S1", Title: "红色陶瓷杯", Active: true, Stock: 3}, {SKU: "S2", Title: "Mug", Active: true}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpsertCustomers(ctx, []customer.Customer{{ID: "u1", Language: "zh"}}); err != nil {
			t.Fatal(err)
		}
		t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		if _, err := s.InsertEvents(ctx, []event.Event{
			{CustomerID: "u1", Type: event.Purchase, SKU: "S1", Quantity: 1, OccurredAt: t0},
			{Type: event.Purchase, SKU: "S2", Quantity: 1, OccurredAt: t0.Add(time.Hour)},
			{CustomerID: "u1", Type: event.Open, OccurredAt: t0.Add(2 * time.Hour)},
		}); err != nil {
			t.Fatal(err)
		}
		d, err := recommend.Load(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		st := d.Stats()
		if st.Purchases != 2 || st.GuestLines != 1 || st.Customers != 1 || d.NumItems() != 2 || !d.TracksStock || !d.TracksActive {
			t.Fatalf("stats %+v, items %d", st, d.NumItems())
		}
		u, _ := d.CustomerIndex("u1")
		if d.Language[u] != "zh" {
			t.Fatalf("language %q", d.Language[u])
		}
		// S2 has no stock while the catalog tracks stock: never recommended,
		// even as the guests' favourite.
		o := recommend.DefaultOptions()
		o.Tune = false
		m, err := recommend.Train(d, o)
		if err != nil {
			t.Fatal(err)
		}
		items, err := m.Recommend("stranger", 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 1 || items[0].SKU != "S1" {
			t.Fatalf("fallback for a stranger: %+v", items)
		}
	})
}
