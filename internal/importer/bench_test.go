package importer_test

import (
	"context"
	"os"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/datatest"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/importer"
	"github.com/chorusmkt/chorus/internal/rusage"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// memory is an in-memory importer.Store that behaves as the engines do
// (TestMemoryStoreConformance), for benchmarks of the parser and the
// writer without SQL and for tests without a database.
type memory struct {
	mu        sync.Mutex
	customers map[string]customer.Customer
	consents  map[string][]customer.Consent
	products  map[string]catalog.Product
	events    map[int64]bool
}

func newMemory() *memory {
	return &memory{customers: map[string]customer.Customer{}, consents: map[string][]customer.Consent{},
		products: map[string]catalog.Product{}, events: map[int64]bool{}}
}

func (m *memory) UpsertCustomers(_ context.Context, cs []customer.Customer) (c customer.UpsertCounts, _ error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, x := range cs {
		old, ok := m.customers[x.ID]
		switch {
		case !ok:
			c.Inserted++
		case reflect.DeepEqual(old, x):
			c.Unchanged++
			continue
		default:
			c.Updated++
		}
		m.customers[x.ID] = x
	}
	return c, nil
}

func (m *memory) AddConsents(_ context.Context, cs []customer.Consent) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range cs {
		m.consents[c.CustomerID] = append(m.consents[c.CustomerID], c)
	}
	return len(cs), nil
}

func (m *memory) Consents(_ context.Context, id string) ([]customer.Consent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.consents[id]), nil
}

func (m *memory) BulkLoad(ctx context.Context, fn func(context.Context) error) error { return fn(ctx) }

func (m *memory) UpsertProducts(_ context.Context, ps []catalog.Product) (ins, upd, unch int, _ error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range ps {
		old, ok := m.products[p.SKU]
		switch {
		case !ok:
			ins++
		case reflect.DeepEqual(old, p):
			unch++
			continue
		default:
			upd++
		}
		m.products[p.SKU] = p
	}
	return ins, upd, unch, nil
}

func (m *memory) InsertEvents(_ context.Context, es []event.Event) (c event.InsertCounts, _ error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range es {
		k := e.Key
		if k == 0 {
			k = e.NaturalKey()
		}
		if m.events[k] {
			c.Duplicates++
			continue
		}
		m.events[k] = true
		c.Inserted++
	}
	return c, nil
}

// The in-memory store passes the suite the engines pass.
func TestMemoryStoreConformance(t *testing.T) {
	storetest.RunImporter(t, func(*testing.T) importer.Store { return newMemory() })
}

func BenchmarkParseOnlineRetail(b *testing.B) {
	path := datatest.Path(b, datatest.OnlineRetail)
	for b.Loop() {
		sum, err := importer.Run(context.Background(), newMemory(), importer.Options{Entity: "events", Path: path, Format: "online-retail"})
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
