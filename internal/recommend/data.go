package recommend

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/insight"
)

// Kinds of interaction the recommenders learn from.
const (
	kindPurchase = insight.KindPurchase
	kindRefund   = insight.KindRefund
	kindView     = insight.KindView
	kindCart     = insight.KindCart
)

// Interaction is one behaviour event reduced to dense ids.
type Interaction struct {
	Customer int32 // dense customer id; -1 for a guest
	Item     int32 // dense item id
	Kind     uint8
	At       int64 // unix seconds
}

// Data is the behaviour and catalog the recommenders train on, loaded once
// and indexed with dense int ids so that training touches only slices.
// A Data and the views made from it (Before, Between) share the id spaces,
// so a model trained on a view can be scored against a later period.
type Data struct {
	Customers []string          // dense id -> external customer id
	Items     []string          // dense id -> SKU
	Products  []catalog.Product // by item id; only SKU set when not in the catalog
	InCatalog []bool            // by item id
	Language  []string          // by customer id; "" when unknown
	// Events are sorted by At (then by input order).
	Events []Interaction

	custIdx map[string]int32
	itemIdx map[string]int32
	// The catalog tracks a field only when some product has a non-zero
	// value: an importer that knows nothing of stock leaves every Stock at
	// 0, which must read as "unknown, assume in stock", not "sold out".
	TracksStock  bool
	TracksActive bool
}

// Source is what Load reads: insight's dataset sources (customers,
// consents, products, events). A store.Store satisfies it.
type Source = insight.Source

// Load reads src into insight's dataset and takes the recommenders' data
// from it (FromDataset). A process that holds the dataset already (the
// application's insight.Service) calls FromDataset instead.
func Load(ctx context.Context, src Source) (*Data, error) {
	ds, err := insight.Load(ctx, src)
	if err != nil {
		return nil, err
	}
	return FromDataset(ds)
}

// FromDataset is the recommenders' data taken from insight's one dataset:
// its purchases, refunds, views and carts that name a product
// (insight.Dataset.Interactions), its catalog and its customers'
// languages. Customers are numbered in order of first appearance, as
// training expects. It fails with apperr.Invalid when there are no purchases at
// all, since nothing could be learnt.
func FromDataset(ds *insight.Dataset) (*Data, error) {
	d := fromDataset(ds)
	if d.count(kindPurchase) == 0 {
		if ds.NoSKUPurchases > 0 {
			return nil, apperr.New(apperr.Invalid, "recommend: %d purchase events are stored, but none names a product (SKU); recommendations are learnt from purchases of products: import events with a sku column (--map COLUMN=sku)", ds.NoSKUPurchases)
		}
		return nil, apperr.New(apperr.Invalid, "recommend: the store holds no purchase events; import orders first (chorus import …)")
	}
	return d, nil
}

func fromDataset(ds *insight.Dataset) *Data {
	// Items keep the dataset's numbering (products and the SKUs of events
	// in the order first seen); Products are copied, since a saved model
	// refreshes their availability.
	d := &Data{custIdx: map[string]int32{}, itemIdx: make(map[string]int32, len(ds.Items)),
		Items: ds.Items, Products: make([]catalog.Product, len(ds.Items)), InCatalog: ds.InCatalog}
	for i, sku := range ds.Items {
		d.itemIdx[sku] = int32(i)
		d.Products[i] = catalog.Product{SKU: sku, Title: sku, Active: true}
		if ds.InCatalog[i] {
			d.Products[i] = ds.Products[i]
			d.TracksStock = d.TracksStock || ds.Products[i].Stock != 0
			d.TracksActive = d.TracksActive || ds.Products[i].Active
		}
	}
	custOf := make([]int32, len(ds.Customers))
	for i := range custOf {
		custOf[i] = -1
	}
	in := ds.Interactions()
	d.Events = make([]Interaction, len(in))
	for j, e := range in {
		c := e.Customer
		if c >= 0 {
			if custOf[c] < 0 {
				custOf[c] = int32(len(d.Customers))
				id := ds.Customers[c]
				d.custIdx[id] = custOf[c]
				d.Customers = append(d.Customers, id)
				d.Language = append(d.Language, ds.Language[c])
			}
			c = custOf[c]
		}
		d.Events[j] = Interaction{Customer: c, Item: e.Item, Kind: e.Kind, At: e.At}
	}
	return d
}

// Builder assembles a Data from events and products in any order, through
// insight's dataset builder (the one place events are interned).
type Builder struct{ b *insight.Builder }

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder { return &Builder{b: insight.NewBuilder()} }

// AddProducts adds or replaces catalog products.
func (b *Builder) AddProducts(ps []catalog.Product) { b.b.AddProducts(ps) }

// AddEvent adds one event; types other than purchase, refund, view and
// cart, and events without a SKU, are ignored.
func (b *Builder) AddEvent(e event.Event) { b.b.AddEvent(e) }

// SetLanguage records a customer's language (used for explanations only).
func (b *Builder) SetLanguage(customerID, lang string) {
	b.b.AddCustomer(customer.Customer{ID: customerID, Language: lang})
}

// Data finishes the build; the Builder must not be used afterwards.
func (b *Builder) Data() *Data { return fromDataset(b.b.Dataset()) }

// NumItems is the size of the item id space.
func (d *Data) NumItems() int { return len(d.Items) }

// NumCustomers is the size of the customer id space.
func (d *Data) NumCustomers() int { return len(d.Customers) }

// CustomerIndex returns the dense id of a customer.
func (d *Data) CustomerIndex(id string) (int32, bool) { c, ok := d.custIdx[id]; return c, ok }

// ItemIndex returns the dense id of a SKU.
func (d *Data) ItemIndex(sku string) (int32, bool) { i, ok := d.itemIdx[sku]; return i, ok }

// view returns d with Events replaced (ids, catalog and maps are shared).
func (d *Data) view(es []Interaction) *Data {
	v := *d
	v.Events = es
	return &v
}

// Before is the view of events strictly before t.
func (d *Data) Before(t time.Time) *Data {
	return d.view(d.Events[:d.search(t.Unix())])
}

// Between is the view of events in [from, to); a zero to means no end.
func (d *Data) Between(from, to time.Time) *Data {
	lo := d.search(from.Unix())
	hi := len(d.Events)
	if !to.IsZero() {
		hi = d.search(to.Unix())
	}
	return d.view(d.Events[lo:hi])
}

func (d *Data) search(t int64) int {
	return sort.Search(len(d.Events), func(i int) bool { return d.Events[i].At >= t })
}

// Span returns the times of the first and last event.
func (d *Data) Span() (first, last time.Time) {
	if len(d.Events) == 0 {
		return
	}
	return time.Unix(d.Events[0].At, 0).UTC(), time.Unix(d.Events[len(d.Events)-1].At, 0).UTC()
}

func (d *Data) count(kind uint8) int {
	n := 0
	for _, e := range d.Events {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// Stats summarises a Data for reports.
type Stats struct {
	Events     int       `json:"events"`
	Purchases  int       `json:"purchases"`
	Customers  int       `json:"customers"` // with at least one event in the view
	Items      int       `json:"items"`     // with at least one event in the view
	First      time.Time `json:"first"`
	Last       time.Time `json:"last"`
	GuestLines int       `json:"guest_purchases"`
}

// Stats counts what the view holds.
func (d *Data) Stats() Stats {
	s := Stats{Events: len(d.Events)}
	s.First, s.Last = d.Span()
	cs := make([]bool, len(d.Customers))
	is := make([]bool, len(d.Items))
	for _, e := range d.Events {
		if e.Kind == kindPurchase {
			s.Purchases++
			if e.Customer < 0 {
				s.GuestLines++
			}
		}
		if e.Customer >= 0 && !cs[e.Customer] {
			cs[e.Customer] = true
			s.Customers++
		}
		if !is[e.Item] {
			is[e.Item] = true
			s.Items++
		}
	}
	return s
}

// topCategory is the category used for the diversity cap and consumable
// rules: the top level of the catalog path, or "".
func (d *Data) topCategory(i int32) string { return d.Products[i].TopCategory() }

// catalogVersion is the latest UpdatedAt of the products the data holds,
// unix microseconds: the state of the catalog it was read at.
func (d *Data) catalogVersion() int64 {
	var v int64
	for i := range d.Products {
		if d.InCatalog[i] {
			v = max(v, d.Products[i].UpdatedAt.UnixMicro())
		}
	}
	return v
}

// refreshCatalog replaces the fields of the known items that a shop
// changes as it sells (stock, active, price, currency, links) with those
// of ps, and the stock and active tracking with what ps shows. Items ps
// lacks keep theirs; products the data does not know are ignored (a new
// product changes the fingerprint and so retrains).
func (d *Data) refreshCatalog(ps []catalog.Product) {
	d.TracksStock, d.TracksActive = false, false
	for _, p := range ps {
		if p.Stock != 0 {
			d.TracksStock = true
		}
		if p.Active {
			d.TracksActive = true
		}
		i, ok := d.itemIdx[p.SKU]
		if !ok || !d.InCatalog[i] {
			continue
		}
		q := &d.Products[i]
		q.Stock, q.Active, q.Price, q.Currency, q.URL, q.ImageURL, q.UpdatedAt = p.Stock, p.Active, p.Price, p.Currency, p.URL, p.ImageURL, p.UpdatedAt
	}
}

// available applies the stock and active rules, reading untracked fields as
// in stock and active (see TracksStock).
func (d *Data) available(i int32) bool {
	if !d.InCatalog[i] {
		return true
	}
	p := &d.Products[i]
	if d.TracksActive && !p.Active {
		return false
	}
	if d.TracksStock && p.Stock <= 0 {
		return false
	}
	return true
}

// sortedKeys is a deterministic iteration order for small maps.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
