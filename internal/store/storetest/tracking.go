package storetest

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/delivery"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/experiment"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// RunTracking runs the conformance suite of the tracking tables (hits,
// synchronous effects, the report's reads); open must return a fresh,
// empty store.
func RunTracking(t *testing.T, open func(*testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Sends", testTrackingSends},
		{"HitsAndEvents", testTrackingHits},
		{"HitBatches", testTrackingHitBatches},
		{"Effects", testTrackingEffects},
		{"ReportReads", testTrackingReportReads},
		{"TestPlanDecision", testTrackingTestPlan},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

// noJobs is an Enqueuer for rows that need no job (seeded in a terminal
// state).
type noJobs struct{}

func (noJobs) EnqueueTx(_ context.Context, _ *sql.Tx, bs []campaign.Batch) ([]int64, error) {
	return make([]int64, len(bs)), nil
}

// SeedCampaign stores a launched campaign with the given rows of the send
// table (their CampaignID, Key and PlannedAt are filled in) and returns it
// with the rows' ids in order.
func SeedCampaign(t testing.TB, s store.Store, name string, variants []campaign.Variant, holdout float64, sends []campaign.Send) (campaign.Campaign, []int64) {
	t.Helper()
	at := time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)
	c, err := s.CreateCampaign(ctx, campaign.Campaign{Name: name, State: campaign.Draft, Segment: "all", Channels: []string{"email", "sms"},
		Mode: campaign.ModeBest, Depth: "segment", Variants: variants, Holdout: holdout, Approval: campaign.ApprovalAuto,
		Schedule: campaign.Schedule{Kind: campaign.StartNow}, CreatedAt: at, UpdatedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	for i := range sends {
		sends[i].Key = delivery.Key("campaign/"+name, sends[i].CustomerID, sends[i].Channel)
		if sends[i].PlannedAt.IsZero() {
			sends[i].PlannedAt = at
		}
	}
	c.State, c.LaunchedAt, c.UpdatedAt, c.Recipients = campaign.Running, at, at, len(sends)
	if err := s.LaunchCampaign(ctx, c, campaign.Draft, sends, 100, noJobs{}); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	if err := s.ListSends(ctx, c.ID, "", 0, 0, func(sd campaign.Send) error {
		ids = append(ids, sd.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return c, ids
}

func testTrackingSends(t *testing.T, s store.Store) {
	c, ids := SeedCampaign(t, s, "spring", campaign.EvenVariants(2), 0.1, []campaign.Send{
		{CustomerID: "c1", Channel: "email", State: campaign.SendSent, Variant: "A"},
		{CustomerID: "c2", Channel: "sms", State: campaign.SendSent, Variant: "B"},
		{CustomerID: "c3", State: campaign.SendHoldout},
	})
	got := must[map[int64]tracking.SendRef](t)(s.Sends(ctx, append([]int64{999999}, ids...)))
	if len(got) != 3 {
		t.Fatalf("Sends: %d rows, want 3 (the unknown id left out)", len(got))
	}
	r := got[ids[1]]
	if r.CampaignID != c.ID || r.Campaign != "spring" || r.CustomerID != "c2" || r.Channel != "sms" || r.Variant != "B" || r.State != campaign.SendSent {
		t.Errorf("Sends row: %+v", r)
	}
	key := delivery.Key("campaign/spring", "c1", "email")
	byKey, err := s.SendByKey(ctx, key)
	if err != nil || byKey.ID != ids[0] {
		t.Errorf("SendByKey: %+v %v", byKey, err)
	}
	if _, err := s.SendByKey(ctx, "00000000000000000000000000000000"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("SendByKey of an unknown key: %v, want NotFound", err)
	}
}

func testTrackingHits(t *testing.T, s store.Store) {
	_, ids := SeedCampaign(t, s, "summer", campaign.EvenVariants(1), 0, []campaign.Send{
		{CustomerID: "c1", Channel: "email", State: campaign.SendSent, Variant: "A"},
	})
	at := time.Date(2026, 11, 11, 8, 0, 0, 123456000, time.UTC)
	hits := []tracking.Hit{
		{Key: 11, Kind: tracking.KindOpen, SendID: ids[0], CustomerID: "c1", Campaign: "summer", Channel: "email", Variant: "A", At: at},
		{Key: 12, Kind: tracking.KindOpen, SendID: ids[0], CustomerID: "c1", Campaign: "summer", Channel: "email", Variant: "A", At: at,
			Machine: true, MachineReason: tracking.ReasonAppleMPP},
		{Key: 13, Kind: tracking.KindClick, SendID: ids[0], CustomerID: "c1", Campaign: "summer", Channel: "email", Variant: "A",
			Link: 2, URL: "https://shop.example/p/1?utm_source=chorus", At: at.Add(time.Minute)},
		{Key: 21, Kind: tracking.KindDelivered, SendID: ids[0], CustomerID: "c1", Campaign: "summer", Channel: "email", Variant: "A", At: at},
		{Key: 21, Kind: tracking.KindDelivered, SendID: ids[0], CustomerID: "c1", Campaign: "summer", Channel: "email", Variant: "A", At: at},
		{Key: 14, Kind: tracking.KindOpen, SendID: 424242, At: at}, // a send the store does not know: a hit, no event
	}
	// opens and clicks are all stored; a receipt's key twice is one hit
	n := must[int](t)(s.InsertHits(ctx, hits))
	if n != 5 {
		t.Errorf("InsertHits: %d new, want 5 (a receipt's key twice)", n)
	}
	if n := must[int](t)(s.InsertHits(ctx, hits[3:4])); n != 0 {
		t.Errorf("InsertHits of a stored receipt: %d new, want 0", n)
	}
	var stored []tracking.Hit
	if err := s.CampaignHits(ctx, 0, func(h tracking.Hit) error { return nil }); err != nil {
		t.Fatal(err)
	}
	c, err := s.GetCampaign(ctx, "summer")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CampaignHits(ctx, c.ID, func(h tracking.Hit) error { stored = append(stored, h); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(stored) != 4 {
		t.Fatalf("CampaignHits: %d, want 4", len(stored))
	}
	if h := stored[1]; !h.Machine || h.MachineReason != tracking.ReasonAppleMPP || !h.At.Equal(at) {
		t.Errorf("machine open round trip: %+v", h)
	}
	if h := stored[2]; h.Link != 2 || h.URL != hits[2].URL || h.Kind != tracking.KindClick {
		t.Errorf("click round trip: %+v", h)
	}
	var evs []event.Event
	if err := s.ScanEvents(ctx, event.Filter{CustomerID: "c1"}, func(e event.Event) error { evs = append(evs, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(evs) != 4 {
		t.Fatalf("events: %d, want 4 (open, machine open, click, delivered)", len(evs))
	}
	for _, e := range evs {
		if e.Campaign != "summer" || e.Channel != "email" || e.Properties["variant"] != "A" {
			t.Errorf("event %+v lacks campaign, channel or variant", e)
		}
	}
	if evs[1].Properties["machine"] != true || evs[0].Properties["machine"] != nil {
		t.Errorf("machine flags on events: %v / %v", evs[0].Properties, evs[1].Properties)
	}
	if n := must[int64](t)(s.CountHits(ctx, "")); n != 5 {
		t.Errorf("CountHits: %d, want 5", n)
	}
}

func testTrackingHitBatches(t *testing.T, s store.Store) {
	_, ids := SeedCampaign(t, s, "bulk", campaign.EvenVariants(1), 0, []campaign.Send{
		{CustomerID: "c1", Channel: "email", State: campaign.SendSent, Variant: "A"},
	})
	at := time.Date(2026, 11, 11, 8, 0, 0, 0, time.UTC)
	var hits []tracking.Hit
	for i := range 1234 {
		hits = append(hits, tracking.Hit{Key: int64(1000 + i), Kind: tracking.KindClick, SendID: ids[0], CustomerID: "c1", Campaign: "bulk",
			Channel: "email", At: at.Add(time.Duration(i) * time.Millisecond)})
	}
	if n := must[int](t)(s.InsertHits(ctx, hits)); n != len(hits) {
		t.Errorf("InsertHits: %d, want %d", n, len(hits))
	}
	if n := must[int](t)(s.CountEvents(ctx, event.Filter{Types: []string{event.Click}})); n != len(hits) {
		t.Errorf("click events: %d, want %d", n, len(hits))
	}
}

func testTrackingEffects(t *testing.T, s store.Store) {
	_, ids := SeedCampaign(t, s, "autumn", campaign.EvenVariants(1), 0, []campaign.Send{
		{CustomerID: "c1", Channel: "email", State: campaign.SendSent, Variant: "A"},
	})
	t0 := time.Date(2026, 11, 12, 9, 0, 0, 0, time.UTC)
	must[customer.UpsertCounts](t)(s.UpsertCustomers(ctx, []customer.Customer{{ID: "c1", Email: "Li.Na@example.cn", Phone: "+86 138 0013 8000"}}))
	must[int](t)(s.AddConsents(ctx, []customer.Consent{{CustomerID: "c1", Channel: "email", Purpose: customer.PurposeMarketing, Status: customer.Granted, At: t0.Add(-time.Hour)}}))
	// a hard bounce suppression already on the phone must stay as it is
	hard, _ := policy.NewSuppression(policy.KindPhone, "+8613800138000", "hard_bounce", false, "", "test", t0.Add(-time.Hour))
	must[int](t)(s.AddSuppressions(ctx, []policy.Suppression{hard}))

	email, _ := policy.NewSuppression(policy.KindEmail, "Li.Na@example.cn", "unsubscribe", true, "", "link", t0)
	phone, _ := policy.NewSuppression(policy.KindPhone, "13800138000", "unsubscribe", true, "", "link", t0)
	e := tracking.Effect{
		Hit: tracking.Hit{Key: 77, Kind: tracking.KindUnsubscribe, SendID: ids[0], CustomerID: "c1", Campaign: "autumn", Channel: "email", At: t0},
		Revoke: []customer.Consent{
			{CustomerID: "c1", Channel: "email", Purpose: customer.PurposeMarketing, Status: customer.Revoked, Source: "link", At: t0},
			{CustomerID: "c1", Channel: "sms", Purpose: customer.PurposeMarketing, Status: customer.Revoked, Source: "link", At: t0},
		},
		Suppress: []policy.Suppression{email, phone},
	}
	res := must[tracking.EffectResult](t)(s.ApplyEffect(ctx, e))
	if !res.New || res.Revoked != 2 || res.Suppressed != 1 {
		t.Errorf("first ApplyEffect: %+v, want new, 2 revoked, 1 suppressed (the phone was already)", res)
	}
	e.Hit.At, e.Revoke[0].At, e.Revoke[1].At = t0.Add(time.Minute), t0.Add(time.Minute), t0.Add(time.Minute)
	res = must[tracking.EffectResult](t)(s.ApplyEffect(ctx, e))
	if res.New || res.Revoked != 0 || res.Suppressed != 0 {
		t.Errorf("repeated ApplyEffect: %+v, want nothing new", res)
	}
	cur := customer.CurrentConsent(must[[]customer.Consent](t)(s.Consents(ctx, "c1")))
	if cur.Granted("email", customer.PurposeMarketing) || cur.Granted("sms", customer.PurposeMarketing) {
		t.Errorf("consent after unsubscribe: %+v", cur)
	}
	if n := len(must[[]customer.Consent](t)(s.Consents(ctx, "c1"))); n != 3 {
		t.Errorf("ledger has %d entries, want 3 (grant, two revocations)", n)
	}
	got := must[[]policy.Suppression](t)(s.MatchSuppressions(ctx, []policy.SuppressionKey{email.SuppressionKey, phone.SuppressionKey}))
	if len(got) != 2 {
		t.Fatalf("suppressions: %+v", got)
	}
	for _, sp := range got {
		if sp.Kind == policy.KindPhone && (sp.Reason != "hard_bounce" || sp.MarketingOnly) {
			t.Errorf("the hard bounce entry was changed: %+v", sp)
		}
		if sp.Kind == policy.KindEmail && (sp.Reason != "unsubscribe" || !sp.MarketingOnly) {
			t.Errorf("email entry: %+v", sp)
		}
	}
	if n := must[int](t)(s.CountEvents(ctx, event.Filter{Types: []string{event.Unsubscribe}})); n != 1 {
		t.Errorf("unsubscribe events: %d, want 1", n)
	}
	// granted again later, then the same link again: revoked again
	must[int](t)(s.AddConsents(ctx, []customer.Consent{{CustomerID: "c1", Channel: "email", Purpose: customer.PurposeMarketing, Status: customer.Granted, At: t0.Add(time.Hour)}}))
	e.Revoke = e.Revoke[:1]
	e.Revoke[0].At = t0.Add(2 * time.Hour)
	if res := must[tracking.EffectResult](t)(s.ApplyEffect(ctx, e)); res.Revoked != 1 {
		t.Errorf("after a new grant: %+v, want 1 revoked", res)
	}
	if _, err := s.ApplyEffect(ctx, tracking.Effect{Hit: e.Hit, Revoke: []customer.Consent{{Channel: "email", Status: customer.Revoked}}}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("revocation without customer: %v, want Invalid", err)
	}
}

func testTrackingReportReads(t *testing.T, s store.Store) {
	c, ids := SeedCampaign(t, s, "winter", campaign.EvenVariants(1), 0, []campaign.Send{
		{CustomerID: "c1", Channel: "email", State: campaign.SendSent, Variant: "A"},
		{CustomerID: "c2", Channel: "email", State: campaign.SendSent, Variant: "A"},
	})
	_, other := SeedCampaign(t, s, "other", campaign.EvenVariants(1), 0, []campaign.Send{
		{CustomerID: "c1", Channel: "sms", State: campaign.SendSent, Variant: "A"},
		{CustomerID: "c9", Channel: "sms", State: campaign.SendSent, Variant: "A"},
	})
	t0 := time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)
	must[int](t)(s.InsertHits(ctx, []tracking.Hit{
		{Key: 1, Kind: tracking.KindClick, SendID: ids[0], CustomerID: "c1", At: t0.Add(time.Hour)},
		{Key: 2, Kind: tracking.KindClick, SendID: ids[0], CustomerID: "c1", At: t0.Add(time.Hour), Machine: true},
		{Key: 3, Kind: tracking.KindOpen, SendID: other[0], CustomerID: "c1", At: t0.Add(2 * time.Hour)},
		{Key: 4, Kind: tracking.KindClick, SendID: other[1], CustomerID: "c9", At: t0.Add(2 * time.Hour)},
		{Key: 5, Kind: tracking.KindClick, SendID: ids[1], CustomerID: "c2", At: t0.Add(-time.Hour)}, // before since
		{Key: 6, Kind: tracking.KindDelivered, SendID: ids[1], CustomerID: "c2", At: t0.Add(time.Hour)},
	}))
	var touches []tracking.Touch
	if err := s.RecipientTouches(ctx, c.ID, t0, func(tc tracking.Touch) error { touches = append(touches, tc); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(touches) != 2 {
		t.Fatalf("RecipientTouches: %+v, want c1's human click and its open on the other campaign", touches)
	}
	var n int
	if err := s.CampaignHits(ctx, c.ID, func(tracking.Hit) error { n++; return nil }); err != nil || n != 4 {
		t.Errorf("CampaignHits: %d %v, want 4", n, err)
	}
	must[event.InsertCounts](t)(s.InsertEvents(ctx, []event.Event{
		{CustomerID: "c2", Type: event.Purchase, OrderID: "o2", Amount: 50, OccurredAt: t0.Add(3 * time.Hour)},
		{CustomerID: "c1", Type: event.Refund, OrderID: "o1", Amount: -20, OccurredAt: t0.Add(4 * time.Hour)},
		{CustomerID: "c1", Type: event.Purchase, OrderID: "o1", Amount: 80, OccurredAt: t0.Add(3 * time.Hour)},
		{CustomerID: "c1", Type: event.View, SKU: "x", OccurredAt: t0.Add(3 * time.Hour)},
		{CustomerID: "c9", Type: event.Purchase, OrderID: "o9", Amount: 10, OccurredAt: t0.Add(3 * time.Hour)},
	}))
	var got []event.Event
	if err := s.RecipientOrders(ctx, c.ID, func(e event.Event) error { got = append(got, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].CustomerID != "c1" || got[0].Type != event.Purchase || got[1].Type != event.Refund || got[2].CustomerID != "c2" {
		t.Errorf("RecipientOrders: %+v", got)
	}
}

func testTrackingTestPlan(t *testing.T, s store.Store) {
	at := time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)
	c, ids := SeedCampaign(t, s, "ab", campaign.EvenVariants(2), 0, []campaign.Send{
		{CustomerID: "c1", Channel: "email", State: campaign.SendSent, Variant: "A"},
		{CustomerID: "c2", Channel: "email", State: campaign.SendSent, Variant: "B"},
		{CustomerID: "c3", Channel: "email", State: campaign.SendPending, Code: campaign.CodeAwaitingWinner, NextAt: at.Add(time.Hour)},
		{CustomerID: "c4", Channel: "sms", State: campaign.SendPending, Code: campaign.CodeAwaitingWinner, NextAt: at.Add(time.Hour)},
	})
	if _, ok, err := s.TestPlan(ctx, c.ID); ok || err != nil {
		t.Fatalf("a campaign without a test: %v %v", ok, err)
	}
	plan := campaign.TestPlan{Share: 0.2, Window: 24 * time.Hour, Metric: experiment.MetricConversion, Default: "A"}
	if err := s.SaveTestPlan(ctx, c.ID, plan); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.TestPlan(ctx, c.ID)
	if err != nil || !ok || got.Share != 0.2 || got.Window != 24*time.Hour || got.Default != "A" || got.Winner != "" || got.Decision != nil {
		t.Fatalf("TestPlan: %+v %v %v", got, ok, err)
	}
	// c3 has content for both variants, c4 only for A
	if err := s.SaveTestCandidates(ctx, c.ID, []campaign.TestCandidate{
		{CustomerID: "c3", Channel: "email", Variant: "A", ContentID: "item-a"},
		{CustomerID: "c3", Channel: "email", Variant: "B", ContentID: "item-b"},
		{CustomerID: "c4", Channel: "sms", Variant: "A", ContentID: "item-a-sms"},
	}); err != nil {
		t.Fatal(err)
	}
	rest := must[map[int64]bool](t)(s.RestSends(ctx, c.ID))
	if len(rest) != 2 || !rest[ids[2]] || !rest[ids[3]] {
		t.Errorf("RestSends: %v", rest)
	}
	d := experiment.Decision{Send: "B", Winner: true, Code: experiment.DecisionWinner, Reason: "B beats A", ReasonZh: "B 胜出"}
	p := must[campaign.TestPlan](t)(s.DecideTest(ctx, c.ID, d, at.Add(24*time.Hour)))
	if p.Winner != "B" || p.Decision == nil || p.Decision.ReasonZh != "B 胜出" || !p.DecidedAt.Equal(at.Add(24*time.Hour)) {
		t.Errorf("DecideTest: %+v", p)
	}
	// a second decision (another worker) changes nothing
	p = must[campaign.TestPlan](t)(s.DecideTest(ctx, c.ID, experiment.Decision{Send: "A", Code: "no_clear_winner"}, at.Add(25*time.Hour)))
	if p.Winner != "B" {
		t.Errorf("a second decision replaced the first: %+v", p)
	}
	byID := map[int64]campaign.Send{}
	_ = s.ListSends(ctx, c.ID, "", 0, 0, func(sd campaign.Send) error { byID[sd.ID] = sd; return nil })
	if r := byID[ids[2]]; r.State != campaign.SendPending || r.Variant != "B" || r.ContentID != "item-b" || r.Code != "" {
		t.Errorf("c3 after the decision: %+v", r)
	}
	if r := byID[ids[3]]; r.State != campaign.SendSkipped || r.Variant != "B" || r.Code != campaign.CodeContentNotApproved {
		t.Errorf("c4 (no content of the winner): %+v", r)
	}
	if r := byID[ids[0]]; r.Variant != "A" || r.State != campaign.SendSent {
		t.Errorf("a test row changed: %+v", r)
	}
	if rest := must[map[int64]bool](t)(s.RestSends(ctx, c.ID)); len(rest) != 2 {
		t.Errorf("RestSends after the decision: %v", rest)
	}
}
