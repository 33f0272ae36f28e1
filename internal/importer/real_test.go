package importer_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/importer"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// The corpus in testdata/real (see its README): files shaped like the
// ones merchants have, each with exact counts, reasons and stored rows.

const realDir = "testdata/real/"

// cdnowOpts imports CDNOW as published: whitespace-separated, no type
// column.
func cdnowOpts(path string) importer.Options {
	return importer.Options{Entity: importer.Events, Path: path, Delimiter: "whitespace",
		Map: map[string]string{"number_of_cds": "quantity", "dollar_value": "amount"},
		Set: map[string]string{"type": event.Purchase, "currency": "USD"}}
}

func TestRealOnlineRetailSlice(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		opts := importer.Options{Entity: importer.Events, Path: realDir + "online_retail_slice.csv", Format: importer.FormatOnlineRetail}
		sum, rejects := run(t, st, opts)
		counts(t, sum, 176, 176, 0, 0, 0)
		checkRejects(t, rejects, want{})
		if sum.Customers.Inserted != 14 || sum.Products.Inserted != 138 {
			t.Errorf("customers %+v, products %+v; want 14 and 138", sum.Customers, sum.Products)
		}
		var lines []event.Event
		if err := st.ScanEvents(ctx, event.Filter{CustomerID: "16446"}, func(e event.Event) error {
			lines = append(lines, e)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(lines) != 4 {
			t.Fatalf("16446 has %d events, want 4: %+v", len(lines), lines)
		}
		big, cancel := lines[2], lines[3]
		if big.Type != event.Purchase || big.Amount != 168469.6 || cancel.Type != event.Refund || cancel.Amount != -168469.6 ||
			cancel.OrderID != "C581484" || cancel.OccurredAt.Sub(big.OccurredAt) != 12*time.Minute {
			t.Errorf("the same-day cancellation: %+v / %+v", big, cancel)
		}
		sum, _ = run(t, st, opts)
		counts(t, sum, 176, 0, 0, 176, 0)
	})
}

func TestRealCDNOWAsPublished(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		opts := cdnowOpts(realDir + "cdnow_slice.txt")
		sum, rejects := run(t, st, opts)
		// 18 rows repeat an earlier identical row: they are purchases too.
		counts(t, sum, 415, 415, 0, 0, 0)
		checkRejects(t, rejects, want{})
		if sum.CustomersFromEvents != 24 {
			t.Errorf("customers from events = %d, want 24", sum.CustomersFromEvents)
		}
		c, err := st.GetCustomer(ctx, "07592")
		if err != nil {
			t.Fatalf("the events made no customer 07592: %v", err)
		}
		if c.ID != "07592" {
			t.Errorf("leading zeros lost: %q", c.ID)
		}
		var n int
		var total float64
		if err := st.ScanEvents(ctx, event.Filter{CustomerID: "00499"}, func(e event.Event) error {
			n++
			total += e.Amount
			if e.Currency != "USD" || e.Type != event.Purchase {
				t.Errorf("00499 event %+v", e)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if want := countLines(t, realDir+"cdnow_slice.txt", " 00499 "); n != want {
			t.Errorf("00499: %d events stored, the file has %d rows", n, want)
		}
		sum, _ = run(t, st, opts)
		counts(t, sum, 415, 0, 0, 415, 0)
	})
}

func TestRealShopifyCustomers(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		opts := importer.Options{Entity: importer.Customers, Path: realDir + "shopify_customers_export.csv", Format: importer.FormatShopifyCustomers}
		sum, rejects := run(t, st, opts)
		// Row 8 repeats row 1 (same customer id, same values).
		counts(t, sum, 8, 6, 0, 1, 1)
		checkRejects(t, rejects, want{6: `email "mia.schmidt@example" is not an address`})
		c := must(st.GetCustomer(ctx, "7012345678903"))
		if c.Name != "陈静" || c.City != "上海" || c.Country != "CN" || c.Attrs["total_spent"] != 1250.0 {
			t.Errorf("Chinese customer %+v", c)
		}
		if c := must(st.GetCustomer(ctx, "7012345678907")); c.Attrs["total_spent"] != 88.0 {
			t.Errorf("¥88 total spent: %+v", c.Attrs)
		}
		if sum.ConsentsAdded != 12 {
			t.Errorf("consent entries %d, want 12 (email and sms for 6 customers)", sum.ConsentsAdded)
		}
		sum, _ = run(t, st, opts)
		counts(t, sum, 8, 0, 0, 7, 1)
	})
}

func TestRealOneGBKLineInUTF8(t *testing.T) {
	st := storetest.OpenSQLite(t)
	sum, rejects := run(t, st, importer.Options{Entity: importer.Customers, Path: realDir + "customers_one_gbk_line.csv"})
	counts(t, sum, 6, 5, 0, 0, 1)
	checkRejects(t, rejects, want{5: `the line is not valid UTF-8 although the rest of the file is; read as GBK it says "C004,张伟,北京,中国,zh": fix the line (or pass --encoding gbk if the whole file is GBK)`})
	if sum.RejectReasons[importer.KindEncoding] != 1 {
		t.Errorf("reasons %v", sum.RejectReasons)
	}
	for _, id := range []string{"C001", "C002", "C003", "C005", "C006"} {
		if _, err := st.GetCustomer(context.Background(), id); err != nil {
			t.Errorf("good row %s lost: %v", id, err)
		}
	}
	// A file wholly in GBK still fails at once and names the encoding.
	_, err := importer.Run(context.Background(), st, importer.Options{Entity: importer.Customers, Path: "testdata/customers_gbk.csv"})
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "pass --encoding gbk") {
		t.Errorf("a GBK file: %v", err)
	}
}

func TestRealUnbalancedQuoteMidFile(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		sum, rejects := run(t, st, importer.Options{Entity: importer.Events, Path: realDir + "events_unbalanced_quote.csv"})
		// Nine records: line 5's quote never closes; lines 9-10 are one
		// record with a real quoted newline.
		counts(t, sum, 9, 8, 0, 0, 1)
		checkRejects(t, rejects, want{5: `unbalanced quote: the quote opened on line 5 is not closed on its line and reading on takes in the lines after it (the record it makes has 10 fields, the header 9); only line 5 is rejected and reading resumes on line 6`})
		if sum.RejectReasons[importer.KindQuote] != 1 || sum.CustomersFromEvents != 3 {
			t.Errorf("reasons %v, customers from events %d", sum.RejectReasons, sum.CustomersFromEvents)
		}
		if !strings.HasPrefix(rejects[0].Raw, "13047,purchase,22960,") || strings.Contains(rejects[0].Raw, "\n") {
			t.Errorf("raw of the rejected line: %q", rejects[0].Raw)
		}
		by := eventsBy(t, st)
		for _, sku := range []string{"85123A", "71053", "84406B", "22913", "22912", "22728", "POST", "22727"} {
			if len(by[sku]) != 1 {
				t.Errorf("good row %s: %d events", sku, len(by[sku]))
			}
		}
		if p := by["POST"]; len(p) == 1 && p[0].Properties["note"] != "postage\nto France" {
			t.Errorf("quoted newline: %+v", p[0].Properties)
		}
		if p := by["22912"]; len(p) == 1 && p[0].Properties["note"] != `boxed, "as new"` {
			t.Errorf("escaped quotes: %+v", p[0].Properties)
		}
	})
}

// Each format's file cut short: what was read before the end is stored
// and counted, the error says so (Invalid: the input must change), and
// importing the complete file afterwards adds only the rest.
func TestRealTruncatedGzip(t *testing.T) {
	for _, tc := range []struct {
		name           string
		opts           func(path string) importer.Options
		cut, full      string
		read, lastLine int
		total          int
	}{
		{"online-retail", func(p string) importer.Options {
			return importer.Options{Entity: importer.Events, Path: p, Format: importer.FormatOnlineRetail}
		}, "online_retail_slice_truncated.csv.gz", "online_retail_slice.csv", 104, 105, 176},
		{"cdnow", cdnowOpts, "cdnow_slice_truncated.txt.gz", "cdnow_slice.txt", 211, 212, 415},
		{"shopify-customers", func(p string) importer.Options {
			return importer.Options{Entity: importer.Customers, Path: p, Format: importer.FormatShopifyCustomers}
		}, "shopify_customers_truncated.csv.gz", "shopify_customers_export.csv", 2, 3, 8},
		{"jsonl", func(p string) importer.Options {
			return importer.Options{Entity: importer.Events, Path: p, Format: importer.FormatJSONL}
		}, "events_truncated.jsonl.gz", "events.jsonl", 10, 10, 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := storetest.OpenSQLite(t)
			sum, err := importer.Run(context.Background(), st, tc.opts(realDir+tc.cut))
			if !apperr.Is(err, apperr.Invalid) || !sum.Truncated {
				t.Fatalf("err %v (truncated %v), want an invalid-input error", err, sum.Truncated)
			}
			msg := err.Error()
			for _, want := range []string{"the compressed file ends early", "cut off after line", "importing the complete file later adds only the rest"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			if !sum.Balanced || sum.Read != tc.read || sum.Imported+sum.SkippedDuplicates != tc.read || sum.Rejected != 0 {
				t.Errorf("truncated import: %s; want %d rows read and stored", sum, tc.read)
			}
			if !strings.Contains(msg, "after line "+strconv.Itoa(tc.lastLine)+")") {
				t.Errorf("message %q does not name line %d", msg, tc.lastLine)
			}
			full, _ := run(t, st, tc.opts(realDir+tc.full))
			if full.Read != tc.total || full.SkippedDuplicates < tc.read || full.Imported+full.Updated+full.SkippedDuplicates+full.Rejected != tc.total {
				t.Errorf("complete file after the cut one: %s", full)
			}
			if tc.name != "shopify-customers" && full.Imported != tc.total-tc.read {
				t.Errorf("the complete file added %d, want only the %d rows after the cut", full.Imported, tc.total-tc.read)
			}
		})
	}
}

func countLines(t *testing.T, path, sub string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), sub)
}

// TestWrongInputIsNotAcceptedSilently: negative purchases, currency
// signs and ambiguous dates.
func TestWrongInputIsNotAcceptedSilently(t *testing.T) {
	const csv = "customer_id,type,sku,quantity,amount,currency,occurred_at\n" +
		"c1,purchase,A,-2,-10,GBP,2024-01-05 10:00:00\n" + // a return
		"c1,purchase,A,1,¥12,,2024-01-06 10:00:00\n" + // the sign names the currency
		"c1,purchase,A,1,¥12,USD,2024-01-07 10:00:00\n" + // the sign contradicts the column
		"c1,purchase,A,1,12 GBP,,2024-01-08 10:00:00\n" +
		"c1,purchase,A,1,3,,01/02/2024\n" + // ambiguous
		"c1,purchase,A,1,3,,13/01/2024\n" + // only day/month reads
		"c1,purchase,A,1,3,,01/13/2024\n" + // only month/day reads
		"c1,purchase,A,1,3,,05/05/2024\n" // the same either way
	dir := t.TempDir()
	path := dir + "/orders.csv"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	st := storetest.OpenSQLite(t)
	sum, rejects := run(t, st, importer.Options{Entity: importer.Events, Path: path})
	counts(t, sum, 8, 6, 0, 0, 2)
	checkRejects(t, rejects, want{
		4: `amount "¥12" is in CNY, but the currency column says USD`,
		6: `occurred_at: "01/02/2024" is ambiguous: day 1 of month 2, or day 2 of month 1? Pass --day-first (day/month) or --month-first (month/day), or --date-format`,
	})
	if sum.NegativeAsRefund != 1 {
		t.Errorf("negative purchases as refunds = %d, want 1", sum.NegativeAsRefund)
	}
	var got []event.Event
	if err := st.ScanEvents(context.Background(), event.Filter{}, func(e event.Event) error {
		got = append(got, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if e := got[0]; e.Type != event.Refund || e.Quantity != -2 || e.Amount != -10 {
		t.Errorf("a negative purchase: %+v, want a refund of -2 / -10", e)
	}
	if e := got[1]; e.Currency != "CNY" || e.Amount != 12 {
		t.Errorf("¥12: %+v", e)
	}
	if e := got[2]; e.Currency != "GBP" || e.Amount != 12 {
		t.Errorf("12 GBP: %+v", e)
	}
	for i, want := range []time.Time{time.Date(2024, 1, 13, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 13, 0, 0, 0, 0, time.UTC), time.Date(2024, 5, 5, 0, 0, 0, 0, time.UTC)} {
		if e := got[3+i]; !e.OccurredAt.Equal(want) {
			t.Errorf("date %d = %v, want %v", i, e.OccurredAt, want)
		}
	}
	// The flags say how to read it.
	for _, tc := range []struct {
		opts importer.Options
		want time.Time
	}{
		{importer.Options{DayFirst: true}, time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)},
		{importer.Options{MonthFirst: true}, time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)},
		{importer.Options{DateFormat: "DD/MM/YYYY"}, time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)},
		{importer.Options{DateFormat: "%m/%d/%Y"}, time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)},
	} {
		p := dir + "/one.csv"
		os.WriteFile(p, []byte("customer_id,type,occurred_at\nc9,view,01/02/2024\n"), 0o644)
		st := storetest.OpenSQLite(t)
		tc.opts.Entity, tc.opts.Path = importer.Events, p
		sum, _ := run(t, st, tc.opts)
		var at time.Time
		st.ScanEvents(context.Background(), event.Filter{}, func(e event.Event) error { at = e.OccurredAt; return nil })
		if sum.Imported != 1 || !at.Equal(tc.want) {
			t.Errorf("%+v: imported %d at %v, want %v", tc.opts, sum.Imported, at, tc.want)
		}
	}
	if _, err := importer.Run(context.Background(), st, importer.Options{Entity: importer.Events, Path: path, DayFirst: true, MonthFirst: true}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("--day-first with --month-first: %v", err)
	}
}

// A headerless file names its columns 1, 2, …; --set fills a field no
// column gives and may not contradict one.
func TestNoHeaderAndSet(t *testing.T) {
	p := t.TempDir() + "/cdnow.txt"
	os.WriteFile(p, []byte(" 00001 19970101  1   11.77\n 00002 19970112  1   12.00\n 00002 19970112  1   12.00\n"), 0o644)
	st := storetest.OpenSQLite(t)
	opts := importer.Options{Entity: importer.Events, Path: p, Delimiter: "whitespace", NoHeader: true,
		Map: map[string]string{"1": "customer_id", "2": "occurred_at", "3": "quantity", "4": "amount"},
		Set: map[string]string{"type": "purchase"}}
	sum, _ := run(t, st, opts)
	counts(t, sum, 3, 3, 0, 0, 0)
	sum, _ = run(t, st, opts)
	counts(t, sum, 3, 0, 0, 3, 0)
	opts.Set = map[string]string{"customer_id": "x"}
	if _, err := importer.Run(context.Background(), st, opts); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "already gives customer_id") {
		t.Errorf("--set over a mapped column: %v", err)
	}
}
