package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/delivery"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// RunActivity is the conformance suite of the dashboard's daily activity
// (tracking.ActivityStore): read through the rollup, it equals the figures
// computed here from what the test wrote, after a bulk import, a second
// import that repeats part of the first, one of nothing but repeats, a
// write outside a bulk load, and a campaign's sends and clicks. open must
// return a fresh, empty store. (No path of the store deletes a customer's
// events; the rollup's reaction to deleted and moved rows is covered by
// sqlstore's TestActivityRollup.)
func RunActivity(t *testing.T, open func(*testing.T) store.Store) {
	t.Run("RollupAfterImportsAndSends", func(t *testing.T) { testActivityRollup(t, open(t)) })
}

// activityDays is the dashboard's window in the tests: day0 and the 39
// days after it.
const activityDays = 40

var activityDay0 = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)

// activityModel is what the test wrote, from which it computes the figures
// the store must read.
type activityModel struct {
	events map[int64]event.Event // by natural key: a repeat is stored once
	sends  []time.Time           // sent rows' times
	clicks []time.Time           // human clicks' times
}

// buckets computes the daily figures from the rows, by the dashboard's
// rules: orders are a day's distinct order numbers of purchases (a
// purchase without one is an order of its own), buyers its distinct known
// customers who bought, revenue its purchases less its refunds.
func (m *activityModel) buckets() []tracking.Bucket {
	out := make([]tracking.Bucket, activityDays)
	orders := make([]map[string]bool, activityDays)
	buyers := make([]map[string]bool, activityDays)
	for i := range out {
		out[i].Start = activityDay0.AddDate(0, 0, i)
		orders[i], buyers[i] = map[string]bool{}, map[string]bool{}
	}
	day := func(at time.Time) int {
		d := int(at.Sub(activityDay0) / (24 * time.Hour))
		if at.Before(activityDay0) || d >= activityDays {
			return -1
		}
		return d
	}
	for k, e := range m.events {
		d := day(e.OccurredAt)
		if d < 0 {
			continue
		}
		switch e.Type {
		case event.Purchase:
			out[d].Revenue += e.Amount
			order := e.OrderID
			if order == "" {
				order = fmt.Sprint("event ", k)
			}
			orders[d][order] = true
			if e.CustomerID != "" {
				buyers[d][e.CustomerID] = true
			}
		case event.Refund:
			out[d].Revenue -= math.Abs(e.Amount)
		}
	}
	for i := range out {
		out[i].Orders, out[i].Buyers = int64(len(orders[i])), int64(len(buyers[i]))
	}
	for _, at := range m.sends {
		if d := day(at); d >= 0 {
			out[d].Sends++
		}
	}
	for _, at := range m.clicks {
		if d := day(at); d >= 0 {
			out[d].Clicks++
		}
	}
	return out
}

// activityEvents returns n events from event number first on: lines of
// orders of several lines, purchases without an order number, guests'
// purchases, refunds and views, spread over the days from day on (a few
// hundred a day, as an import's), in time order.
func activityEvents(first, n, day int) []event.Event {
	es := make([]event.Event, n)
	for j := range es {
		i := first + j
		at := activityDay0.AddDate(0, 0, day).Add(time.Duration(j) * 5 * time.Minute / 2) // 576 a day
		e := event.Event{CustomerID: fmt.Sprintf("c%d", (i/3)%173), Type: event.Purchase, SKU: fmt.Sprintf("SKU-%d", i%41),
			Quantity: 1, Amount: float64(i%50) + 0.25, Currency: "GBP", OrderID: fmt.Sprintf("O%d", i/3), OccurredAt: at}
		switch {
		case i%17 == 0:
			e.OrderID = ""
		case i%11 == 0:
			e.CustomerID = "" // a guest
		case i%13 == 0:
			e.Type, e.Amount = event.Refund, -e.Amount
		case i%7 == 0:
			e.Type, e.Amount, e.Quantity, e.OrderID, e.Currency = event.View, 0, 0, "", ""
		}
		e.Key = e.NaturalKey()
		es[j] = e
	}
	return es
}

// seqJobs assigns the batches of a launch job ids of its own, without a
// queue: the test records the sends' outcomes itself.
type seqJobs struct{ next int64 }

func (q *seqJobs) EnqueueTx(_ context.Context, _ *sql.Tx, bs []campaign.Batch) ([]int64, error) {
	ids := make([]int64, len(bs))
	for i := range ids {
		q.next++
		ids[i] = q.next
	}
	return ids, nil
}

func testActivityRollup(t *testing.T, s store.Store) {
	m := &activityModel{events: map[int64]event.Event{}}
	check := func(step string) {
		t.Helper()
		got, err := s.Activity(ctx, activityDay0, 24*time.Hour, activityDays)
		if err != nil {
			t.Fatalf("%s: Activity: %v", step, err)
		}
		want := m.buckets()
		if len(got) != len(want) {
			t.Fatalf("%s: %d days, want %d", step, len(got), len(want))
		}
		for i := range want {
			g, w := got[i], want[i]
			if !g.Start.Equal(w.Start) || g.Sends != w.Sends || g.Clicks != w.Clicks || g.Orders != w.Orders || g.Buyers != w.Buyers ||
				math.Abs(g.Revenue-w.Revenue) > 1e-9*math.Max(1, math.Abs(w.Revenue)) {
				t.Errorf("%s: day %d read %+v, computed %+v", step, i, g, w)
			}
		}
	}
	insert := func(es []event.Event) event.InsertCounts {
		t.Helper()
		c, err := s.InsertEvents(ctx, es)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			m.events[e.Key] = e
		}
		return c
	}
	bulk := func(batches ...[]event.Event) (inserted int) {
		t.Helper()
		// as the importer writes: batches of events in one bulk load
		if err := s.BulkLoad(ctx, func(ctx context.Context) error {
			for _, es := range batches {
				c, err := s.InsertEvents(ctx, es)
				if err != nil {
					return err
				}
				inserted += c.Inserted
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for _, es := range batches {
			for _, e := range es {
				m.events[e.Key] = e
			}
		}
		return inserted
	}

	check("empty")
	// the first import: 6,000 events over days 0 to 10, in two batches
	if n := bulk(activityEvents(0, 4000, 0), activityEvents(4000, 2000, 7)); n != 6000 {
		t.Fatalf("first import stored %d events, want 6000", n)
	}
	check("first import")
	if b := m.buckets(); b[0].Orders == 0 || b[0].Buyers == 0 || b[3].Revenue == 0 || b[20].Orders != 0 {
		t.Fatalf("the test's own data is not what it means to be: %+v", b[:4])
	}
	// a second import: the last 1,000 events of the first again, then
	// new ones on days already rolled up (9 and 10) and on new days
	if n := bulk(activityEvents(4000, 2000, 7)[1000:], activityEvents(6000, 3000, 9)); n != 3000 {
		t.Fatalf("second import stored %d events, want 3000", n)
	}
	check("second import")
	// a third of nothing but repeats changes nothing
	if n := bulk(activityEvents(0, 4000, 0)); n != 0 {
		t.Fatalf("repeated import stored %d events, want 0", n)
	}
	check("repeated import")
	// events written outside a bulk load, on a rolled-up day and a new one
	late := append(activityEvents(9000, 50, 2), activityEvents(9050, 50, 30)...)
	if c := insert(late); c.Inserted != 100 {
		t.Fatalf("InsertEvents outside a load: %+v, want 100 inserted", c)
	}
	check("events outside a load")

	// a campaign: its sends go out on day 31 (one fails), clicks follow
	// on days 31 and 32 (a machine's does not count)
	at := activityDay0.AddDate(0, 0, 31)
	c, err := s.CreateCampaign(ctx, campaign.Campaign{Name: "activity", State: campaign.Draft, Segment: "all", Channels: []string{"email"},
		Mode: campaign.ModeBest, Depth: "segment", Variants: campaign.EvenVariants(1), Approval: campaign.ApprovalAuto,
		Schedule: campaign.Schedule{Kind: campaign.StartNow}, CreatedAt: at, UpdatedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	var rows []campaign.Send
	for i := range 12 {
		cust := fmt.Sprintf("c%d", i)
		rows = append(rows, campaign.Send{CustomerID: cust, Channel: "email", State: campaign.SendPending, Variant: "A",
			Key: delivery.Key("campaign/activity", cust, "email"), PlannedAt: at, NextAt: at})
	}
	c.State, c.LaunchedAt, c.UpdatedAt, c.Recipients = campaign.Running, at, at, len(rows)
	if err := s.LaunchCampaign(ctx, c, campaign.Draft, rows, 5, &seqJobs{}); err != nil {
		t.Fatal(err)
	}
	check("sends pending")
	var pending []campaign.Send
	if err := s.ListSends(ctx, c.ID, campaign.SendPending, 0, 0, func(sd campaign.Send) error { pending = append(pending, sd); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(pending) != len(rows) {
		t.Fatalf("%d pending sends, want %d", len(pending), len(rows))
	}
	outs := map[int64][]campaign.Outcome{}
	var sent []campaign.Send
	for i, sd := range pending {
		o := campaign.Outcome{ID: sd.ID, State: campaign.SendSent, SentAt: at.Add(time.Duration(i) * time.Minute), MessageID: sd.Key}
		if i == 4 {
			o.State, o.Code, o.SentAt = campaign.SendFailed, "rejected", time.Time{}
		} else {
			m.sends = append(m.sends, o.SentAt)
			sent = append(sent, sd)
		}
		outs[sd.JobID] = append(outs[sd.JobID], o)
	}
	for job, os := range outs {
		if err := s.RecordOutcomes(ctx, job, os, at.Add(time.Hour), 5, &seqJobs{next: 1000}, nil); err != nil {
			t.Fatal(err)
		}
	}
	check("sends out")
	var hits []tracking.Hit
	for i, sd := range sent[:6] {
		h := tracking.Hit{Key: int64(100 + i), Kind: tracking.KindClick, SendID: sd.ID, Campaign: c.Name, Channel: "email",
			CustomerID: sd.CustomerID, Variant: "A", At: at.Add(time.Duration(i*6) * time.Hour)}
		if i == 5 {
			h.Machine = true
		} else {
			m.clicks = append(m.clicks, h.At)
		}
		hits = append(hits, h)
	}
	if n, err := s.InsertHits(ctx, hits); err != nil || n != len(hits) {
		t.Fatalf("InsertHits = %d, %v", n, err)
	}
	check("clicks")
	if b := m.buckets(); b[31].Sends != 11 || b[31].Clicks == 0 || b[32].Clicks == 0 {
		t.Fatalf("the campaign's figures are not what the test means them to be: %+v %+v", b[31], b[32])
	}
	// and an import after the campaign, on its days
	if n := bulk(activityEvents(9100, 500, 31)); n != 500 {
		t.Fatalf("import after the campaign stored %d events, want 500", n)
	}
	check("import after the campaign")
}
