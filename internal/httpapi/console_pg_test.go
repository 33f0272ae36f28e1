package httpapi_test

import (
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/store/storetest"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// TestConsoleQueriesOnPostgres runs the console's own queries (the search
// window and the dashboard's activity) on PostgreSQL; it skips without
// CHORUS_TEST_POSTGRES_DSN.
func TestConsoleQueriesOnPostgres(t *testing.T) {
	st := storetest.OpenPostgres(t)
	ctx := t.Context()
	var cs []customer.Customer
	for _, id := range []string{"A1", "A2", "B1", "B2", "C1"} {
		cs = append(cs, customer.Customer{ID: id, Name: "name " + id, Email: id + "@example.com"})
	}
	if _, err := st.UpsertCustomers(ctx, cs); err != nil {
		t.Fatal(err)
	}
	page, last, err := st.SearchCustomerWindow(ctx, customer.Search{Query: "b"}, 3)
	if err != nil || len(page) != 1 || page[0].ID != "B1" || last != "B1" {
		t.Fatalf("first window: %v, last %q, %v", page, last, err)
	}
	page, last, err = st.SearchCustomerWindow(ctx, customer.Search{After: last, Query: "b"}, 3)
	if err != nil || len(page) != 1 || page[0].ID != "B2" || last != "" {
		t.Fatalf("second window: %v, last %q, %v", page, last, err)
	}
	day := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	if _, err := st.InsertEvents(ctx, []event.Event{
		{CustomerID: "A1", Type: event.Purchase, SKU: "S", Amount: 30, OrderID: "O1", OccurredAt: day.Add(time.Hour)},
		{CustomerID: "A1", Type: event.Purchase, SKU: "T", Amount: 20, OrderID: "O1", OccurredAt: day.Add(time.Hour), Ordinal: 1},
		{CustomerID: "A2", Type: event.Refund, SKU: "S", Amount: -5, OrderID: "O2", OccurredAt: day.Add(2 * time.Hour)},
	}); err != nil {
		t.Fatal(err)
	}
	a, err := tracking.ActivityOf(ctx, st, time.Time{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	b := a.Buckets[1]
	if len(a.Buckets) != 2 || !b.Start.Equal(day) || b.Orders != 1 || b.Buyers != 1 || b.Revenue != 45 {
		t.Fatalf("activity: %+v", a.Buckets)
	}
}
