package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/importer"
)

// RunImporter is the conformance suite of what an import writes through,
// typed by the interface the importer declares (importer.Store), so that
// an in-memory store passes the same suite as both engines.
func RunImporter(t *testing.T, open func(*testing.T) importer.Store) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, importer.Store)
	}{
		{"UpsertCustomersCounts", testImportCustomers},
		{"ConsentLedger", testImportConsents},
		{"UpsertProductsCounts", testImportProducts},
		{"InsertEventsDeduplicates", testImportEvents},
		{"BulkLoadRunsItsWrites", testImportBulkLoad},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

func testImportCustomers(t *testing.T, s importer.Store) {
	cs := []customer.Customer{{ID: "i1", Name: "王芳", Language: "zh"}, {ID: "i2", Email: "ann@example.com"}}
	if c, err := s.UpsertCustomers(ctx, cs); err != nil || c.Inserted != 2 || c.Updated != 0 || c.Unchanged != 0 {
		t.Fatalf("first upsert = %+v, %v", c, err)
	}
	if c, err := s.UpsertCustomers(ctx, cs); err != nil || c.Inserted != 0 || c.Unchanged != 2 {
		t.Fatalf("same again = %+v, %v; want 2 unchanged", c, err)
	}
	cs[1].City = "London"
	if c, err := s.UpsertCustomers(ctx, cs); err != nil || c.Updated != 1 || c.Unchanged != 1 {
		t.Fatalf("one changed = %+v, %v; want 1 updated, 1 unchanged", c, err)
	}
}

func testImportConsents(t *testing.T, s importer.Store) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	if _, err := s.UpsertCustomers(ctx, []customer.Customer{{ID: "k1"}}); err != nil {
		t.Fatal(err)
	}
	if l, err := s.Consents(ctx, "k1"); err != nil || len(l) != 0 {
		t.Fatalf("empty ledger = %+v, %v", l, err)
	}
	add := []customer.Consent{
		{CustomerID: "k1", Channel: customer.ChannelEmail, Purpose: customer.PurposeMarketing, Status: customer.Granted, LegalBasis: "consent", Source: "import", At: at},
		{CustomerID: "k1", Channel: customer.ChannelEmail, Purpose: customer.PurposeMarketing, Status: customer.Revoked, LegalBasis: "consent", Source: "import", At: at.Add(time.Hour)},
	}
	if n, err := s.AddConsents(ctx, add); err != nil || n != 2 {
		t.Fatalf("AddConsents = %d, %v", n, err)
	}
	l, err := s.Consents(ctx, "k1")
	if err != nil || len(l) != 2 {
		t.Fatalf("ledger = %+v, %v", l, err)
	}
	cur := customer.CurrentConsent(l)
	if cur.Granted(customer.ChannelEmail, customer.PurposeMarketing) {
		t.Errorf("the later revocation does not win: %+v", cur)
	}
}

func testImportProducts(t *testing.T, s importer.Store) {
	ps := []catalog.Product{{SKU: "P1", Title: "Linen shirt", Price: 29, Currency: "GBP", Active: true}, {SKU: "P2", Title: "Mug", Price: 5, Currency: "GBP", Active: true}}
	if ins, upd, unch, err := s.UpsertProducts(ctx, ps); err != nil || ins != 2 || upd != 0 || unch != 0 {
		t.Fatalf("first upsert = %d %d %d, %v", ins, upd, unch, err)
	}
	ps[0].Price = 25
	if ins, upd, unch, err := s.UpsertProducts(ctx, ps); err != nil || ins != 0 || upd != 1 || unch != 1 {
		t.Fatalf("one changed = %d %d %d, %v", ins, upd, unch, err)
	}
}

func testImportEvents(t *testing.T, s importer.Store) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	var es []event.Event
	for i := range 3 {
		e := event.Event{CustomerID: "e1", Type: event.Purchase, SKU: "P1", OrderID: "o1", Quantity: 1, Amount: 10, Currency: "GBP",
			OccurredAt: at, Ordinal: i} // identical lines: distinct by ordinal
		e.Key = e.NaturalKey() // as the importer sets it
		es = append(es, e)
	}
	if c, err := s.InsertEvents(ctx, es); err != nil || c.Inserted != 3 || c.Duplicates != 0 {
		t.Fatalf("first insert = %+v, %v", c, err)
	}
	if c, err := s.InsertEvents(ctx, es); err != nil || c.Inserted != 0 || c.Duplicates != 3 {
		t.Fatalf("re-import = %+v, %v; want 3 duplicates", c, err)
	}
}

func testImportBulkLoad(t *testing.T, s importer.Store) {
	type key struct{}
	ran := false
	err := s.BulkLoad(context.WithValue(ctx, key{}, "v"), func(ctx context.Context) error {
		ran = ctx.Value(key{}) == "v"
		_, err := s.UpsertCustomers(ctx, []customer.Customer{{ID: "b1"}})
		return err
	})
	if err != nil || !ran {
		t.Fatalf("BulkLoad ran its function with the caller's context: %v, %v", ran, err)
	}
	if c, err := s.UpsertCustomers(ctx, []customer.Customer{{ID: "b1"}}); err != nil || c.Unchanged != 1 {
		t.Fatalf("the load's write is not stored: %+v, %v", c, err)
	}
}
