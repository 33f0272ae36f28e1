package insight

import (
	"encoding/csv"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/event"
)

// sliceOrders reads the real Online Retail slice the importer tests use
// (the file's first rows, invoices of several lines) into a dataset, and
// returns the purchase baskets by invoice as the oracle (SKU sets).
func sliceOrders(t *testing.T) (*Dataset, map[string]map[string]bool, map[string]string) {
	t.Helper()
	f, err := os.Open("../importer/testdata/real/online_retail_slice.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	b := NewBuilder()
	titles := map[string]string{}
	baskets := map[string]map[string]bool{}
	var ps []catalog.Product
	for i, rec := range rows[1:] {
		inv, sku, title, qtyS, dateS, priceS, cust := rec[0], rec[1], rec[2], rec[3], rec[4], rec[5], rec[6]
		if cust == "" {
			continue
		}
		qty, _ := strconv.ParseFloat(qtyS, 64)
		price, _ := strconv.ParseFloat(priceS, 64)
		at, err := time.Parse(time.DateTime, dateS)
		if err != nil {
			t.Fatalf("row %d: %v", i+2, err)
		}
		if _, ok := titles[sku]; !ok {
			titles[sku] = title
			ps = append(ps, catalog.Product{SKU: sku, Title: title, Price: price, Currency: "GBP"})
		}
		e := event.Event{CustomerID: strings.TrimSuffix(cust, ".0"), Type: event.Purchase, SKU: sku, Quantity: qty,
			Amount: qty * price, OrderID: inv, OccurredAt: at, Ordinal: i}
		if strings.HasPrefix(inv, "C") {
			e.Type = event.Refund
		} else {
			if baskets[inv] == nil {
				baskets[inv] = map[string]bool{}
			}
			baskets[inv][sku] = true
		}
		b.AddEvent(e)
	}
	b.AddProducts(ps)
	return b.Dataset(), baskets, titles
}

func TestBoughtWithCountsSharedOrdersOnARealSlice(t *testing.T) {
	ds, baskets, titles := sliceOrders(t)
	var skus []string
	for s := range titles {
		skus = append(skus, s)
	}
	sort.Strings(skus)
	const minOrders = 2
	got := ds.BoughtWith(skus, 3, minOrders)
	if len(got) == 0 {
		t.Fatal("no product of the slice has a co-purchase; the slice repeats baskets (customer 17850), so some must")
	}
	shared := func(a, b string) int {
		n := 0
		for _, items := range baskets {
			if items[a] && items[b] {
				n++
			}
		}
		return n
	}
	byTitle := map[string]string{}
	for s, ti := range titles {
		byTitle[strings.TrimSpace(ti)] = s
	}
	for _, a := range skus {
		// the oracle: every other SKU by shared invoices, most first, ties by SKU
		var want []string
		for _, b := range skus {
			if b != a && shared(a, b) >= minOrders {
				want = append(want, b)
			}
		}
		sort.SliceStable(want, func(i, j int) bool {
			if si, sj := shared(a, want[i]), shared(a, want[j]); si != sj {
				return si > sj
			}
			return want[i] < want[j]
		})
		want = want[:min(3, len(want))]
		var gotSKUs []string
		for _, ti := range got[a] {
			gotSKUs = append(gotSKUs, byTitle[ti])
		}
		if strings.Join(gotSKUs, ",") != strings.Join(want, ",") {
			t.Errorf("%s (%s): bought with %v, want %v", a, titles[a], gotSKUs, want)
		}
	}
	if ws := got["85123A"]; len(ws) == 0 {
		t.Errorf("WHITE HANGING HEART T-LIGHT HOLDER, in every basket of customer 17850, has no co-purchase")
	}
}

func TestBoughtWithIgnoresRefundsAndUnknownSKUs(t *testing.T) {
	b := NewBuilder()
	b.AddProducts([]catalog.Product{{SKU: "A", Title: "RED MUG"}, {SKU: "B", Title: "BLUE MUG"}, {SKU: "C", Title: "GREEN MUG"}})
	at := time.Date(2011, 1, 1, 10, 0, 0, 0, time.UTC)
	for i, o := range []string{"1", "2"} {
		b.AddEvent(event.Event{CustomerID: "c1", Type: event.Purchase, SKU: "A", Quantity: 1, Amount: 2, OrderID: o, OccurredAt: at.Add(time.Duration(i) * time.Hour)})
		b.AddEvent(event.Event{CustomerID: "c1", Type: event.Purchase, SKU: "B", Quantity: 1, Amount: 2, OrderID: o, OccurredAt: at.Add(time.Duration(i) * time.Hour)})
		// C only ever comes back: a refund is not a purchase
		b.AddEvent(event.Event{CustomerID: "c1", Type: event.Refund, SKU: "C", Quantity: 1, Amount: 2, OrderID: "C" + o, OccurredAt: at.Add(time.Duration(i)*time.Hour + time.Minute)})
	}
	ds := b.Dataset()
	got := ds.BoughtWith([]string{"A", "C", "NOPE"}, 5, 2)
	if len(got) != 1 || strings.Join(got["A"], ",") != "BLUE MUG" {
		t.Fatalf("bought with = %v, want only A → [BLUE MUG]", got)
	}
	if got := ds.BoughtWith([]string{"A"}, 5, 3); len(got) != 0 {
		t.Errorf("two shared orders passed a minimum of three: %v", got)
	}
}
