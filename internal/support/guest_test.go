package support_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
	"github.com/chorusmkt/chorus/internal/support"
)

// guestOrderOf finds a demo guest checkout (an order without a customer)
// in lang's currency with the contact it gave.
func guestOrderOf(t *testing.T, st store.Store, currency string) (id, email, phone string) {
	t.Helper()
	err := st.ScanEvents(ctx, event.Filter{Types: []string{event.Purchase}}, func(e event.Event) error {
		if id != "" || e.CustomerID != "" || e.Currency != currency {
			return nil
		}
		id = e.OrderID
		email, _ = e.Properties["email"].(string)
		phone, _ = e.Properties["phone"].(string)
		return nil
	})
	if err != nil || id == "" || email == "" || len(phone) < 4 {
		t.Fatalf("no %s guest order with a contact: %q %q %q %v", currency, id, email, phone, err)
	}
	return
}

// A guest checkout is verified by the e-mail or phone it gave, as a
// member's order is by her record; the contact is never shown.
func TestGuestOrderVerifiesByItsContact(t *testing.T) {
	st := demoShop(t)
	a := assistant(t, st, support.Options{})
	for _, tc := range []struct{ currency, ask, last4, total string }{
		{"CNY", "我的订单 %s 到哪了", "手机尾号%s", "合计"},
		{"USD", "Where is my order %s?", "the last 4 digits of my phone are %s", "total"},
	} {
		id, email, phone := guestOrderOf(t, st, tc.currency)
		r, err := a.Answer(ctx, support.Request{Text: strings.Replace(tc.ask, "%s", id, 1), Channel: "test"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Handoff || has(r.Citations, "[order:"+id+"]") || strings.Contains(r.Answer, tc.total) {
			t.Fatalf("%s: before any proof: handoff %v, %s", id, r.Handoff, r.Answer)
		}
		r, err = a.Answer(ctx, support.Request{ConversationID: r.ConversationID, Text: strings.Replace(tc.last4, "%s", phone[len(phone)-4:], 1), Channel: "test"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !has(r.Citations, "[order:"+id+"]") || !strings.Contains(r.Answer, tc.total) {
			t.Fatalf("%s: the guest's phone digits did not verify: %s", id, r.Answer)
		}
		if strings.Contains(r.Answer, email) || strings.Contains(r.Answer, phone) {
			t.Fatalf("%s: the answer shows the guest's contact: %s", id, r.Answer)
		}
		r, _ = a.Answer(ctx, support.Request{Text: "order " + id + ", e-mail " + strings.ToUpper(email), Channel: "test"}, nil)
		if !has(r.Citations, "[order:"+id+"]") {
			t.Fatalf("%s: the guest's e-mail did not verify: %s", id, r.Answer)
		}
		r, _ = a.Answer(ctx, support.Request{Text: "order " + id + ", e-mail someone.else@example.com", Channel: "test"}, nil)
		if has(r.Citations, "[order:"+id+"]") || strings.Contains(r.Answer, tc.total) {
			t.Fatalf("%s: a wrong e-mail showed the guest order: %s", id, r.Answer)
		}
	}
}

// An order with neither a customer nor a contact cannot be verified: it
// goes to a person.
func TestOrderWithoutContactHandsOff(t *testing.T) {
	st := storetest.OpenSQLite(t)
	at := time.Date(2026, 11, 11, 10, 0, 0, 0, time.UTC)
	if _, err := st.InsertEvents(ctx, []event.Event{{Type: event.Purchase, SKU: "X1", Quantity: 1, Amount: 20, Currency: "USD", OrderID: "US26111100001", OccurredAt: at}}); err != nil {
		t.Fatal(err)
	}
	a := assistant(t, st, support.Options{})
	r, err := a.Answer(ctx, support.Request{Text: "Where is my order US26111100001? my e-mail is a@example.com", Channel: "test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Handoff || has(r.Citations, "[order:US26111100001]") {
		t.Fatalf("handoff %v, cites %v: %s", r.Handoff, r.Citations, r.Answer)
	}
}

// Of two names a shop's system may use for one field (tracking and
// tracking_number), the first listed wins, whatever the map's order.
func TestOrderFromEventsFieldNames(t *testing.T) {
	for range 20 {
		o := support.OrderFromEvents([]event.Event{{Type: event.Purchase, OrderID: "A1", Amount: 5, Properties: map[string]any{
			"tracking": "T1", "tracking_number": "T2", "shipping_status": "shipped", "status": "paid", "email": "g@example.com", "phone": "+1 212 555 0100"}}})
		if o.Tracking != "T1" || o.Shipping != "shipped" || o.Email != "g@example.com" || o.Phone != "+1 212 555 0100" {
			t.Fatalf("%+v", o)
		}
	}
}
