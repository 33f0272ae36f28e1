package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/insight"
)

// StoryStore is what the seed persona's story reads.
type StoryStore interface {
	GetCustomer(ctx context.Context, id string) (customer.Customer, error)
	ListProducts(ctx context.Context) ([]catalog.Product, error)
	ScanEvents(ctx context.Context, f event.Filter, fn func(event.Event) error) error
	Consents(ctx context.Context, customerID string) ([]customer.Consent, error)
}

// Story is the seed persona as the demo tells it: who she is, what she
// bought, where she may be contacted, what she left in her cart.
type Story struct {
	Customer customer.Customer
	// Orders, Net and LastOrder are her insight metrics.
	Orders    int
	Net       float64
	LastOrder time.Time
	// Bought are the titles she bought, in the order she first bought
	// them.
	Bought []string
	// Allowed are the channels she allows marketing on.
	Allowed []string
	// CartTitle and CartAt are the camera bag when she left it in her cart
	// without buying it ("" otherwise).
	CartTitle string
	CartAt    time.Time
}

// TellStory reads the seed persona's story from the store and her
// metrics m (insight.Service) for the shop in rep.
func TellStory(ctx context.Context, st StoryStore, rep Report, m insight.Metrics) (Story, error) {
	c, err := st.GetCustomer(ctx, rep.SeedPersonaID)
	if err != nil {
		return Story{}, err
	}
	s := Story{Customer: c, Orders: m.Orders, Net: m.Revenue, LastOrder: m.LastPurchase}
	ps, err := st.ListProducts(ctx)
	if err != nil {
		return Story{}, err
	}
	titles := map[string]string{}
	for _, p := range ps {
		titles[p.SKU] = p.Title
	}
	carted := map[string]time.Time{}
	boughtSKU := map[string]bool{}
	err = st.ScanEvents(ctx, event.Filter{CustomerID: c.ID, Types: []string{event.Purchase, event.Cart}, Since: rep.Start, Until: rep.End},
		func(e event.Event) error {
			switch e.Type {
			case event.Purchase:
				boughtSKU[e.SKU] = true
				if !slices.Contains(s.Bought, titles[e.SKU]) {
					s.Bought = append(s.Bought, titles[e.SKU])
				}
			case event.Cart:
				carted[e.SKU] = e.OccurredAt
			}
			return nil
		})
	if err != nil {
		return Story{}, err
	}
	ledger, err := st.Consents(ctx, c.ID)
	if err != nil {
		return Story{}, err
	}
	state := customer.CurrentConsent(ledger)
	for _, ch := range []string{customer.ChannelWeChat, customer.ChannelSMS, customer.ChannelEmail, customer.ChannelPush} {
		if state.Granted(ch, customer.PurposeMarketing) {
			s.Allowed = append(s.Allowed, ch)
		}
	}
	if at, ok := carted[rep.CameraBagSKU]; ok && !boughtSKU[rep.CameraBagSKU] {
		s.CartTitle, s.CartAt = titles[rep.CameraBagSKU], at
	}
	return s, nil
}

// Segment is one saved segment the demo creates, so that the campaign
// step and `chorus segment list` have something real to work on.
type Segment struct {
	Name, Expression, Description string
}

// Segments are written against the demo shop's bilingual categories
// (摄影 and Photography are the same line in the two markets).
var Segments = []Segment{
	{"vip", `rfm.segment in ["champions", "loyal_customers"]`,
		"best customers 高价值客户: champions and loyal customers"},
	{"win_back", `rfm.segment in ["at_risk", "cant_loose", "about_to_sleep"] && (consent.email || consent.sms)`,
		"slipping customers we may still contact 流失预警且可触达"},
	{"photo_lovers", `affinity["摄影"] > 0.3 || affinity["Photography"] > 0.3`,
		"customers whose purchases lean to photography 摄影爱好者"},
}

// VerifyStore is what Verify reads.
type VerifyStore interface {
	CountCustomers(ctx context.Context) (int, error)
	ListProducts(ctx context.Context) ([]catalog.Product, error)
	CountEvents(ctx context.Context, f event.Filter) (int, error)
}

// EventTypes are the event types the demo writes, in the order it reports
// them.
var EventTypes = []string{event.View, event.Cart, event.Purchase, event.Refund, event.Open, event.Click, event.Unsubscribe}

// Verification is what the store holds of a built shop.
type Verification struct {
	Customers, Products int
	Events              map[string]int // by type, in the shop's window
	// Missing lists what the store lacks of rep ("purchase (10 of 12)").
	Missing []string
}

// Complete reports whether the store holds all of rep.
func (v Verification) Complete(rep Report) bool {
	return v.Customers >= rep.Customers && v.Products >= rep.Products && len(v.Missing) == 0
}

// Verify reads the shop back through the store, so that a summary is
// proof of what is stored rather than of what was generated.
func Verify(ctx context.Context, st VerifyStore, rep Report) (Verification, error) {
	var v Verification
	var err error
	if v.Customers, err = st.CountCustomers(ctx); err != nil {
		return v, err
	}
	ps, err := st.ListProducts(ctx)
	if err != nil {
		return v, err
	}
	v.Products = len(ps)
	v.Events = map[string]int{}
	for _, t := range EventTypes {
		n, err := st.CountEvents(ctx, event.Filter{Since: rep.Start, Until: rep.End, Types: []string{t}})
		if err != nil {
			return v, err
		}
		v.Events[t] = n
		if n < rep.EventsByType[t] {
			v.Missing = append(v.Missing, fmt.Sprintf("%s (%d of %d)", t, n, rep.EventsByType[t]))
		}
	}
	return v, nil
}
