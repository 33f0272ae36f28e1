package storetest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/segment"
	"github.com/chorusmkt/chorus/internal/store"
)

// RunSegment runs the conformance tests of the segment tables; open must
// return a fresh, empty store.
func RunSegment(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"CreateGetList", testSegmentCreate},
		{"CreateDuplicateConflicts", testSegmentDuplicate},
		{"NotFound", testSegmentNotFound},
		{"UpdateBumpsVersionKeepsSince", testSegmentUpdate},
		{"RefreshDiffAndVersionCheck", testSegmentRefresh},
		{"ApplyChangesAtomic", testSegmentApply},
		{"Memberships", testSegmentMemberships},
		{"DeleteCascades", testSegmentDelete},
		{"LargeMembership", testSegmentLarge},
		{"PendingMarksFollowWrites", testSegmentPending},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

var segT0 = time.Date(2026, 3, 1, 9, 30, 0, 123456000, time.UTC)

func newSegment(name, expr string) segment.Segment {
	return segment.Segment{Name: name, Expression: expr, Description: "test " + name,
		CreatedAt: segT0, UpdatedAt: segT0, RefreshedAt: segT0}
}

func members(t *testing.T, s store.Store, name string) map[string]time.Time {
	t.Helper()
	out := map[string]time.Time{}
	var order []string
	if err := s.ScanSegmentMembers(ctx, name, func(m segment.Member) error {
		out[m.CustomerID] = m.Since
		order = append(order, m.CustomerID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(order) {
		t.Fatalf("members not ordered by customer id: %v", order)
	}
	return out
}

func testSegmentCreate(t *testing.T, s store.Store) {
	got, err := s.CreateSegment(ctx, newSegment("vip_zh", `"vip" in tags && language == "zh"`), []string{"c2", "c1", "c1", ""})
	if err != nil {
		t.Fatal(err)
	}
	want := segment.Segment{Name: "vip_zh", Expression: `"vip" in tags && language == "zh"`, Description: "test vip_zh",
		Version: 1, Members: 2, CreatedAt: segT0, UpdatedAt: segT0, RefreshedAt: segT0}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("created = %+v\nwant      %+v", got, want)
	}
	if g := must[segment.Segment](t)(s.GetSegment(ctx, "vip_zh")); !reflect.DeepEqual(g, want) {
		t.Fatalf("get = %+v\nwant  %+v", g, want)
	}
	if _, err := s.CreateSegment(ctx, newSegment("all", "true"), nil); err != nil {
		t.Fatal(err)
	}
	list := must[[]segment.Segment](t)(s.ListSegments(ctx))
	if len(list) != 2 || list[0].Name != "all" || list[0].Members != 0 || list[1].Name != "vip_zh" || list[1].Members != 2 {
		t.Fatalf("list = %+v", list)
	}
	m := members(t, s, "vip_zh")
	if !reflect.DeepEqual(m, map[string]time.Time{"c1": segT0, "c2": segT0}) {
		t.Fatalf("members = %v", m)
	}
}

func testSegmentDuplicate(t *testing.T, s store.Store) {
	if _, err := s.CreateSegment(ctx, newSegment("dup", "true"), []string{"a"}); err != nil {
		t.Fatal(err)
	}
	_, err := s.CreateSegment(ctx, newSegment("dup", "false"), []string{"b"})
	if !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("second create: %v, want conflict", err)
	}
	// The failed create changed nothing.
	g := must[segment.Segment](t)(s.GetSegment(ctx, "dup"))
	if g.Expression != "true" || g.Members != 1 {
		t.Fatalf("after conflict = %+v", g)
	}
}

func testSegmentNotFound(t *testing.T, s store.Store) {
	checks := map[string]error{}
	_, checks["get"] = s.GetSegment(ctx, "nope")
	checks["delete"] = s.DeleteSegment(ctx, "nope")
	checks["scan"] = s.ScanSegmentMembers(ctx, "nope", func(segment.Member) error { return nil })
	_, _, checks["update"] = s.UpdateSegment(ctx, newSegment("nope", "true"), nil)
	_, checks["refresh"] = s.RefreshSegment(ctx, "nope", 1, nil, segT0)
	checks["apply"] = s.ApplySegmentChanges(ctx, []segment.Change{{Segment: "nope", Version: 1, Joined: []string{"x"}}}, segT0)
	for op, err := range checks {
		if !apperr.Is(err, apperr.NotFound) {
			t.Errorf("%s of unknown segment: %v, want not_found", op, err)
		}
	}
}

func testSegmentUpdate(t *testing.T, s store.Store) {
	if _, err := s.CreateSegment(ctx, newSegment("big", "clv > 100"), []string{"a", "b", "c"}); err != nil {
		t.Fatal(err)
	}
	t1 := segT0.Add(time.Hour)
	upd := segment.Segment{Name: "big", Expression: "clv > 200", Description: "raised", UpdatedAt: t1, RefreshedAt: t1}
	got, ch, err := s.UpdateSegment(ctx, upd, []string{"b", "c", "d"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.Expression != "clv > 200" || got.Description != "raised" || !got.CreatedAt.Equal(segT0) ||
		!got.UpdatedAt.Equal(t1) || got.Members != 3 {
		t.Fatalf("updated = %+v", got)
	}
	wantCh := segment.Change{Segment: "big", Version: 2, Joined: []string{"d"}, Left: []string{"a"}}
	if !reflect.DeepEqual(ch, wantCh) {
		t.Fatalf("change = %+v, want %+v", ch, wantCh)
	}
	m := members(t, s, "big")
	want := map[string]time.Time{"b": segT0, "c": segT0, "d": t1}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("members = %v, want %v (stayers keep since)", m, want)
	}
}

func testSegmentRefresh(t *testing.T, s store.Store) {
	if _, err := s.CreateSegment(ctx, newSegment("r", "true"), []string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	t1 := segT0.Add(24 * time.Hour)
	ch, err := s.RefreshSegment(ctx, "r", 1, []string{"b", "c", "c"}, t1)
	if err != nil {
		t.Fatal(err)
	}
	if want := (segment.Change{Segment: "r", Version: 1, Joined: []string{"c"}, Left: []string{"a"}}); !reflect.DeepEqual(ch, want) {
		t.Fatalf("refresh change = %+v, want %+v", ch, want)
	}
	g := must[segment.Segment](t)(s.GetSegment(ctx, "r"))
	if !g.RefreshedAt.Equal(t1) || g.Version != 1 || g.Members != 2 {
		t.Fatalf("after refresh = %+v", g)
	}
	// A rebuild computed for an older version must not land.
	_, err = s.RefreshSegment(ctx, "r", 7, []string{"z"}, t1)
	if !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("stale refresh: %v, want conflict", err)
	}
	if m := members(t, s, "r"); !reflect.DeepEqual(m, map[string]time.Time{"b": segT0, "c": t1}) {
		t.Fatalf("members after stale refresh = %v", m)
	}
}

func testSegmentApply(t *testing.T, s store.Store) {
	for _, name := range []string{"s1", "s2"} {
		if _, err := s.CreateSegment(ctx, newSegment(name, "true"), []string{"a", "b"}); err != nil {
			t.Fatal(err)
		}
	}
	t1 := segT0.Add(time.Minute)
	err := s.ApplySegmentChanges(ctx, []segment.Change{
		{Segment: "s1", Version: 1, Joined: []string{"c"}, Left: []string{"a"}},
		{Segment: "s2", Version: 1, Left: []string{"a", "b"}},
	}, t1)
	if err != nil {
		t.Fatal(err)
	}
	if m := members(t, s, "s1"); !reflect.DeepEqual(m, map[string]time.Time{"b": segT0, "c": t1}) {
		t.Fatalf("s1 = %v", m)
	}
	if m := members(t, s, "s2"); len(m) != 0 {
		t.Fatalf("s2 = %v, want empty", m)
	}
	// One stale change aborts the whole batch: nothing of s1 moves.
	err = s.ApplySegmentChanges(ctx, []segment.Change{
		{Segment: "s1", Version: 1, Joined: []string{"x"}},
		{Segment: "s2", Version: 9, Joined: []string{"y"}},
	}, t1)
	if !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("stale batch: %v, want conflict", err)
	}
	if m := members(t, s, "s1"); len(m) != 2 || !m["b"].Equal(segT0) {
		t.Fatalf("s1 after aborted batch = %v", m)
	}
}

func testSegmentMemberships(t *testing.T, s store.Store) {
	if _, err := s.CreateSegment(ctx, newSegment("b_seg", "true"), []string{"x", "y"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateSegment(ctx, newSegment("a_seg", "true"), []string{"y", "z"}); err != nil {
		t.Fatal(err)
	}
	got := must[map[string][]string](t)(s.SegmentMemberships(ctx, []string{"y", "x", "nobody", "y"}))
	want := map[string][]string{"x": {"b_seg"}, "y": {"a_seg", "b_seg"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("memberships = %v, want %v", got, want)
	}
	if got := must[map[string][]string](t)(s.SegmentMemberships(ctx, nil)); len(got) != 0 {
		t.Fatalf("memberships of none = %v", got)
	}
}

func testSegmentDelete(t *testing.T, s store.Store) {
	if _, err := s.CreateSegment(ctx, newSegment("gone", "true"), []string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSegment(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetSegment(ctx, "gone"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("get after delete: %v", err)
	}
	if got := must[map[string][]string](t)(s.SegmentMemberships(ctx, []string{"a", "b"})); len(got) != 0 {
		t.Fatalf("memberships after delete = %v", got)
	}
	// The name is free again, starting at version 1.
	g := must[segment.Segment](t)(s.CreateSegment(ctx, newSegment("gone", "false"), nil))
	if g.Version != 1 || g.Members != 0 {
		t.Fatalf("recreated = %+v", g)
	}
}

// testSegmentLarge crosses the statement batch size in every direction.
func testSegmentLarge(t *testing.T, s store.Store) {
	ids := func(lo, hi int) []string {
		var out []string
		for i := lo; i < hi; i++ {
			out = append(out, fmt.Sprintf("c%05d", i))
		}
		return out
	}
	if _, err := s.CreateSegment(ctx, newSegment("large", "true"), ids(0, 1800)); err != nil {
		t.Fatal(err)
	}
	ch, err := s.RefreshSegment(ctx, "large", 1, ids(700, 2600), segT0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Joined) != 800 || len(ch.Left) != 700 || ch.Joined[0] != "c01800" || ch.Left[699] != "c00699" {
		t.Fatalf("large refresh: %d joined, %d left", len(ch.Joined), len(ch.Left))
	}
	g := must[segment.Segment](t)(s.GetSegment(ctx, "large"))
	if g.Members != 1900 {
		t.Fatalf("members = %d, want 1900", g.Members)
	}
	ms := must[map[string][]string](t)(s.SegmentMemberships(ctx, ids(0, 2600)))
	if len(ms) != 1900 {
		t.Fatalf("memberships = %d customers, want 1900", len(ms))
	}
}

// Writes that may move a customer mark her for the segment engine in
// their own transaction, while any segment is saved (an import's events
// through BulkLoad too); FollowSegmentChanges applies changes and clears
// only the marks it was given, at the seq they were read with.
func testSegmentPending(t *testing.T, s store.Store) {
	pending := func() map[string]int64 {
		t.Helper()
		out := map[string]int64{}
		for _, p := range must[[]segment.Pending](t)(s.PendingSegmentCustomers(ctx)) {
			out[p.CustomerID] = p.Seq
		}
		return out
	}
	buy := func(id string, at time.Time) event.Event {
		return event.Event{CustomerID: id, Type: event.Purchase, SKU: "S1", Quantity: 1, Amount: 3, OccurredAt: at}
	}
	must[customer.UpsertCounts](t)(s.UpsertCustomers(ctx, []customer.Customer{{ID: "c1", Name: "Ann"}}))
	must[event.InsertCounts](t)(s.InsertEvents(ctx, []event.Event{buy("c1", segT0)}))
	if p := pending(); len(p) != 0 {
		t.Fatalf("marks without a saved segment: %v", p)
	}
	must[segment.Segment](t)(s.CreateSegment(ctx, newSegment("buyers", "orders > 0"), nil))
	must[customer.UpsertCounts](t)(s.UpsertCustomers(ctx, []customer.Customer{{ID: "c1", Name: "Ann"}, {ID: "c2", Name: "Bo"}}))
	err := s.BulkLoad(ctx, func(ctx context.Context) error {
		_, err := s.InsertEvents(ctx, []event.Event{buy("c3", segT0), buy("", segT0.Add(time.Minute))})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	must[event.InsertCounts](t)(s.InsertEvents(ctx, []event.Event{buy("c3", segT0)})) // stored already
	must[int](t)(s.AddConsents(ctx, []customer.Consent{{CustomerID: "c4", Channel: customer.ChannelSMS, Status: customer.Granted, At: segT0}}))
	if p := pending(); !reflect.DeepEqual(p, map[string]int64{"c2": 1, "c3": 1, "c4": 1}) {
		t.Fatalf("marks %v: the new customer, the new events' customer, the consent's (not the unchanged record, the guest or a stored event)", p)
	}
	if _, _, _, err := s.UpsertProducts(ctx, []catalog.Product{{SKU: "S1", Title: "Mug", Category: "kitchen"}}); err != nil {
		t.Fatal(err)
	}
	read := must[[]segment.Pending](t)(s.PendingSegmentCustomers(ctx))
	if len(read) != 4 || read[0].CustomerID != segment.Everyone {
		t.Fatalf("a product change marks everyone, first: %+v", read)
	}
	// c2 is written again after the marks were read: her mark stays
	must[customer.UpsertCounts](t)(s.UpsertCustomers(ctx, []customer.Customer{{ID: "c2", Name: "Bob"}}))
	seg := must[segment.Segment](t)(s.GetSegment(ctx, "buyers"))
	if err := s.FollowSegmentChanges(ctx, []segment.Change{{Segment: "buyers", Version: seg.Version, Joined: []string{"c3"}}}, segT0, read); err != nil {
		t.Fatal(err)
	}
	if p := pending(); !reflect.DeepEqual(p, map[string]int64{"c2": 2}) {
		t.Errorf("marks after following %v, want c2's renewed one only", p)
	}
	if m := members(t, s, "buyers"); len(m) != 1 || m["c3"].IsZero() {
		t.Errorf("members %v", m)
	}
	// the changes and the clearing are one transaction
	err = s.FollowSegmentChanges(ctx, []segment.Change{{Segment: "buyers", Version: seg.Version + 1, Joined: []string{"c2"}}}, segT0, must[[]segment.Pending](t)(s.PendingSegmentCustomers(ctx)))
	if !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a change for another version: %v", err)
	}
	if p := pending(); len(p) != 1 {
		t.Errorf("a failed follow cleared marks: %v", p)
	}
}
