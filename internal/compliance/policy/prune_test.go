package policy_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

const day = 24 * time.Hour

// history adds n sends of customer id on channel, one a minute back from
// at, none of them capped.
func history(t *testing.T, s store.Store, id, channel string, at time.Time, n int) {
	t.Helper()
	ss := make([]policy.Send, n)
	for i := range ss {
		ss[i] = policy.Send{CustomerID: id, Channel: channel, Purpose: policy.Marketing, SentAt: at.Add(-time.Duration(i) * time.Minute)}
	}
	if k, err := s.AddSends(ctx, ss); err != nil || k != n {
		t.Fatalf("AddSends = %d, %v", k, err)
	}
}

func countBefore(t *testing.T, s store.Store, cutoff time.Time) int64 {
	t.Helper()
	n, err := s.CountSends(ctx, cutoff)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// capWorld has ann, whose sms day cap (one at noon-2h) and marketing week
// cap (three: that sms, email at noon-3d, push at noon-6d) are full at
// noon, and older sends of ann and bob on both sides of the default
// cutoff (noon minus 7 days minus 30 days).
func capWorld(t *testing.T, s store.Store) (w *world, inside, outside int64) {
	w = newWorld(t, s, contact())
	policy.SetNow(w.g, func() time.Time { return noon })
	for _, id := range []string{"ann", "bob"} {
		w.customer(person(id, "Asia/Shanghai"))
		for _, ch := range []string{"sms", "email", "push", "wechat"} {
			w.grant(id, ch, noon.Add(-400*day))
		}
	}
	w.sent("ann", "sms", policy.Marketing, noon.Add(-2*time.Hour))
	w.sent("ann", "email", policy.Marketing, noon.Add(-3*day))
	w.sent("ann", "push", policy.Marketing, noon.Add(-6*day))
	w.sent("ann", "email", policy.Transactional, noon.Add(-8*day)) // outside every cap window, inside the retention
	cutoff := noon.Add(-37 * day)
	w.sent("bob", "sms", policy.Marketing, cutoff) // exactly the cutoff: kept
	inside = 5
	history(t, s, "ann", "email", cutoff.Add(-time.Microsecond), 40) // just before the cutoff and older
	history(t, s, "bob", "wechat", noon.Add(-400*day), 2*policy.PruneBatch+7)
	outside = 40 + 2*policy.PruneBatch + 7
	return w, inside, outside
}

// TestPruneKeepsWhatCapsCount: a prune deletes exactly the sends before
// its cutoff, reports exactly how many, and the caps decide as before.
func TestPruneKeepsWhatCapsCount(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		w, inside, outside := capWorld(t, s)
		g := w.g
		if g.Retention() != 37*day || g.LongestCapWindow() != 7*day || !g.PruneCutoff().Equal(noon.Add(-37*day)) {
			t.Fatalf("retention %s, longest window %s, cutoff %s", g.Retention(), g.LongestCapWindow(), g.PruneCutoff())
		}
		end := noon.Add(time.Hour)
		capped := func(when string) {
			t.Helper()
			for ch, want := range map[string]struct {
				code string
				next time.Time
			}{
				"sms":    {"cap_channel_day", noon.Add(22 * time.Hour)},
				"wechat": {"cap_all_week", noon.Add(day)}, // when the push of noon-6d leaves the week
			} {
				d, err := g.Decide(ctx, policy.Message{CustomerID: "ann", Channel: ch, At: noon})
				if err != nil || d.Code != want.code || !d.NextAt.Equal(want.next) {
					t.Errorf("%s: ann on %s = %q until %s (%v), want %q until %s", when, ch, d.Code, d.NextAt, err, want.code, want.next)
				}
			}
			if d, err := g.Decide(ctx, policy.Message{CustomerID: "bob", Channel: "sms", At: noon}); err != nil || !d.Allow {
				t.Errorf("%s: bob on sms = %+v, %v", when, d, err)
			}
		}
		capped("before pruning")

		n, err := g.Prune(ctx, g.PruneCutoff(), true)
		if err != nil || n != outside || countBefore(t, s, end) != inside+outside {
			t.Fatalf("dry run = %d, %v; want %d and nothing deleted", n, err, outside)
		}
		n, err = g.Prune(ctx, g.PruneCutoff(), false)
		if err != nil || n != outside {
			t.Fatalf("Prune = %d, %v; want %d", n, err, outside)
		}
		if left := countBefore(t, s, end); left != inside {
			t.Fatalf("%d sends left, want the %d inside the retention", left, inside)
		}
		if got, _ := s.SendsSince(ctx, "bob", noon.Add(-500*day)); len(got) != 1 || !got[0].SentAt.Equal(noon.Add(-37*day)) {
			t.Fatalf("bob's sends = %+v, want only the one at the cutoff", got)
		}
		capped("after pruning")
		if n, err := g.Prune(ctx, g.PruneCutoff(), false); err != nil || n != 0 {
			t.Fatalf("second Prune = %d, %v", n, err)
		}

		// A cutoff inside the longest cap window is refused.
		for _, cutoff := range []time.Time{noon.Add(-7*day + time.Second), noon, noon.Add(day)} {
			if n, err := g.Prune(ctx, cutoff, false); !apperr.Is(err, apperr.Invalid) || n != 0 {
				t.Errorf("Prune(%s) = %d, %v; want Invalid", cutoff, n, err)
			}
		}
		if left := countBefore(t, s, end); left != inside {
			t.Fatalf("a refused prune deleted sends: %d left", left)
		}
		// The tightest allowed cutoff, the longest window, keeps the caps.
		n, err = g.Prune(ctx, noon.Add(-7*day), false)
		if err != nil || n != 2 { // ann's transactional e-mail of noon-8d and bob's of noon-37d
			t.Fatalf("Prune(window) = %d, %v; want 2", n, err)
		}
		capped("after pruning to the window")
	})
}

// TestAutoPrune: recorded sends and skips prune the log as they go, a bounded batch
// at a time, again at once while a backlog remains, then only every
// AutoPruneEvery, never inside the retention, whatever the send's time.
func TestAutoPrune(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		w, inside, outside := capWorld(t, s)
		now := noon
		policy.SetNow(w.g, func() time.Time { return now })
		cutoff := noon.Add(-37 * day)
		far := noon.Add(10 * 365 * day)
		people := 0
		admit := func(at time.Time) {
			t.Helper()
			people++
			id := fmt.Sprintf("p%03d", people)
			w.customer(person(id, "Asia/Shanghai"))
			w.grant(id, "email", noon.Add(-400*day))
			d, err := w.g.Admit(ctx, policy.Message{CustomerID: id, Channel: "email", At: at})
			if err != nil || !d.Allow {
				t.Fatalf("Admit(%s) = %+v, %v", id, d, err)
			}
			inside++
		}
		wantOld := func(want int64) {
			t.Helper()
			if got := countBefore(t, s, cutoff); got != want {
				t.Fatalf("%d sends before the cutoff, want %d", got, want)
			}
			if got := countBefore(t, s, far); got != inside+want {
				t.Fatalf("%d sends in all, want %d kept + %d old", got, inside, want)
			}
		}
		// A recorded skip prunes a batch too: a run that only skips must
		// not let the logs grow.
		if d, err := w.g.Admit(ctx, policy.Message{CustomerID: "ann", Channel: "sms", At: noon}); err != nil || d.Allow {
			t.Fatalf("capped Admit = %+v, %v", d, err)
		}
		wantOld(max(0, outside-policy.AutoPruneBatch))
		// Each recorded send prunes a batch, and while batches come back
		// full the next send prunes another.
		for left := max(0, outside-policy.AutoPruneBatch); left > 0; left -= policy.AutoPruneBatch {
			admit(noon)
			wantOld(max(0, left-policy.AutoPruneBatch))
		}
		// Caught up: the next sends leave new old history alone ...
		history(t, s, "bob", "push", cutoff.Add(-day), 10)
		admit(noon)
		now = now.Add(policy.AutoPruneEvery - time.Second)
		admit(now)
		wantOld(10)
		// ... until AutoPruneEvery has passed; then the cutoff has moved
		// with the clock, and bob's send at the old cutoff goes too.
		now = noon.Add(policy.AutoPruneEvery)
		admit(now)
		inside--
		wantOld(0)
		if got, _ := s.SendsSince(ctx, "bob", noon.Add(-500*day)); len(got) != 0 {
			t.Fatalf("bob kept %+v", got)
		}
		// A send planned 60 days ahead prunes up to the retention before
		// now, not before its own time, which would reach into the week
		// ann's caps count.
		now = now.Add(policy.AutoPruneEvery)
		admit(now.Add(60 * day))
		wantOld(0)
		d, err := w.g.Decide(ctx, policy.Message{CustomerID: "ann", Channel: "wechat", At: noon})
		if err != nil || d.Code != "cap_all_week" {
			t.Fatalf("ann after auto-pruning = %+v, %v", d, err)
		}
		// A send recorded with a past time prunes only before its own
		// retention, keeping the history around it.
		history(t, s, "bob", "push", noon.Add(-310*day), 3)
		now = now.Add(policy.AutoPruneEvery)
		admit(noon.Add(-300 * day))
		inside--
		wantOld(3 + 1) // bob's three and the send itself
	})
}

// TestPruneSkips: the skips log keeps entries for the skip retention (180
// days by default): PruneSkips deletes exactly the older ones, or counts
// them, and a recorded send prunes old skips as it goes.
func TestPruneSkips(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s, contact())
		now := noon
		policy.SetNow(w.g, func() time.Time { return now })
		g := w.g
		if g.SkipRetention() != 180*day || !g.SkipPruneCutoff().Equal(noon.Add(-180*day)) {
			t.Fatalf("skip retention %s, cutoff %s", g.SkipRetention(), g.SkipPruneCutoff())
		}
		skips := func(n int, decided time.Time) {
			t.Helper()
			for i := range n {
				sk := policy.Skip{Campaign: "old", CustomerID: fmt.Sprintf("s%d-%d", decided.Unix(), i), Channel: "email",
					Purpose: policy.Marketing, PlannedAt: decided, Code: policy.CodeNoConsent, DecidedAt: decided}
				if err := s.RecordSkip(ctx, sk); err != nil {
					t.Fatal(err)
				}
			}
		}
		skips(25, noon.Add(-200*day))
		skips(5, noon.Add(-10*day))
		if n, err := g.PruneSkips(ctx, g.SkipPruneCutoff(), true); err != nil || n != 25 {
			t.Fatalf("dry run = %d, %v; want 25", n, err)
		}
		if n, err := g.PruneSkips(ctx, g.SkipPruneCutoff(), false); err != nil || n != 25 {
			t.Fatalf("PruneSkips = %d, %v; want 25", n, err)
		}
		if left, _ := s.ListSkips(ctx, "old"); len(left) != 5 {
			t.Fatalf("%d skips left, want the 5 recent ones", len(left))
		}
		// An Admit that records a send prunes old skips too.
		skips(7, noon.Add(-300*day))
		w.customer(person("eve", "Asia/Shanghai"))
		w.grant("eve", "email", noon.Add(-30*day))
		if d, err := g.Admit(ctx, policy.Message{CustomerID: "eve", Channel: "email", At: noon}); err != nil || !d.Allow {
			t.Fatalf("Admit = %+v, %v", d, err)
		}
		if left, _ := s.ListSkips(ctx, "old"); len(left) != 5 {
			t.Fatalf("%d skips left after a send, want the 5 recent ones", len(left))
		}
	})
}
