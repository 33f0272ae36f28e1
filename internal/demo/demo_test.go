package demo

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// smallShop keeps store round trips quick; the pure checks use the default
// size, which generates in about a second.
const smallShop = 60

func generate(t testing.TB, opts Options) *Shop {
	t.Helper()
	shop, err := Generate(opts)
	if err != nil {
		t.Fatal(err)
	}
	return shop
}

func TestGenerateIsDeterministic(t *testing.T) {
	a := mustJSON(t, generate(t, Options{Seed: 7, Customers: 300}))
	b := mustJSON(t, generate(t, Options{Seed: 7, Customers: 300}))
	if !bytes.Equal(a, b) {
		t.Fatal("two generations with the same seed differ")
	}
	c := mustJSON(t, generate(t, Options{Seed: 8, Customers: 300}))
	if bytes.Equal(a, c) {
		t.Fatal("seeds 7 and 8 gave the same shop")
	}
}

// TestLargerShopExtendsSmaller: customers, their consents and every event
// of a shop reappear unchanged in a larger shop with the same seed, so
// building one over the other adds the newcomers and duplicates nothing.
func TestLargerShopExtendsSmaller(t *testing.T) {
	small := generate(t, Options{Seed: 9, Customers: 150})
	large := generate(t, Options{Seed: 9, Customers: 400})
	keys := map[int64]bool{}
	for _, e := range large.Events {
		keys[e.Key] = true
	}
	for _, e := range small.Events {
		if !keys[e.Key] {
			t.Fatalf("event of the small shop missing from the large one: %+v", e)
		}
	}
	for i, c := range small.Customers {
		l := large.Customers[i]
		c.Tags, c.Attrs, l.Tags, l.Attrs = nil, nil, nil, nil // membership levels are relative to the whole shop
		if !bytes.Equal(mustJSON(t, c), mustJSON(t, l)) {
			t.Fatalf("customer %s differs:\n%+v\n%+v", c.ID, c, l)
		}
	}
	if !bytes.Equal(mustJSON(t, small.Consents), mustJSON(t, large.Consents[:len(small.Consents)])) {
		t.Fatal("the consents of the small shop differ in the large one")
	}
}

// TestParseEnd reads a date, defaults "" to DefaultEnd and refuses the
// rest as Invalid.
func TestParseEnd(t *testing.T) {
	if end, err := ParseEnd(""); err != nil || !end.Equal(DefaultEnd()) {
		t.Errorf(`ParseEnd("") = %v, %v; want DefaultEnd`, end, err)
	}
	if end, err := ParseEnd("2025-06-30"); err != nil || !end.Equal(time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ParseEnd(2025-06-30) = %v, %v", end, err)
	}
	for _, bad := range []string{"2025-13-01", "30/06/2025", "soon"} {
		if _, err := ParseEnd(bad); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("ParseEnd(%q) error %v; want Invalid", bad, err)
		}
	}
}

func TestOptionsAreValidated(t *testing.T) {
	for _, n := range []int{-1, 5, MaxCustomers + 1} {
		if _, err := Generate(Options{Seed: 1, Customers: n}); err == nil {
			t.Errorf("Customers=%d: want an error", n)
		}
	}
}

// dump reads back everything a build wrote, in a stable order, as JSON.
func dump(t *testing.T, st store.Store) []byte {
	t.Helper()
	ctx := context.Background()
	var all struct {
		Customers []customer.Customer
		Consents  []customer.Consent
		Products  []catalog.Product
		Events    []event.Event
	}
	if err := st.ListCustomers(ctx, func(c customer.Customer) error { all.Customers = append(all.Customers, c); return nil }); err != nil {
		t.Fatal(err)
	}
	if err := st.ListConsents(ctx, func(c customer.Consent) error { all.Consents = append(all.Consents, c); return nil }); err != nil {
		t.Fatal(err)
	}
	ps, err := st.ListProducts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all.Products = ps
	if err := st.ScanEvents(ctx, event.Filter{}, func(e event.Event) error {
		e.ID = 0 // the storage row id is the engine's, not the data's
		all.Events = append(all.Events, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Engines may number rows of one bulk insert differently; order ties
	// by the natural key so the dump is the data's, not the engine's.
	slices.SortStableFunc(all.Events, func(a, b event.Event) int {
		return cmp.Or(a.OccurredAt.Compare(b.OccurredAt), cmp.Compare(a.Key, b.Key))
	})
	return mustJSON(t, all)
}

func TestBuildIsDeterministicAcrossStores(t *testing.T) {
	ctx := context.Background()
	build := func(seed int64) []byte {
		st := storetest.OpenSQLite(t)
		if _, err := Build(ctx, st, Options{Seed: seed, Customers: smallShop}); err != nil {
			t.Fatal(err)
		}
		return dump(t, st)
	}
	a, b := build(42), build(42)
	if !bytes.Equal(a, b) {
		t.Fatal("two stores built with seed 42 hold different data")
	}
	// That a different seed gives a different shop is TestGenerateIsDeterministic's.
}

// TestBuildIsTheSameOnBothEngines reads back the same shop from SQLite and
// PostgreSQL (skipped when no PostgreSQL is configured).
func TestBuildIsTheSameOnBothEngines(t *testing.T) {
	storetest.PostgresDSN(t) // skips with a message when no DSN is set
	ctx := context.Background()
	opts := Options{Seed: 5, Customers: smallShop}
	var dumps [][]byte
	for _, st := range []store.Store{storetest.OpenSQLite(t), storetest.OpenPostgres(t)} {
		if _, err := Build(ctx, st, opts); err != nil {
			t.Fatalf("%s: %v", st.Engine(), err)
		}
		dumps = append(dumps, dump(t, st))
	}
	if !bytes.Equal(dumps[0], dumps[1]) {
		a, b := dumps[0], dumps[1]
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		lo := max(0, i-300)
		t.Fatalf("SQLite and PostgreSQL hold different data for the same seed; first difference at byte %d:\nsqlite:   %s\npostgres: %s",
			i, a[lo:min(len(a), i+200)], b[lo:min(len(b), i+200)])
	}
}

func TestBuildIsIdempotent(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		opts := Options{Seed: 42, Customers: smallShop}
		first, err := Build(ctx, st, opts)
		if err != nil {
			t.Fatal(err)
		}
		w := first.Written
		if w.Customers.Inserted != first.Customers || w.Products.Inserted != first.Products ||
			w.ConsentsAdded != first.Consents || w.EventsInserted != first.Events || w.EventsDuplicate != 0 {
			t.Fatalf("first build wrote %+v, want every generated record once (report %d customers, %d products, %d consents, %d events)",
				w, first.Customers, first.Products, first.Consents, first.Events)
		}
		before := dump(t, st)
		second, err := Build(ctx, st, opts)
		if err != nil {
			t.Fatal(err)
		}
		w = second.Written
		if w.Customers.Inserted+w.Customers.Updated+w.Products.Inserted+w.Products.Updated+w.ConsentsAdded+w.EventsInserted != 0 {
			t.Fatalf("second build changed the store: %+v", w)
		}
		if w.Customers.Unchanged != first.Customers || w.Products.Unchanged != first.Products || w.EventsDuplicate != first.Events {
			t.Fatalf("second build: %+v, want everything unchanged", w)
		}
		if !bytes.Equal(before, dump(t, st)) {
			t.Fatal("the stored data differs after a second build")
		}
		n, err := st.CountEvents(ctx, event.Filter{})
		if err != nil || n != first.Events {
			t.Fatalf("CountEvents = %d, %v; want %d", n, err, first.Events)
		}
	})
}

// TestShopIsPlausible checks the properties the rest of Chorus relies on
// in the default-size shop.
func TestShopIsPlausible(t *testing.T) {
	shop := generate(t, Options{Seed: DefaultSeed})
	rep := shop.Report
	start, end := rep.Start, rep.End

	// Customers: both languages in about a 60/40 mix, valid personas.
	if rep.Customers != DefaultCustomers {
		t.Fatalf("customers = %d", rep.Customers)
	}
	zhShare := float64(rep.CustomersByLanguage[LangZH]) / float64(rep.Customers)
	if zhShare < 0.55 || zhShare > 0.65 {
		t.Errorf("zh share %.2f, want about 0.6", zhShare)
	}
	cnPhone := regexp.MustCompile(`^\+861[3-9]\d{9}$`)
	byID := map[string]customer.Customer{}
	zones := map[string]bool{}
	for _, c := range shop.Customers {
		byID[c.ID] = c
		zones[c.TimeZone] = true
		if age := c.Age(end); age < 18 || age > 65 {
			t.Errorf("%s: age %d outside 18-65", c.ID, age)
		}
		if n := len(c.Interests); n < 2 || n > 4 {
			t.Errorf("%s: %d interests", c.ID, n)
		}
		if _, err := time.LoadLocation(c.TimeZone); err != nil {
			t.Errorf("%s: time zone %q: %v", c.ID, c.TimeZone, err)
		}
		if !strings.Contains(c.Email, "@example.") {
			t.Errorf("%s: e-mail %q is not on a reserved domain", c.ID, c.Email)
		}
		if c.Language == LangZH && (!cnPhone.MatchString(c.Phone) || c.TimeZone != "Asia/Shanghai") {
			t.Errorf("%s: zh customer with phone %q zone %q", c.ID, c.Phone, c.TimeZone)
		}
		if c.CreatedAt.IsZero() || !c.CreatedAt.Before(end) {
			t.Errorf("%s: created %v", c.ID, c.CreatedAt)
		}
	}
	for _, z := range []string{"Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Sydney"} {
		if !zones[z] {
			t.Errorf("no customer in %s", z)
		}
	}
	seed := byID[SeedPersonaID]
	if seed.Name == "" || seed.Age(end) != 25 || seed.Gender != "female" || seed.Occupation != "设计师" || seed.City != "上海" ||
		!slices.Equal(seed.Interests, []string{"时尚", "旅行", "摄影"}) {
		t.Errorf("seed persona = %+v", seed)
	}

	// Catalog: the camera-bag line in both languages, sensible products.
	prods := map[string]catalog.Product{}
	bags := map[string]int{}
	for _, p := range shop.Products {
		prods[p.SKU] = p
		if p.Category == "摄影 > 相机包" || p.Category == "Photography > Camera Bags" {
			bags[p.Language]++
		}
		if n := len(p.SellingPoints); n < 3 || n > 5 {
			t.Errorf("%s: %d selling points", p.SKU, n)
		}
		if p.Price <= 0 || p.Title == "" || p.Description == "" || p.URL == "" || p.ImageURL == "" || p.Brand == "" {
			t.Errorf("%s: incomplete product %+v", p.SKU, p)
		}
		if want := map[string]string{LangZH: "CNY", LangEN: "USD"}[p.Language]; p.Currency != want {
			t.Errorf("%s: currency %s", p.SKU, p.Currency)
		}
	}
	if bags[LangZH] < 3 || bags[LangEN] < 3 {
		t.Errorf("camera bags per language = %v", bags)
	}
	bag := prods[CameraBagSKU]
	if bag.Title != "时尚相机包" || !slices.Equal(bag.SellingPoints, []string{"防水", "防震", "轻便", "大容量"}) ||
		bag.Description != "防水防震、轻便耐用，适合旅行和户外拍摄的时尚相机包" {
		t.Errorf("camera bag = %+v", bag)
	}
	if _, ok := prods[CameraBagSKUEN]; !ok {
		t.Error("no English camera bag")
	}
	if len(shop.Products) < 100 || rep.ProductsInactive == 0 || rep.ProductsOutOfStock == 0 || len(rep.ProductsByCategory) < 16 {
		t.Errorf("catalog: %d products, %d inactive, %d out of stock, %d categories", len(shop.Products),
			rep.ProductsInactive, rep.ProductsOutOfStock, len(rep.ProductsByCategory))
	}

	// Events: in the window, orders consistent, refunds match purchases.
	type orderInfo struct {
		cust     string
		at       time.Time
		lines    map[string]float64
		currency string
	}
	orders := map[string]*orderInfo{}
	var refunds []event.Event
	perCustomer := map[string]map[string]bool{}
	lastPurchase := map[string]time.Time{}
	inInterest, purchases := 0, 0
	zhByMonth := map[time.Month]int{}
	for _, e := range shop.Events {
		if e.OccurredAt.Before(start) || !e.OccurredAt.Before(end) {
			t.Fatalf("event outside the window: %+v", e)
		}
		if e.Key != e.NaturalKey() {
			t.Fatalf("event key not its natural key: %+v", e)
		}
		switch e.Type {
		case event.Purchase:
			p := prods[e.SKU]
			if e.Quantity < 1 || math.Abs(e.Amount-e.Quantity*p.Price) > 0.005 || e.Currency != p.Currency || e.OrderID == "" {
				t.Fatalf("bad purchase line %+v (price %v %s)", e, p.Price, p.Currency)
			}
			o := orders[e.OrderID]
			if o == nil {
				o = &orderInfo{cust: e.CustomerID, at: e.OccurredAt, lines: map[string]float64{}, currency: e.Currency}
				orders[e.OrderID] = o
				if e.CustomerID != "" {
					if perCustomer[e.CustomerID] == nil {
						perCustomer[e.CustomerID] = map[string]bool{}
					}
					perCustomer[e.CustomerID][e.OrderID] = true
					lastPurchase[e.CustomerID] = e.OccurredAt
				}
				if p.Language == LangZH {
					zhByMonth[e.OccurredAt.In(time.FixedZone("CST", 8*3600)).Month()]++
				}
			}
			o.lines[e.SKU] = e.Amount
			if e.CustomerID != "" {
				purchases++
				if slices.Contains(byID[e.CustomerID].Interests, p.TopCategory()) ||
					slices.Contains(byID[e.CustomerID].Interests, strings.ToLower(p.TopCategory())) ||
					(p.TopCategory() == "Baby & Kids" && slices.Contains(byID[e.CustomerID].Interests, "parenting")) ||
					(p.TopCategory() == "Food & Drink" && slices.Contains(byID[e.CustomerID].Interests, "food")) {
					inInterest++
				}
			}
		case event.Refund:
			refunds = append(refunds, e)
		}
	}
	if len(orders) != rep.Orders {
		t.Errorf("%d order ids, report says %d", len(orders), rep.Orders)
	}
	for id, o := range orders {
		if n := len(o.lines); n < 1 || n > 4 {
			t.Errorf("order %s has %d lines", id, n)
		}
	}
	if len(refunds) == 0 {
		t.Fatal("no refunds")
	}
	for _, r := range refunds {
		o := orders[r.OrderID]
		if o == nil || r.Amount >= 0 || o.lines[r.SKU] != -r.Amount || r.CustomerID != o.cust || !r.OccurredAt.After(o.at) {
			t.Fatalf("refund %+v does not match its order %+v", r, o)
		}
	}
	refundRate := float64(rep.RefundedOrders) / float64(rep.Orders)
	if refundRate < 0.02 || refundRate > 0.08 {
		t.Errorf("refund rate %.3f, want a few percent", refundRate)
	}
	guestShare := float64(rep.GuestOrders) / float64(rep.Orders)
	if rep.GuestOrders == 0 || guestShare > 0.15 {
		t.Errorf("guest orders %d of %d", rep.GuestOrders, rep.Orders)
	}
	if share := float64(inInterest) / float64(purchases); share < 0.75 {
		t.Errorf("only %.2f of purchase lines match the buyer's interests", share)
	}

	// Seasonality: 双11 and 618 stand out, the Spring Festival dips.
	if zhByMonth[time.November] <= zhByMonth[time.August] || zhByMonth[time.June] <= zhByMonth[time.August] ||
		zhByMonth[time.February] >= zhByMonth[time.January] {
		t.Errorf("zh orders by month show no seasonality: %v", zhByMonth)
	}
	en := rep.OrdersByMonth[LangEN]
	if en["2025-12"] <= en["2026-08"] || en["2025-11"] <= en["2026-03"] {
		t.Errorf("en orders by month show no holiday season: %v", en)
	}

	// Buyer kinds behave as named.
	g, err := newGen(Options{Seed: DefaultSeed, End: DefaultEnd()})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	prefHits, prefTotal := 0, 0
	engagement := map[string]map[string]int{}
	for _, e := range shop.Events {
		if e.Type == event.Open || e.Type == event.Click {
			if engagement[e.CustomerID] == nil {
				engagement[e.CustomerID] = map[string]int{}
			}
			engagement[e.CustomerID][e.Channel]++
		}
	}
	for i := range rep.Customers {
		p := g.newPerson(i)
		kinds[p.kind]++
		n := len(perCustomer[p.c.ID])
		switch p.kind {
		case KindNever:
			if n != 0 {
				t.Errorf("%s never buys but has %d orders", p.c.ID, n)
			}
		case KindChurned:
			if last := lastPurchase[p.c.ID]; !last.IsZero() && end.Sub(last) < 85*24*time.Hour {
				t.Errorf("%s churned but bought on %v", p.c.ID, last)
			}
		case KindOneTime:
			if n > 1 {
				t.Errorf("%s buys once but has %d orders", p.c.ID, n)
			}
		}
		if ch := engagement[p.c.ID]; sum(ch) >= 6 {
			prefTotal++
			if top(ch) == p.pref {
				prefHits++
			}
		}
	}
	if rep.RepeatBuyers < rep.Customers/4 || kinds[KindChurned] == 0 || kinds[KindOneTime] == 0 || kinds[KindNever] == 0 {
		t.Errorf("buyer kinds %v, %d repeat buyers", kinds, rep.RepeatBuyers)
	}
	t.Logf("preferred channel = most engaged channel for %d of %d customers with 6+ opens/clicks", prefHits, prefTotal)
	if prefTotal < 100 || float64(prefHits)/float64(prefTotal) < 0.8 {
		t.Errorf("preferred channel is the most engaged one for %d of %d customers", prefHits, prefTotal)
	}

	// Consents: every customer has some, about one in ten revokes, each
	// marketing revocation has its unsubscribe event.
	hasConsent := map[string]bool{}
	revocations := 0
	for _, c := range shop.Consents {
		hasConsent[c.CustomerID] = true
		if c.LegalBasis != "consent" || (c.Source != SourceSignup && c.Source != SourceCheckout && c.Status == customer.Granted) {
			t.Fatalf("consent %+v", c)
		}
		if c.Status == customer.Revoked && c.Purpose == customer.PurposeMarketing {
			revocations++
		}
	}
	if len(hasConsent) != rep.Customers {
		t.Errorf("%d of %d customers have consents", len(hasConsent), rep.Customers)
	}
	if share := float64(rep.CustomersRevoked) / float64(rep.Customers); share < 0.05 || share > 0.15 {
		t.Errorf("%.3f of customers revoked a channel, want about 0.1", share)
	}
	if rep.EventsByType[event.Unsubscribe] != revocations || rep.PersonalizationOff == 0 {
		t.Errorf("%d unsubscribe events for %d revocations; %d personalisation opt-outs",
			rep.EventsByType[event.Unsubscribe], revocations, rep.PersonalizationOff)
	}

	// The seed persona's story: she left the camera bag in her cart.
	carted, bought := false, false
	for _, e := range shop.Events {
		if e.CustomerID == SeedPersonaID && e.SKU == CameraBagSKU {
			carted = carted || e.Type == event.Cart
			bought = bought || e.Type == event.Purchase
		}
	}
	if !carted || bought || len(perCustomer[SeedPersonaID]) < 3 {
		t.Errorf("seed persona: carted bag %v, bought it %v, %d orders", carted, bought, len(perCustomer[SeedPersonaID]))
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func top(m map[string]int) string {
	best, n := "", -1
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}) {
		if m[k] > n {
			best, n = k, m[k]
		}
	}
	return best
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		shop, err := Generate(Options{Seed: DefaultSeed})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(shop.Events)), "events/op")
	}
}

func BenchmarkBuildSQLite(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		st := storetest.OpenSQLite(b)
		t0 := time.Now()
		rep, err := Build(ctx, st, Options{Seed: DefaultSeed})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(rep.Events)/time.Since(t0).Seconds(), "events/s")
	}
}
