package policy

import (
	"context"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// The sends log only serves the caps, so a send older than the longest
// cap window counts for nothing. The log keeps sends for the configured
// retention (config.Contact.Retention: by default that window plus a
// margin) and drops older ones: on demand with Prune (`chorus policy
// prune`), and as it goes, after recorded sends (autoPrune), so that no
// deployment has to schedule anything for the log to stay bounded.

const (
	// pruneBatch is the most sends one DELETE of Prune removes: short
	// transactions let other workers' Admit calls interleave with a large
	// prune (SQLite has one writer at a time).
	pruneBatch = 10000
	// autoPruneBatch is the most sends one automatic prune deletes; it
	// keeps the cost added to the Admit that triggers it to a few
	// milliseconds even when years of sends are waiting.
	autoPruneBatch = 1000
	// autoPruneEvery is how often a gate prunes after a recorded send,
	// at most, once it has caught up with the log. While a backlog
	// remains (the last batch was full) it prunes after every send.
	autoPruneEvery = 10 * time.Minute
)

// SkipRetention is how long the skips log keeps an entry.
func (g *Gate) SkipRetention() time.Duration { return g.skipRetention }

// SkipPruneCutoff is the cutoff of a skips prune now.
func (g *Gate) SkipPruneCutoff() time.Time { return g.now().Add(-g.skipRetention).UTC() }

// PruneSkips deletes every skip decided before cutoff, in batches, and
// reports how many; with dryRun it reports how many it would. Skips count
// for no rule, so any cutoff is allowed.
func (g *Gate) PruneSkips(ctx context.Context, cutoff time.Time, dryRun bool) (n int64, err error) {
	defer apperr.Wrapf(&err, "policy.PruneSkips(%s)", cutoff.UTC().Format(time.RFC3339))
	if dryRun {
		return g.st.CountSkips(ctx, cutoff)
	}
	return inBatches(ctx, cutoff, g.st.DeleteSkips)
}

// inBatches calls del with pruneBatch until a batch comes back short, and
// reports how many rows it deleted in all (up to an error).
func inBatches(ctx context.Context, cutoff time.Time, del func(context.Context, time.Time, int) (int64, error)) (n int64, err error) {
	for {
		k, err := del(ctx, cutoff, pruneBatch)
		n += k
		if err != nil || k < pruneBatch {
			return n, err
		}
	}
}

// Retention is how long the sends log keeps a send.
func (g *Gate) Retention() time.Duration { return g.retention }

// LongestCapWindow is the longest window of any cap: sends older than
// this before a message cannot change its decision.
func (g *Gate) LongestCapWindow() time.Duration { return g.maxWin }

// PruneCutoff is the cutoff of a prune now: sends before it are older than
// the retention.
func (g *Gate) PruneCutoff() time.Time { return g.now().Add(-g.retention).UTC() }

// Prune deletes every send made before cutoff, in batches, and reports how
// many it deleted; with dryRun it deletes nothing and reports how many it
// would. It returns an apperr.Invalid error, deleting nothing, for a
// cutoff later than now minus the longest cap window: sends after that a
// cap still counts. On a store error it reports what it had deleted.
func (g *Gate) Prune(ctx context.Context, cutoff time.Time, dryRun bool) (n int64, err error) {
	defer apperr.Wrapf(&err, "policy.Prune(%s)", cutoff.UTC().Format(time.RFC3339))
	if latest := g.now().Add(-g.maxWin); cutoff.After(latest) {
		return 0, apperr.New(apperr.Invalid, "the cutoff is inside the window of the longest cap (%s): the caps still count the sends after %s; use a cutoff no later than that",
			humanWindow(g.maxWin), latest.UTC().Format(time.RFC3339))
	}
	if dryRun {
		return g.st.CountSends(ctx, cutoff)
	}
	return inBatches(ctx, cutoff, g.st.DeleteSends)
}

// autoPrune runs after a send or a skip for time at is recorded. At most
// every autoPruneEvery per gate (after every one while a backlog remains)
// it deletes up to autoPruneBatch sends older than the retention before
// the earlier of now and at (a send planned ahead must not move the cutoff
// into windows the caps count now, and a send recorded with a past time, a
// replay or a test, keeps the history around it), and up to
// autoPruneBatch skips older than the skip retention. With the indexes on
// sent_at and decided_at, a prune that finds nothing is two index probes.
// A failure is logged, not returned: the send or skip is recorded, and a
// later prune deletes what this one did not.
func (g *Gate) autoPrune(ctx context.Context, at time.Time) {
	now := g.now()
	due := g.pruneDue.Load()
	if now.UnixNano() < due || !g.pruneDue.CompareAndSwap(due, now.Add(autoPruneEvery).UnixNano()) {
		return // not due, or another worker is pruning
	}
	from := now
	if at.Before(now) {
		from = at
	}
	n, err := g.st.DeleteSends(ctx, from.Add(-g.retention), autoPruneBatch)
	if err == nil {
		var k int64
		k, err = g.st.DeleteSkips(ctx, now.Add(-g.skipRetention), autoPruneBatch)
		n = max(n, k)
	}
	switch {
	case err != nil && ctx.Err() == nil:
		g.log.Warn("policy: pruning the sends and skips logs failed; it is retried later", "err", err)
	case n == autoPruneBatch:
		g.pruneDue.Store(0)
	}
}
