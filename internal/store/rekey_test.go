package store_test

import (
	"context"
	"io/fs"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/segment"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/postgres"
	"github.com/chorusmkt/chorus/internal/store/sqlite"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// A store written before the importer keyed phone-only customers by
// customer.PhoneKey: migration 0014 moves them to the key, merging two
// spellings of one number into one customer with all her rows, and leaves
// customers with an id of their own alone.
func TestRekeyPhoneCustomers(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		db := s.(*store.DB)
		t0 := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
		// the earlier importer: a customer known only by her phone has
		// the number as written as her id
		legacy := []customer.Customer{
			{ID: "+86 138-0013-8000", Phone: "+86 138-0013-8000", Name: "王芳", City: "杭州"},
			{ID: "13800138000", Phone: "138 0013 8000", Email: "fang@example.com"}, // already the key
			{ID: "0086 139 0000 0000", Phone: "0086 139 0000 0000", Name: "Li"},
			{ID: "C42", Phone: "+86 137 0000 0000", Name: "has an id"},
		}
		if _, err := s.UpsertCustomers(ctx, legacy); err != nil {
			t.Fatal(err)
		}
		if _, err := s.InsertEvents(ctx, []event.Event{
			{CustomerID: "+86 138-0013-8000", Type: event.Purchase, SKU: "S1", Quantity: 1, Amount: 10, OccurredAt: t0},
			{CustomerID: "+86 138-0013-8000", Type: event.View, SKU: "S2", OccurredAt: t0.Add(time.Hour)},
			{CustomerID: "13800138000", Type: event.Purchase, SKU: "S3", Quantity: 1, Amount: 5, OccurredAt: t0.Add(2 * time.Hour)},
			{CustomerID: "0086 139 0000 0000", Type: event.Purchase, SKU: "S1", Quantity: 2, Amount: 20, OccurredAt: t0},
		}); err != nil {
			t.Fatal(err)
		}
		sms := func(id, status string, at time.Time) customer.Consent {
			return customer.Consent{CustomerID: id, Channel: customer.ChannelSMS, Purpose: customer.PurposeMarketing, Status: status, At: at}
		}
		if _, err := s.AddConsents(ctx, []customer.Consent{
			sms("+86 138-0013-8000", customer.Granted, t0), // the same entry under both ids
			sms("13800138000", customer.Granted, t0),
			sms("+86 138-0013-8000", customer.Revoked, t0.Add(time.Hour)),
		}); err != nil {
			t.Fatal(err)
		}
		now := t0.Add(3 * time.Hour)
		if _, err := s.CreateSegment(ctx, segment.Segment{Name: "buyers", Expression: "orders > 0", CreatedAt: now, UpdatedAt: now, RefreshedAt: now},
			[]string{"+86 138-0013-8000", "13800138000", "0086 139 0000 0000"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddSuppressions(ctx, []policy.Suppression{{SuppressionKey: policy.SuppressionKey{Kind: policy.KindCustomer, Value: "0086 139 0000 0000"}, Reason: "manual", At: t0}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.DB().ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = 14`); err != nil {
			t.Fatal(err)
		}
		var migrations fs.FS = sqlite.Migrations()
		if s.Engine() == "postgres" {
			migrations = postgres.Migrations()
		}
		applied, err := db.Migrate(ctx, migrations)
		if err != nil || len(applied) != 1 {
			t.Fatalf("migrate: %v, %v", applied, err)
		}

		for _, old := range []string{"+86 138-0013-8000", "0086 139 0000 0000"} {
			if _, err := s.GetCustomer(ctx, old); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("customer %q is still stored: %v", old, err)
			}
		}
		fang, err := s.GetCustomer(ctx, "13800138000")
		if err != nil {
			t.Fatal(err)
		}
		if fang.Name != "王芳" || fang.City != "杭州" || fang.Email != "fang@example.com" || fang.Phone != "138 0013 8000" {
			t.Errorf("merged customer %+v: the kept record's fields, the merged one's where it had none", fang)
		}
		if c, err := s.GetCustomer(ctx, "C42"); err != nil || c.Phone != "+86 137 0000 0000" {
			t.Errorf("a customer with her own id: %+v, %v", c, err)
		}
		if n, err := s.CountEvents(ctx, event.Filter{CustomerID: "13800138000"}); err != nil || n != 3 {
			t.Errorf("merged customer's events: %d, %v", n, err)
		}
		if n, err := s.CountEvents(ctx, event.Filter{CustomerID: "13900000000"}); err != nil || n != 1 {
			t.Errorf("renamed customer's events: %d, %v", n, err)
		}
		if n, err := s.CountEvents(ctx, event.Filter{}); err != nil || n != 4 {
			t.Errorf("events: %d, %v (none lost, none doubled)", n, err)
		}
		ledger, err := s.Consents(ctx, "13800138000")
		if err != nil || len(ledger) != 2 {
			t.Fatalf("ledger %+v, %v: the shared entry once, the revocation moved", ledger, err)
		}
		if st := customer.CurrentConsent(ledger); st.Granted(customer.ChannelSMS, customer.PurposeMarketing) {
			t.Error("the revocation written under the old id no longer applies")
		}
		ms, err := s.SegmentMemberships(ctx, []string{"13800138000", "13900000000", "+86 138-0013-8000"})
		if err != nil || len(ms["13800138000"]) != 1 || len(ms["13900000000"]) != 1 || len(ms["+86 138-0013-8000"]) != 0 {
			t.Errorf("memberships %v, %v", ms, err)
		}
		hits, err := s.MatchSuppressions(ctx, []policy.SuppressionKey{{Kind: policy.KindCustomer, Value: "13900000000"}})
		if err != nil || len(hits) != 1 {
			t.Errorf("the customer's suppression does not follow her: %v, %v", hits, err)
		}
		rows, err := db.DB().QueryContext(ctx, `SELECT old_id, new_id, merged FROM customer_rekeys ORDER BY old_id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var o, n string
			var merged bool
			if err := rows.Scan(&o, &n, &merged); err != nil {
				t.Fatal(err)
			}
			if merged {
				n += " (merged)"
			}
			got = append(got, o+" -> "+n)
		}
		want := []string{"+86 138-0013-8000 -> 13800138000 (merged)", "0086 139 0000 0000 -> 13900000000"}
		if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("customer_rekeys %q, want %q", got, want)
		}
		if applied, err := db.Migrate(ctx, migrations); err != nil || len(applied) != 0 {
			t.Errorf("migrate again: %v, %v", applied, err)
		}
	})
}
