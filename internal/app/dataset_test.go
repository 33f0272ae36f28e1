package app_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// scanCounter counts the full reads of the event table.
type scanCounter struct {
	store.Store
	full atomic.Int32
}

func (s *scanCounter) ScanEvents(ctx context.Context, f event.Filter, fn func(event.Event) error) error {
	if f.AfterID == 0 && f.CustomerID == "" {
		s.full.Add(1)
	}
	return s.Store.ScanEvents(ctx, f, fn)
}

// Insight, the segments and the recommender share one dataset: a profile,
// an audience and a training read the event table once between them, and
// the recommender sees events written since without a second full read.
func TestOneDatasetForInsightSegmentsAndRecommend(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	rep, err := demo.Build(ctx, st, demo.Options{Seed: 5, Customers: 40, End: demo.DefaultEnd()})
	if err != nil {
		t.Fatal(err)
	}
	sc := &scanCounter{Store: st}
	a, err := app.New(ctx, config.Default(), sc, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close(ctx)
	if _, err := a.Insight.Profile(ctx, rep.SeedPersonaID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Segments.Members(ctx, "all"); err != nil {
		t.Fatal(err)
	}
	m, o, err := a.Recommend.Model(ctx, true)
	if err != nil || o.Reused {
		t.Fatalf("train: %+v, %v", o, err)
	}
	if n := sc.full.Load(); n != 1 {
		t.Errorf("%d full reads of the events, want 1", n)
	}
	ds, err := a.Insight.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.Data().NumCustomers(), countCustomers(ds.Interactions()); got != want {
		t.Errorf("the model knows %d customers, the dataset's interactions %d", got, want)
	}

	// A new customer's purchase: the next training takes it in from the
	// caught-up dataset, still without a second full read.
	at := ds.LastEvent
	if _, err := st.InsertEvents(ctx, []event.Event{{CustomerID: "newcomer", Type: event.Purchase, SKU: ds.Items[0], Quantity: 1, Amount: 10, OccurredAt: at}}); err != nil {
		t.Fatal(err)
	}
	a.Recommend.Invalidate()
	m, _, err = a.Recommend.Model(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Known("newcomer") {
		t.Error("the retrained model does not know the new customer")
	}
	if n := sc.full.Load(); n != 1 {
		t.Errorf("%d full reads of the events after catching up, want 1", n)
	}
}

func countCustomers(in []insight.Interaction) int {
	seen := map[int32]bool{}
	for _, e := range in {
		if e.Customer >= 0 {
			seen[e.Customer] = true
		}
	}
	return len(seen)
}
