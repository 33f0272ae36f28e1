package sqlstore_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/sqlstore"
	"github.com/chorusmkt/chorus/internal/store/storetest"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// TestActivityRollup: the dashboard's daily rollup (migration 0067)
// equals the direct computation from the rows after every change: events
// arriving on new and on rolled-up days, a refund, an order's second
// line, sends going out and clicks, on both engines.
func TestActivityRollup(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			st, _ := storetest.OpenWithDSN(t, engine)
			testActivityRollup(t, st.(*store.DB))
		})
	}
}

func testActivityRollup(t *testing.T, st *store.DB) {
	ctx := t.Context()
	day0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	at := func(d int, h int) time.Time {
		return day0.Add(time.Duration(d)*24*time.Hour + time.Duration(h)*time.Hour)
	}
	check := func(step string) {
		t.Helper()
		for _, n := range []int{7, 30} {
			got, err := st.Activity(ctx, day0, 24*time.Hour, n)
			if err != nil {
				t.Fatal(err)
			}
			want, err := st.ActivityDirect(ctx, day0, 24*time.Hour, n)
			if err != nil {
				t.Fatal(err)
			}
			sameBuckets(t, step, got, want)
		}
		// a window that is not whole UTC days is computed from the rows
		from := day0.Add(5 * time.Hour)
		got, err := st.Activity(ctx, from, 6*time.Hour, 12)
		if err != nil {
			t.Fatal(err)
		}
		want, err := st.ActivityDirect(ctx, from, 6*time.Hour, 12)
		if err != nil {
			t.Fatal(err)
		}
		sameBuckets(t, step+" (6 h buckets)", got, want)
	}
	insert := func(es ...event.Event) {
		t.Helper()
		if _, err := st.InsertEvents(ctx, es); err != nil {
			t.Fatal(err)
		}
	}
	buy := func(c, order string, amount float64, d, h int) event.Event {
		return event.Event{CustomerID: c, Type: "purchase", SKU: "S1", Quantity: 1, Amount: amount, OrderID: order, OccurredAt: at(d, h)}
	}
	check("empty")
	insert(buy("C1", "O1", 100, 0, 9), buy("C1", "O1", 50, 0, 9), buy("C2", "O2", 80, 0, 20), buy("C3", "", 12.5, 2, 3),
		event.Event{CustomerID: "C1", Type: "view", SKU: "S1", OccurredAt: at(1, 1)})
	check("first events")
	got, err := st.Activity(ctx, day0, 24*time.Hour, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Orders != 2 || got[0].Buyers != 2 || got[0].Revenue != 230 || got[1].Orders != 0 || got[2].Orders != 1 {
		t.Fatalf("first days %+v", got)
	}
	// arrivals on a rolled-up day and on a new one, a refund
	insert(buy("C2", "O3", 20, 0, 23), event.Event{CustomerID: "C1", Type: "refund", SKU: "S1", Amount: -50, OrderID: "O1", OccurredAt: at(3, 8)},
		buy("C4", "O4", 999, 6, 12))
	check("later events")
	got, _ = st.Activity(ctx, day0, 24*time.Hour, 7)
	if got[0].Orders != 3 || got[0].Buyers != 2 || got[3].Revenue != -50 || got[6].Revenue != 999 {
		t.Fatalf("after arrivals %+v", got)
	}
	// sends that go out and clicks on them
	db := st.DB()
	for i, c := range []string{"C1", "C2", "C3"} {
		if _, err := db.ExecContext(ctx, `INSERT INTO campaign_sends (campaign_id, customer_id, channel, state, send_key, planned_at, updated_at)
			VALUES (1, $1, 'email', 'pending', $2, $3, $3)`, c, fmt.Sprint("k", i), sqlstore.Micros(at(1, 0))); err != nil {
			t.Fatal(err)
		}
	}
	check("pending sends")
	if _, err := db.ExecContext(ctx, `UPDATE campaign_sends SET state = 'sent', sent_at = $1 WHERE customer_id <> 'C3'`, sqlstore.Micros(at(1, 10))); err != nil {
		t.Fatal(err)
	}
	check("sends out")
	got, _ = st.Activity(ctx, day0, 24*time.Hour, 7)
	if got[1].Sends != 2 {
		t.Fatalf("sends %+v", got[1])
	}
	for i, machine := range []bool{false, true} {
		if _, err := db.ExecContext(ctx, `INSERT INTO tracking_hits (hit_key, send_id, campaign, customer_id, channel, kind, machine, occurred_at, recorded_at)
			VALUES ($1, 1, 'c1', 'C1', 'email', 'click', $2, $3, $3)`, i+1, machine, sqlstore.Micros(at(2, 1))); err != nil {
			t.Fatal(err)
		}
	}
	check("clicks")
	got, _ = st.Activity(ctx, day0, 24*time.Hour, 7)
	if got[2].Clicks != 1 {
		t.Fatalf("clicks %+v", got[2])
	}
	// a send taken back (deleted) and an event moved to another day
	if _, err := db.ExecContext(ctx, `DELETE FROM campaign_sends WHERE customer_id = 'C2'`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE events SET occurred_at = $1 WHERE order_id = 'O4'`, sqlstore.Micros(at(5, 1))); err != nil {
		t.Fatal(err)
	}
	check("deleted and moved")
}

func sameBuckets(t *testing.T, step string, got, want []tracking.Bucket) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d buckets, want %d", step, len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if !g.Start.Equal(w.Start) || g.Sends != w.Sends || g.Clicks != w.Clicks || g.Orders != w.Orders || g.Buyers != w.Buyers ||
			math.Abs(g.Revenue-w.Revenue) > 1e-9*math.Max(1, math.Abs(w.Revenue)) {
			t.Errorf("%s: bucket %d rollup %+v, rows %+v", step, i, g, w)
		}
	}
}
