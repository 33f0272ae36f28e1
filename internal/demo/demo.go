// Package demo builds a deterministic, bilingual demo shop: Chinese and
// English-speaking customers with realistic personas, a catalog across
// several categories (with a whole camera-bag / travel / photography line),
// a consent ledger with some revocations, and twelve months of views,
// carts, orders, refunds and campaign engagement with the seasonality of
// each market (618 and 双11, the Spring Festival dip; Black Friday and
// Christmas).
//
// The same Options always give byte-identical data: every random choice
// comes from a PCG stream seeded with Options.Seed and the name of the part
// it shapes, and "now" is Options.End, never the clock. Building twice
// changes nothing, because customers and products are upserted, consents
// are unique per instant and events are deduplicated by their natural key.
package demo

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"
	_ "time/tzdata" // the personas live in many time zones; a fresh machine may have no zoneinfo

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/shop"
)

// Defaults of the demo command.
const (
	DefaultSeed      = 42
	DefaultCustomers = 2000
	// MinCustomers keeps every kind of customer represented.
	MinCustomers = 20
	// MaxCustomers bounds a demo build to a few minutes.
	MaxCustomers = 200000
)

// DefaultEnd is the shop's "now": the data covers the twelve months before
// it, so the last day of data is 2026-10-31.
func DefaultEnd() time.Time { return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) }

// ParseEnd is the shop's "now" written as a date (2026-11-01), DefaultEnd
// for ""; anything else is Invalid.
func ParseEnd(s string) (time.Time, error) {
	if s == "" {
		return DefaultEnd(), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, apperr.New(apperr.Invalid, "--end must be a date like 2026-11-01 (got %q)", s)
	}
	return t, nil
}

// Store is what the demo writes through. It is the write half of the
// customer, catalog and event stores; store.Store satisfies it.
type Store interface {
	UpsertCustomers(ctx context.Context, cs []customer.Customer) (customer.UpsertCounts, error)
	AddConsents(ctx context.Context, cs []customer.Consent) (int, error)
	UpsertProducts(ctx context.Context, ps []catalog.Product) (inserted, updated, unchanged int, err error)
	InsertEvents(ctx context.Context, es []event.Event) (event.InsertCounts, error)
	// BulkLoad runs fn as one long run of writes, which is cheaper for a
	// store that knows (SQLite: one connection, one checkpoint at the end,
	// events through its raw connection); others call fn(ctx).
	BulkLoad(ctx context.Context, fn func(context.Context) error) error
}

// Options say which shop to build.
type Options struct {
	Seed      int64
	Customers int       // number of customers, MinCustomers..MaxCustomers
	End       time.Time // exclusive end of the twelve months of data (the shop's "now")
	// Progress, when set, is told when each stage finishes: its name, how
	// many records it wrote and how long it took.
	Progress func(stage string, n int, took time.Duration)
}

func (o *Options) validate() error {
	if o.Customers == 0 {
		o.Customers = DefaultCustomers
	}
	if o.End.IsZero() {
		o.End = DefaultEnd()
	}
	o.End = o.End.UTC().Truncate(time.Second)
	if o.Customers < MinCustomers || o.Customers > MaxCustomers {
		return apperr.New(apperr.Invalid, "demo: --customers must be between %d and %d (got %d)", MinCustomers, MaxCustomers, o.Customers)
	}
	return nil
}

// Shop is the generated data, before it is written.
type Shop struct {
	Customers []customer.Customer
	Consents  []customer.Consent
	Products  []catalog.Product
	Events    []event.Event // in time order, each with its natural key set
	Report    Report        // the counts of the generated data; Written is empty
}

// Report says what the demo shop holds and what a build wrote.
type Report struct {
	Seed  int64     `json:"seed"`
	Start time.Time `json:"start"` // first instant of the data
	End   time.Time `json:"end"`   // exclusive end: the shop's "now"

	Customers           int            `json:"customers"`
	CustomersByLanguage map[string]int `json:"customers_by_language"`
	CustomersByKind     map[string]int `json:"customers_by_kind"` // never, one_time, repeat, churned

	Products           int            `json:"products"`
	ProductsByCategory map[string]int `json:"products_by_category"` // top level of the category path
	ProductsByLanguage map[string]int `json:"products_by_language"`
	ProductsInactive   int            `json:"products_inactive"`
	ProductsOutOfStock int            `json:"products_out_of_stock"`

	Events       int            `json:"events"`
	EventsByType map[string]int `json:"events_by_type"`

	Orders             int                       `json:"orders"`
	OrdersByLanguage   map[string]int            `json:"orders_by_language"`
	GuestOrders        int                       `json:"guest_orders"`
	GuestOrdersByLang  map[string]int            `json:"guest_orders_by_language"`
	RefundedOrders     int                       `json:"refunded_orders"`
	RepeatBuyers       int                       `json:"repeat_buyers"`   // customers with two orders or more
	Revenue            map[string]float64        `json:"revenue"`         // gross purchases per currency
	Refunds            map[string]float64        `json:"refunds"`         // refunded amount per currency (positive)
	OrdersByMonth      map[string]map[string]int `json:"orders_by_month"` // language -> "2026-06" -> orders
	Consents           int                       `json:"consents"`        // ledger entries
	ConsentsGranted    int                       `json:"consents_granted"`
	ConsentsRevoked    int                       `json:"consents_revoked"`
	CustomersRevoked   int                       `json:"customers_revoked"`                 // revoked a marketing channel
	PersonalizationOff int                       `json:"customers_personalization_revoked"` // revoked personalised marketing

	SeedPersonaID  string `json:"seed_persona_id"`
	CameraBagSKU   string `json:"camera_bag_sku"`
	CameraBagSKUEN string `json:"camera_bag_sku_en"`

	Written Written `json:"written"`

	// Pipeline records what the steps run after the build did; the demo
	// command fills it.
	Pipeline []StepResult `json:"pipeline,omitempty"`
	// Console is the demo admin's sign-in (see EnsureAdmin); the demo
	// command fills it, and prints its password once.
	Console *Login `json:"console,omitempty"`
}

// Written says what one build changed in the store: all zero on a rebuild.
type Written struct {
	Customers       customer.UpsertCounts `json:"customers"`
	Products        customer.UpsertCounts `json:"products"`
	ConsentsAdded   int                   `json:"consents_added"`
	EventsInserted  int                   `json:"events_inserted"`
	EventsDuplicate int                   `json:"events_duplicate"`
}

// StepResult is what one pipeline step after the build reported.
type StepResult struct {
	Name    string `json:"name"`
	Summary string `json:"summary,omitempty"`
	Error   string `json:"error,omitempty"`
	Skipped bool   `json:"skipped,omitempty"`
}

// Generate draws the shop in memory without writing it.
func Generate(opts Options) (*Shop, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	g, err := newGen(opts)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Internal, "demo: set up")
	}
	shop := &Shop{Products: g.products}
	people := make([]*person, opts.Customers)
	var events []event.Event
	seq := 0
	var orders []*order
	memberOrders := map[string]int{}
	for i := range people {
		p := g.newPerson(i)
		people[i] = p
		events = append(events, g.simulate(p, &seq)...)
		orders = append(orders, p.orders...)
		memberOrders[p.lang] += len(p.orders)
	}
	for _, lang := range []string{LangZH, LangEN} {
		orders = append(orders, g.guestOrders(lang, memberOrders[lang], &seq)...)
	}
	sortOrders(orders)
	for _, o := range orders {
		events = append(events, orderEvents(o)...)
	}
	events = g.finishEvents(events)
	shop.Events = events

	tagCustomers(g, people)
	for _, p := range people {
		shop.Customers = append(shop.Customers, p.c)
		shop.Consents = append(shop.Consents, p.consents...)
	}
	shop.Report = summarize(g, people, orders, shop)
	return shop, nil
}

// tagCustomers adds tags and attributes that depend on the whole year: the
// acquisition source, the membership level from spend, VIP for the top 5%.
func tagCustomers(g *gen, people []*person) {
	for _, p := range people {
		for _, o := range p.orders {
			for _, l := range o.lines {
				p.revenue += float64(l.qty) * l.price
			}
		}
	}
	for _, lang := range []string{LangZH, LangEN} {
		var spend []float64
		for _, p := range people {
			if p.lang == lang && p.revenue > 0 {
				spend = append(spend, p.revenue)
			}
		}
		sort.Float64s(spend)
		vip, gold := quantile(spend, 0.95), quantile(spend, 0.75)
		for _, p := range people {
			if p.lang != lang {
				continue
			}
			r := g.rng(fmt.Sprintf("tags/%d", p.idx))
			srcs := acquisition[lang]
			src := srcs[r.IntN(len(srcs))]
			level := "regular"
			switch {
			case p.revenue > 0 && p.revenue >= vip:
				level = "vip"
			case p.revenue > 0 && p.revenue >= gold:
				level = "gold"
			case p.revenue > 0:
				level = "silver"
			}
			tags := []string{src}
			if level == "vip" {
				tags = append(tags, "vip")
			}
			if p.seed {
				tags = append(tags, "seed-persona")
			}
			for _, c := range p.consents {
				if c.Channel == customer.ChannelEmail && c.Purpose == customer.PurposeMarketing && c.Status == customer.Granted {
					tags = append(tags, "newsletter")
					break
				}
			}
			p.c.Tags = tags
			p.c.Attrs = map[string]any{"acquisition": src, "member_level": level}
		}
	}
}

var acquisition = map[string][]string{
	LangZH: {"小红书", "抖音", "微信", "搜索", "朋友推荐"},
	LangEN: {"instagram", "google", "referral", "tiktok", "podcast"},
}

func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

func summarize(g *gen, people []*person, orders []*order, shop *Shop) Report {
	rep := Report{
		Seed: g.seed, Start: g.start, End: g.end,
		CustomersByLanguage: map[string]int{}, CustomersByKind: map[string]int{},
		ProductsByCategory: map[string]int{}, ProductsByLanguage: map[string]int{}, EventsByType: map[string]int{},
		GuestOrdersByLang: map[string]int{},
		OrdersByLanguage:  map[string]int{}, Revenue: map[string]float64{}, Refunds: map[string]float64{},
		OrdersByMonth: map[string]map[string]int{},
		SeedPersonaID: SeedPersonaID, CameraBagSKU: CameraBagSKU, CameraBagSKUEN: CameraBagSKUEN,
	}
	rep.Customers = len(people)
	for _, p := range people {
		rep.CustomersByLanguage[p.lang]++
		rep.CustomersByKind[p.kind]++
		if len(p.orders) >= 2 {
			rep.RepeatBuyers++
		}
		revoked, pers := false, false
		for _, c := range p.consents {
			rep.Consents++
			if c.Status == customer.Granted {
				rep.ConsentsGranted++
				continue
			}
			rep.ConsentsRevoked++
			if c.Purpose == customer.PurposeMarketing {
				revoked = true
			} else if c.Purpose == customer.PurposePersonalization {
				pers = true
			}
		}
		if revoked {
			rep.CustomersRevoked++
		}
		if pers {
			rep.PersonalizationOff++
		}
	}
	rep.Products = len(shop.Products)
	for _, p := range shop.Products {
		rep.ProductsByCategory[p.TopCategory()]++
		rep.ProductsByLanguage[p.Language]++
		if !p.Active {
			rep.ProductsInactive++
		}
		if p.Stock == 0 {
			rep.ProductsOutOfStock++
		}
	}
	for _, o := range orders {
		rep.Orders++
		rep.OrdersByLanguage[o.lang]++
		if o.cust == "" {
			rep.GuestOrders++
			rep.GuestOrdersByLang[o.lang]++
		}
		if o.refund != nil {
			rep.RefundedOrders++
		}
		m := o.at.Format("2006-01")
		if rep.OrdersByMonth[o.lang] == nil {
			rep.OrdersByMonth[o.lang] = map[string]int{}
		}
		rep.OrdersByMonth[o.lang][m]++
	}
	rep.Events = len(shop.Events)
	for _, e := range shop.Events {
		rep.EventsByType[e.Type]++
		switch e.Type {
		case event.Purchase:
			rep.Revenue[e.Currency] += e.Amount
		case event.Refund:
			rep.Refunds[e.Currency] -= e.Amount
		}
	}
	for _, m := range []map[string]float64{rep.Revenue, rep.Refunds} {
		for k, v := range m {
			m[k] = round2(v)
		}
	}
	return rep
}

// eventBatch is how many events one InsertEvents call carries: large enough
// to amortise a transaction, small enough to report progress.
const eventBatch = 5000

// Build generates the shop and writes it through st. Products go first,
// then customers, their consents and the events. A second Build with the
// same options writes nothing (Report.Written is all zero but Unchanged).
// Errors are those of the store, wrapped with the stage that failed.
func Build(ctx context.Context, st Store, opts Options) (Report, error) {
	progress := opts.Progress
	if progress == nil {
		progress = func(string, int, time.Duration) {}
	}
	t0 := time.Now()
	shop, err := Generate(opts)
	if err != nil {
		return Report{}, err
	}
	rep := shop.Report
	progress("generate", len(shop.Customers)+len(shop.Products)+len(shop.Consents)+len(shop.Events), time.Since(t0))

	write := func(ctx context.Context) error { return writeShop(ctx, st, shop, &rep, progress) }
	return rep, st.BulkLoad(ctx, write)
}

// writeShop writes the generated shop through st, counting into rep.
func writeShop(ctx context.Context, st Store, shop *Shop, rep *Report, progress func(string, int, time.Duration)) error {
	t0 := time.Now()
	i, u, k, err := st.UpsertProducts(ctx, shop.Products)
	if err != nil {
		return fmt.Errorf("demo: write products: %w", err)
	}
	rep.Written.Products = customer.UpsertCounts{Inserted: i, Updated: u, Unchanged: k}
	progress("products", len(shop.Products), time.Since(t0))

	t0 = time.Now()
	err = inChunks(ctx, shop.Customers, rowChunk, func(cs []customer.Customer) error {
		c, err := st.UpsertCustomers(ctx, cs)
		rep.Written.Customers.Add(c)
		return err
	})
	if err != nil {
		return fmt.Errorf("demo: write customers: %w", err)
	}
	progress("customers", len(shop.Customers), time.Since(t0))

	t0 = time.Now()
	err = inChunks(ctx, shop.Consents, rowChunk, func(cs []customer.Consent) error {
		n, err := st.AddConsents(ctx, cs)
		rep.Written.ConsentsAdded += n
		return err
	})
	if err != nil {
		return fmt.Errorf("demo: write consents: %w", err)
	}
	progress("consents", len(shop.Consents), time.Since(t0))

	t0 = time.Now()
	err = inChunks(ctx, shop.Events, eventBatch, func(es []event.Event) error {
		c, err := st.InsertEvents(ctx, es)
		rep.Written.EventsInserted += c.Inserted
		rep.Written.EventsDuplicate += c.Duplicates
		return err
	})
	if err != nil {
		return fmt.Errorf("demo: write events: %w", err)
	}
	progress("events", len(shop.Events), time.Since(t0))
	return nil
}

// rowChunk is how many customers or consents one store call carries: a
// transaction each.
const rowChunk = 500

// inChunks calls fn with consecutive slices of at most n items, stopping at
// the first error or when ctx is done.
func inChunks[T any](ctx context.Context, items []T, n int, fn func([]T) error) error {
	for len(items) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		k := min(len(items), n)
		if err := fn(items[:k]); err != nil {
			return err
		}
		items = items[k:]
	}
	return nil
}

// Languages returns the languages of a by-language map in a stable order.
func Languages(m map[string]int) []string { return slices.Sorted(maps.Keys(m)) }

// ShopSettings are the demo shop's own settings (a Shanghai shop selling
// in CNY that signs its copy "Lumen & Co"), stamped at; `chorus demo`
// stores those the database does not hold yet.
func ShopSettings(at time.Time) []shop.Setting {
	at = at.UTC().Truncate(time.Microsecond)
	var out []shop.Setting
	for _, kv := range [][2]string{{shop.KeyName, "Lumen & Co"}, {shop.KeyLanguage, shop.Zh}, {shop.KeyTimeZone, "Asia/Shanghai"},
		{shop.KeyCurrency, "CNY"}, {shop.KeyCountry, "CN"}} {
		out = append(out, shop.Setting{Key: kv[0], Value: kv[1], Source: "demo", UpdatedAt: at})
	}
	return out
}
