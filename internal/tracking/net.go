package tracking

import (
	"math"
	"slices"
	"time"

	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/insight"
)

// NetRevenue folds one customer's purchase and refund events (any order)
// into orders net of refunds by insight.NetOrders, the one rule RFM
// monetary and CLV use: a refund comes off the order it names, else off
// earlier lines of the same product, else off earlier orders, never
// beyond what is left. Purchase lines without an order id that share an
// instant are one order. Other event types are ignored.
func NetRevenue(customerID string, es []event.Event) []Order {
	es = slices.Clone(es)
	slices.SortStableFunc(es, func(a, b event.Event) int { return a.OccurredAt.Compare(b.OccurredAt) })
	type okey struct {
		id string
		at int64 // only for lines without an order id
	}
	orderNum := map[okey]int{}
	var keys []okey
	var first []time.Time // each order's first line, to the microsecond
	items := map[string]int{}
	item := func(sku string) int {
		if sku == "" {
			return -1
		}
		if i, ok := items[sku]; ok {
			return i
		}
		items[sku] = len(items)
		return items[sku]
	}
	lines := make([]insight.OrderLine, 0, len(es))
	for _, e := range es {
		at := e.OccurredAt.Unix()
		switch e.Type {
		case event.Purchase:
			k := okey{id: e.OrderID}
			if e.OrderID == "" {
				k.at = e.OccurredAt.UnixMicro()
			}
			n, ok := orderNum[k]
			if !ok {
				n = len(keys)
				orderNum[k] = n
				keys = append(keys, k)
				first = append(first, e.OccurredAt.UTC())
			}
			lines = append(lines, insight.OrderLine{At: at, Order: n, Item: item(e.SKU), Amount: math.Abs(e.Amount)})
		case event.Refund:
			n := -1
			if e.OrderID != "" {
				if o, ok := orderNum[okey{id: e.OrderID}]; ok {
					n = o
				}
			}
			lines = append(lines, insight.OrderLine{At: at, Order: n, Item: item(e.SKU), Amount: -math.Abs(e.Amount), Refund: true})
		}
	}
	net, _ := insight.NetOrders(lines, nil)
	out := make([]Order, 0, len(net))
	for _, o := range net {
		k := keys[o.Order]
		out = append(out, Order{CustomerID: customerID, ID: k.id, At: first[o.Order], Gross: o.Gross, Net: o.Net, Cancelled: o.Cancelled()})
	}
	return out
}
