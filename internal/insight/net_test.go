package insight

import (
	"math"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/event"
)

func TestNetOrdersAttributesRefunds(t *testing.T) {
	p := func(at int64, order, item int, amount float64) OrderLine {
		return OrderLine{At: at, Order: order, Item: item, Amount: amount}
	}
	r := func(at int64, order, item int, amount float64) OrderLine {
		return OrderLine{At: at, Order: order, Item: item, Amount: amount, Refund: true}
	}
	cases := []struct {
		name  string
		lines []OrderLine
		net   []float64 // by order, in first-line order
		unatt float64
	}{
		{"no refunds", []OrderLine{p(1, 0, 1, 10), p(1, 0, 2, 5), p(2, 1, 1, 7)}, []float64{15, 7}, 0},
		// Online Retail 16446: a £168,469.60 order cancelled by an invoice
		// of its own the same day; the £2.90 order months before stays.
		{"cancellation by product", []OrderLine{p(1, 0, 5, 2.90), p(9, 1, 7, 168469.60), r(10, -1, 7, -168469.60)}, []float64{2.90, 0}, 0},
		{"named order first", []OrderLine{p(1, 0, 1, 10), p(2, 1, 1, 10), r(3, 0, 1, -4)}, []float64{6, 10}, 0},
		{"named order, other product", []OrderLine{p(1, 0, 1, 10), p(2, 1, 2, 10), r(3, 0, 2, -4)}, []float64{6, 10}, 0},
		{"product spills to an earlier order", []OrderLine{p(1, 0, 1, 10), p(2, 1, 1, 5), r(3, -1, 1, -12)}, []float64{3, 0}, 0},
		{"product line caps the take", []OrderLine{p(1, 0, 1, 10), p(2, 1, 1, 5), p(2, 1, 2, 50), r(3, -1, 1, -12)}, []float64{3, 50}, 0},
		{"no product: latest order", []OrderLine{p(1, 0, 1, 10), p(2, 1, 2, 5), r(3, -1, -1, -7)}, []float64{8, 0}, 0},
		{"refund before any purchase", []OrderLine{r(1, -1, 1, -8), p(2, 0, 1, 5)}, []float64{5}, -8},
		{"over-refund is unattributed", []OrderLine{p(1, 0, 1, 10), r(3, -1, 1, -15)}, []float64{0}, -5},
		{"refund sign does not matter", []OrderLine{p(1, 0, 1, 10), r(3, 0, 1, 4)}, []float64{6}, 0},
		{"never a later order", []OrderLine{r(1, -1, 1, -3), p(2, 0, 1, 10)}, []float64{10}, -3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			orders, un := NetOrders(c.lines, nil)
			if len(orders) != len(c.net) {
				t.Fatalf("orders = %+v, want %d", orders, len(c.net))
			}
			sum := un
			for i, o := range orders {
				if math.Abs(o.Net-c.net[i]) > 1e-9 {
					t.Errorf("order %d net = %v, want %v", i, o.Net, c.net[i])
				}
				sum += o.Net
			}
			if math.Abs(un-c.unatt) > 1e-9 {
				t.Errorf("unattributed = %v, want %v", un, c.unatt)
			}
			var total float64
			for _, l := range c.lines {
				if l.Refund {
					total -= math.Abs(l.Amount)
				} else {
					total += l.Amount
				}
			}
			if math.Abs(sum-total) > 1e-9 {
				t.Errorf("net %v + unattributed do not add up to the lines' %v", sum, total)
			}
		})
	}
	if o := (NetOrder{Gross: 168469.60, Net: 0}); !o.Cancelled() {
		t.Error("an order refunded in full is not cancelled")
	}
	if o := (NetOrder{Gross: 10, Net: 0.5}); o.Cancelled() {
		t.Error("an order with 0.50 left is cancelled")
	}
}

// A customer whose big order was cancelled is a one-time buyer of her
// small order for CLV, and her monetary value is what she kept.
func TestCLVInputsIgnoreCancelledOrders(t *testing.T) {
	b := NewBuilder()
	day := func(d int) time.Time { return time.Date(2011, 5, d, 10, 0, 0, 0, time.UTC) }
	b.AddEvent(event.Event{CustomerID: "a", Type: event.Purchase, SKU: "s1", Quantity: 1, Amount: 2.90, OrderID: "1", OccurredAt: day(1)})
	b.AddEvent(event.Event{CustomerID: "a", Type: event.Purchase, SKU: "s2", Quantity: 80995, Amount: 168469.60, OrderID: "2", OccurredAt: day(20)})
	b.AddEvent(event.Event{CustomerID: "a", Type: event.Refund, SKU: "s2", Quantity: -80995, Amount: -168469.60, OrderID: "C3", OccurredAt: day(20).Add(time.Minute)})
	// b refunds half of her second order, naming it.
	b.AddEvent(event.Event{CustomerID: "b", Type: event.Purchase, SKU: "s1", Quantity: 1, Amount: 10, OrderID: "4", OccurredAt: day(2)})
	b.AddEvent(event.Event{CustomerID: "b", Type: event.Purchase, SKU: "s1", Quantity: 2, Amount: 20, OrderID: "5", OccurredAt: day(10)})
	b.AddEvent(event.Event{CustomerID: "b", Type: event.Refund, SKU: "s1", Quantity: -1, Amount: -10, OrderID: "5", OccurredAt: day(12)})
	ds := b.Dataset()
	asOf := time.Date(2011, 6, 1, 0, 0, 0, 0, time.UTC)
	in := CLVInputs(ds, asOf)
	if len(in) != 2 {
		t.Fatalf("inputs = %+v", in)
	}
	a, bb := in[ds.Index("a")], in[ds.Index("b")]
	if a.X != 0 || a.Monetary != 0 || a.MaxOrder != 2.90 || a.T != 31 {
		t.Errorf("a = %+v, want a one-time buyer of 2.90 31 days ago", a)
	}
	if bb.X != 1 || bb.Monetary != 10 || bb.MaxOrder != 10 || bb.Tx != 8 {
		t.Errorf("b = %+v, want one repeat day worth 10 net", bb)
	}
	if orders, un := ds.NetOrders("a", asOf); len(orders) != 2 || !orders[1].Cancelled() || un != 0 {
		t.Errorf("a's net orders = %+v, %v", orders, un)
	}
	m := &CLVModel{BGNBD: BGNBD{R: 0.8, Alpha: 60, A: 0.5, B: 2}, GammaGamma: GammaGamma{P: 2, Q: 3, V: 500}}
	if got := m.Predict(a, 365, 0.1); got.ExpectedAvgValue != 2.90 || got.Value >= 2.90*got.ExpectedPurchases+1e-9 {
		t.Errorf("a's prediction %+v: spend per purchase must be capped at her largest net order", got)
	}
}
