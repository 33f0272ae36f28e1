// Package policybench times the contact-policy gate on a scratch
// database: pruning the sends log, and Decide, Admit and Record per
// message over a synthetic shop. `chorus bench policy` prints its report.
package policybench

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/rusage"
)

// Store is what the benchmark seeds and the gate reads: a scratch
// database (store.OpenScratch), never the merchant's.
type Store interface {
	policy.Store
	UpsertCustomers(ctx context.Context, cs []customer.Customer) (customer.UpsertCounts, error)
	AddConsents(ctx context.Context, cs []customer.Consent) (int, error)
	Engine() string
}

// Options shape a run (see `chorus bench policy --help`).
type Options struct {
	Customers int           `flag:"customers"`
	Sends     int           `flag:"sends"`
	Stale     int           `flag:"stale"`
	N         int           `flag:"n"`
	Workers   int           `flag:"workers"`
	MaxPhase  time.Duration `flag:"max-phase"`
	Seed      uint64        `flag:"seed"`
}

// DefaultOptions are `chorus bench policy`'s: 10,000 customers with
// 200,000 past sends, 20,000 decisions on one worker.
func DefaultOptions() Options {
	return Options{Customers: 10000, Sends: 200000, Stale: 50000, N: 20000, Workers: 1, MaxPhase: 5 * time.Second, Seed: 1}
}

// Report is the JSON of `chorus bench policy --json`.
type Report struct {
	Engine         string  `json:"engine"`
	Customers      int     `json:"customers"`
	Consents       int     `json:"consent_entries"`
	Suppressions   int     `json:"suppressions"`
	Sends          int     `json:"past_sends"`
	HistoryDays    float64 `json:"history_days"`
	StaleSends     int     `json:"stale_sends"`
	RetentionHours int64   `json:"retention_hours"`
	Workers        int     `json:"workers"`
	SeedSeconds    float64 `json:"seed_seconds"`

	Prune  Prune `json:"prune"`
	Decide Phase `json:"decide"`
	Admit  Phase `json:"admit"`
	Record Phase `json:"record"`

	SendsAfter int64  `json:"sends_after"` // in the log at the end
	LoadAvg    string `json:"load_average,omitempty"`
}

// Prune times Gate.Prune of the stale sends.
type Prune struct {
	Counted       int64   `json:"counted"` // by the dry run
	CountSeconds  float64 `json:"count_seconds"`
	Deleted       int64   `json:"deleted"`
	Seconds       float64 `json:"seconds"`
	RowsPerSecond float64 `json:"rows_per_second"`
}

// Phase is one timed gate call over a batch of messages.
type Phase struct {
	Messages  int            `json:"messages"`
	TimeLimit bool           `json:"stopped_by_time_limit"`
	Seconds   float64        `json:"seconds"`
	PerSecond float64        `json:"messages_per_second"`
	Micro     float64        `json:"microseconds_per_message"` // wall time / messages
	P50Micro  float64        `json:"p50_microseconds"`
	P99Micro  float64        `json:"p99_microseconds"`
	Allowed   int            `json:"allowed"`
	Skips     map[string]int `json:"skips"`
}

// Measure seeds st with a synthetic shop and times pruning and the gate's
// calls with the contact policy cfg.
func Measure(ctx context.Context, cfg config.Contact, st Store, o Options) (Report, error) {
	customers, sends, stale, n, workers, maxPhase, seed := o.Customers, o.Sends, o.Stale, o.N, o.Workers, o.MaxPhase, o.Seed
	if customers < 1 || sends < 0 || stale < 0 || n < 1 || workers < 1 || maxPhase <= 0 {
		return Report{}, apperr.New(apperr.Invalid, "--customers, --n and --workers must be at least 1, --sends and --stale not negative, --max-phase positive")
	}
	g, err := policy.New(cfg, st)
	if err != nil {
		return Report{}, err
	}
	r := Report{Engine: st.Engine(), Customers: customers, Sends: sends, StaleSends: stale, Workers: workers,
		RetentionHours: int64(g.Retention() / time.Hour)}

	// Noon in Shanghai (the default zone) today or yesterday, so
	// that most customers are inside their send windows; the
	// history ends there and starts inside the retention.
	now := time.Now()
	at := now.UTC().Truncate(24 * time.Hour).Add(4 * time.Hour)
	if at.After(now) {
		at = at.Add(-24 * time.Hour)
	}
	span := min(30*24*time.Hour, g.Retention()-now.Sub(at)-time.Hour)
	if span <= 0 {
		at, span = now, g.Retention()/2
	}
	r.HistoryDays = span.Hours() / 24
	cutoff := now.Add(-g.Retention())

	t0 := time.Now()
	if err := seedShop(ctx, st, &r, at, span, cutoff, seed); err != nil {
		return r, err
	}
	r.SeedSeconds = time.Since(t0).Seconds()

	t0 = time.Now()
	if r.Prune.Counted, err = g.Prune(ctx, g.PruneCutoff(), true); err != nil {
		return r, err
	}
	r.Prune.CountSeconds = time.Since(t0).Seconds()
	t0 = time.Now()
	if r.Prune.Deleted, err = g.Prune(ctx, g.PruneCutoff(), false); err != nil {
		return r, err
	}
	r.Prune.Seconds = time.Since(t0).Seconds()
	if r.Prune.Seconds > 0 {
		r.Prune.RowsPerSecond = float64(r.Prune.Deleted) / r.Prune.Seconds
	}

	ids := make([]string, customers)
	for i := range ids {
		ids[i] = fmt.Sprintf("s%06d", i)
	}
	phases := []struct {
		out  *Phase
		call func(context.Context, policy.Message) (policy.Decision, error)
	}{
		{&r.Decide, g.Decide},
		{&r.Admit, g.Admit},
		{&r.Record, func(ctx context.Context, m policy.Message) (policy.Decision, error) {
			return g.Record(ctx, policy.Send{CustomerID: m.CustomerID, Channel: m.Channel, Purpose: m.Purpose, Campaign: m.Campaign, SentAt: m.At})
		}},
	}
	for i, ph := range phases {
		msgs := policy.SyntheticMessages(ids, n, at, "bench", seed+uint64(i)+1)
		if *ph.out, err = runPhase(ctx, msgs, workers, maxPhase, ph.call); err != nil {
			return r, err
		}
	}
	if r.SendsAfter, err = st.CountSends(ctx, now.Add(24*time.Hour)); err != nil {
		return r, err
	}
	r.LoadAvg = rusage.LoadAverage()
	return r, nil
}

// seedShop writes the synthetic shop: customers, ledgers,
// suppressions, r.Sends sends in the span before at and r.StaleSends in
// the year before cutoff.
func seedShop(ctx context.Context, st Store, r *Report, at time.Time, span time.Duration, cutoff time.Time, seed uint64) error {
	p := policy.Synthetic(r.Customers, at, seed)
	r.Consents, r.Suppressions = len(p.Consents), len(p.Suppressions)
	if _, err := st.UpsertCustomers(ctx, p.Customers); err != nil {
		return err
	}
	if _, err := st.AddConsents(ctx, p.Consents); err != nil {
		return err
	}
	if _, err := st.AddSuppressions(ctx, p.Suppressions); err != nil {
		return err
	}
	ids := make([]string, len(p.Customers))
	for i, c := range p.Customers {
		ids[i] = c.ID
	}
	for _, part := range []struct {
		n        int
		from, to time.Time
	}{
		{r.StaleSends, cutoff.Add(-365 * 24 * time.Hour), cutoff.Add(-time.Hour)},
		{r.Sends, at.Add(-span), at},
	} {
		ss := policy.SyntheticSends(ids, part.n, part.from, part.to, seed)
		for len(ss) > 0 { // one transaction per 50,000
			k := min(len(ss), 50000)
			if _, err := st.AddSends(ctx, ss[:k]); err != nil {
				return err
			}
			ss = ss[k:]
		}
	}
	return nil
}

// runPhase calls call for msgs on workers goroutines until all are
// done or maxPhase has passed.
func runPhase(ctx context.Context, msgs []policy.Message, workers int, maxPhase time.Duration,
	call func(context.Context, policy.Message) (policy.Decision, error)) (Phase, error) {
	lat := make([]time.Duration, len(msgs))
	allowed := make([]bool, len(msgs))
	codes := make([]string, len(msgs))
	var next atomic.Int64
	var done atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(maxPhase)
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(msgs) || ctx.Err() != nil {
					return
				}
				t := time.Now()
				if t.After(deadline) {
					return
				}
				d, err := call(ctx, msgs[i])
				lat[i] = time.Since(t)
				if err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				allowed[i], codes[i] = d.Allow, d.Code
				done.Add(1)
			}
		})
	}
	wg.Wait()
	sec := time.Since(start).Seconds()
	if firstErr != nil {
		return Phase{}, firstErr
	}
	if err := ctx.Err(); err != nil {
		return Phase{}, err
	}
	ph := Phase{Messages: int(done.Load()), Seconds: sec, Skips: map[string]int{}}
	ph.TimeLimit = ph.Messages < len(msgs)
	var ok []time.Duration
	for i, l := range lat {
		if l == 0 {
			continue // not reached
		}
		ok = append(ok, l)
		if allowed[i] {
			ph.Allowed++
		} else {
			ph.Skips[codes[i]]++
		}
	}
	if ph.Messages > 0 {
		slices.Sort(ok)
		micro := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }
		ph.PerSecond = float64(ph.Messages) / sec
		ph.Micro = sec * 1e6 / float64(ph.Messages)
		ph.P50Micro, ph.P99Micro = micro(ok[len(ok)/2]), micro(ok[min(len(ok)-1, len(ok)*99/100)])
	}
	return ph, nil
}

// WriteText writes the report for a person.
func (r Report) WriteText(w io.Writer) error {
	plural := "s"
	if r.Workers == 1 {
		plural = ""
	}
	fmt.Fprintf(w, "policy gate benchmark on %s (scratch database): %d customers, %d consent entries, %d suppressions,\n", r.Engine, r.Customers, r.Consents, r.Suppressions)
	fmt.Fprintf(w, "  %d past sends over %.0f days + %d older than the %s retention; %d worker%s\n", r.Sends, r.HistoryDays, r.StaleSends,
		fmt.Sprintf("%d days", r.RetentionHours/24), r.Workers, plural)
	fmt.Fprintf(w, "  seed                     %8.2f s\n", r.SeedSeconds)
	fmt.Fprintf(w, "  prune stale sends        %8.2f s  %d deleted (%.0f rows/s); dry-run count %.3f s\n", r.Prune.Seconds, r.Prune.Deleted,
		r.Prune.RowsPerSecond, r.Prune.CountSeconds)
	for _, ph := range []struct {
		name string
		p    Phase
	}{{"Decide", r.Decide}, {"Admit (decide + record)", r.Admit}, {"Record (caps + insert)", r.Record}} {
		p := ph.p
		note := ""
		if p.TimeLimit {
			note = " (time limit)"
		}
		fmt.Fprintf(w, "  %-24s %8.0f msg/s  %7.1f µs each (p50 %.0f, p99 %.0f µs) over %d messages%s; %.0f%% allowed\n", ph.name,
			p.PerSecond, p.Micro, p.P50Micro, p.P99Micro, p.Messages, note, 100*float64(p.Allowed)/float64(max(1, p.Messages)))
	}
	fmt.Fprintf(w, "  Decide skips: %s\n", skipShares(r.Decide))
	fmt.Fprintf(w, "  sends log at the end: %d\n", r.SendsAfter)
	if r.LoadAvg != "" {
		fmt.Fprintf(w, "  load average during the run: %s on %d cores\n", r.LoadAvg, runtime.NumCPU())
	}
	return nil
}

// skipShares lists a phase's skip codes, most frequent first, as shares
// of its messages.
func skipShares(p Phase) string {
	codes := slices.Collect(maps.Keys(p.Skips))
	slices.SortFunc(codes, func(x, y string) int { return cmp.Or(p.Skips[y]-p.Skips[x], strings.Compare(x, y)) })
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = fmt.Sprintf("%s %.1f%%", c, 100*float64(p.Skips[c])/float64(max(1, p.Messages)))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
