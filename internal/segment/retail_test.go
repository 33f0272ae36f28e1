package segment_test

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/datatest"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/segment"
)

// retailRecords builds the records of the Online Retail customers after the
// common cleaning (rows with a CustomerID, invoice not starting with C,
// Quantity > 0, UnitPrice > 0), scored with the grid map.
func retailRecords(t *testing.T) ([]segment.Record, *insight.Snapshot) {
	t.Helper()
	f, err := os.Open(datatest.Path(t, datatest.OnlineRetail))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(zr)
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		t.Fatal(err)
	}
	b := insight.NewBuilder()
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		inv, sku, qtyS, dateS, priceS, cust := rec[0], rec[1], rec[3], rec[4], rec[5], rec[6]
		qty, _ := strconv.ParseFloat(qtyS, 64)
		price, _ := strconv.ParseFloat(priceS, 64)
		if cust == "" || strings.HasPrefix(inv, "C") || qty <= 0 || price <= 0 {
			continue
		}
		at, err := time.Parse(time.DateTime, dateS)
		if err != nil {
			t.Fatal(err)
		}
		b.AddEvent(event.Event{CustomerID: strings.TrimSuffix(cust, ".0"), Type: event.Purchase, SKU: sku,
			Quantity: qty, Amount: qty * price, OrderID: inv, OccurredAt: at})
	}
	ds := b.Dataset()
	opts := insight.DefaultOptions()
	opts.Map = insight.MapGrid
	opts.CLVHorizonDays = 0 // CLV is insight's to test; keep this one fast
	snap, err := insight.Compute(ds, opts)
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]segment.Record, len(snap.Metrics))
	for i, m := range snap.Metrics {
		recs[i] = segment.FromMetrics(customer.Customer{ID: m.CustomerID}, m, nil, snap.AsOf)
	}
	return recs, snap
}

// TestOnlineRetailSegments evaluates expressions over the real customers:
// counts by RFM segment must be the pandas grid counts (cross-checked in
// the insight package), and every other count must equal a direct loop
// over the metrics, so that no field is mapped wrongly.
func TestOnlineRetailSegments(t *testing.T) {
	recs, snap := retailRecords(t)
	if len(recs) != 4338 {
		t.Fatalf("%d customers, want 4338", len(recs))
	}
	count := func(pred func(insight.Metrics) bool) int {
		n := 0
		for _, m := range snap.Metrics {
			if pred(m) {
				n++
			}
		}
		return n
	}
	asOf := snap.AsOf
	tests := []struct {
		expr string
		want int
	}{
		{`rfm.segment == "champions"`, 633},
		{`rfm.segment in ["at_risk","cant_loose"]`, 593 + 63},
		{`rfm.segment == "hibernating" || rfm.segment == "about_to_sleep"`, 1071 + 352},
		{`rfm.score == "555"`, count(func(m insight.Metrics) bool { return m.RFM.Score == "555" })},
		{`rfm.r >= 4 && rfm.f <= 2`, count(func(m insight.Metrics) bool { return m.RFM.R >= 4 && m.RFM.F <= 2 })},
		{`orders >= 10 && revenue > 5000`, count(func(m insight.Metrics) bool { return m.Orders >= 10 && m.Revenue > 5000 })},
		{`days_since_last_purchase > 180`, count(func(m insight.Metrics) bool {
			return int(asOf.Sub(m.LastPurchase).Hours()/24) > 180
		})},
		{`lifecycle == "churned" && rfm.monetary > 1000`, count(func(m insight.Metrics) bool {
			return m.Lifecycle == "churned" && m.RFM.Monetary > 1000
		})},
		{`expected_next_purchase_days >= 0 && expected_next_purchase_days <= 14`, count(func(m insight.Metrics) bool {
			if m.NextPurchase.IsZero() {
				return false
			}
			d := max(0, int(m.NextPurchase.Sub(asOf).Hours()/24))
			return d <= 14
		})},
	}
	for _, tc := range tests {
		p, err := segment.Compile(tc.expr)
		if err != nil {
			t.Fatal(err)
		}
		res, err := p.Filter(context.Background(), recs, 0)
		if err != nil {
			t.Fatal(err)
		}
		if res.Count != tc.want || res.Errors != 0 {
			t.Errorf("%s: %d match (%d errors), want %d", tc.expr, res.Count, res.Errors, tc.want)
		}
		if tc.want == 0 {
			t.Errorf("%s: a zero count proves nothing; pick another expression", tc.expr)
		}
	}
	// One customer by hand (pandas: recency 372, frequency 34, score 155).
	for _, r := range recs {
		if r.ID == "17850" {
			if r.RFM.Segment != "cant_loose" || r.DaysSinceLastPurchase != 372 || r.RFM.Frequency != 34 || r.RFM.Score != "155" {
				t.Errorf("17850 = %+v", r.RFM)
			}
		}
	}
}
