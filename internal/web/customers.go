package web

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/insight"
)

// customerPage is how many customers a page of the list shows.
const customerPage = 50

// searchWindow is how many customers one search request examines.
const searchWindow = 5000

type customersView struct {
	Query string
	// Searched is the last id a search examined, and Partial says the
	// page holds fewer than a page of matches because the window ended
	// there (the next link searches on).
	Searched string
	Partial  bool
	Rows     []customerRow
	Next     string // the next page's URL, "" on the last
	First    bool
}

type customerRow struct {
	ID, Name, Email, City, Country, Language string
}

// Customers lists customers in id order, a keyset page at a time
// (?after=ID), matching ?q= (an id prefix, or part of a name, email or
// phone).
func (c *Console) Customers(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if utf8.RuneCountInString(q) > 100 {
		return apperr.New(apperr.Invalid, "the search may hold at most 100 characters")
	}
	after := r.URL.Query().Get("after")
	v := customersView{Query: q, First: after == ""}
	var cs []customer.Customer
	var next string
	var err error
	if q == "" {
		cs, err = c.deps.App.Store.SearchCustomers(r.Context(), customer.Search{After: after, Limit: customerPage + 1})
		if len(cs) > customerPage {
			cs = cs[:customerPage]
			next = cs[len(cs)-1].ID
		}
	} else {
		// A substring has no index: each request examines one window of
		// customers, and the next link continues after it.
		cs, next, err = c.deps.App.Store.SearchCustomerWindow(r.Context(), customer.Search{After: after, Limit: customerPage, Query: q}, searchWindow)
		v.Searched, v.Partial = next, next != "" && len(cs) < customerPage
	}
	if err != nil {
		return err
	}
	if next != "" {
		nv := url.Values{"after": {next}}
		if q != "" {
			nv.Set("q", q)
		}
		v.Next = "/customers?" + nv.Encode()
	}
	for _, x := range cs {
		v.Rows = append(v.Rows, customerRow{ID: x.ID, Name: x.Name, Email: x.Email, City: x.City, Country: x.Country, Language: x.Language})
	}
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "customer-rows" {
		return c.Fragment(w, r, "customers", "rows", v)
	}
	return c.Render(w, r, "customers", "nav.customers", v)
}

// timelineLen is how many of a customer's latest events the profile
// shows.
const timelineLen = 50

type profileView struct {
	ID, Name, Email, Phone, City, Country string
	Profile                               insight.Profile
	Notes                                 []string
	Stats                                 []stat
	Consents                              []consentRow
	Ledger                                []customer.Consent
	Events                                []eventRow
	MoreEvents                            bool
}

type stat struct {
	Key   string // catalogue key
	Value string
}

type consentRow struct {
	Channel, Purpose, Status, At string
}

type eventRow struct {
	At, Type, SKU, Amount, Channel, Campaign string
}

// CustomerProfile is customer {id}'s profile (画像): RFM, lifecycle,
// CLV, affinities, recommendations with their reasons, the consent
// ledger and her latest events, from the services `chorus profile`
// uses.
func (c *Console) CustomerProfile(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := r.PathValue("id")
	ap := c.deps.App
	cu, err := ap.Store.GetCustomer(ctx, id)
	if err != nil {
		return err
	}
	req, err := ap.ProfileRequest(ctx, ap.Insight.Options(), 5)
	if err != nil {
		return err
	}
	p, notes, err := ap.Insight.Explain(ctx, id, ap.Insight.Configured(req))
	if err != nil {
		return err
	}
	v := profileView{ID: cu.ID, Name: cu.Name, Email: cu.Email, Phone: cu.Phone, City: cu.City, Country: cu.Country, Profile: p, Notes: notes}
	for _, k := range []string{"r", "f", "m", "recency_days", "orders", "revenue", "avg_order_value", "clv", "p_alive", "expected_purchases", "clv_horizon_days"} {
		if x, ok := p.Stats[k]; ok {
			v.Stats = append(v.Stats, stat{"profile.stat." + k, trimNumber(x)})
		}
	}
	if v.Ledger, err = ap.Store.Consents(ctx, id); err != nil {
		return err
	}
	slices.SortStableFunc(v.Ledger, func(a, b customer.Consent) int { return b.At.Compare(a.At) })
	state := customer.CurrentConsent(v.Ledger)
	for _, k := range slices.Sorted(maps.Keys(state)) {
		s := state[k]
		v.Consents = append(v.Consents, consentRow{s.Channel, s.Purpose, s.Status, s.At.Format("2006-01-02 15:04")})
	}
	if v.Events, v.MoreEvents, err = c.latestEvents(ctx, id); err != nil {
		return err
	}
	return c.Render(w, r, "customers_profile", "profile.title", v)
}

// latestEvents are the customer's newest timelineLen events, newest
// first, and whether there are older ones.
func (c *Console) latestEvents(ctx context.Context, id string) ([]eventRow, bool, error) {
	ring := make([]event.Event, 0, timelineLen)
	seen := 0
	err := c.deps.App.Store.ScanEvents(ctx, event.Filter{CustomerID: id}, func(e event.Event) error {
		if len(ring) < timelineLen {
			ring = append(ring, e)
		} else {
			ring[seen%timelineLen] = e
		}
		seen++
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	slices.SortStableFunc(ring, func(a, b event.Event) int { return b.OccurredAt.Compare(a.OccurredAt) })
	out := make([]eventRow, len(ring))
	for i, e := range ring {
		amt := ""
		if e.Amount != 0 {
			amt = strings.TrimSpace(fmt.Sprintf("%.2f %s", e.Amount, e.Currency))
		}
		out[i] = eventRow{At: e.OccurredAt.UTC().Format("2006-01-02 15:04"), Type: e.Type, SKU: e.SKU, Amount: amt, Channel: e.Channel, Campaign: e.Campaign}
	}
	return out, seen > timelineLen, nil
}

func trimNumber(x float64) string {
	if x == float64(int64(x)) {
		return fmt.Sprintf("%d", int64(x))
	}
	return fmt.Sprintf("%.2f", x)
}
