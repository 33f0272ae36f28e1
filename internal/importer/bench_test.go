package importer_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/datatest"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/importer"
	"github.com/chorusmkt/chorus/internal/rusage"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// nullStore accepts everything, to measure the parser alone.
type nullStore struct{}

func (nullStore) UpsertCustomers(_ context.Context, cs []customer.Customer) (customer.UpsertCounts, error) {
	return customer.UpsertCounts{Inserted: len(cs)}, nil
}
func (nullStore) AddConsents(_ context.Context, cs []customer.Consent) (int, error) {
	return len(cs), nil
}
func (nullStore) Consents(context.Context, string) ([]customer.Consent, error) { return nil, nil }
func (nullStore) BulkLoad(ctx context.Context, fn func(context.Context) error) error {
	return fn(ctx)
}
func (nullStore) UpsertProducts(_ context.Context, ps []catalog.Product) (int, int, int, error) {
	return len(ps), 0, 0, nil
}
func (nullStore) InsertEvents(_ context.Context, es []event.Event) (event.InsertCounts, error) {
	return event.InsertCounts{Inserted: len(es)}, nil
}

func BenchmarkParseOnlineRetail(b *testing.B) {
	path := datatest.Path(b, datatest.OnlineRetail)
	for b.Loop() {
		sum, err := importer.Run(context.Background(), nullStore{}, importer.Options{Entity: "events", Path: path, Format: "online-retail"})
		if err != nil || sum.Read != 541909 {
			b.Fatal(sum, err)
		}
	}
}

// BenchmarkImportOnlineRetailSQLite imports the Online Retail file into a
// new SQLite file per iteration and reports rows/s and the process's peak
// RSS (which includes what the test binary held before). `chorus bench
// import` compares the same import with the sqlite3 shell.
func BenchmarkImportOnlineRetailSQLite(b *testing.B) {
	path := datatest.Path(b, datatest.OnlineRetail)
	rows := 0
	for b.Loop() {
		b.StopTimer()
		st := storetest.OpenSQLite(b)
		b.StartTimer()
		bs, _ := strconv.Atoi(os.Getenv("CHORUS_BENCH_BATCH"))
		sum, err := importer.Run(context.Background(), st, importer.Options{Entity: "events", Path: path, Format: "online-retail", BatchSize: bs})
		if err != nil || sum.Read != 541909 {
			b.Fatal(sum, err)
		}
		// closing checkpoints the write-ahead log into the file: part of the import
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		rows += sum.Read
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	if mb := rusage.PeakRSSMB(); mb > 0 {
		b.ReportMetric(mb, "peak-RSS-MB")
	}
}

// BenchmarkScanEventsOnlineRetail times reading every Online Retail event
// back in scan order (time, then id), as insight and recommend load them.
// The file is imported once into a SQLite file outside the timed loop.
func BenchmarkScanEventsOnlineRetail(b *testing.B) {
	path := datatest.Path(b, datatest.OnlineRetail)
	ctx := context.Background()
	st := storetest.OpenSQLite(b)
	if _, err := importer.Run(ctx, st, importer.Options{Entity: "events", Path: path, Format: "online-retail"}); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		f    event.Filter
	}{
		{"all", event.Filter{}},
		{"insight-types", event.Filter{Types: []string{event.Purchase, event.Refund, event.View, event.Cart, event.Open, event.Click}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				n = 0
				if err := st.ScanEvents(ctx, bc.f, func(event.Event) error { n++; return nil }); err != nil {
					b.Fatal(err)
				}
			}
			if n != 541909 {
				b.Fatalf("scanned %d events, want 541909", n)
			}
			b.ReportMetric(float64(n)/(float64(b.Elapsed().Nanoseconds())/float64(b.N))*1e9, "events/s")
		})
	}
}
