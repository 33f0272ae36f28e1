package tracking

import (
	"encoding/json"
	"slices"
	"sort"
	"time"

	"github.com/chorusmkt/chorus/internal/config"
)

// Touch is a human click or open of a customer on a send.
type Touch struct {
	CustomerID string
	SendID     int64
	Kind       string // KindClick or KindOpen
	At         time.Time
}

// Order is one purchase order of a customer with the refunds attributed
// to it subtracted (NetRevenue): the unit attribution credits.
type Order struct {
	CustomerID string
	// ID is the order id ("" for a line without one: one checkout).
	ID    string
	At    time.Time
	Gross float64
	// Net is Gross minus the refunds attributed to the order; never
	// negative.
	Net float64
	// Cancelled is set when the refunds took (nearly) all of the order:
	// it is no conversion.
	Cancelled bool
}

// Rule says which purchases a touch is credited with.
type Rule struct {
	// Window: a purchase is credited to the customer's last human click
	// at most Window before it.
	Window time.Duration `json:"window"`
	// ViewThrough: a purchase with no click in Window is credited to the
	// last human open at most ViewWindow before it.
	ViewThrough bool          `json:"view_through"`
	ViewWindow  time.Duration `json:"view_window,omitempty"`
}

// ruleJSON is Rule as JSON: windows as durations people read ("168h0m0s")
// and in seconds.
type ruleJSON struct {
	Window            string `json:"window"`
	WindowSeconds     int64  `json:"window_seconds"`
	ViewThrough       bool   `json:"view_through"`
	ViewWindow        string `json:"view_window,omitempty"`
	ViewWindowSeconds int64  `json:"view_window_seconds,omitempty"`
}

// MarshalJSON writes the windows as durations and seconds.
func (r Rule) MarshalJSON() ([]byte, error) {
	j := ruleJSON{Window: r.Window.String(), WindowSeconds: int64(r.Window / time.Second), ViewThrough: r.ViewThrough}
	if r.ViewThrough {
		j.ViewWindow, j.ViewWindowSeconds = r.ViewWindow.String(), int64(r.ViewWindow/time.Second)
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *Rule) UnmarshalJSON(b []byte) error {
	var j ruleJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = Rule{Window: time.Duration(j.WindowSeconds) * time.Second, ViewThrough: j.ViewThrough,
		ViewWindow: time.Duration(j.ViewWindowSeconds) * time.Second}
	return nil
}

// RuleFromConfig is the rule of tracking.attribution.
func RuleFromConfig(a config.Attribution) Rule {
	r := Rule{Window: a.Window.Std(), ViewThrough: a.ViewThrough}
	if r.ViewThrough {
		r.ViewWindow = a.ViewWindow.Std()
	}
	return r
}

// How a credit was earned.
const (
	ByClick = "click"
	ByView  = "view"
)

// Credit is an order credited to the send of a touch.
type Credit struct {
	Order  Order
	SendID int64
	By     string // ByClick or ByView
}

// Attribute credits each order that is not cancelled to the last human
// click of its customer at most r.Window before it (a click at the same
// instant counts), on any campaign; with view-through, an order with no
// such click goes to the last human open within r.ViewWindow. Orders with
// neither are not credited. Touches and orders may come in any order;
// the credits follow the orders' order.
func Attribute(orders []Order, touches []Touch, r Rule) []Credit {
	type touch struct {
		at   time.Time
		send int64
	}
	clicks, opens := map[string][]touch{}, map[string][]touch{}
	for _, t := range touches {
		m := clicks
		if t.Kind == KindOpen {
			if !r.ViewThrough {
				continue
			}
			m = opens
		} else if t.Kind != KindClick {
			continue
		}
		m[t.CustomerID] = append(m[t.CustomerID], touch{t.At, t.SendID})
	}
	for _, m := range []map[string][]touch{clicks, opens} {
		for _, ts := range m {
			slices.SortStableFunc(ts, func(a, b touch) int { return a.at.Compare(b.at) })
		}
	}
	// last returns the latest touch in [at-window, at].
	last := func(ts []touch, at time.Time, window time.Duration) (touch, bool) {
		i := sort.Search(len(ts), func(i int) bool { return ts[i].at.After(at) })
		if i == 0 {
			return touch{}, false
		}
		t := ts[i-1]
		if at.Sub(t.at) > window {
			return touch{}, false
		}
		return t, true
	}
	var out []Credit
	for _, o := range orders {
		if o.Cancelled {
			continue
		}
		if t, ok := last(clicks[o.CustomerID], o.At, r.Window); ok {
			out = append(out, Credit{Order: o, SendID: t.send, By: ByClick})
			continue
		}
		if r.ViewThrough {
			if t, ok := last(opens[o.CustomerID], o.At, r.ViewWindow); ok {
				out = append(out, Credit{Order: o, SendID: t.send, By: ByView})
			}
		}
	}
	return out
}
