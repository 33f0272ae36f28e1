package importer_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/importer"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// want is the expected reject report: line -> the exact reason.
type want map[int]string

func run(t *testing.T, st store.Store, opts importer.Options) (importer.Summary, []importer.Reject) {
	t.Helper()
	var rep bytes.Buffer
	opts.Rejects = &rep
	sum, err := importer.Run(context.Background(), st, opts)
	if err != nil {
		t.Fatalf("import %s: %v", opts.Path, err)
	}
	if !sum.Balanced || sum.Read != sum.Imported+sum.Updated+sum.SkippedDuplicates+sum.Rejected {
		t.Fatalf("counts do not add up: %s", sum)
	}
	rejects, err := importer.ReadRejects(&rep)
	if err != nil {
		t.Fatalf("reject report: %v\n%s", err, rep.String())
	}
	if len(rejects) != sum.Rejected {
		t.Fatalf("report has %d rejects, summary says %d", len(rejects), sum.Rejected)
	}
	return sum, rejects
}

func checkRejects(t *testing.T, got []importer.Reject, w want) {
	t.Helper()
	seen := map[int]bool{}
	for _, r := range got {
		seen[r.Line] = true
		reason, ok := w[r.Line]
		switch {
		case !ok:
			t.Errorf("unexpected reject at line %d: %s (raw %q)", r.Line, r.Reason, r.Raw)
		case r.Reason != reason:
			t.Errorf("line %d: reason %q, want %q", r.Line, r.Reason, reason)
		}
		if r.Raw == "" {
			t.Errorf("line %d: raw row missing from the report", r.Line)
		}
	}
	for line := range w {
		if !seen[line] {
			t.Errorf("line %d not rejected, want %q", line, w[line])
		}
	}
}

func counts(t *testing.T, sum importer.Summary, read, imported, updated, skipped, rejected int) {
	t.Helper()
	if sum.Read != read || sum.Imported != imported || sum.Updated != updated || sum.SkippedDuplicates != skipped || sum.Rejected != rejected {
		t.Errorf("got %s; want read %d, imported %d, updated %d, skipped %d, rejected %d", sum, read, imported, updated, skipped, rejected)
	}
}

func TestCustomersQuirks(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		shanghai, _ := time.LoadLocation("Asia/Shanghai")
		// The file writes 1/2/2023 for 2 January (an English-locale export).
		opts := importer.Options{Entity: "customers", Path: "testdata/customers_quirks.csv", TZ: shanghai, MonthFirst: true}
		sum, rejects := run(t, st, opts)
		counts(t, sum, 10, 4, 0, 1, 5)
		checkRejects(t, rejects, want{
			6:  `email "carol@example" is not an address`,
			7:  `birth_year: "19x0" is not a number`,
			8:  `wrong column count: 6 fields, the header has 10`,
			9:  `no id, email or phone: the customer cannot be identified`,
			10: `created_at: "2023-13-45" is not a date (use e.g. 2006-01-02 15:04:05, RFC 3339, 31/01/2006 15:04 or unix seconds)`,
		})
		if sum.BlankLines != 2 {
			t.Errorf("blank lines %d, want 2", sum.BlankLines)
		}
		alice, err := st.GetCustomer(ctx, "17850") // BOM stripped, 17850.0 -> 17850
		if err != nil {
			t.Fatal(err)
		}
		if alice.Name != "Alice Smith" || alice.City != "London" || alice.BirthYear != 1985 ||
			strings.Join(alice.Tags, "|") != "vip|newsletter" || alice.Attrs["Shoe Size"] != "38" {
			t.Errorf("alice = %+v", alice)
		}
		if want := time.Date(2023, 1, 5, 2, 0, 0, 0, time.UTC); !alice.CreatedAt.Equal(want) {
			t.Errorf("alice created %v, want %v (10:00 in Asia/Shanghai)", alice.CreatedAt, want)
		}
		bob, err := st.GetCustomer(ctx, "17851")
		if err != nil {
			t.Fatal(err)
		}
		if bob.Name != `Bob "The Builder" Jones` || bob.City != "New\nYork" { // quoted CRLF inside a field
			t.Errorf("bob = %q / %q", bob.Name, bob.City)
		}
		if want := time.Date(2023, 1, 2, 1, 30, 0, 0, time.UTC); !bob.CreatedAt.Equal(want) {
			t.Errorf("bob created %v, want %v (1/2/2023 09:30 Shanghai)", bob.CreatedAt, want)
		}
		chen, err := st.GetCustomer(ctx, "17856")
		if err != nil {
			t.Fatal(err)
		}
		if chen.Name != "陈静" || chen.City != "上海" || strings.Join(chen.Tags, "|") != "母婴|旅行" {
			t.Errorf("chen = %+v", chen)
		}
		gina, err := st.GetCustomer(ctx, "17857")
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2023, 6, 1, 8, 0, 0, 0, time.UTC); !gina.CreatedAt.Equal(want) || gina.City != "Lyon" {
			t.Errorf("gina = %+v (trailing spaces, zoned date)", gina)
		}
		if sum.ConsentsAdded != 3 {
			t.Errorf("consents added %d, want 3", sum.ConsentsAdded)
		}
		ledger, _ := st.Consents(ctx, "17851")
		if len(ledger) != 1 || ledger[0].Status != customer.Revoked || ledger[0].Channel != customer.ChannelEmail {
			t.Errorf("bob's ledger %+v", ledger)
		}
		// A re-import changes nothing and adds no consent entries.
		sum, _ = run(t, st, opts)
		counts(t, sum, 10, 0, 0, 5, 5)
		if sum.ConsentsAdded != 0 {
			t.Errorf("re-import added %d consents", sum.ConsentsAdded)
		}
	})
}

func TestEventsBadRows(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		opts := importer.Options{Entity: "events", Path: "testdata/events_bad.csv"}
		sum, rejects := run(t, st, opts)
		counts(t, sum, 13, 7, 0, 0, 6)
		checkRejects(t, rejects, want{
			5:  `quantity: "two" is not a number`,
			6:  `occurred_at: "yesterday" is not a date (use e.g. 2006-01-02 15:04:05, RFC 3339, 31/01/2006 15:04 or unix seconds)`,
			7:  `wrong column count: 7 fields, the header has 8`,
			10: `type is empty`,
			12: `price: "1e999" is not a number`,
			14: `wrong column count: 6 fields, the header has 8`, // truncated last line
		})
		var got []event.Event
		if err := st.ScanEvents(ctx, event.Filter{}, func(e event.Event) error { got = append(got, e); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(got) != 7 {
			t.Fatalf("stored %d events, want 7", len(got))
		}
		bySKU := map[string][]event.Event{}
		for _, e := range got {
			bySKU[e.SKU] = append(bySKU[e.SKU], e)
		}
		// two identical lines of order O-1 are both kept, plus the refund
		if n := len(bySKU["SKU-1"]); n != 4 {
			t.Errorf("SKU-1 events %d, want 4 (2 identical purchases, a refund, 1,234.50)", n)
		}
		for _, e := range bySKU["SKU-1"] {
			if e.Type == event.Refund && (e.Quantity != -1 || e.Amount != -9.99) {
				t.Errorf("refund stored as %+v, want quantity -1 amount -9.99", e)
			}
			if e.CustomerID == "c6" && e.Amount != 1234.5 {
				t.Errorf("thousands separator: amount %v", e.Amount)
			}
			if e.CustomerID == "c1" && e.Amount != 19.98 {
				t.Errorf("amount = quantity × price: got %v", e.Amount)
			}
		}
		if g := bySKU["SKU-9"]; len(g) != 1 || g[0].CustomerID != "" || !g[0].OccurredAt.Equal(time.Unix(1704621600, 0)) {
			t.Errorf("guest view from unix seconds: %+v", g)
		}
		if len(bySKU[`SKU-"8"`]) != 1 {
			t.Errorf("a bare quote inside an unquoted field is kept literally: %v", bySKU)
		}
		sum, _ = run(t, st, opts)
		counts(t, sum, 13, 0, 0, 7, 6)
	})
}

func TestTruncatedQuote(t *testing.T) {
	st := storetest.OpenSQLite(t)
	sum, rejects := run(t, st, importer.Options{Entity: "events", Path: "testdata/truncated_quote.csv"})
	// The quote opened on line 3 never closes: only that line is rejected,
	// and line 4 is read as the record it is.
	counts(t, sum, 3, 2, 0, 0, 1)
	checkRejects(t, rejects, want{
		3: `unbalanced quote: the quote opened on line 3 is not closed on its line and reading on takes in the lines after it (the file ends inside it); only line 3 is rejected and reading resumes on line 4`,
	})
	if rejects[0].Raw != `c2,view,"SKU-2,2024-01-05 11:00:00` {
		t.Errorf("raw of the rejected line is %q, want the line alone", rejects[0].Raw)
	}
}

func TestProductsJSONL(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		opts := importer.Options{Entity: "products", Path: "testdata/products.jsonl"}
		sum, rejects := run(t, st, opts)
		counts(t, sum, 8, 2, 0, 1, 5)
		checkRejects(t, rejects, want{
			3: `not a JSON object: invalid character 'o' in literal null (expecting 'u')`,
			4: `sku is empty`,
			5: `price -5 is negative`,
			6: `not a JSON object: the line holds a JSON array`,
			8: `price: "abc" is not a number`,
		})
		if strings.Join(sum.IgnoredColumns, ",") != "color" {
			t.Errorf("ignored columns %v, want [color]", sum.IgnoredColumns)
		}
		p, err := st.GetProduct(ctx, "CAM-BAG-1")
		if err != nil {
			t.Fatal(err)
		}
		if p.Title != "Camera bag" || p.Price != 59 || p.Currency != "USD" || p.Stock != 12 || strings.Join(p.Tags, ",") != "travel,photo" {
			t.Errorf("product %+v", p)
		}
		sum, _ = run(t, st, opts)
		counts(t, sum, 8, 0, 0, 3, 5)
	})
}

func TestShopifyCustomers(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		opts := importer.Options{Entity: "customers", Path: "testdata/shopify_customers.csv", Format: "shopify-customers"}
		sum, rejects := run(t, st, opts)
		counts(t, sum, 4, 2, 0, 0, 2)
		checkRejects(t, rejects, want{
			4: `no id, email or phone: the customer cannot be identified`,
			5: `consent_email: "maybe" is not yes/no`,
		})
		r, err := st.GetCustomer(ctx, "russel.winfield@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if r.Name != "Russell Winfield" || r.Phone != "+16135551111" || r.City != "Toronto" || r.Country != "Canada" ||
			r.Address != "105 Victoria St, Suite 3" || r.Attrs["company"] != "Company Name" || r.Attrs["province"] != "Ontario" ||
			r.Attrs["note"] != "This is a note" || strings.Join(r.Tags, ",") != "vip,newsletter" {
			t.Errorf("russell = %+v", r)
		}
		j, err := st.GetCustomer(ctx, "chen.jing@example.cn")
		if err != nil {
			t.Fatal(err)
		}
		if j.Attrs["total_spent"] != 1250.0 || j.Attrs["total_orders"] != 3.0 || j.City != "上海" {
			t.Errorf("jing = %+v", j)
		}
		state := customer.CurrentConsent(must(st.Consents(ctx, "chen.jing@example.cn")))
		if state.Granted(customer.ChannelEmail, customer.PurposeMarketing) || !state.Granted(customer.ChannelSMS, customer.PurposeMarketing) {
			t.Errorf("jing's consent %+v: want email revoked, sms granted", state)
		}
		for _, c := range must(st.Consents(ctx, "chen.jing@example.cn")) {
			if c.Source != "shopify import" || c.LegalBasis != "consent" {
				t.Errorf("consent %+v", c)
			}
		}
		sum, _ = run(t, st, opts)
		counts(t, sum, 4, 0, 0, 2, 2)
		if sum.ConsentsAdded != 0 {
			t.Errorf("re-import added %d consents", sum.ConsentsAdded)
		}
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestOnlineRetailSample(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		opts := importer.Options{Entity: "events", Path: "testdata/online_retail_sample.csv", Format: "online-retail"}
		sum, rejects := run(t, st, opts)
		counts(t, sum, 8, 7, 0, 0, 1)
		checkRejects(t, rejects, want{8: `Quantity "six" is not a number`})
		if sum.Customers.Inserted != 2 || sum.Products.Inserted != 3 || sum.Events.Inserted != 7 {
			t.Errorf("per entity: %+v %+v %+v", sum.Customers, sum.Products, sum.Events)
		}
		c, err := st.GetCustomer(ctx, "14527")
		if err != nil {
			t.Fatal(err)
		}
		if c.Country != "France" {
			t.Errorf("country from the latest line: %q", c.Country)
		}
		p, err := st.GetProduct(ctx, "22633")
		if err != nil {
			t.Fatal(err)
		}
		if p.Title != "HAND WARMER UNION JACK" || p.Price != 1.85 || p.Currency != "GBP" {
			t.Errorf("a 'damaged' adjustment line must not rename the product: %+v", p)
		}
		p, _ = st.GetProduct(ctx, "85123A")
		if p.Title != "WHITE HANGING HEART T-LIGHT HOLDER" {
			t.Errorf("description not trimmed: %q", p.Title)
		}
		refunds := must(st.CountEvents(ctx, event.Filter{Types: []string{event.Refund}}))
		guests := 0
		_ = st.ScanEvents(ctx, event.Filter{}, func(e event.Event) error {
			if e.CustomerID == "" {
				guests++
				if e.Properties["country"] != "United Kingdom" {
					t.Errorf("guest event keeps its country: %+v", e)
				}
			}
			if e.Type == event.Refund && (e.Quantity != -1 || e.Amount != -2.55) {
				t.Errorf("refund %+v", e)
			}
			return nil
		})
		if refunds != 1 || guests != 2 {
			t.Errorf("refunds %d guests %d, want 1 and 2", refunds, guests)
		}
		sum, _ = run(t, st, opts)
		counts(t, sum, 8, 0, 0, 7, 1)
		if sum.Customers.Unchanged != 2 || sum.Products.Unchanged != 3 {
			t.Errorf("re-import changed customers or products: %+v %+v", sum.Customers, sum.Products)
		}
	})
}

func TestEncodings(t *testing.T) {
	st := storetest.OpenSQLite(t)
	ctx := context.Background()
	_, err := importer.Run(ctx, st, importer.Options{Entity: "customers", Path: "testdata/customers_latin1.csv"})
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "line 3, column 2 (Name) is not valid UTF-8 (byte 0xE9)") ||
		!strings.Contains(err.Error(), "--encoding") {
		t.Fatalf("non-UTF-8 input: err = %v", err)
	}
	sum, _ := run(t, st, importer.Options{Entity: "customers", Path: "testdata/customers_latin1.csv", Encoding: "latin1"})
	counts(t, sum, 2, 2, 0, 0, 0) // the failed run stored nothing: the error came before the first batch
	if c := must(st.GetCustomer(ctx, "2")); c.Name != "José" {
		t.Errorf("latin1 name %q", c.Name)
	}
	sum, _ = run(t, st, importer.Options{Entity: "customers", Path: "testdata/customers_gbk.csv", Encoding: "gbk"})
	counts(t, sum, 2, 2, 0, 0, 0)
	if c := must(st.GetCustomer(ctx, "1001")); c.Name != "陈静" || c.City != "上海" {
		t.Errorf("gbk customer %+v", c)
	}
	if _, err := importer.Run(ctx, st, importer.Options{Entity: "customers", Path: "testdata/customers_gbk.csv", Encoding: "ebcdic"}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("unknown encoding: %v", err)
	}
}

func TestGzipAndMap(t *testing.T) {
	st := storetest.OpenSQLite(t)
	ctx := context.Background()
	dir := t.TempDir()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("会员号,昵称,加入时间,备注\nM1,小明,2024-02-01 09:00,喜欢户外\n"))
	zw.Close()
	path := filepath.Join(dir, "members.csv.gz")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	sum, _ := run(t, st, importer.Options{Entity: "customers", Path: path, TZ: shanghai,
		Map: map[string]string{"会员号": "id", "昵称": "name", "加入时间": "created_at", "备注": "attrs.remark"}})
	counts(t, sum, 1, 1, 0, 0, 0)
	c := must(st.GetCustomer(ctx, "M1"))
	if c.Name != "小明" || c.Attrs["remark"] != "喜欢户外" || !c.CreatedAt.Equal(time.Date(2024, 2, 1, 1, 0, 0, 0, time.UTC)) {
		t.Errorf("mapped customer %+v", c)
	}
	for _, tc := range []struct {
		m    map[string]string
		want string
	}{
		{map[string]string{"会员号": "identifier"}, `unknown customers field "identifier"`},
		{map[string]string{"missing": "id"}, `--map names column "missing", which is not in the header`},
		{map[string]string{"昵称": "id", "会员号": "id"}, `both map to id`},
	} {
		_, err := importer.Run(ctx, st, importer.Options{Entity: "customers", Path: path, Map: tc.m})
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("--map %v: err %v, want %q", tc.m, err, tc.want)
		}
	}
	_, err := importer.Run(ctx, st, importer.Options{Entity: "events", Path: path})
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "no column gives the event type") {
		t.Errorf("events without a type column: %v", err)
	}
}

// TestHugeField puts a 10 MB field between good rows: its row is rejected
// with a truncated raw text and its neighbours are kept.
func TestHugeField(t *testing.T) {
	st := storetest.OpenSQLite(t)
	path := filepath.Join(t.TempDir(), "huge.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("customer_id,type,occurred_at,note\nc1,view,2024-01-01 00:00:00,short\nc2,view,2024-01-01 00:00:01,\"")
	chunk := bytes.Repeat([]byte("0123456789abcdef\n"), 1<<12)
	for written := 0; written < 10<<20; written += len(chunk) {
		f.Write(chunk)
	}
	f.WriteString("\"\nc3,view,2024-01-01 00:00:02,short\n")
	f.Close()
	sum, rejects := run(t, st, importer.Options{Entity: "events", Path: path})
	counts(t, sum, 3, 2, 0, 0, 1)
	checkRejects(t, rejects, want{3: `field 4 is longer than the 1048576-byte limit`})
	if !strings.HasSuffix(rejects[0].Raw, "…[truncated]") || len(rejects[0].Raw) > 70<<10 {
		t.Errorf("raw of the huge row is %d bytes, want it truncated", len(rejects[0].Raw))
	}
	if n := must(st.CountEvents(context.Background(), event.Filter{})); n != 2 {
		t.Errorf("stored %d events, want c1 and c3", n)
	}
}

// dateReason is the reject reason of a timestamp no layout reads.
func dateReason(field, value string) string {
	return field + `: "` + value + `" is not a date (use e.g. 2006-01-02 15:04:05, RFC 3339, 31/01/2006 15:04 or unix seconds)`
}

// eventsBy returns the stored events keyed by SKU.
func eventsBy(t *testing.T, st store.Store) map[string][]event.Event {
	t.Helper()
	out := map[string][]event.Event{}
	if err := st.ScanEvents(context.Background(), event.Filter{}, func(e event.Event) error {
		out[e.SKU] = append(out[e.SKU], e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEventsJSONLQuirks: a JSONL file with a BOM, CRLF line ends, blank and
// whitespace-only lines, a float-looking id written as a JSON number, five
// date layouts read in --tz, a truncated object, NaN and a decimal comma;
// every bad line is rejected with its reason and its neighbours are kept.
func TestEventsJSONLQuirks(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		shanghai, _ := time.LoadLocation("Asia/Shanghai")
		opts := importer.Options{Entity: "events", Path: "testdata/events_quirks.jsonl", TZ: shanghai}
		sum, rejects := run(t, st, opts)
		counts(t, sum, 10, 6, 0, 0, 4)
		if sum.BlankLines != 2 {
			t.Errorf("blank lines %d, want 2", sum.BlankLines)
		}
		checkRejects(t, rejects, want{
			4:  `quantity: "NaN" is not a number`,
			5:  dateReason("occurred_at", "2024-02-30 10:00:00"),
			7:  `not a JSON object: unexpected EOF`,
			10: `quantity: "1,5" is not a number`,
		})
		for _, r := range rejects {
			if r.Line == 7 && r.Raw != `{"customer_id":"c6","type":"purchase","sku":"F-1","quantity":1,"occurred_at":"2024-03-01 10:00:00"` {
				t.Errorf("raw of the truncated line: %q", r.Raw)
			}
		}
		utc := func(d, h, m int) time.Time { return time.Date(2024, 3, d, h, m, 0, 0, time.UTC) }
		by := eventsBy(t, st)
		for _, tc := range []struct {
			sku, customer string
			n             int
			at            time.Time
		}{
			{"A-1", "17850", 2, utc(1, 2, 0)}, // BOM line, and the same line again in order O-1: both kept
			{"B-1", "c2", 1, utc(1, 10, 30)},  // 2024/03/01 18:30 in Shanghai
			{"E-1", "c5", 1, utc(1, 1, 0)},    // RFC 3339 with its own offset
			{"G-1", "c7", 1, utc(1, 0, 15)},   // 1.3.2024 08:15, one-digit day and month
			{"I-1", "c9", 1, utc(0, 16, 0)},   // 20240301, midnight in Shanghai; last line without a line end
			{"C-1", "", 0, time.Time{}},       // NaN
			{"D-1", "", 0, time.Time{}},       // 30 February
			{"F-1", "", 0, time.Time{}},       // truncated
			{"H-1", "", 0, time.Time{}},       // decimal comma
		} {
			es := by[tc.sku]
			if len(es) != tc.n {
				t.Errorf("%s: %d events stored, want %d", tc.sku, len(es), tc.n)
				continue
			}
			for _, e := range es {
				if e.CustomerID != tc.customer || !e.OccurredAt.Equal(tc.at) {
					t.Errorf("%s: customer %q at %v, want %q at %v", tc.sku, e.CustomerID, e.OccurredAt, tc.customer, tc.at)
				}
			}
		}
		if a := by["A-1"]; len(a) == 2 && (a[0].Amount != 7 || a[0].OrderID != "O-1") {
			t.Errorf("£3.50 × 2: %+v", a[0])
		}
		if b := by["B-1"]; len(b) == 1 && b[0].Properties["utm_source"] != "wechat" {
			t.Errorf("an unknown key is kept in properties: %+v", b[0].Properties)
		}
		sum, _ = run(t, st, opts)
		counts(t, sum, 10, 0, 0, 6, 4)
	})
}

// TestOnlineRetailBadRows: the online-retail format over a file with CRLF
// line ends, a blank line, a quoted newline, trailing spaces, float and
// non-integer ids, a guest row, a cancellation written with a positive
// quantity, a month/day date, and six rows it must reject.
func TestOnlineRetailBadRows(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		opts := importer.Options{Entity: "events", Path: "testdata/online_retail_bad.csv", Format: importer.FormatOnlineRetail}
		sum, rejects := run(t, st, opts)
		counts(t, sum, 14, 8, 0, 0, 6)
		checkRejects(t, rejects, want{
			3:  `InvoiceNo is empty`,
			4:  `StockCode is empty`,
			5:  dateReason("InvoiceDate", "2010-12-32 08:28:00"),
			6:  `UnitPrice "1.69.1" is not a number`,
			7:  `wrong column count: 7 fields, the header has 8`,
			16: `wrong column count: 9 fields, the header has 8`,
		})
		if sum.Customers.Inserted != 5 || sum.Products.Inserted != 8 {
			t.Errorf("customers %+v products %+v, want 5 and 8", sum.Customers, sum.Products)
		}
		by := eventsBy(t, st)
		if len(by) != 8 {
			t.Errorf("events of %d SKUs stored, want 8: %v", len(by), by)
		}
		if p := must(st.GetProduct(ctx, "85123A")); p.Title != "WHITE HANGING HEART T-LIGHT HOLDER" {
			t.Errorf("trailing spaces kept: %q", p.Title)
		}
		if p := must(st.GetProduct(ctx, "22960")); p.Title != "JAM MAKING SET\nWITH JARS" || p.Price != 4.25 {
			t.Errorf("quoted newline: %+v", p)
		}
		if d := by["D"]; len(d) != 1 || d[0].Type != event.Refund || d[0].Quantity != -1 || d[0].Amount != -27.5 || d[0].CustomerID != "14527" {
			t.Errorf("a C invoice with a positive quantity is a refund of -1: %+v", d)
		}
		if e := by["22086"]; len(e) != 1 || e[0].CustomerID != "13748.5" {
			t.Errorf("an id that is not a whole number is kept as written: %+v", e)
		}
		if e := by["22632"]; len(e) != 1 || e[0].CustomerID != "" || e[0].Properties["country"] != "United Kingdom" {
			t.Errorf("guest row: %+v", e)
		}
		if e := by["21071"]; len(e) != 1 || !e[0].OccurredAt.Equal(time.Date(2010, 1, 12, 9, 2, 0, 0, time.UTC)) {
			t.Errorf("01/12/2010 is month/day: %+v", e)
		}
		if c := must(st.GetCustomer(ctx, "12583")); c.Country != "France" {
			t.Errorf("customer 12583: %+v", c)
		}
		if e := by["82494L"]; len(e) != 1 || e[0].CustomerID != "17850" {
			t.Errorf("the last row, after the rejects, is kept: %+v", e)
		}
		sum, _ = run(t, st, opts)
		counts(t, sum, 14, 0, 0, 8, 6)
	})
}

// bulkStore is an in-memory store that records its bulk loads and whether each
// write ran inside one, with the context the load gave.
type bulkStore struct {
	*memory
	loads, inside, outside int
	fail                   error
}

type bulkCtxKey struct{}

func (s *bulkStore) BulkLoad(ctx context.Context, fn func(context.Context) error) error {
	s.loads++
	if s.fail != nil {
		return s.fail
	}
	return fn(context.WithValue(ctx, bulkCtxKey{}, true))
}

func (s *bulkStore) InsertEvents(ctx context.Context, es []event.Event) (event.InsertCounts, error) {
	if ctx.Value(bulkCtxKey{}) != nil {
		s.inside++
	} else {
		s.outside++
	}
	return s.memory.InsertEvents(ctx, es)
}

func TestRunUsesBulkLoad(t *testing.T) {
	in := "customer_id,type,sku,occurred_at\n"
	for i := range 25 {
		in += fmt.Sprintf("c%d,view,SKU%d,2024-03-01T10:%02d:00Z\n", i, i, i)
	}
	st := &bulkStore{memory: newMemory()}
	sum, err := importer.Run(context.Background(), st, importer.Options{Entity: "events", Input: strings.NewReader(in), Format: "csv", BatchSize: 10})
	if err != nil || sum.Imported != 25 {
		t.Fatalf("Run = %+v, %v", sum, err)
	}
	if st.loads != 1 || st.inside != 3 || st.outside != 0 {
		t.Errorf("loads %d, writes inside %d, outside %d: want every write (3) in one bulk load", st.loads, st.inside, st.outside)
	}

	// A load that cannot start fails the import without hanging the parser.
	st = &bulkStore{memory: newMemory(), fail: errors.New("no connection")}
	if _, err := importer.Run(context.Background(), st, importer.Options{Entity: "events", Input: strings.NewReader(in), Format: "csv", BatchSize: 10}); err == nil || !strings.Contains(err.Error(), "no connection") {
		t.Fatalf("Run with a failing bulk load = %v", err)
	}
}

// A customer known only by her phone has the phone's identity
// (customer.PhoneKey), the one the suppression list and the contact policy
// match on: two spellings of one number in two files are one customer.
func TestCustomersByPhoneShareOneIdentity(t *testing.T) {
	st := storetest.OpenSQLite(t)
	dir := t.TempDir()
	for i, body := range []string{"phone,name\n+86 138-0013-8000,王芳\n", "phone,city\n１３８ ００１３ ８０００,上海\n"} {
		p := filepath.Join(dir, fmt.Sprintf("c%d.csv", i))
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := importer.Run(context.Background(), st, importer.Options{Entity: importer.Customers, Path: p}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := st.CountCustomers(context.Background()); err != nil || n != 1 {
		t.Fatalf("%d customers, %v; want one", n, err)
	}
	c, err := st.GetCustomer(context.Background(), customer.PhoneKey("13800138000"))
	if err != nil || c.Phone == "" || c.City != "上海" {
		t.Fatalf("customer %+v, %v", c, err)
	}
}

// An events file naming customers by phone resolves them by the phone's
// identity, the one a customer known only by her phone has: two spellings
// of one number are one customer, and she is the one the customers file
// made.
func TestEventsByPhoneResolveOneCustomer(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	dir := t.TempDir()
	cust := filepath.Join(dir, "c.csv")
	ev := filepath.Join(dir, "e.csv")
	files := map[string]string{
		cust: "phone,name\n+86 138-0013-8000,王芳\n",
		ev: "customer_id,type,sku,occurred_at\n" +
			"+86 138-0013-8000,view,A1,2026-01-02T10:00:00Z\n" +
			"13800138000,view,A2,2026-01-03T10:00:00Z\n" +
			"１３８ ００１３ ８０００,cart,A1,2026-01-04T10:00:00Z\n" +
			"12347,view,A1,2026-01-05T10:00:00Z\n",
	}
	for p, body := range files {
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run(t, st, importer.Options{Entity: importer.Customers, Path: cust})
	sum, _ := run(t, st, importer.Options{Entity: importer.Events, Path: ev})
	counts(t, sum, 4, 4, 0, 0, 0)
	if n, err := st.CountCustomers(ctx); err != nil || n != 2 {
		t.Fatalf("%d customers, %v; want 2 (the phone's and 12347)", n, err)
	}
	c, err := st.GetCustomer(ctx, "13800138000")
	if err != nil || c.Name != "王芳" {
		t.Fatalf("customer 13800138000 = %+v, %v; want 王芳 of the customers file", c, err)
	}
	if n, err := st.CountEvents(ctx, event.Filter{CustomerID: "13800138000"}); err != nil || n != 3 {
		t.Fatalf("%d events of 13800138000 (%v); want all 3 spellings", n, err)
	}
}
