package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/llm"
	"reflect"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/store"
)

// Run runs the conformance suite; open must return a fresh, empty store.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"CustomerUpsertCounts", testCustomerUpsert},
		{"CustomerMergeKeepsFields", testCustomerMerge},
		{"CustomerNotFound", testCustomerNotFound},
		{"CustomerUnicodeRoundTrip", testCustomerUnicode},
		{"ConsentLedger", testConsentLedger},
		{"ProductUpsert", testProductUpsert},
		{"EventDedup", testEventDedup},
		{"EventScanFilter", testEventScan},
		{"EventBulk", testEventBulk},
		{"EventScanRoundTrip", testEventScanRoundTrip},
		{"EventSparseColumns", testEventSparseColumns},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

var ctx = context.Background()

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func testCustomerUpsert(t *testing.T, s store.Store) {
	cs := []customer.Customer{
		{ID: "c1", Name: "Ann", Email: "ann@example.com", Interests: []string{"travel"}},
		{ID: "c2", Name: "王芳", Language: "zh", City: "上海"},
	}
	got := must[customer.UpsertCounts](t)(s.UpsertCustomers(ctx, cs))
	if got != (customer.UpsertCounts{Inserted: 2}) {
		t.Fatalf("first upsert = %+v, want 2 inserted", got)
	}
	got = must[customer.UpsertCounts](t)(s.UpsertCustomers(ctx, cs))
	if got != (customer.UpsertCounts{Unchanged: 2}) {
		t.Fatalf("same rows again = %+v, want 2 unchanged", got)
	}
	cs[1].City = "杭州"
	got = must[customer.UpsertCounts](t)(s.UpsertCustomers(ctx, cs))
	if got != (customer.UpsertCounts{Updated: 1, Unchanged: 1}) {
		t.Fatalf("one changed = %+v, want 1 updated 1 unchanged", got)
	}
	if n := must[int](t)(s.CountCustomers(ctx)); n != 2 {
		t.Fatalf("count = %d, want 2", n)
	}
	var ids []string
	if err := s.ListCustomers(ctx, func(c customer.Customer) error { ids = append(ids, c.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ids, []string{"c1", "c2"}) {
		t.Fatalf("list = %v", ids)
	}
	// A batch repeating one id counts each row once.
	got = must[customer.UpsertCounts](t)(s.UpsertCustomers(ctx, []customer.Customer{{ID: "c3"}, {ID: "c3", Name: "X"}}))
	if got.Inserted != 1 || got.Inserted+got.Updated+got.Unchanged != 2 {
		t.Fatalf("repeated id in batch = %+v, want 1 inserted and 2 accounted", got)
	}
}

func testCustomerMerge(t *testing.T, s store.Store) {
	must[customer.UpsertCounts](t)(s.UpsertCustomers(ctx, []customer.Customer{{ID: "c1", Name: "Ann", Email: "a@x.io", BirthYear: 1999, Attrs: map[string]any{"vip": true}}}))
	must[customer.UpsertCounts](t)(s.UpsertCustomers(ctx, []customer.Customer{{ID: "c1", Country: "UK", Attrs: map[string]any{"tier": 2}}}))
	c := must[customer.Customer](t)(s.GetCustomer(ctx, "c1"))
	if c.Name != "Ann" || c.Email != "a@x.io" || c.Country != "UK" || c.BirthYear != 1999 {
		t.Fatalf("merge lost fields: %+v", c)
	}
	if c.Attrs["vip"] != true || c.Attrs["tier"] != float64(2) {
		t.Fatalf("attrs not merged: %v", c.Attrs)
	}
	if c.CreatedAt.IsZero() || c.UpdatedAt.Before(c.CreatedAt) {
		t.Fatalf("timestamps: created %v updated %v", c.CreatedAt, c.UpdatedAt)
	}
}

func testCustomerNotFound(t *testing.T, s store.Store) {
	_, err := s.GetCustomer(ctx, "nobody")
	if !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("err = %v, want NotFound", err)
	}
	_, err = s.GetProduct(ctx, "nothing")
	if !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("product err = %v, want NotFound", err)
	}
}

func testCustomerUnicode(t *testing.T, s store.Store) {
	in := customer.Customer{ID: "张-1", Name: "张伟 😀", Gender: "male", BirthYear: 1990, Occupation: "设计师",
		City: "北京", Country: "CN", TimeZone: "Asia/Shanghai", Language: "zh",
		Interests: []string{"摄影", "旅行"}, Tags: []string{"vip"}, Attrs: map[string]any{"渠道": "小红书"}}
	must[customer.UpsertCounts](t)(s.UpsertCustomers(ctx, []customer.Customer{in}))
	got := must[customer.Customer](t)(s.GetCustomer(ctx, "张-1"))
	got.CreatedAt, got.UpdatedAt = time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, in) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, in)
	}
}

func testConsentLedger(t *testing.T, s store.Store) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	ledger := []customer.Consent{
		{CustomerID: "c1", Channel: "email", Purpose: "marketing", Status: "granted", LegalBasis: "consent", Source: "signup", At: t0},
		{CustomerID: "c1", Channel: "email", Purpose: "marketing", Status: "revoked", Source: "unsubscribe link", At: t0.Add(48 * time.Hour)},
		{CustomerID: "c1", Channel: "sms", Purpose: "marketing", Status: "granted", At: t0},
	}
	if n := must[int](t)(s.AddConsents(ctx, ledger)); n != 3 {
		t.Fatalf("added %d, want 3", n)
	}
	if n := must[int](t)(s.AddConsents(ctx, ledger)); n != 0 {
		t.Fatalf("re-added %d, want 0 (idempotent)", n)
	}
	got := must[[]customer.Consent](t)(s.Consents(ctx, "c1"))
	if len(got) != 3 || got[0].At != t0 || got[2].Status != "revoked" {
		t.Fatalf("history = %+v", got)
	}
	st := customer.CurrentConsent(got)
	if st.Granted("email", "marketing") || !st.Granted("sms", "marketing") {
		t.Fatalf("current state wrong: %+v", st)
	}
	_, err := s.AddConsents(ctx, []customer.Consent{{CustomerID: "c1", Channel: "email", Status: "maybe"}})
	if !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("bad status err = %v, want Invalid", err)
	}
}

func testProductUpsert(t *testing.T, s store.Store) {
	p := catalog.Product{SKU: "BAG-1", Title: "时尚相机包", Category: "摄影 > 相机包", Brand: "Lumen", Price: 299,
		Currency: "CNY", SellingPoints: []string{"防水", "防震", "轻便"}, Tags: []string{"travel"}, Stock: 12, Active: true, Language: "zh"}
	i, u, k, err := s.UpsertProducts(ctx, []catalog.Product{p})
	if err != nil || i != 1 || u != 0 || k != 0 {
		t.Fatalf("insert = %d/%d/%d %v", i, u, k, err)
	}
	i, u, k, _ = s.UpsertProducts(ctx, []catalog.Product{p})
	if i != 0 || u != 0 || k != 1 {
		t.Fatalf("same again = %d/%d/%d, want unchanged", i, u, k)
	}
	p.Price = 259
	i, u, k, _ = s.UpsertProducts(ctx, []catalog.Product{p})
	if u != 1 {
		t.Fatalf("price change = %d/%d/%d, want 1 updated", i, u, k)
	}
	got := must[catalog.Product](t)(s.GetProduct(ctx, "BAG-1"))
	if got.Price != 259 || !reflect.DeepEqual(got.SellingPoints, p.SellingPoints) || got.TopCategory() != "摄影" || !got.Active {
		t.Fatalf("got %+v", got)
	}
	all := must[[]catalog.Product](t)(s.ListProducts(ctx))
	if len(all) != 1 {
		t.Fatalf("list = %d", len(all))
	}
}

func testEventDedup(t *testing.T, s store.Store) {
	at := time.Date(2011, 1, 2, 10, 0, 0, 0, time.UTC)
	es := []event.Event{
		{CustomerID: "c1", Type: event.Purchase, SKU: "A", Quantity: 2, Amount: 5, OrderID: "o1", OccurredAt: at},
		{CustomerID: "c1", Type: event.Purchase, SKU: "A", Quantity: 2, Amount: 5, OrderID: "o1", OccurredAt: at, Ordinal: 1},
		{Type: event.Purchase, SKU: "B", Quantity: 1, Amount: 3, OrderID: "o2", OccurredAt: at}, // guest
	}
	got := must[event.InsertCounts](t)(s.InsertEvents(ctx, es))
	if got != (event.InsertCounts{Inserted: 3}) {
		t.Fatalf("first = %+v", got)
	}
	es2 := append([]event.Event(nil), es...)
	for i := range es2 {
		es2[i].Key = 0
	}
	got = must[event.InsertCounts](t)(s.InsertEvents(ctx, es2))
	if got != (event.InsertCounts{Duplicates: 3}) {
		t.Fatalf("re-insert = %+v, want 3 duplicates", got)
	}
	// the same key twice in one batch is stored once
	dup := event.Event{CustomerID: "c2", Type: event.View, SKU: "A", OccurredAt: at}
	got = must[event.InsertCounts](t)(s.InsertEvents(ctx, []event.Event{dup, dup}))
	if got != (event.InsertCounts{Inserted: 1, Duplicates: 1}) {
		t.Fatalf("in-batch dup = %+v", got)
	}
	if n := must[int](t)(s.CountEvents(ctx, event.Filter{})); n != 4 {
		t.Fatalf("count = %d, want 4", n)
	}
	if _, err := s.InsertEvents(ctx, []event.Event{{CustomerID: "x"}}); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("typeless event err = %v", err)
	}
}

func testEventScan(t *testing.T, s store.Store) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	es := []event.Event{
		{CustomerID: "c1", Type: event.View, SKU: "A", OccurredAt: t0.Add(2 * time.Hour), Properties: map[string]any{"page": "首页"}},
		{CustomerID: "c1", Type: event.Purchase, SKU: "A", Quantity: 1, Amount: 9.5, Currency: "EUR", OrderID: "o1", OccurredAt: t0.Add(3 * time.Hour)},
		{CustomerID: "c2", Type: event.Cart, SKU: "B", OccurredAt: t0.Add(1 * time.Hour)},
		{CustomerID: "c1", Type: event.Click, Channel: "email", Campaign: "spring", OccurredAt: t0.Add(4 * time.Hour)},
	}
	must[event.InsertCounts](t)(s.InsertEvents(ctx, es))
	var got []event.Event
	collect := func(e event.Event) error { got = append(got, e); return nil }
	if err := s.ScanEvents(ctx, event.Filter{}, collect); err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[0].SKU != "B" || got[3].Campaign != "spring" {
		t.Fatalf("order by time wrong: %+v", got)
	}
	if got[1].Properties["page"] != "首页" || !got[2].OccurredAt.Equal(es[1].OccurredAt) || got[2].Amount != 9.5 {
		t.Fatalf("fields lost: %+v", got[1:3])
	}
	got = nil
	if err := s.ScanEvents(ctx, event.Filter{CustomerID: "c1", Types: []string{event.Purchase, event.View}, Since: t0.Add(2 * time.Hour), Until: t0.Add(3 * time.Hour)}, collect); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Type != event.View {
		t.Fatalf("filtered = %+v", got)
	}
	if n := must[int](t)(s.CountEvents(ctx, event.Filter{Types: []string{event.Purchase}})); n != 1 {
		t.Fatalf("count purchases = %d", n)
	}
	stop := errors.New("stop")
	n := 0
	err := s.ScanEvents(ctx, event.Filter{}, func(event.Event) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("callback error must stop the scan: n=%d err=%v", n, err)
	}
}

// testEventScanRoundTrip: every field of awkward events comes back from a
// scan as stored (quotes, backslashes, control characters, CJK text, no
// customer, nested and flat properties), and events of one instant come
// back in insertion order.
func testEventScanRoundTrip(t *testing.T, s store.Store) {
	at := time.Date(2026, 4, 1, 9, 30, 0, 123456000, time.UTC)
	es := []event.Event{
		{CustomerID: `a"b\c`, Type: event.Purchase, SKU: "line\nbreak\ttab", Quantity: 2.5, Amount: -0.1, Currency: "CNY",
			OrderID: "订单/1", Channel: "x\x01y", Campaign: `{"not":"json"}`, OccurredAt: at,
			Properties: map[string]any{"nested": map[string]any{"list": []any{1.0, "two"}}, "quote": `q"uote`}},
		{Type: event.View, SKU: "[1,2]", OccurredAt: at, Properties: map[string]any{"country": "France", "utm": "邮件"}},
		{CustomerID: "null", Type: event.View, SKU: "", OccurredAt: at, Properties: map[string]any{"empty": ""}},
		{CustomerID: "c9", Type: event.Open, Channel: "email", OccurredAt: at, Properties: map[string]any{"n": 3.0, "ok": true}},
	}
	must[event.InsertCounts](t)(s.InsertEvents(ctx, es))
	var got []event.Event
	if err := s.ScanEvents(ctx, event.Filter{}, func(e event.Event) error { got = append(got, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(es) {
		t.Fatalf("scanned %d events, want %d", len(got), len(es))
	}
	for i, e := range got {
		w := es[i]
		w.ID, w.Key, w.Ordinal = e.ID, w.NaturalKey(), 0
		if i > 0 && e.ID <= got[i-1].ID {
			t.Errorf("events of one instant out of insertion order: ids %d then %d", got[i-1].ID, e.ID)
		}
		if !w.OccurredAt.Equal(e.OccurredAt) {
			t.Errorf("event %d at %v, want %v", i, e.OccurredAt, w.OccurredAt)
		}
		e.OccurredAt = w.OccurredAt
		if !reflect.DeepEqual(e, w) {
			t.Errorf("event %d came back as\n %#v\nwant\n %#v", i, e, w)
		}
	}
}

// testEventSparseColumns: in a bulk insert, rows that leave a field at
// its zero value sit beside rows that set it, and whole statements where
// no row sets it (the SQLite path leaves such columns to their defaults);
// every field comes back as written.
func testEventSparseColumns(t *testing.T, s store.Store) {
	t0 := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	const n = 1300 // three full statements of 400 rows and a short one
	es := make([]event.Event, n)
	for i := range es {
		e := event.Event{Type: event.View, OccurredAt: t0.Add(time.Duration(i) * time.Second)}
		if i >= 400 && i < 800 {
			es[i] = e // a statement of bare events
			continue
		}
		if i%2 == 0 {
			e.CustomerID = fmt.Sprintf("c%d", i%13)
		}
		if i%3 == 0 {
			e.Type, e.SKU, e.Quantity, e.Amount, e.Currency, e.OrderID = event.Purchase, fmt.Sprintf("S%d", i%5), 2, 9.99, "EUR", fmt.Sprintf("o%d", i)
		}
		if i%5 == 0 {
			e.Channel, e.Campaign = "email", "spring"
		}
		if i%7 == 0 {
			e.Properties = map[string]any{"country": "France"}
		}
		if i%11 == 0 {
			e.Quantity = -1 // a refund line
		}
		es[i] = e
	}
	if got := must[event.InsertCounts](t)(s.InsertEvents(ctx, es)); got.Inserted != n {
		t.Fatalf("inserted %+v, want %d", got, n)
	}
	i := 0
	err := s.ScanEvents(ctx, event.Filter{Since: t0, Until: t0.Add(n * time.Second)}, func(e event.Event) error {
		w := es[i]
		w.ID, w.Key, w.Ordinal, w.OccurredAt = e.ID, w.NaturalKey(), 0, e.OccurredAt
		if !reflect.DeepEqual(e, w) {
			t.Errorf("event %d came back as\n %#v\nwant\n %#v", i, e, w)
		}
		i++
		return nil
	})
	if err != nil || i != n {
		t.Fatalf("scanned %d events (%v), want %d", i, err, n)
	}
}

func testEventBulk(t *testing.T, s store.Store) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 2503 // not a multiple of any batch size
	es := make([]event.Event, n)
	for i := range es {
		es[i] = event.Event{CustomerID: "c" + string(rune('a'+i%7)), Type: event.Purchase, SKU: "S", Quantity: 1,
			Amount: float64(i), OrderID: "o", OccurredAt: t0.Add(time.Duration(i) * time.Minute)}
	}
	got := must[event.InsertCounts](t)(s.InsertEvents(ctx, es))
	if got.Inserted != n {
		t.Fatalf("bulk inserted %+v, want %d", got, n)
	}
	got = must[event.InsertCounts](t)(s.InsertEvents(ctx, es[:1000]))
	if got.Duplicates != 1000 {
		t.Fatalf("bulk re-insert %+v", got)
	}
	if c := must[int](t)(s.CountEvents(ctx, event.Filter{})); c != n {
		t.Fatalf("count = %d", c)
	}
}

// RunDB is the suite of what the engines' concrete store offers beyond
// the domain interfaces: its transactions.
func RunDB(t *testing.T, open func(*testing.T) *store.DB) {
	t.Run("TxRollback", func(t *testing.T) { testTxRollback(t, open(t)) })
}

func testTxRollback(t *testing.T, s *store.DB) {
	boom := errors.New("boom")
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO customers (id, created_at, updated_at) VALUES ($1, 1, 1)`, "tx1"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Tx err = %v, want boom", err)
	}
	if _, err := s.GetCustomer(ctx, "tx1"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("row survived rollback: %v", err)
	}
	if err := s.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO customers (id, created_at, updated_at) VALUES ($1, 1, 1)`, "tx2")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetCustomer(ctx, "tx2"); err != nil {
		t.Fatalf("committed row missing: %v", err)
	}
}

// RunAll runs every suite a full store must pass (the union store.Store
// implements) on stores that open returns.
func RunAll(t *testing.T, open func(*testing.T) store.Store) {
	t.Run("Core", func(t *testing.T) { Run(t, open) })
	t.Run("Segment", func(t *testing.T) { RunSegment(t, open) })
	t.Run("Content", func(t *testing.T) { RunContent(t, open) })
	t.Run("Recommend", func(t *testing.T) { RunRecommend(t, open) })
	t.Run("LLM", func(t *testing.T) { RunLLM(t, func(t *testing.T) llm.Store { return open(t) }) })
	t.Run("Policy", func(t *testing.T) { RunPolicy(t, func(t *testing.T) policy.Store { return open(t) }) })
}
