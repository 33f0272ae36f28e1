package insight

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/datatest"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/importer"
)

// retailEvents reads the UCI Online Retail file into events. With
// commonCleaning it keeps what the textbook RFM recipe keeps (a
// CustomerID, an invoice not starting with C, Quantity > 0, UnitPrice > 0);
// without it every customer row becomes an event: cancellations as
// refunds, the rest as purchases (which Builder filters like the cleaning).
func retailEvents(tb testing.TB, commonCleaning bool) []event.Event {
	tb.Helper()
	f, err := os.Open(datatest.Path(tb, datatest.OnlineRetail))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	r := csv.NewReader(zr)
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil { // header
		tb.Fatal(err)
	}
	var out []event.Event
	// Identical lines of one invoice are real repeats: number them so that
	// the store's natural-key dedup keeps them, as the importer does.
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		inv, sku, qtyS, dateS, priceS, custS := rec[0], rec[1], rec[3], rec[4], rec[5], rec[6]
		if custS == "" {
			continue
		}
		qty, err1 := strconv.ParseFloat(qtyS, 64)
		price, err2 := strconv.ParseFloat(priceS, 64)
		at, err3 := time.Parse(time.DateTime, dateS)
		if err1 != nil || err2 != nil || err3 != nil {
			tb.Fatalf("bad row %v", rec)
		}
		cancel := strings.HasPrefix(inv, "C")
		if commonCleaning && (cancel || qty <= 0 || price <= 0) {
			continue
		}
		e := event.Event{CustomerID: strings.TrimSuffix(custS, ".0"), Type: event.Purchase, SKU: sku, Quantity: qty,
			Amount: qty * price, OrderID: inv, OccurredAt: at}
		if cancel {
			e.Type = event.Refund
		}
		if !commonCleaning {
			k := strings.Join(rec, "\x00")
			e.Ordinal = seen[k]
			seen[k]++
		}
		out = append(out, e)
	}
	return out
}

func retailDataset(tb testing.TB, commonCleaning bool) *Dataset {
	b := NewBuilder()
	for _, e := range retailEvents(tb, commonCleaning) {
		b.AddEvent(e)
	}
	return b.Dataset()
}

// Expected figures were derived once by hand with real pandas 1.5.3 /
// numpy 1.24.2 (Debian python3-pandas) by testdata/rfm_pandas.py, the
// textbook recipe: common cleaning (397,884 rows, 4,338 customers), as_of
// 2011-12-10 (the day after the last invoice, midnight), recency =
// (as_of - last).days, frequency = nunique(InvoiceNo), monetary =
// sum(Quantity*UnitPrice), qcut quintiles with recency reversed and
// frequency.rank(method="first"), the grid by regex on "RF".
var (
	pandasRecencyEdges   = []float64{0.0, 12.800000000000182, 32.0, 71.0, 179.0, 373.0}
	pandasFrequencyEdges = []float64{1.0, 868.4000000000001, 1735.8000000000002, 2603.2000000000003, 3470.6000000000004, 4338.0}
	pandasMonetaryEdges  = []float64{3.75, 250.19400000000002, 490.0960000000001, 942.2760000000001, 2058.426000000001, 280206.02}
	pandasScoreCounts    = map[string][5]int{
		"R": {861, 866, 863, 880, 868},
		"F": {868, 867, 868, 867, 868},
		"M": {868, 867, 868, 867, 868},
	}
	pandasGrid = map[string]int{
		"about_to_sleep": 352, "at_risk": 593, "cant_loose": 63, "champions": 633, "hibernating": 1071,
		"loyal_customers": 819, "need_attention": 187, "new_customers": 42, "potential_loyalists": 484, "promising": 94,
	}
	// The R rfm package rule table applied to the same scores in pandas.
	pandasRFMPackage = map[string]int{
		"about_to_sleep": 211, "at_risk": 366, "champions": 953, "lost": 462, "loyal_customers": 1111,
		"need_attention": 170, "others": 284, "potential_loyalist": 781,
	}
	pandasCustomers = []struct {
		id                  string
		recency, frequency  int
		monetary            float64
		score, grid, rfmPkg string
	}{
		{"12346", 325, 1, 77183.6, "115", "hibernating", "others"},
		{"12347", 2, 7, 4310.0, "555", "champions", "champions"},
		{"12748", 0, 209, 33719.73, "555", "champions", "champions"},
		{"14646", 1, 73, 280206.02, "555", "champions", "champions"},
		{"17850", 372, 34, 5391.21, "155", "cant_loose", "at_risk"},
		{"18287", 42, 3, 1837.28, "344", "loyal_customers", "loyal_customers"},
	}
)

func TestOnlineRetailRFMMatchesPandas(t *testing.T) {
	ds := retailDataset(t, true)
	if got := ds.Purchases(); got != 397884 {
		t.Fatalf("purchase lines = %d, want 397884 after the common cleaning", got)
	}
	if got := len(ds.Customers); got != 4338 {
		t.Fatalf("customers = %d, want 4338", got)
	}
	if got, want := ds.DefaultAsOf(), time.Date(2011, 12, 10, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Fatalf("default as_of = %v, want %v", got, want)
	}
	for _, mp := range []string{MapGrid, MapRFMPackage} {
		opts := DefaultOptions()
		opts.Map = mp
		opts.CLVHorizonDays = 0
		snap, err := Compute(ds, opts)
		if err != nil {
			t.Fatal(err)
		}
		if snap.Scored != 4338 {
			t.Errorf("scored = %d, want 4338", snap.Scored)
		}
		exactEdges(t, "recency", snap.Recency.Edges, pandasRecencyEdges)
		exactEdges(t, "frequency", snap.Frequency.Edges, pandasFrequencyEdges)
		if snap.Recency.Method != "quantile" || snap.Frequency.Method != "rank" || snap.Monetary.Method != "quantile" {
			t.Errorf("methods = %s/%s/%s, want quantile/rank/quantile", snap.Recency.Method, snap.Frequency.Method, snap.Monetary.Method)
		}
		for i, want := range pandasMonetaryEdges {
			// Sums of many floats differ in the last bits with the order of
			// addition (pandas uses Kahan summation); nothing else may.
			if got := snap.Monetary.Edges[i]; math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Errorf("monetary edge %d = %.12g, want %.12g", i, got, want)
			}
		}
		var counts [3][5]int
		for _, m := range snap.Metrics {
			counts[0][m.RFM.R-1]++
			counts[1][m.RFM.F-1]++
			counts[2][m.RFM.M-1]++
		}
		for i, dim := range []string{"R", "F", "M"} {
			if counts[i] != pandasScoreCounts[dim] {
				t.Errorf("%s score counts = %v, want %v", dim, counts[i], pandasScoreCounts[dim])
			}
		}
		want := pandasGrid
		if mp == MapRFMPackage {
			want = pandasRFMPackage
		}
		sameCounts(t, mp, snap.Segments, want)
		for _, pc := range pandasCustomers {
			m, ok := snap.Get(pc.id)
			if !ok {
				t.Fatalf("customer %s missing", pc.id)
			}
			seg := pc.grid
			if mp == MapRFMPackage {
				seg = pc.rfmPkg
			}
			if m.RFM.Recency != pc.recency || m.RFM.Frequency != pc.frequency || math.Abs(m.RFM.Monetary-pc.monetary) > 1e-6 ||
				m.RFM.Score != pc.score || m.RFM.Segment != seg {
				t.Errorf("customer %s = %+v, want recency %d frequency %d monetary %g score %s segment %s",
					pc.id, m.RFM, pc.recency, pc.frequency, pc.monetary, pc.score, seg)
			}
		}
	}
}

func exactEdges(t *testing.T, dim string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s edges = %v, want %v", dim, got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s edge %d = %v, want exactly %v (pandas)", dim, i, got[i], want[i])
		}
	}
}

func sameCounts(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s = %d, want %d", what, k, got[k], v)
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok && v != 0 {
			t.Errorf("%s: unexpected %s = %d", what, k, v)
		}
	}
}

// builderStore is an importer.Store that feeds a Builder, so the test
// runs the real Online Retail import path without a database.
type builderStore struct {
	b *Builder
}

func (s builderStore) BulkLoad(ctx context.Context, fn func(context.Context) error) error {
	return fn(ctx)
}

func (s builderStore) UpsertCustomers(_ context.Context, cs []customer.Customer) (customer.UpsertCounts, error) {
	for _, c := range cs {
		s.b.AddCustomer(c)
	}
	return customer.UpsertCounts{Inserted: len(cs)}, nil
}

func (s builderStore) AddConsents(_ context.Context, cs []customer.Consent) (int, error) {
	for _, c := range cs {
		s.b.AddConsent(c)
	}
	return len(cs), nil
}

func (s builderStore) Consents(context.Context, string) ([]customer.Consent, error) { return nil, nil }

func (s builderStore) UpsertProducts(_ context.Context, ps []catalog.Product) (int, int, int, error) {
	s.b.AddProducts(ps)
	return len(ps), 0, 0, nil
}

func (s builderStore) InsertEvents(_ context.Context, es []event.Event) (event.InsertCounts, error) {
	for _, e := range es {
		s.b.AddEvent(e)
	}
	return event.InsertCounts{Inserted: len(es)}, nil
}

// TestOnlineRetailImportedRFMMatchesPandas runs the importer's
// online-retail format (every row: cancellations become refunds,
// adjustments are kept as events) and checks that RFM over what it
// produces still reproduces the pandas grid and R/F edges exactly.
func TestOnlineRetailImportedRFMMatchesPandas(t *testing.T) {
	path := datatest.Path(t, datatest.OnlineRetail)
	b := NewBuilder()
	sum, err := importer.Run(context.Background(), builderStore{b}, importer.Options{Entity: importer.Events, Path: path, Format: importer.FormatOnlineRetail})
	if err != nil {
		t.Fatal(err)
	}
	ds := b.Dataset()
	opts := DefaultOptions()
	opts.CLVHorizonDays = 0
	snap, err := Compute(ds, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("import: %d rows read, %d rejected; %d purchase lines kept, %d adjustments skipped", sum.Read, sum.Rejected, ds.Purchases(), ds.Skipped)
	if ds.Purchases() != 397884 || snap.Scored != 4338 {
		t.Errorf("purchase lines %d, buyers %d; want 397884 and 4338 (the common cleaning)", ds.Purchases(), snap.Scored)
	}
	exactEdges(t, "recency", snap.Recency.Edges, pandasRecencyEdges)
	exactEdges(t, "frequency", snap.Frequency.Edges, pandasFrequencyEdges)
	sameCounts(t, "grid", snap.Segments, pandasGrid)
	if got, want := ds.DefaultAsOf(), time.Date(2011, 12, 10, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("default as_of = %v, want %v", got, want)
	}
	// Customer 12346 bought for 77183.60 and cancelled all of it: net
	// revenue 0, while recency and frequency still count the order.
	if m, _ := snap.Get("12346"); m.RFM.Monetary != 0 || m.RFM.Frequency != 1 || m.RFM.Recency != 325 {
		t.Errorf("12346 = %+v, want net revenue 0, 1 order, 325 days", m.RFM)
	}
}

// TestOnlineRetailCLVIsNetOfCancellations: customer 16446 bought for
// £2.90, then placed a £168,469.60 order cancelled 12 minutes later. Her
// CLV must come from the £2.90 she kept, and no customer may be projected
// to spend more per purchase than their largest net order.
func TestOnlineRetailCLVIsNetOfCancellations(t *testing.T) {
	path := datatest.Path(t, datatest.OnlineRetail)
	b := NewBuilder()
	if _, err := importer.Run(context.Background(), builderStore{b}, importer.Options{Entity: importer.Events, Path: path, Format: importer.FormatOnlineRetail}); err != nil {
		t.Fatal(err)
	}
	ds := b.Dataset()
	snap, err := Compute(ds, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if snap.CLV == nil {
		t.Fatalf("CLV not fitted: %v", snap.Notes)
	}
	m, ok := snap.Get("16446")
	if !ok {
		t.Fatal("16446 missing")
	}
	t.Logf("16446: monetary %.2f, CLV %.2f (P(alive) %.3f, %.3f purchases × %.2f)", m.RFM.Monetary, m.CLV.Value, m.CLV.PAlive, m.CLV.ExpectedPurchases, m.CLV.ExpectedAvgValue)
	if math.Abs(m.RFM.Monetary-2.90) > 1e-6 {
		t.Errorf("16446 monetary = %.2f, want 2.90 net", m.RFM.Monetary)
	}
	if m.CLV.Value >= 100 || m.CLV.ExpectedAvgValue > 2.90+1e-9 {
		t.Errorf("16446 CLV = %+v, want below £100 with at most £2.90 per purchase", m.CLV)
	}
	over, valued := 0, 0
	for c, id := range ds.Customers {
		mm := snap.Metrics[c]
		orders, un := ds.NetOrders(id, snap.AsOf)
		largest, total := 0.0, un
		for _, o := range orders {
			if !o.Cancelled() {
				largest = max(largest, o.Net)
			}
			total += o.Net
		}
		if mm.Orders > 0 && math.Abs(total-mm.RFM.Monetary) > 1e-6*math.Max(1, math.Abs(total)) {
			t.Fatalf("%s: monetary %.2f is not the net orders' %.2f", id, mm.RFM.Monetary, total)
		}
		if mm.CLV.HorizonDays == 0 {
			if largest > 0 && mm.Orders > 0 {
				t.Errorf("%s: a buyer with a net order of %.2f has no CLV", id, largest)
			}
			continue
		}
		valued++
		if mm.CLV.ExpectedAvgValue > largest*(1+1e-9) {
			over++
			if over <= 5 {
				t.Errorf("%s: expected spend per purchase %.2f exceeds the largest net order %.2f", id, mm.CLV.ExpectedAvgValue, largest)
			}
		}
	}
	if over > 0 || valued < 4000 {
		t.Errorf("%d of %d valued customers over their largest net order", over, valued)
	}
}
