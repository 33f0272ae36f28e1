package insight_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// countingStore counts the events a scan delivers.
type countingStore struct {
	insight.ServiceStore
	scanned int
}

func (c *countingStore) ScanEvents(ctx context.Context, f event.Filter, fn func(event.Event) error) error {
	return c.ServiceStore.ScanEvents(ctx, f, func(e event.Event) error { c.scanned++; return fn(e) })
}

// A long-running process catches up on new events by reading only them,
// and gets the dataset a fresh load would give; datasets handed out
// before stay as they were.
func TestServiceCatchUp(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	var cs []customer.Customer
	var es []event.Event
	for i := range 20 {
		id := string(rune('a'+i%26)) + "1"
		cs = append(cs, customer.Customer{ID: id, Language: "en"})
		for k := range 3 {
			es = append(es, event.Event{CustomerID: id, Type: event.Purchase, SKU: "S1", OrderID: id + string(rune('0'+k)), Quantity: 1,
				Amount: float64(10 + i + k), Currency: "GBP", OccurredAt: at.Add(time.Duration(i*3+k) * time.Hour)})
		}
	}
	if _, err := st.UpsertCustomers(ctx, cs); err != nil {
		t.Fatal(err)
	}
	if _, err := st.InsertEvents(ctx, es); err != nil {
		t.Fatal(err)
	}
	cnt := &countingStore{ServiceStore: st}
	svc := insight.NewService(cnt, insight.Options{})
	if ds, err := svc.CatchUp(ctx); err != nil || ds != nil {
		t.Fatalf("catch up before any load = %v, %v; want nothing to do", ds, err)
	}
	first, err := svc.Dataset(ctx)
	if err != nil || first.Version.Events != 60 || first.Version.LastEventID == 0 || cnt.scanned != 60 {
		t.Fatalf("first load: version %+v, scanned %d, %v", first.Version, cnt.scanned, err)
	}
	// new events, one of a new customer
	more := []event.Event{
		{CustomerID: "a1", Type: event.Purchase, SKU: "S2", OrderID: "new1", Quantity: 2, Amount: 40, Currency: "GBP", OccurredAt: at.Add(100 * time.Hour)},
		{CustomerID: "zz", Type: event.Purchase, SKU: "S1", OrderID: "new2", Quantity: 1, Amount: 12, Currency: "GBP", OccurredAt: at.Add(101 * time.Hour)},
	}
	if _, err := st.InsertEvents(ctx, more); err != nil {
		t.Fatal(err)
	}
	cnt.scanned = 0
	caught, err := svc.CatchUp(ctx)
	if err != nil || cnt.scanned != 2 || caught.Version.Events != 62 {
		t.Fatalf("catch up: scanned %d events (want the 2 new), version %+v, %v", cnt.scanned, caught.Version, err)
	}
	fresh, err := insight.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(caught, fresh) {
		t.Errorf("the caught-up dataset differs from a fresh load:\n%+v\n%+v", caught, fresh)
	}
	if first.Version.Events != 60 || first.Index("zz") >= 0 || fresh.Index("zz") < 0 {
		t.Errorf("the dataset handed out before changed: %+v", first.Version)
	}
	if got, _ := svc.Dataset(ctx); got != caught {
		t.Error("Dataset does not return the caught-up dataset")
	}
}
