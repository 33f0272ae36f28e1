package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
)

// RunPolicy is the conformance suite of the contact policy's tables,
// typed by the interface the gate declares (policy.Store), so that an
// in-memory store passes the same suite as both engines.
func RunPolicy(t *testing.T, open func(*testing.T) policy.Store) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, policy.Store)
	}{
		{"Suppressions", testPolicySuppressions},
		{"Sends", testPolicySends},
		{"AddCountDeleteSends", testPolicyAddCountDeleteSends},
		{"Skips", testPolicySkips},
		{"CountDeleteSkips", testPolicyCountDeleteSkips},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

// policyAt is the instant the policy tests write at.
var policyAt = time.Date(2026, 11, 1, 8, 0, 0, 123000, time.UTC)

func testPolicySuppressions(t *testing.T, s policy.Store) {
	at := policyAt
	mk := func(kind, v, reason string, mo bool, at time.Time) policy.Suppression {
		sp, err := policy.NewSuppression(kind, v, reason, mo, "note "+v, "test", at)
		if err != nil {
			t.Fatal(err)
		}
		return sp
	}
	n, err := s.AddSuppressions(ctx, []policy.Suppression{
		mk("email", "Ann@Example.com", "hard_bounce", false, at),
		mk("phone", "+86 138 0013 8000", "complaint", false, at.Add(time.Hour)),
		mk("customer", "c9", "unsubscribe", true, at.Add(2*time.Hour)),
	})
	if err != nil || n != 3 {
		t.Fatalf("AddSuppressions = %d, %v; want 3 new", n, err)
	}
	// Re-adding a key replaces its entry and is not new.
	n, err = s.AddSuppressions(ctx, []policy.Suppression{mk("email", "ann@example.com", "complaint", true, at.Add(3*time.Hour))})
	if err != nil || n != 0 {
		t.Fatalf("re-add = %d, %v; want 0 new", n, err)
	}
	var all []policy.Suppression
	if err := s.ListSuppressions(ctx, func(sp policy.Suppression) error { all = append(all, sp); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].Value != "ann@example.com" || all[0].Reason != "complaint" || !all[0].MarketingOnly ||
		!all[0].At.Equal(at.Add(3*time.Hour)) || all[0].Note != "note ann@example.com" || all[0].Source != "test" ||
		all[1].Kind != "customer" || !all[1].MarketingOnly || all[2].Value != "13800138000" || all[2].MarketingOnly {
		t.Fatalf("list = %+v", all)
	}
	keys := []policy.SuppressionKey{{Kind: "customer", Value: "c9"}, {Kind: "email", Value: "bob@example.com"},
		{Kind: "phone", Value: "13800138000"}}
	hits, err := s.MatchSuppressions(ctx, keys)
	if err != nil || len(hits) != 2 || hits[0].Value != "c9" || hits[1].Kind != "phone" || hits[1].Reason != "complaint" {
		t.Fatalf("match = %+v, %v", hits, err)
	}
	if hits, err := s.MatchSuppressions(ctx, nil); err != nil || len(hits) != 0 {
		t.Fatalf("match nothing = %+v, %v", hits, err)
	}
	if err := s.RemoveSuppression(ctx, policy.SuppressionKey{Kind: "customer", Value: "c9"}); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveSuppression(ctx, policy.SuppressionKey{Kind: "customer", Value: "c9"}); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("second remove = %v, want NotFound", err)
	}
	if hits, _ := s.MatchSuppressions(ctx, keys); len(hits) != 1 {
		t.Fatalf("after remove: %+v", hits)
	}
}

func testPolicySends(t *testing.T, s policy.Store) {
	at := policyAt
	ok := func([]policy.Send) error { return nil }
	for i, sd := range []policy.Send{
		{CustomerID: "c1", Channel: "sms", Purpose: "marketing", Campaign: "a", SentAt: at.Add(2 * time.Hour)},
		{CustomerID: "c1", Channel: "email", Purpose: "transactional", SentAt: at},
		{CustomerID: "c2", Channel: "sms", Purpose: "marketing", SentAt: at.Add(time.Hour)},
		{CustomerID: "c1", Channel: "push", Purpose: "marketing", SentAt: at.Add(-48 * time.Hour)},
	} {
		if err := s.RecordSend(ctx, sd, at.Add(-time.Hour), ok); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	got, err := s.SendsSince(ctx, "c1", at.Add(-time.Hour))
	if err != nil || len(got) != 2 || got[0].Channel != "email" || !got[0].SentAt.Equal(at) || got[1].Campaign != "a" ||
		got[1].Purpose != "marketing" || got[1].CustomerID != "c1" {
		t.Fatalf("SendsSince = %+v, %v", got, err)
	}
	// since is exclusive.
	if got, _ := s.SendsSince(ctx, "c1", at); len(got) != 1 {
		t.Fatalf("SendsSince(exclusive) = %+v", got)
	}
	// check sees the prior sends after since and its error stops the insert.
	full := errors.New("full")
	var seen []policy.Send
	err = s.RecordSend(ctx, policy.Send{CustomerID: "c1", Channel: "sms", Purpose: "marketing", SentAt: at.Add(3 * time.Hour)},
		at.Add(-72*time.Hour), func(prior []policy.Send) error { seen = prior; return full })
	if !errors.Is(err, full) || len(seen) != 3 || seen[0].Channel != "push" {
		t.Fatalf("RecordSend refused = %v, saw %+v", err, seen)
	}
	if got, _ := s.SendsSince(ctx, "c1", at.Add(-72*time.Hour)); len(got) != 3 {
		t.Fatalf("refused send was stored: %+v", got)
	}
}

func testPolicyAddCountDeleteSends(t *testing.T, s policy.Store) {
	at := policyAt
	if _, err := s.AddSends(ctx, []policy.Send{{CustomerID: "c1", Channel: "sms", Purpose: "marketing"}}); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("AddSends without a time = %v, want Invalid", err)
	}
	// 1,203 sends an hour apart, newest first, so that "oldest first"
	// is not insertion order; the last ones are c2's.
	var ss []policy.Send
	for i := range 1203 {
		id := "c1"
		if i >= 1200 {
			id = "c2"
		}
		ss = append(ss, policy.Send{CustomerID: id, Channel: "email", Purpose: "marketing", Campaign: "h", SentAt: at.Add(-time.Duration(i) * time.Hour)})
	}
	if n, err := s.AddSends(ctx, ss); err != nil || n != len(ss) {
		t.Fatalf("AddSends = %d, %v", n, err)
	}
	if got, err := s.SendsSince(ctx, "c2", at.Add(-1300*time.Hour)); err != nil || len(got) != 3 || got[0].Campaign != "h" ||
		!got[0].SentAt.Equal(at.Add(-1202*time.Hour)) {
		t.Fatalf("SendsSince after AddSends = %+v, %v", got, err)
	}
	// The cutoff is exclusive: the send at exactly cutoff stays.
	cutoff := at.Add(-1000 * time.Hour)
	if n, err := s.CountSends(ctx, cutoff); err != nil || n != 202 {
		t.Fatalf("CountSends = %d, %v; want 202", n, err)
	}
	n, err := s.DeleteSends(ctx, cutoff, 150)
	if err != nil || n != 150 {
		t.Fatalf("DeleteSends(limit 150) = %d, %v", n, err)
	}
	// Oldest first: c2's three and the 147 oldest of c1's went.
	if got, _ := s.SendsSince(ctx, "c2", at.Add(-1300*time.Hour)); len(got) != 0 {
		t.Fatalf("c2 kept %+v", got)
	}
	got, err := s.SendsSince(ctx, "c1", at.Add(-1300*time.Hour))
	if err != nil || len(got) != 1200-147 || !got[0].SentAt.Equal(at.Add(-1052*time.Hour)) {
		t.Fatalf("after a limited delete: %d sends from %v, %v", len(got), got[0].SentAt, err)
	}
	if n, err := s.DeleteSends(ctx, cutoff, 0); err != nil || n != 52 {
		t.Fatalf("DeleteSends(all) = %d, %v; want 52", n, err)
	}
	if n, err := s.DeleteSends(ctx, cutoff, 10); err != nil || n != 0 {
		t.Fatalf("DeleteSends again = %d, %v", n, err)
	}
	if n, err := s.CountSends(ctx, at.Add(time.Hour)); err != nil || n != 1001 {
		t.Fatalf("CountSends(all) = %d, %v; want the 1,001 from cutoff on", n, err)
	}
}

func testPolicySkips(t *testing.T, s policy.Store) {
	at := policyAt
	sk := policy.Skip{Campaign: "spring", CustomerID: "c1", Channel: "sms", Purpose: "marketing", PlannedAt: at,
		Code: policy.CodeQuietHours, Reason: "quiet", NextAt: at.Add(time.Hour), DecidedAt: at.Add(-time.Minute)}
	if err := s.RecordSkip(ctx, sk); err != nil {
		t.Fatal(err)
	}
	other := sk
	other.CustomerID, other.Code, other.NextAt, other.DecidedAt = "c2", policy.CodeNoConsent, time.Time{}, at
	if err := s.RecordSkip(ctx, other); err != nil {
		t.Fatal(err)
	}
	// The same planned message decided again replaces its skip.
	sk.Code, sk.Reason, sk.DecidedAt = "cap_channel_day", "capped", at.Add(time.Minute)
	if err := s.RecordSkip(ctx, sk); err != nil {
		t.Fatal(err)
	}
	unrelated := other
	unrelated.Campaign = ""
	if err := s.RecordSkip(ctx, unrelated); err != nil {
		t.Fatal(err)
	}
	got, err := s.ListSkips(ctx, "spring")
	if err != nil || len(got) != 2 {
		t.Fatalf("ListSkips = %+v, %v", got, err)
	}
	if got[0].CustomerID != "c2" || !got[0].NextAt.IsZero() || got[1].Code != "cap_channel_day" || got[1].Reason != "capped" ||
		!got[1].PlannedAt.Equal(at) || !got[1].NextAt.Equal(at.Add(time.Hour)) || got[1].Campaign != "spring" {
		t.Fatalf("ListSkips = %+v", got)
	}
	if got, _ := s.ListSkips(ctx, ""); len(got) != 1 {
		t.Fatalf("ListSkips(\"\") = %+v", got)
	}
}

func testPolicyCountDeleteSkips(t *testing.T, s policy.Store) {
	at := policyAt
	// 30 skips decided a minute apart; the cutoff falls after the 20th
	for i := range 30 {
		sk := policy.Skip{Campaign: "c", CustomerID: fmt.Sprintf("k%02d", i), Channel: "email", Purpose: "marketing",
			PlannedAt: at, Code: policy.CodeNoConsent, DecidedAt: at.Add(time.Duration(i) * time.Minute)}
		if err := s.RecordSkip(ctx, sk); err != nil {
			t.Fatal(err)
		}
	}
	cutoff := at.Add(20 * time.Minute) // exactly the 21st: kept
	if n, err := s.CountSkips(ctx, cutoff); err != nil || n != 20 {
		t.Fatalf("CountSkips = %d, %v; want 20", n, err)
	}
	if n, err := s.DeleteSkips(ctx, cutoff, 15); err != nil || n != 15 {
		t.Fatalf("DeleteSkips(limit 15) = %d, %v", n, err)
	}
	left, err := s.ListSkips(ctx, "c")
	if err != nil || len(left) != 15 || left[0].CustomerID != "k15" {
		t.Fatalf("after deleting the 15 oldest: %d left, first %+v, %v", len(left), left[0], err)
	}
	if n, err := s.DeleteSkips(ctx, cutoff, 0); err != nil || n != 5 {
		t.Fatalf("DeleteSkips(all) = %d, %v; want 5", n, err)
	}
	if n, err := s.CountSkips(ctx, at.Add(time.Hour)); err != nil || n != 10 {
		t.Fatalf("CountSkips(all) = %d, %v; want the 10 from the cutoff on", n, err)
	}
}
