package insight

import (
	"math"
	"time"
)

// OrderLine is one purchase or refund line of one customer, for
// NetOrders. Lines are given in time order.
type OrderLine struct {
	At int64 // unix seconds
	// Order numbers the order of a purchase line (any value >= 0, the same
	// for every line of one order). For a refund it is the order the
	// refund names when that is one of the customer's purchase orders,
	// else -1 (an Online Retail cancellation "C581484" names no order).
	Order int
	// Item numbers the product (-1 when the line names none).
	Item int
	// Amount is the line total: positive for a purchase, negative (or
	// taken as negative) for a refund.
	Amount float64
	Refund bool
}

// NetOrder is one order with the refunds attributed to it subtracted.
type NetOrder struct {
	Order int
	At    int64 // time of the order's first line
	Gross float64
	// Net is Gross minus the refunds attributed to the order; never
	// negative.
	Net float64
}

// Cancelled reports whether the refunds took (nearly) all of the order:
// such an order is not a purchase for the CLV models.
func (o NetOrder) Cancelled() bool { return o.Net <= 1e-6*math.Max(1, o.Gross) }

// NetOrders is the one definition of net revenue that RFM monetary, the
// CLV models and revenue attribution share. It folds a customer's
// time-ordered purchase and refund lines into orders and attributes each
// refund to what it most likely reverses, never beyond what is left of a
// line or an order and never to an order placed after it:
//
//  1. the order the refund names, its lines of the same product first;
//  2. then earlier purchase lines of the same product, latest first (a
//     cancellation invoice names no order but names the product);
//  3. then earlier orders, latest first;
//  4. what is still left (a refund of something bought before the data
//     begin) is unattributed.
//
// So the orders' net values plus unattributed always add up to the sum
// of the lines' amounts, and an order refunded in full has Net 0. Orders
// are returned in the order of their first line; dst is reused.
func NetOrders(lines []OrderLine, dst []NetOrder) (orders []NetOrder, unattributed float64) {
	var s netScratch
	return s.fold(lines, dst)
}

// netScratch holds the buffers of one fold, so that a loop over many
// customers allocates once.
type netScratch struct {
	slot     map[int]int // order -> index into orders
	plines   []netLine
	lastItem map[int]int32 // item -> its latest purchase line
	slotLast []int32       // by order slot: its latest purchase line
}

// netLine is one purchase line; prevItem and prevSlot chain the lines of
// the same product and of the same order, latest first (-1 ends), so that
// a refund visits only the lines it may reverse.
type netLine struct {
	item               int
	slot               int
	rem                float64 // what is left of the line to refund
	prevItem, prevSlot int32
}

func (s *netScratch) fold(lines []OrderLine, dst []NetOrder) ([]NetOrder, float64) {
	orders := dst[:0]
	if s.slot == nil {
		s.slot, s.lastItem = map[int]int{}, map[int]int32{}
	}
	clear(s.slot)
	clear(s.lastItem)
	s.plines, s.slotLast = s.plines[:0], s.slotLast[:0]
	// Most customers never refund: then only the orders are folded, and
	// the lines need not be remembered.
	refunds := false
	for _, l := range lines {
		if l.Refund {
			refunds = true
			break
		}
	}
	var unattributed float64
	lastOrder, lastSlot := 0, -1 // lines of one order are usually adjacent
	for _, l := range lines {
		if !l.Refund {
			i := lastSlot
			if i < 0 || l.Order != lastOrder {
				var ok bool
				if i, ok = s.slot[l.Order]; !ok {
					i = len(orders)
					s.slot[l.Order] = i
					orders = append(orders, NetOrder{Order: l.Order, At: l.At})
					s.slotLast = append(s.slotLast, -1)
				}
				lastOrder, lastSlot = l.Order, i
			}
			orders[i].Gross += l.Amount
			orders[i].Net += l.Amount
			if !refunds {
				continue
			}
			prevItem := int32(-1)
			if l.Item >= 0 {
				if p, ok := s.lastItem[l.Item]; ok {
					prevItem = p
				}
				s.lastItem[l.Item] = int32(len(s.plines))
			}
			s.plines = append(s.plines, netLine{item: l.Item, slot: i, rem: l.Amount, prevItem: prevItem, prevSlot: s.slotLast[i]})
			s.slotLast[i] = int32(len(s.plines) - 1)
			continue
		}
		left := math.Abs(l.Amount)
		take := func(slot int, cap float64) float64 {
			t := min(left, cap, orders[slot].Net)
			if t <= 0 {
				return 0
			}
			orders[slot].Net -= t
			left -= t
			return t
		}
		named, hasNamed := -1, false
		if l.Order >= 0 {
			named, hasNamed = s.slot[l.Order]
		}
		if hasNamed && l.Item >= 0 {
			for j := s.slotLast[named]; j >= 0 && left > 0; j = s.plines[j].prevSlot {
				if p := &s.plines[j]; p.item == l.Item {
					p.rem -= take(named, p.rem)
				}
			}
		}
		if hasNamed && left > 0 {
			take(named, math.Inf(1))
		}
		if l.Item >= 0 && left > 0 {
			j, ok := s.lastItem[l.Item]
			for ; ok && j >= 0 && left > 0; j = s.plines[j].prevItem {
				p := &s.plines[j]
				p.rem -= take(p.slot, p.rem)
			}
		}
		for i := len(orders) - 1; i >= 0 && left > 0; i-- {
			take(i, math.Inf(1))
		}
		unattributed -= left
	}
	return orders, unattributed
}

// netOrders folds customer c's lines before asOfSec through NetOrders.
func (d *Dataset) netOrders(c int, asOfSec int64, s *netScratch, buf []OrderLine, dst []NetOrder) ([]NetOrder, float64, []OrderLine) {
	buf = buf[:0]
	for l := d.lineStart[c]; l < d.lineStart[c+1]; l++ {
		if d.lineAt[l] >= asOfSec {
			break // lines are in time order
		}
		buf = append(buf, OrderLine{At: d.lineAt[l], Order: int(d.lineOrder[l]), Item: int(d.lineItem[l]),
			Amount: d.lineAmount[l], Refund: d.lineKind[l] == kindRefund})
	}
	orders, un := s.fold(buf, dst)
	return orders, un, buf
}

// NetOrders returns customer id's orders before asOf (zero: the default
// analysis date) net of refunds, by the rule of the package function
// NetOrders, and the refunds attributed to no order. An unknown customer
// has none.
func (d *Dataset) NetOrders(id string, asOf time.Time) ([]NetOrder, float64) {
	c := d.Index(id)
	if c < 0 {
		return nil, 0
	}
	if asOf.IsZero() {
		asOf = d.DefaultAsOf()
	}
	var s netScratch
	orders, un, _ := d.netOrders(c, asOf.Unix(), &s, nil, nil)
	return orders, un
}
