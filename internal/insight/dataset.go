package insight

import (
	"cmp"
	"context"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
)

// Source is what Load reads. A store.Store satisfies it; tests use small
// fakes. Declared here so that insight depends on behaviour, not on the
// store package.
type Source interface {
	ListCustomers(ctx context.Context, fn func(customer.Customer) error) error
	ListConsents(ctx context.Context, fn func(customer.Consent) error) error
	ListProducts(ctx context.Context) ([]catalog.Product, error)
	ScanEvents(ctx context.Context, f event.Filter, fn func(event.Event) error) error
}

// LoadedTypes are the event types Load reads: purchases and refunds for
// RFM and CLV, views and carts for affinity, opens and clicks for the
// preferred channel.
var LoadedTypes = []string{event.Purchase, event.Refund, event.View, event.Cart, event.Open, event.Click}

// Kinds of line in a Dataset.
const (
	kindPurchase uint8 = iota
	kindRefund
	kindView
	kindCart
	kindOpen
	kindClick
)

// Dataset is the behaviour, catalog and customers that Compute works on,
// loaded once into compact columns so that computing touches only slices.
//
// Customers are numbered in ascending id order (numeric ids compared as
// numbers, as pandas orders a float CustomerID column), so that rank ties
// broken "by ascending customer id" are broken by index. Lines of one
// customer are contiguous (lineStart[c]..lineStart[c+1]) and in time order.
type Dataset struct {
	Customers []string // index -> external id, ascending
	custIdx   map[string]int32
	Language  []string // by customer; "" when unknown
	// Granted is a bit set of channels with a granted marketing consent.
	Granted []uint8

	Items     []string // item index -> SKU
	itemIdx   map[string]int32
	Titles    []string // by item; the SKU when the product is not in the catalog
	ItemCat   []int32  // by item; index into Categories, -1 when none
	ItemBrand []int32  // by item; index into Brands, -1 when none
	ItemPrice []float64
	InCatalog []bool
	// Products are the catalog's products by item, as last added; the
	// zero Product for an item not in the catalog.
	Products   []catalog.Product
	Categories []string
	Brands     []string

	// Purchase and refund lines, grouped by customer, in time order.
	lineStart  []int32 // len(Customers)+1
	lineAt     []int64 // unix seconds
	lineItem   []int32 // -1 when the event names no SKU
	lineOrder  []int32 // order index; for a refund the order it names, or -1
	lineAmount []float64
	lineQty    []float64
	lineKind   []uint8
	nOrders    int // order numbers given out (refunds may name orders without purchases)
	// nPurchaseOrders counts orders with a purchase line.
	nPurchaseOrders int

	// Views, carts, opens and clicks, grouped by customer, in time order.
	actStart []int32
	actAt    []int64
	actItem  []int32
	actChan  []int32 // index into Channels for opens and clicks, else -1
	actKind  []uint8
	Channels []string

	// interactions are every purchase, refund, view and cart that names a
	// product, guests' (Customer -1) and adjustments included, in time
	// order: what the recommender learns from (Interactions).
	interactions []Interaction
	// NoSKUPurchases counts purchases that name no product.
	NoSKUPurchases int

	// LastEvent is the time of the latest loaded event (any customer,
	// guests included); the default analysis date is the day after it.
	LastEvent time.Time
	// Skipped counts purchase events ignored as adjustments (amount <= 0 or
	// negative quantity), the rows the common cleaning drops.
	Skipped int
	// Version says how much of the store the dataset holds, so that a
	// long-running process can catch up on what was stored since.
	Version Version
}

// Version is how much of the store a dataset holds: the events stored up
// to LastEventID (ids grow with every insert), Events of them.
type Version struct {
	LastEventID int64 `json:"last_event_id"`
	Events      int   `json:"events"`
}

// Interaction is one purchase, refund, view or cart event that names a
// product, with the dataset's customer index (-1 for a guest) and item
// index.
type Interaction struct {
	At       int64 // unix seconds
	Customer int32
	Item     int32
	Kind     uint8 // KindPurchase, KindRefund, KindView or KindCart
}

// Kinds of Interaction.
const (
	KindPurchase = kindPurchase
	KindRefund   = kindRefund
	KindView     = kindView
	KindCart     = kindCart
)

// Interactions are every purchase, refund, view and cart event that names
// a product, in time order (events of one second in the order stored),
// guests' and the adjustments RFM skips included: the recommender's
// training data. The slice is shared: callers must not change it.
func (d *Dataset) Interactions() []Interaction { return d.interactions }

// Purchases returns the number of purchase lines.
func (d *Dataset) Purchases() int {
	n := 0
	for _, k := range d.lineKind {
		if k == kindPurchase {
			n++
		}
	}
	return n
}

// Orders returns the number of distinct orders.
func (d *Dataset) Orders() int { return d.nPurchaseOrders }

// Index returns the index of customer id, or -1.
func (d *Dataset) Index(id string) int {
	if i, ok := d.custIdx[id]; ok {
		return int(i)
	}
	return -1
}

// DefaultAsOf is the day after the last loaded event, at midnight UTC: the
// analysis date the textbook RFM recipe uses.
func (d *Dataset) DefaultAsOf() time.Time {
	if d.LastEvent.IsZero() {
		return time.Time{}
	}
	t := d.LastEvent.UTC()
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, time.UTC)
}

// Load reads customers, consents, products and the LoadedTypes events
// from src into a Dataset. It fails only on source errors or
// cancellation; a store with no purchases loads fine and Compute says
// what is missing.
func Load(ctx context.Context, src Source) (*Dataset, error) {
	b := NewBuilder()
	if err := b.load(ctx, src, 0); err != nil {
		return nil, err
	}
	return b.Dataset(), nil
}

// load adds src's customers, consents and products, and its LoadedTypes
// events stored after the event afterID, to b.
func (b *Builder) load(ctx context.Context, src Source, afterID int64) error {
	err := src.ListCustomers(ctx, func(c customer.Customer) error {
		b.AddCustomer(c)
		return nil
	})
	if err != nil {
		return apperr.Wrap(err, apperr.KindOf(err), "insight: list customers")
	}
	err = src.ListConsents(ctx, func(c customer.Consent) error {
		b.AddConsent(c)
		return nil
	})
	if err != nil {
		return apperr.Wrap(err, apperr.KindOf(err), "insight: list consents")
	}
	ps, err := src.ListProducts(ctx)
	if err != nil {
		return apperr.Wrap(err, apperr.KindOf(err), "insight: list products")
	}
	b.AddProducts(ps)
	n := 0
	err = src.ScanEvents(ctx, event.Filter{Types: LoadedTypes, AfterID: afterID}, func(e event.Event) error {
		b.AddEvent(e)
		if n++; n%8192 == 0 {
			return ctx.Err()
		}
		return nil
	})
	if err != nil {
		return apperr.Wrap(err, apperr.KindOf(err), "insight: scan events")
	}
	return nil
}

// Builder assembles a Dataset from customers, products and events in any
// order; Dataset sorts and indexes them.
type Builder struct {
	d        *Dataset
	langs    map[string]string
	consents map[string]customer.ConsentState
	catIdx   map[string]int32
	brandIdx map[string]int32
	chanIdx  map[string]int32
	orders   map[orderKey]int32

	lines []rawLine
	acts  []rawAct
	inter []Interaction

	version Version
}

type orderKey struct {
	cust  int32
	order string
	at    int64 // set only when the event names no order
}

type rawLine struct {
	cust   int32
	at     int64
	item   int32
	order  int32
	amount float64
	qty    float64
	kind   uint8
}

type rawAct struct {
	cust int32
	at   int64
	item int32
	ch   int32
	kind uint8
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder {
	return &Builder{
		d:        &Dataset{custIdx: map[string]int32{}, itemIdx: map[string]int32{}},
		langs:    map[string]string{},
		consents: map[string]customer.ConsentState{},
		catIdx:   map[string]int32{},
		brandIdx: map[string]int32{},
		chanIdx:  map[string]int32{},
		orders:   map[orderKey]int32{},
	}
}

func (b *Builder) customer(id string) int32 {
	d := b.d
	if c, ok := d.custIdx[id]; ok {
		return c
	}
	c := int32(len(d.Customers))
	d.custIdx[id] = c
	d.Customers = append(d.Customers, id)
	return c
}

func (b *Builder) item(sku string) int32 {
	d := b.d
	if i, ok := d.itemIdx[sku]; ok {
		return i
	}
	i := int32(len(d.Items))
	d.itemIdx[sku] = i
	d.Items = append(d.Items, sku)
	d.Titles = append(d.Titles, sku)
	d.ItemCat = append(d.ItemCat, -1)
	d.ItemBrand = append(d.ItemBrand, -1)
	d.ItemPrice = append(d.ItemPrice, 0)
	d.InCatalog = append(d.InCatalog, false)
	d.Products = append(d.Products, catalog.Product{})
	return i
}

func intern(m map[string]int32, list *[]string, s string) int32 {
	if i, ok := m[s]; ok {
		return i
	}
	i := int32(len(*list))
	m[s] = i
	*list = append(*list, s)
	return i
}

// AddCustomer registers a customer, so that one who never bought is known
// (lifecycle "prospect").
func (b *Builder) AddCustomer(c customer.Customer) {
	if c.ID == "" {
		return
	}
	b.customer(c.ID)
	if c.Language != "" {
		b.langs[c.ID] = c.Language
	}
}

// AddConsent adds one consent ledger entry.
func (b *Builder) AddConsent(c customer.Consent) {
	if c.CustomerID == "" {
		return
	}
	st := b.consents[c.CustomerID]
	if st == nil {
		st = customer.ConsentState{}
		b.consents[c.CustomerID] = st
	}
	k := customer.Key(c.Channel, c.Purpose)
	prev, ok := st[k]
	if !ok || c.At.After(prev.At) || (c.At.Equal(prev.At) && c.Status == customer.Revoked) {
		st[k] = c
	}
}

// AddProducts adds or replaces catalog products.
func (b *Builder) AddProducts(ps []catalog.Product) {
	d := b.d
	for _, p := range ps {
		if p.SKU == "" {
			continue
		}
		i := b.item(p.SKU)
		if p.Title != "" {
			d.Titles[i] = p.Title
		}
		d.ItemCat[i] = -1
		if c := p.TopCategory(); c != "" {
			d.ItemCat[i] = intern(b.catIdx, &d.Categories, c)
		}
		d.ItemBrand[i] = -1
		if p.Brand != "" {
			d.ItemBrand[i] = intern(b.brandIdx, &d.Brands, p.Brand)
		}
		d.ItemPrice[i] = p.Price
		d.InCatalog[i] = true
		d.Products[i] = p
	}
}

// AddEvent adds one event. Guest events (no customer) only move LastEvent.
// Purchases with a non-positive amount or a negative quantity are
// adjustments, not sales, and are skipped (counted in Skipped), as the
// common cleaning of order data does. A refund's amount counts as negative
// whatever its stored sign.
func (b *Builder) AddEvent(e event.Event) {
	d := b.d
	b.version.Events++
	b.version.LastEventID = max(b.version.LastEventID, e.ID)
	if e.OccurredAt.After(d.LastEvent) {
		d.LastEvent = e.OccurredAt
	}
	b.addInteraction(e)
	if e.CustomerID == "" {
		return
	}
	at := e.OccurredAt.Unix()
	item := int32(-1)
	switch e.Type {
	case event.Purchase:
		if e.Amount <= 0 || e.Quantity < 0 || math.IsNaN(e.Amount) {
			d.Skipped++
			return
		}
		c := b.customer(e.CustomerID)
		if e.SKU != "" {
			item = b.item(e.SKU)
		}
		k := orderKey{cust: c, order: e.OrderID}
		if e.OrderID == "" {
			k.at = at // without an order id, one checkout is one instant
		}
		o, ok := b.orders[k]
		if !ok {
			o = int32(len(b.orders))
			b.orders[k] = o
		}
		b.lines = append(b.lines, rawLine{cust: c, at: at, item: item, order: o, amount: e.Amount, qty: e.Quantity, kind: kindPurchase})
	case event.Refund:
		c := b.customer(e.CustomerID)
		if e.SKU != "" {
			item = b.item(e.SKU)
		}
		// A refund that names an order shares its number, so that
		// NetOrders can attribute it (the order's purchase lines may come
		// later in the scan; one that never comes leaves the number unused).
		o := int32(-1)
		if e.OrderID != "" {
			k := orderKey{cust: c, order: e.OrderID}
			var ok bool
			if o, ok = b.orders[k]; !ok {
				o = int32(len(b.orders))
				b.orders[k] = o
			}
		}
		b.lines = append(b.lines, rawLine{cust: c, at: at, item: item, order: o, amount: -math.Abs(e.Amount), qty: math.Abs(e.Quantity), kind: kindRefund})
	case event.View, event.Cart:
		if e.SKU == "" {
			return
		}
		c := b.customer(e.CustomerID)
		kind := kindView
		if e.Type == event.Cart {
			kind = kindCart
		}
		b.acts = append(b.acts, rawAct{cust: c, at: at, item: b.item(e.SKU), ch: -1, kind: kind})
	case event.Open, event.Click:
		if e.Channel == "" || e.Properties["machine"] == true {
			return // a machine's open or click (tracking flags them) is no engagement
		}
		c := b.customer(e.CustomerID)
		kind := kindOpen
		if e.Type == event.Click {
			kind = kindClick
		}
		b.acts = append(b.acts, rawAct{cust: c, at: at, item: -1, ch: intern(b.chanIdx, &b.d.Channels, e.Channel), kind: kind})
	}
}

// addInteraction records e for the recommender when it is a purchase,
// refund, view or cart naming a product.
func (b *Builder) addInteraction(e event.Event) {
	var k uint8
	switch e.Type {
	case event.Purchase:
		k = kindPurchase
	case event.Refund:
		k = kindRefund
	case event.View:
		k = kindView
	case event.Cart:
		k = kindCart
	default:
		return
	}
	if e.SKU == "" {
		if k == kindPurchase {
			b.d.NoSKUPurchases++
		}
		return
	}
	c := int32(-1)
	if e.CustomerID != "" {
		c = b.customer(e.CustomerID)
	}
	b.inter = append(b.inter, Interaction{At: e.OccurredAt.Unix(), Customer: c, Item: b.item(e.SKU), Kind: k})
}

// Dataset is the build so far: customers numbered in ascending id order,
// lines grouped by customer and ordered by time. It leaves the Builder as
// it was, so that more customers, products and events may be added and a
// newer Dataset taken (see insight.Service.CatchUp); a Dataset taken
// earlier is not changed.
func (b *Builder) Dataset() *Dataset {
	src := b.d
	n := len(src.Customers)
	d := &Dataset{
		custIdx: make(map[string]int32, n), itemIdx: maps.Clone(src.itemIdx),
		Items: slices.Clone(src.Items), Titles: slices.Clone(src.Titles), ItemCat: slices.Clone(src.ItemCat),
		ItemBrand: slices.Clone(src.ItemBrand), ItemPrice: slices.Clone(src.ItemPrice), InCatalog: slices.Clone(src.InCatalog),
		Products: slices.Clone(src.Products), NoSKUPurchases: src.NoSKUPurchases,
		Categories: slices.Clone(src.Categories), Brands: slices.Clone(src.Brands), Channels: slices.Clone(src.Channels),
		LastEvent: src.LastEvent, Skipped: src.Skipped, Version: b.version,
	}
	// perm[new] = old, ascending by id.
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	keys := make([]idKey, n)
	for i, id := range src.Customers {
		keys[i] = makeIDKey(id)
	}
	slices.SortFunc(perm, func(x, y int32) int { return keys[x].compare(keys[y]) })
	newOf := make([]int32, n)
	ids := make([]string, n)
	for nw, old := range perm {
		newOf[old] = int32(nw)
		ids[nw] = src.Customers[old]
	}
	d.Customers = ids
	for i, id := range ids {
		d.custIdx[id] = int32(i)
	}
	d.Language = make([]string, n)
	d.Granted = make([]uint8, n)
	for i, id := range ids {
		d.Language[i] = b.langs[id]
		if st := b.consents[id]; st != nil {
			for bit, ch := range consentChannels {
				if st.Granted(ch, customer.PurposeMarketing) {
					d.Granted[i] |= 1 << bit
				}
			}
		}
	}
	lines := slices.Clone(b.lines)
	for i := range lines {
		lines[i].cust = newOf[lines[i].cust]
	}
	acts := slices.Clone(b.acts)
	for i := range acts {
		acts[i].cust = newOf[acts[i].cust]
	}
	inter := slices.Clone(b.inter)
	for i := range inter {
		if inter[i].Customer >= 0 {
			inter[i].Customer = newOf[inter[i].Customer]
		}
	}
	slices.SortStableFunc(inter, func(x, y Interaction) int { return cmp.Compare(x.At, y.At) })
	d.interactions = inter
	// Stable sorts keep the scan order (time, then id) within a customer;
	// sort by time too in case a source delivers out of order.
	slices.SortStableFunc(lines, func(x, y rawLine) int {
		return cmp.Or(cmp.Compare(x.cust, y.cust), cmp.Compare(x.at, y.at))
	})
	slices.SortStableFunc(acts, func(x, y rawAct) int {
		return cmp.Or(cmp.Compare(x.cust, y.cust), cmp.Compare(x.at, y.at))
	})
	d.lineStart = make([]int32, n+1)
	m := len(lines)
	d.lineAt = make([]int64, m)
	d.lineItem = make([]int32, m)
	d.lineOrder = make([]int32, m)
	d.lineAmount = make([]float64, m)
	d.lineQty = make([]float64, m)
	d.lineKind = make([]uint8, m)
	for i, l := range lines {
		d.lineStart[l.cust+1]++
		d.lineAt[i], d.lineItem[i], d.lineOrder[i] = l.at, l.item, l.order
		d.lineAmount[i], d.lineQty[i], d.lineKind[i] = l.amount, l.qty, l.kind
	}
	d.actStart = make([]int32, n+1)
	m = len(acts)
	d.actAt = make([]int64, m)
	d.actItem = make([]int32, m)
	d.actChan = make([]int32, m)
	d.actKind = make([]uint8, m)
	for i, a := range acts {
		d.actStart[a.cust+1]++
		d.actAt[i], d.actItem[i], d.actChan[i], d.actKind[i] = a.at, a.item, a.ch, a.kind
	}
	for c := range n {
		d.lineStart[c+1] += d.lineStart[c]
		d.actStart[c+1] += d.actStart[c]
	}
	d.nOrders = len(b.orders)
	// Orders counts orders with a purchase line; a refund may have
	// numbered an order whose purchase is not in the data.
	bought := make([]bool, d.nOrders)
	for i, k := range d.lineKind {
		if k == kindPurchase && !bought[d.lineOrder[i]] {
			bought[d.lineOrder[i]] = true
			d.nPurchaseOrders++
		}
	}
	return d
}

// consentChannels are the channels tracked in Dataset.Granted, in the
// order used as the preferred-channel fallback (most direct first).
var consentChannels = []string{customer.ChannelWeChat, customer.ChannelEmail, customer.ChannelSMS, customer.ChannelPush, customer.ChannelSocial, customer.ChannelPhone}

// CompareIDs orders customer ids: two ids that are both numbers compare as
// numbers (pandas sorts a float CustomerID column numerically), numbers
// sort before other ids, and other ids compare as strings.
func CompareIDs(a, b string) int { return makeIDKey(a).compare(makeIDKey(b)) }

// idKey is an id with its numeric value parsed once, for sorting.
type idKey struct {
	s     string
	num   float64
	isNum bool
}

func makeIDKey(s string) idKey {
	f, err := strconv.ParseFloat(s, 64)
	return idKey{s: s, num: f, isNum: err == nil && !math.IsNaN(f)}
}

func (a idKey) compare(b idKey) int {
	switch {
	case a.isNum && b.isNum:
		return cmp.Or(cmp.Compare(a.num, b.num), cmp.Compare(a.s, b.s))
	case a.isNum:
		return -1
	case b.isNum:
		return 1
	}
	return cmp.Compare(a.s, b.s)
}
