package recommend

import (
	"compress/gzip"
	"encoding/csv"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/datatest"
	"github.com/chorusmkt/chorus/internal/event"
)

// The Online Retail reader below stands in for the importer in tests and
// benchmarks so that this package's real-data checks do not depend on a
// database: purchases are rows with a customer or guest, an invoice not
// starting with C, Quantity > 0 and UnitPrice > 0; cancellations become
// refunds; titles come from Description.

var retail struct {
	once sync.Once
	d    *Data
	err  error
}

func loadRetail(tb testing.TB) *Data {
	tb.Helper()
	path := datatest.Path(tb, datatest.OnlineRetail)
	retail.once.Do(func() { retail.d, retail.err = readRetail(path) })
	if retail.err != nil {
		tb.Fatalf("read %s: %v", path, retail.err)
	}
	return retail.d
}

func readRetail(path string) (*Data, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(gz)
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		return nil, err
	}
	b := NewBuilder()
	titles := map[string]string{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		inv, sku, desc := rec[0], strings.TrimSpace(rec[1]), strings.TrimSpace(rec[2])
		qty, _ := strconv.ParseFloat(rec[3], 64)
		at, err := time.Parse(time.DateTime, rec[4])
		if err != nil {
			return nil, err
		}
		price, _ := strconv.ParseFloat(rec[5], 64)
		cust := strings.TrimSuffix(strings.TrimSpace(rec[6]), ".0")
		e := event.Event{CustomerID: cust, SKU: sku, Quantity: qty, Amount: qty * price, OrderID: inv, OccurredAt: at}
		switch {
		case strings.HasPrefix(inv, "C"):
			e.Type = event.Refund
		case qty > 0 && price > 0:
			e.Type = event.Purchase
			if desc != "" && titles[sku] == "" {
				titles[sku] = desc
			}
		default:
			continue
		}
		b.AddEvent(e)
	}
	var ps []catalog.Product
	for _, sku := range sortedKeys(titles) {
		ps = append(ps, catalog.Product{SKU: sku, Title: titles[sku], Description: titles[sku]})
	}
	b.AddProducts(ps)
	return b.Data(), nil
}
