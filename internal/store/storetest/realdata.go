package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/segment"
	"github.com/chorusmkt/chorus/internal/shop"
	"github.com/chorusmkt/chorus/internal/store"
)

// RunRealdata is the conformance suite of the shop settings (migration
// 0020), the evidence they are inferred from, and the contact export log
// (migration 0021).
func RunRealdata(t *testing.T, open func(t *testing.T) store.Store) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, store.Store)
	}{
		{"ShopSettings", testShopSettings},
		{"ShopEvidenceAndInference", testShopEvidence},
		{"ContactExportLog", testContactExportLog},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

func testShopSettings(t *testing.T, s store.Store) {
	ctx := context.Background()
	if got, err := s.ShopSettings(ctx); err != nil || len(got) != 0 {
		t.Fatalf("new store: %v, %v", got, err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	n, err := s.PutShopSettings(ctx, []shop.Setting{
		{Key: shop.KeyCountry, Value: "GB", Source: "inferred from import a.csv", UpdatedAt: at},
		{Key: shop.KeyLanguage, Value: "en", Source: "inferred from import a.csv", UpdatedAt: at},
	}, true)
	if err != nil || n != 2 {
		t.Fatalf("put = %d, %v", n, err)
	}
	// Inference never overwrites: only the missing key is written.
	n, err = s.PutShopSettings(ctx, []shop.Setting{
		{Key: shop.KeyCountry, Value: "CN", Source: "inferred from import b.csv", UpdatedAt: at},
		{Key: shop.KeyCurrency, Value: "GBP", Source: "inferred from import b.csv", UpdatedAt: at},
	}, true)
	if err != nil || n != 1 {
		t.Fatalf("put only missing = %d, %v", n, err)
	}
	// The merchant's set does.
	if _, err := shop.Set(ctx, s, "Country", "中国", at); err != nil {
		t.Fatal(err)
	}
	got, err := s.ShopSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]shop.Setting{
		shop.KeyCountry:  {Key: shop.KeyCountry, Value: "CN", Source: "set", UpdatedAt: at},
		shop.KeyCurrency: {Key: shop.KeyCurrency, Value: "GBP", Source: "inferred from import b.csv", UpdatedAt: at},
		shop.KeyLanguage: {Key: shop.KeyLanguage, Value: "en", Source: "inferred from import a.csv", UpdatedAt: at},
	}
	if len(got) != len(want) {
		t.Fatalf("settings = %+v", got)
	}
	for _, g := range got {
		if w := want[g.Key]; g.Value != w.Value || g.Source != w.Source || !g.UpdatedAt.Equal(w.UpdatedAt) {
			t.Errorf("%s = %+v, want %+v", g.Key, g, w)
		}
	}
	// Configuration overrides the store.
	r, err := shop.Load(ctx, s, shop.Configured{Language: "zh", Name: "Gift Co"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Language != "zh" || r.Sources[shop.KeyLanguage] != "config" || r.Name != "Gift Co" || r.Country != "CN" || r.Sources[shop.KeyCountry] != "set" {
		t.Errorf("resolved = %+v", r)
	}
	if _, err := shop.Set(ctx, s, "time_zone", "Mars/Olympus", at); err == nil {
		t.Error("a bad zone was stored")
	}
}

func testShopEvidence(t *testing.T, s store.Store) {
	ctx := context.Background()
	cs := []customer.Customer{{ID: "1", Country: "United Kingdom"}, {ID: "2", Country: "United Kingdom"}, {ID: "3", Country: "France"}, {ID: "4"}}
	if _, err := s.UpsertCustomers(ctx, cs); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.UpsertProducts(ctx, []catalog.Product{{SKU: "A", Title: "Mug", Price: 3, Currency: "GBP", Active: true}}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2011, 1, 1, 0, 0, 0, 0, time.UTC)
	var es []event.Event
	for i := range 3 {
		es = append(es, event.Event{CustomerID: "1", Type: event.Purchase, SKU: "A", Quantity: 1, Amount: 3, Currency: "GBP", OrderID: "o", Ordinal: i, OccurredAt: at})
	}
	es = append(es, event.Event{CustomerID: "3", Type: event.Purchase, SKU: "A", Quantity: 1, Amount: 3, Currency: "EUR", OccurredAt: at})
	if _, err := s.InsertEvents(ctx, es); err != nil {
		t.Fatal(err)
	}
	ev, err := s.ShopEvidence(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.CustomerCountries) != 2 || ev.CustomerCountries[0] != (shop.Count{Value: "United Kingdom", N: 2}) {
		t.Errorf("countries = %+v", ev.CustomerCountries)
	}
	if len(ev.EventCurrencies) != 2 || ev.EventCurrencies[0] != (shop.Count{Value: "GBP", N: 3}) {
		t.Errorf("event currencies = %+v", ev.EventCurrencies)
	}
	if len(ev.ProductCurrencies) != 1 || len(ev.CustomerLanguages) != 0 {
		t.Errorf("evidence = %+v", ev)
	}
	written, err := shop.InferMissing(ctx, s, shop.Configured{TimeZone: "Europe/Dublin"}, "import test.csv", at)
	if err != nil {
		t.Fatal(err)
	}
	// The zone is configured, so it is not inferred; the name never is.
	keys := map[string]string{}
	for _, w := range written {
		keys[w.Key] = w.Value
	}
	if len(written) != 3 || keys[shop.KeyCountry] != "GB" || keys[shop.KeyLanguage] != "en" || keys[shop.KeyCurrency] != "GBP" {
		t.Errorf("inferred = %+v", written)
	}
	again, err := shop.InferMissing(ctx, s, shop.Configured{TimeZone: "Europe/Dublin"}, "import other.csv", at)
	if err != nil || len(again) != 0 {
		t.Errorf("second inference = %+v, %v", again, err)
	}
}

func testContactExportLog(t *testing.T, s store.Store) {
	ctx := context.Background()
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	id1, err := s.LogContactExport(ctx, segment.ContactExport{Segment: "vip", Actor: "ana", Fields: []string{"email"}, Rows: 10, Withheld: 2, At: at})
	if err != nil {
		t.Fatal(err)
	}
	id2, err := s.LogContactExport(ctx, segment.ContactExport{Segment: "vip", Actor: "bo", Fields: []string{"name", "phone"}, Purpose: "order recall",
		Rows: 12, IgnoredConsent: true, At: at.Add(time.Hour)})
	if err != nil || id2 == id1 {
		t.Fatal(id1, id2, err)
	}
	got, err := s.ContactExports(ctx, 0)
	if err != nil || len(got) != 2 {
		t.Fatalf("log = %+v, %v", got, err)
	}
	if g := got[0]; g.ID != id2 || g.Actor != "bo" || len(g.Fields) != 2 || g.Fields[1] != "phone" || !g.IgnoredConsent || g.Purpose != "order recall" || !g.At.Equal(at.Add(time.Hour)) {
		t.Errorf("newest = %+v", g)
	}
	if g := got[1]; g.Rows != 10 || g.Withheld != 2 || g.IgnoredConsent {
		t.Errorf("oldest = %+v", g)
	}
	if one, err := s.ContactExports(ctx, 1); err != nil || len(one) != 1 {
		t.Errorf("limit 1 = %+v, %v", one, err)
	}
}
