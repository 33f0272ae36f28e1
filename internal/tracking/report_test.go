package tracking_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/experiment"
	"github.com/chorusmkt/chorus/internal/store/storetest"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// TestReport checks a report against a small campaign whose every figure
// is known: two variants over email and SMS, a holdout, human and machine
// hits, receipts, a refund, a later campaign's click that takes a
// purchase's credit, and a view-through.
func TestReport(t *testing.T) {
	st := storetest.OpenSQLite(t)
	ctx := t.Context()
	t0 := time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)
	c, ids := storetest.SeedCampaign(t, st, "d11", campaign.EvenVariants(2), 0.2, []campaign.Send{
		{CustomerID: "a1", Channel: "email", State: campaign.SendSent, Variant: "A"}, // 0: opens, clicks, buys 100 (refund 30)
		{CustomerID: "a2", Channel: "sms", State: campaign.SendSent, Variant: "A"},   // 1: clicks, buys, but clicks the later campaign after
		{CustomerID: "a3", Channel: "email", State: campaign.SendSent, Variant: "A"}, // 2: Apple's proxy only; bounces
		{CustomerID: "a4", Channel: "email", State: campaign.SendSkipped, Code: "no_consent", Variant: "A"},
		{CustomerID: "b1", Channel: "email", State: campaign.SendSent, Variant: "B"}, // 4: opens only, buys 50 (view-through)
		{CustomerID: "b2", Channel: "email", State: campaign.SendSent, Variant: "B"}, // 5: clicks, unsubscribes, complains
		{CustomerID: "h1", State: campaign.SendHoldout},                              // buys 40 in the window
		{CustomerID: "h2", State: campaign.SendHoldout},                              // buys after the window
	})
	_, later := storetest.SeedCampaign(t, st, "later", campaign.EvenVariants(1), 0, []campaign.Send{
		{CustomerID: "a2", Channel: "email", State: campaign.SendSent, Variant: "A"},
	})
	h := func(send int64, cust, kind string, at time.Time, machine bool) tracking.Hit {
		return tracking.Hit{Key: tracking.NewKey(), Kind: kind, SendID: send, CustomerID: cust, At: at, Machine: machine}
	}
	hits := []tracking.Hit{
		h(ids[0], "a1", tracking.KindOpen, t0.Add(time.Hour), false),
		h(ids[0], "a1", tracking.KindOpen, t0.Add(2*time.Hour), false),
		h(ids[0], "a1", tracking.KindClick, t0.Add(2*time.Hour), false),
		h(ids[1], "a2", tracking.KindClick, t0.Add(time.Hour), false),
		h(later[0], "a2", tracking.KindClick, t0.Add(3*time.Hour), false),
		h(ids[2], "a3", tracking.KindOpen, t0.Add(time.Minute), true),
		h(ids[2], "a3", tracking.KindBounce, t0.Add(time.Minute), false),
		h(ids[4], "b1", tracking.KindOpen, t0.Add(time.Hour), false),
		h(ids[5], "b2", tracking.KindClick, t0.Add(time.Hour), false),
		h(ids[5], "b2", tracking.KindClick, t0.Add(time.Hour), true),
		h(ids[5], "b2", tracking.KindUnsubscribe, t0.Add(2*time.Hour), false),
		h(ids[5], "b2", tracking.KindComplaint, t0.Add(3*time.Hour), false),
	}
	if _, err := st.InsertHits(ctx, hits); err != nil {
		t.Fatal(err)
	}
	buy := func(cust, order string, amount float64, at time.Time) event.Event {
		return event.Event{CustomerID: cust, Type: event.Purchase, OrderID: order, SKU: "bag", Amount: amount, OccurredAt: at}
	}
	if _, err := st.InsertEvents(ctx, []event.Event{
		buy("a1", "o1", 100, t0.Add(5*time.Hour)),
		{CustomerID: "a1", Type: event.Refund, OrderID: "o1", SKU: "bag", Amount: -30, OccurredAt: t0.Add(50 * time.Hour)},
		buy("a2", "o2", 80, t0.Add(4*time.Hour)),
		buy("b1", "o3", 50, t0.Add(3*time.Hour)),
		buy("h1", "o4", 40, t0.Add(24*time.Hour)),
		buy("h2", "o5", 60, t0.Add(10*24*time.Hour)),
	}); err != nil {
		t.Fatal(err)
	}
	rp := tracking.Reporter{Store: st}
	week := 7 * 24 * time.Hour
	segs := func(_ context.Context, ids []string) (map[string]string, error) {
		return map[string]string{"a1": "champions", "b1": "champions", "b2": "at_risk"}, nil
	}
	rep, err := rp.Report(ctx, "d11", tracking.ReportOptions{By: []string{tracking.ByChannel, tracking.BySegment},
		Rule: tracking.Rule{Window: week}, Segments: segs, Now: func() time.Time { return t0.Add(48 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	a, b := rep.Variants[0], rep.Variants[1]
	type figs struct {
		rec, sent, deliv, opens, clicks, mOpens, mClicks, conv, unsub, bounce, compl int64
		rev                                                                          float64
	}
	got := func(c tracking.Cell) figs {
		return figs{c.Recipients, c.Sent, c.Delivered, c.Opens, c.Clicks, c.MachineOpens, c.MachineClicks, c.Conversions, c.Unsubscribes, c.Bounces, c.Complaints, c.Revenue}
	}
	// A: a1 (opens, clicks, 100-30 credited), a2 (clicked, but her later
	// click on another campaign takes the purchase), a3 (machine open
	// only, bounced), a4 (skipped)
	if g, w := got(a), (figs{4, 3, 2, 2, 2, 1, 0, 1, 0, 1, 0, 70}); g != w {
		t.Errorf("variant A: %+v\nwant       %+v", g, w)
	}
	// B: b1 opened only (no view-through), b2 clicked (and a machine
	// click), unsubscribed, complained
	if g, w := got(b), (figs{2, 2, 2, 2, 1, 0, 0, 0, 1, 0, 1, 0}); g != w {
		t.Errorf("variant B: %+v\nwant       %+v", g, w)
	}
	if math.Abs(a.CTR-1) > 1e-12 || math.Abs(b.CTOR-0.5) > 1e-12 || math.Abs(a.CVR-0.25) > 1e-12 || math.Abs(a.RevenuePerRecipient-17.5) > 1e-12 {
		t.Errorf("rates A %+v B %+v", a, b)
	}
	if rep.Holdout == nil || rep.Holdout.Recipients != 2 {
		t.Fatalf("holdout: %+v", rep.Holdout)
	}
	l := rep.Lift
	// in the window: a1 70, a2 80, b1 50 of 6 treated; h1 40 of 2 held out
	if l == nil || l.Treated.Recipients != 6 || l.Treated.Conversions != 3 || l.Treated.Revenue != 200 || l.Holdout.Conversions != 1 || l.Holdout.Revenue != 40 {
		t.Fatalf("lift arms: %+v", l)
	}
	if math.Abs(l.Estimate.Estimate-(0.5-0.5)) > 1e-12 || l.RevenuePerRecipient == nil || math.Abs(l.RevenuePerRecipient.Estimate.Estimate-(200.0/6-20)) > 1e-9 {
		t.Errorf("lift: %+v revenue %+v", l.Estimate, l.RevenuePerRecipient)
	}
	if rep.Method != experiment.FixedHorizon || rep.Test == nil || len(rep.Test.Variants) != 2 {
		t.Errorf("method %s test %+v", rep.Method, rep.Test)
	}
	// cells by channel and segment cover everyone sent to
	cells := map[[2]string]tracking.Cell{}
	for _, cl := range rep.Cells {
		cells[[2]string{cl.Channel, cl.Segment}] = cl
	}
	if cl := cells[[2]string{"email", "champions"}]; cl.Recipients != 2 || cl.Conversions != 1 || cl.Revenue != 70 {
		t.Errorf("email/champions: %+v", cl)
	}
	if cl := cells[[2]string{"sms", "unknown"}]; cl.Recipients != 1 || cl.Clicks != 1 || cl.Conversions != 0 {
		t.Errorf("sms/unknown: %+v", cl)
	}

	// view-through credits b1's purchase to her open; sequential figures
	rep, err = rp.Report(ctx, "d11", tracking.ReportOptions{Rule: tracking.Rule{Window: week, ViewThrough: true, ViewWindow: 24 * time.Hour},
		Experiment: experiment.Options{Sequential: true}})
	if err != nil {
		t.Fatal(err)
	}
	if b := rep.Variants[1]; b.Conversions != 1 || b.Revenue != 50 {
		t.Errorf("view-through B: %+v", b)
	}
	if rep.Method != experiment.Sequential || rep.Lift.Method != experiment.Sequential {
		t.Errorf("sequential: %s / %s", rep.Method, rep.Lift.Method)
	}
	// errors
	if _, err := rp.Report(ctx, "nope", tracking.ReportOptions{Rule: tracking.Rule{Window: week}}); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("unknown campaign: %v", err)
	}
	if _, err := rp.Report(ctx, "d11", tracking.ReportOptions{By: []string{tracking.BySegment}, Rule: tracking.Rule{Window: week}}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("by segment without segments: %v", err)
	}
	if _, err := tracking.ParseBy("variant,colour"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("ParseBy: %v", err)
	}
	_ = c
}
