package importer_test

import (
	"context"
	"testing"

	"github.com/chorusmkt/chorus/internal/datatest"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/importer"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// TestOnlineRetailFull imports the whole UCI Online Retail file on each
// engine: every one of the 541,909 lines is accounted for, the stored
// counts are the same on both engines, and a second run stores nothing.
func TestOnlineRetailFull(t *testing.T) {
	path := datatest.Path(t, datatest.OnlineRetail)
	if testing.Short() {
		t.Skip("skipping the full Online Retail import in -short mode")
	}
	const rows = 541909
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		opts := importer.Options{Entity: "events", Path: path, Format: importer.FormatOnlineRetail}
		sum, err := importer.Run(ctx, st, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: first run %s", st.Engine(), sum)
		// The file is clean: every line is an event (5,268 lines repeat
		// an earlier line of the same invoice and are kept with an ordinal).
		if sum.Read != rows || sum.Imported != rows || sum.Rejected != 0 || sum.SkippedDuplicates != 0 {
			t.Errorf("first run: %s", sum)
		}
		if sum.Customers.Inserted != 4372 || sum.Products.Inserted != 4070 {
			t.Errorf("customers %+v products %+v, want 4372 and 4070 inserted", sum.Customers, sum.Products)
		}
		if n, _ := st.CountEvents(ctx, event.Filter{}); n != rows {
			t.Errorf("stored %d events, want %d", n, rows)
		}
		if n, _ := st.CountEvents(ctx, event.Filter{Types: []string{event.Refund}}); n != 9288 {
			t.Errorf("stored %d refunds, want the 9,288 lines of C invoices", n)
		}
		if n, _ := st.CountCustomers(ctx); n != 4372 {
			t.Errorf("stored %d customers, want 4372", n)
		}
		sum, err = importer.Run(ctx, st, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: second run %s", st.Engine(), sum)
		if sum.Read != rows || sum.Imported != 0 || sum.Updated != 0 || sum.SkippedDuplicates != rows {
			t.Errorf("second run imported something: %s", sum)
		}
		if sum.Customers.Unchanged != 4372 || sum.Products.Unchanged != 4070 {
			t.Errorf("second run changed customers %+v or products %+v", sum.Customers, sum.Products)
		}
	})
}
