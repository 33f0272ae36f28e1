package support_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/support"
)

// Of two names a shop's system may use for one field (tracking and
// tracking_number), the first listed wins, whatever the map's order.
func TestOrderFromEventsFieldNames(t *testing.T) {
	for range 20 {
		o := support.OrderFromEvents([]event.Event{{Type: event.Purchase, OrderID: "A1", Amount: 5, Properties: map[string]any{
			"tracking": "T1", "tracking_number": "T2", "shipping_status": "shipped", "status": "paid"}}})
		if o.Tracking != "T1" || o.Shipping != "shipped" {
			t.Fatalf("%+v", o)
		}
	}
}
