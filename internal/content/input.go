package content

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/recommend"
)

// ProfileSource gives the PII-free profile (画像) of a customer; the
// insight area implements it. NotFound for an unknown customer.
type ProfileSource interface {
	Profile(ctx context.Context, customerID string) (insight.Profile, error)
}

// Recommender ranks products for a customer; the recommend area
// implements it.
type Recommender interface {
	Recommend(ctx context.Context, customerID string, n int) ([]recommend.Item, error)
}

// Audience resolves a segment name to its members; the segment area
// implements it. An unknown segment is a NotFound error.
type Audience interface {
	Members(ctx context.Context, segment string) ([]string, error)
}

// Catalog is the product lookup the studio needs.
type Catalog interface {
	GetProduct(ctx context.Context, sku string) (catalog.Product, error)
	ListProducts(ctx context.Context) ([]catalog.Product, error)
}

// Customers is the customer lookup the studio needs (first names for slot
// filling, language).
type Customers interface {
	GetCustomer(ctx context.Context, id string) (customer.Customer, error)
}

// FallbackStore is what the fallback inputs read.
type FallbackStore interface {
	ListCustomers(ctx context.Context, fn func(customer.Customer) error) error
	ScanEvents(ctx context.Context, f event.Filter, fn func(event.Event) error) error
	ListProducts(ctx context.Context) ([]catalog.Product, error)
}

// Fallback is the studio's own minimal profile, recommendation and
// audience source, used only where the insight, recommend or segment
// areas are not wired: profiles from customer fields plus purchase, cart
// and view events; recommendations by popularity inside the customer's
// top category (products she has not bought first); segments as customer
// tags (and "all"). It loads everything once, on first use.
type Fallback struct {
	Store FallbackStore
	Now   func() time.Time

	once     sync.Once
	err      error
	products map[string]catalog.Product
	custs    map[string]customer.Customer
	order    []string
	catCount map[string]map[string]float64 // customer -> category -> weight
	bought   map[string]map[string]bool
	pop      map[string]float64 // sku -> weight
	recent   map[string][]string
}

func (f *Fallback) load(ctx context.Context) error {
	f.once.Do(func() {
		f.products = map[string]catalog.Product{}
		f.custs = map[string]customer.Customer{}
		f.catCount = map[string]map[string]float64{}
		f.bought = map[string]map[string]bool{}
		f.pop = map[string]float64{}
		f.recent = map[string][]string{}
		ps, err := f.Store.ListProducts(ctx)
		if err != nil {
			f.err = err
			return
		}
		for _, p := range ps {
			f.products[p.SKU] = p
		}
		if f.err = f.Store.ListCustomers(ctx, func(c customer.Customer) error {
			f.custs[c.ID] = c
			f.order = append(f.order, c.ID)
			return nil
		}); f.err != nil {
			return
		}
		weights := map[string]float64{event.Purchase: 3, event.Cart: 2, event.View: 1}
		f.err = f.Store.ScanEvents(ctx, event.Filter{Types: []string{event.Purchase, event.Cart, event.View}}, func(e event.Event) error {
			p, ok := f.products[e.SKU]
			if !ok || e.CustomerID == "" {
				return nil
			}
			w := weights[e.Type]
			f.pop[e.SKU] += w
			if f.catCount[e.CustomerID] == nil {
				f.catCount[e.CustomerID] = map[string]float64{}
				f.bought[e.CustomerID] = map[string]bool{}
			}
			if c := p.TopCategory(); c != "" {
				f.catCount[e.CustomerID][c] += w
			}
			if e.Type == event.Purchase {
				f.bought[e.CustomerID][e.SKU] = true
				r := append([]string{p.Title}, f.recent[e.CustomerID]...)
				f.recent[e.CustomerID] = r[:min(len(r), 5)]
			}
			return nil
		})
	})
	return f.err
}

// Profile implements ProfileSource from customer fields and events.
func (f *Fallback) Profile(ctx context.Context, id string) (insight.Profile, error) {
	if err := f.load(ctx); err != nil {
		return insight.Profile{}, err
	}
	c, ok := f.custs[id]
	if !ok {
		return insight.Profile{}, apperr.New(apperr.NotFound, "customer %q not found", id)
	}
	now := time.Now()
	if f.Now != nil {
		now = f.Now()
	}
	p := insight.Profile{Language: c.Language, Gender: c.Gender, Occupation: c.Occupation, City: c.City,
		Country: c.Country, Interests: c.Interests, RecentPurchases: f.recent[id]}
	if a := c.Age(now); a > 0 {
		p.AgeBand = AgeBand(a)
	}
	p.Segment = segmentOf(c)
	for _, w := range topWeighted(f.catCount[id], 3) {
		p.TopCategories = append(p.TopCategories, w)
	}
	return p, nil
}

// Recommend implements Recommender by in-category popularity.
func (f *Fallback) Recommend(ctx context.Context, id string, n int) ([]recommend.Item, error) {
	if err := f.load(ctx); err != nil {
		return nil, err
	}
	cats := topWeighted(f.catCount[id], 3)
	c := f.custs[id]
	interest := ""
	if len(c.Interests) > 0 {
		interest = strings.ToLower(c.Interests[0])
	}
	type cand struct {
		sku   string
		score float64
	}
	var cs []cand
	for sku, p := range f.products {
		if !p.Active && p.Stock == 0 && p.Price == 0 {
			continue
		}
		s := f.pop[sku] + 1
		top := strings.ToLower(p.TopCategory())
		for i, w := range cats {
			if strings.EqualFold(w.Name, p.TopCategory()) {
				s *= 10 / float64(i+1)
			}
		}
		if interest != "" && (strings.Contains(top, interest) || slices.ContainsFunc(p.Tags, func(t string) bool { return strings.EqualFold(t, interest) })) {
			s *= 5
		}
		if f.bought[id][sku] {
			s /= 4
		}
		cs = append(cs, cand{sku, s})
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].score != cs[j].score {
			return cs[i].score > cs[j].score
		}
		return cs[i].sku < cs[j].sku
	})
	var out []recommend.Item
	for _, x := range cs[:min(n, len(cs))] {
		out = append(out, recommend.Item{SKU: x.sku, Title: f.products[x.sku].Title, Score: x.score,
			Reason: "popular in your favourite category", Source: "content-fallback"})
	}
	return out, nil
}

// Members implements Audience: "all" is every customer, any other name the
// customers tagged with it (or whose attrs.segment is it).
func (f *Fallback) Members(ctx context.Context, segment string) ([]string, error) {
	if err := f.load(ctx); err != nil {
		return nil, err
	}
	var out []string
	for _, id := range f.order {
		c := f.custs[id]
		if segment == "all" || slices.Contains(c.Tags, segment) || segmentOf(c) == segment {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		return nil, apperr.New(apperr.NotFound, "no saved segment, customer tag or attrs.segment is called %q (\"all\" means every customer; see chorus segment list)", segment)
	}
	return out, nil
}

func segmentOf(c customer.Customer) string {
	if s, ok := c.Attrs["segment"].(string); ok {
		return s
	}
	return ""
}

// AgeBand buckets an age into five-year bands ("25-29").
func AgeBand(age int) string {
	if age <= 0 {
		return ""
	}
	lo := age / 5 * 5
	return itoa(lo) + "-" + itoa(lo+4)
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	return string(b[n:])
}

func topWeighted(m map[string]float64, n int) []insight.Weighted {
	total := 0.0
	var ws []insight.Weighted
	for k, v := range m {
		total += v
		ws = append(ws, insight.Weighted{Name: k, Weight: v})
	}
	sort.Slice(ws, func(i, j int) bool {
		if ws[i].Weight != ws[j].Weight {
			return ws[i].Weight > ws[j].Weight
		}
		return ws[i].Name < ws[j].Name
	})
	for i := range ws {
		ws[i].Weight /= total
	}
	return ws[:min(n, len(ws))]
}
