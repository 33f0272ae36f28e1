package support

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
)

// Order is what the events say about one order.
type Order struct {
	ID         string      `json:"id"`
	CustomerID string      `json:"-"` // never shown; it decides who may see the order
	PlacedAt   time.Time   `json:"placed_at"`
	Lines      []OrderLine `json:"lines"`
	Currency   string      `json:"currency"`
	Total      float64     `json:"total"`
	Refunded   float64     `json:"refunded,omitempty"` // positive
	RefundedAt time.Time   `json:"refunded_at,omitzero"`
	Status     string      `json:"status"` // paid, partly_refunded, refunded
	// Carrier and Tracking come from the purchase events' properties when
	// the shop's system sends them.
	Carrier  string `json:"carrier,omitempty"`
	Tracking string `json:"tracking,omitempty"`
	Shipping string `json:"shipping_status,omitempty"`
	// Email and Phone are the contact a guest checkout (an order without
	// a customer) gave, from its purchase events' properties; never
	// shown, they verify the order as a customer's record does hers.
	Email string `json:"-"`
	Phone string `json:"-"`
}

// OrderLine is one product of an order.
type OrderLine struct {
	SKU      string  `json:"sku"`
	Title    string  `json:"title,omitempty"`
	Quantity float64 `json:"quantity"`
	Amount   float64 `json:"amount"`
}

// Order statuses derived from the events.
const (
	OrderPaid           = "paid"
	OrderPartlyRefunded = "partly_refunded"
	OrderRefunded       = "refunded"
)

// OrderFromEvents folds an order's purchase and refund events.
func OrderFromEvents(es []event.Event) Order {
	var o Order
	for _, e := range es {
		if o.ID == "" {
			o.ID, o.CustomerID = e.OrderID, e.CustomerID
		}
		if o.Currency == "" {
			o.Currency = e.Currency
		}
		switch e.Type {
		case event.Purchase:
			if o.PlacedAt.IsZero() || e.OccurredAt.Before(o.PlacedAt) {
				o.PlacedAt = e.OccurredAt
			}
			o.Lines = append(o.Lines, OrderLine{SKU: e.SKU, Quantity: e.Quantity, Amount: e.Amount})
			o.Total += e.Amount
			// in this order: of two names for one field, the first wins
			for _, f := range []struct {
				key string
				dst *string
			}{{"carrier", &o.Carrier}, {"tracking", &o.Tracking}, {"tracking_number", &o.Tracking},
				{"shipping_status", &o.Shipping}, {"status", &o.Shipping}, {"email", &o.Email}, {"phone", &o.Phone}} {
				if v, ok := e.Properties[f.key].(string); ok && v != "" && *f.dst == "" {
					*f.dst = v
				}
			}
		case event.Refund:
			o.Refunded += -e.Amount
			if e.OccurredAt.After(o.RefundedAt) {
				o.RefundedAt = e.OccurredAt
			}
		}
	}
	o.Total = math.Round(o.Total*100) / 100
	o.Refunded = math.Round(o.Refunded*100) / 100
	switch {
	case o.Refunded <= 0:
		o.Status = OrderPaid
	case o.Refunded >= o.Total-0.005:
		o.Status = OrderRefunded
	default:
		o.Status = OrderPartlyRefunded
	}
	return o
}

// Verify reports whether the proof given matches the order's customer:
// her e-mail (case and spaces ignored) or the last 4 digits of her phone.
func Verify(c customer.Customer, emails []string, last4 string) bool {
	if c.Email != "" {
		for _, e := range emails {
			if strings.EqualFold(strings.TrimSpace(e), strings.TrimSpace(c.Email)) {
				return true
			}
		}
	}
	if last4 != "" && len(last4) == 4 {
		d := digits(c.Phone)
		if len(d) >= 4 && d[len(d)-4:] == last4 {
			return true
		}
	}
	return false
}

// verifiable reports whether the order has someone to verify against:
// its customer, or the contact its guest checkout gave.
func (o Order) verifiable() bool {
	return o.CustomerID != "" || o.Email != "" || o.Phone != ""
}

// owner is who the order's proof is checked against: its customer's
// record, or for a guest checkout the contact on the order. Errors are
// the store's (NotFound for a customer since deleted).
func (o Order) owner(ctx context.Context, st Store) (customer.Customer, error) {
	if o.CustomerID == "" {
		return customer.Customer{Email: o.Email, Phone: o.Phone}, nil
	}
	return st.GetCustomer(ctx, o.CustomerID)
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range foldWidth(s) {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// loadOrder reads an order with its product titles.
func loadOrder(ctx context.Context, st Store, id string) (Order, error) {
	es, err := st.OrderEvents(ctx, id)
	if err != nil {
		return Order{}, err
	}
	o := OrderFromEvents(es)
	for i := range o.Lines {
		if p, err := st.GetProduct(ctx, o.Lines[i].SKU); err == nil {
			o.Lines[i].Title = p.Title
		} else if !apperr.Is(err, apperr.NotFound) {
			return o, err
		}
	}
	return o, nil
}

// describe writes the order in one or two sentences, with every number
// taken from the order itself; facts are the same numbers as grounding
// sources.
func (o Order) describe(lang string, loc *time.Location) (text string, facts []string) {
	ph := phrasesFor(lang)
	if loc == nil {
		loc = time.UTC
	}
	day := o.PlacedAt.In(loc).Format(time.DateOnly)
	var b strings.Builder
	fmt.Fprintf(&b, ph.orderHead, o.ID, day)
	var items []string
	n := 0.0
	lines := append([]OrderLine(nil), o.Lines...)
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].Amount > lines[j].Amount })
	for _, l := range lines {
		name := l.Title
		if name == "" {
			name = l.SKU
		}
		items = append(items, fmt.Sprintf("%s ×%s", name, trimFloat(l.Quantity)))
		n += l.Quantity
	}
	fmt.Fprintf(&b, ph.orderItems, int(n), strings.Join(items, ph.listSep))
	facts = append(facts, fmt.Sprintf("%d 件", int(n)), fmt.Sprintf("%d items", int(n)))
	fmt.Fprintf(&b, ph.orderTotal, content.FormatPrice(o.Total, o.Currency))
	facts = append(facts, day, content.FormatPrice(o.Total, o.Currency))
	switch o.Status {
	case OrderPaid:
		b.WriteString(ph.orderPaid)
	case OrderRefunded, OrderPartlyRefunded:
		f := ph.orderPartRefund
		if o.Status == OrderRefunded {
			f = ph.orderRefunded
		}
		rday := o.RefundedAt.In(loc).Format(time.DateOnly)
		fmt.Fprintf(&b, f, rday, content.FormatPrice(o.Refunded, o.Currency))
		facts = append(facts, rday, content.FormatPrice(o.Refunded, o.Currency))
	}
	if o.Tracking != "" {
		fmt.Fprintf(&b, ph.orderTracking, o.Carrier, o.Tracking)
	} else {
		b.WriteString(ph.orderNoTracking)
	}
	b.WriteString(ph.sentenceEnd)
	for _, l := range o.Lines {
		facts = append(facts, content.FormatPrice(l.Amount, o.Currency), trimFloat(l.Quantity))
	}
	return b.String(), facts
}

func trimFloat(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%.2f", v)
}
