package recommend_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/recommend"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// seedPairs stores a shop where mugs go with saucers and gloves with
// trowels, bought by 40 customers.
func seedPairs(t *testing.T, s store.Store) {
	t.Helper()
	ctx := context.Background()
	if _, _, _, err := s.UpsertProducts(ctx, []catalog.Product{
		{SKU: "mug", Title: "Red mug", Category: "Kitchen", Active: true, Stock: 9},
		{SKU: "saucer", Title: "Red saucer", Category: "Kitchen", Active: true, Stock: 9},
		{SKU: "gloves", Title: "Garden gloves", Category: "Garden", Active: true, Stock: 9},
		{SKU: "trowel", Title: "Garden trowel", Category: "Garden", Active: true, Stock: 9},
		{SKU: "tea", Title: "Green tea", Category: "Food", Active: true, Stock: 9},
	}); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var evs []event.Event
	for k := range 40 {
		c := fmt.Sprintf("c%02d", k)
		pair := []string{"mug", "saucer"}
		if k%2 == 1 {
			pair = []string{"gloves", "trowel"}
		}
		for x, sku := range append(pair, "tea") {
			evs = append(evs, event.Event{CustomerID: c, Type: event.Purchase, SKU: sku, Quantity: 1, Amount: 5,
				OrderID: fmt.Sprint(len(evs)), OccurredAt: t0.AddDate(0, 0, k+x)})
		}
	}
	if _, err := s.InsertEvents(ctx, evs); err != nil {
		t.Fatal(err)
	}
}

// LoadOrTrain trains and saves once, then reuses the saved model (ranking
// exactly as the trained one) until the data changes; force retrains; a
// saved model it cannot decode, here a real one of the older format 3
// under the current fingerprint, is retrained and replaced, never misread.
func TestLoadOrTrain(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		seedPairs(t, s)
		opts := recommend.DefaultOptions()
		opts.Tune = false
		opts.ALS.Factors, opts.ALS.Iterations = 8, 5
		var calls []string
		var stale error
		trace := &recommend.Trace{
			Training: func(err error) { calls, stale = append(calls, "training"), err },
			Loaded: func(d *recommend.Data, _ time.Duration) {
				calls = append(calls, fmt.Sprintf("loaded %d", len(d.Events)))
			},
			Trained: func(time.Duration) { calls = append(calls, "trained") },
			Saved:   func(n int) { calls = append(calls, fmt.Sprintf("saved %t", n > 0)) },
		}
		load := func(force bool, want ...string) (*recommend.Model, recommend.Origin) {
			t.Helper()
			calls, stale = nil, nil
			m, o, err := recommend.LoadOrTrain(ctx, s, opts, force, trace)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(calls, want) {
				t.Fatalf("force %v: hooks %q, want %q", force, calls, want)
			}
			if o.Reused == (len(want) > 0) {
				t.Fatalf("force %v: reused %v after hooks %q", force, o.Reused, calls)
			}
			return m, o
		}
		trains := []string{"training", "loaded 120", "trained", "saved true"}

		m1, o1 := load(false, trains...)
		v, err := s.RecommendSourceVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if o1.Fingerprint != recommend.Fingerprint(v, opts) || o1.Events != 120 || o1.TrainedAt.IsZero() || stale != nil {
			t.Fatalf("trained: %+v, stale %v", o1, stale)
		}
		m2, o2 := load(false)
		if o2.Fingerprint != o1.Fingerprint || o2.TrainSeconds != o1.TrainSeconds || !o2.TrainedAt.Equal(o1.TrainedAt.Truncate(time.Microsecond)) {
			t.Fatalf("reused %+v, trained %+v", o2, o1)
		}
		for _, c := range append(slices.Clone(m1.Data().Customers), "stranger") {
			x, _ := m1.Recommend(c, 3)
			y, _ := m2.Recommend(c, 3)
			if !reflect.DeepEqual(x, y) {
				t.Fatalf("%s: trained %v, reused %v", c, x, y)
			}
		}
		load(true, trains...)

		old, err := os.ReadFile("testdata/snapshot-format3.gob")
		if err != nil {
			t.Fatal(err)
		}
		// "default" is the one snapshot LoadOrTrain keeps.
		if err := s.SaveRecommendSnapshot(ctx, recommend.Snapshot{Name: "default", Fingerprint: o1.Fingerprint, Model: old, CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		load(false, trains...)
		if !apperr.Is(stale, apperr.Invalid) || !strings.Contains(stale.Error(), "format 3") {
			t.Fatalf("format 3 snapshot: stale %v", stale)
		}
		load(false)

		// A new event changes the fingerprint: the next call retrains.
		if _, err := s.InsertEvents(ctx, []event.Event{{CustomerID: "c00", Type: event.Purchase, SKU: "gloves", Quantity: 1, Amount: 5,
			OrderID: "late", OccurredAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}}); err != nil {
			t.Fatal(err)
		}
		_, o3 := load(false, "training", "loaded 121", "trained", "saved true")
		if o3.Fingerprint == o1.Fingerprint {
			t.Fatal("fingerprint unchanged by a new event")
		}

		// Selling out, a price or going inactive keep the model: it is
		// reused with today's availability, so the sold-out saucer is no
		// longer recommended.
		has := func(m *recommend.Model, c, sku string) bool {
			recs, err := m.Recommend(c, 5)
			if err != nil {
				t.Fatal(err)
			}
			return slices.ContainsFunc(recs, func(r recommend.Item) bool { return r.SKU == sku })
		}
		m4, _ := load(false)
		if !slices.ContainsFunc(m4.Data().Customers, func(c string) bool { return has(m4, c, "saucer") }) {
			t.Fatal("nobody is recommended the saucer to begin with")
		}
		saucer := catalog.Product{SKU: "saucer", Title: "Red saucer", Category: "Kitchen", Active: true, Stock: 0, Price: 3}
		if _, _, _, err := s.UpsertProducts(ctx, []catalog.Product{saucer}); err != nil {
			t.Fatal(err)
		}
		m5, o5 := load(false)
		if o5.Fingerprint != o3.Fingerprint {
			t.Fatal("a stock change changed the fingerprint")
		}
		for _, c := range m5.Data().Customers {
			if has(m5, c, "saucer") {
				t.Fatalf("%s is recommended the sold-out saucer by the reused model", c)
			}
		}
		// A new description is something the model learns from: retrain.
		saucer.Description = "Porcelain, dishwasher safe"
		if _, _, _, err := s.UpsertProducts(ctx, []catalog.Product{saucer}); err != nil {
			t.Fatal(err)
		}
		load(false, "training", "loaded 121", "trained", "saved true")
	})
}

// brokenSnapshots is a store whose snapshot table fails.
type brokenSnapshots struct{ store.Store }

func (brokenSnapshots) LoadRecommendSnapshot(context.Context, string, string) (recommend.Snapshot, error) {
	return recommend.Snapshot{}, apperr.New(apperr.Unavailable, "snapshot table unreachable")
}

// A store error other than NotFound is the caller's, not a cache miss.
func TestLoadOrTrainReturnsStoreErrors(t *testing.T) {
	s := storetest.OpenSQLite(t)
	seedPairs(t, s)
	o := recommend.DefaultOptions()
	o.Tune = false
	if _, _, err := recommend.LoadOrTrain(context.Background(), brokenSnapshots{s}, o, false, nil); !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("got %v, want the store's Unavailable", err)
	}
}
