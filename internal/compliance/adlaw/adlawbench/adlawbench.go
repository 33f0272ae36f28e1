// Package adlawbench times the advertising-law checker on one core:
// messages per second and per-message latency over synthetic bilingual
// copy. `chorus bench check` prints its report.
package adlawbench

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/adlaw"
)

// Target is the throughput target on one core, messages per second.
const Target = 50000

// Report is the JSON of `chorus bench check --json`.
type Report struct {
	Messages       int            `json:"messages"`
	AvgRunes       float64        `json:"avg_runes"`
	Runs           int            `json:"runs"`
	GOMAXPROCS     int            `json:"gomaxprocs"`
	Seconds        float64        `json:"seconds"` // best run
	PerSecond      float64        `json:"messages_per_second"`
	P50Micro       float64        `json:"p50_microseconds"`
	P99Micro       float64        `json:"p99_microseconds"`
	MaxMicro       float64        `json:"max_microseconds"`
	Verdicts       map[string]int `json:"verdicts"`
	LexiconVersion string         `json:"lexicon_version"`
	Target         float64        `json:"target_messages_per_second"`
	MetTarget      bool           `json:"met_target"`
}

// Options are `chorus bench check`'s flags: Measure's n, runs and seed.
type Options struct {
	N    int    `flag:"n"`
	Runs int    `flag:"runs"`
	Seed uint64 `flag:"seed"`
}

// DefaultOptions are three runs of 10,000 messages.
func DefaultOptions() Options { return Options{N: 10000, Runs: 3, Seed: 1} }

// Measure checks n synthetic messages (seeded) one at a time on one
// goroutine with GOMAXPROCS=1, runs times, and reports the best run.
func Measure(ctx context.Context, ck *adlaw.Checker, n, runs int, seed uint64) (Report, error) {
	if n < 1 || runs < 1 {
		return Report{}, apperr.New(apperr.Invalid, "--n and --runs must be at least 1")
	}
	msgs := adlaw.SampleMessages(n, seed)
	r := Report{Messages: n, Runs: runs, GOMAXPROCS: 1, Verdicts: map[string]int{}, LexiconVersion: ck.Version(), Target: Target}
	runesTotal := 0
	for _, m := range msgs {
		runesTotal += len([]rune(m))
		r.Verdicts[string(ck.Check(m, adlaw.Options{}).Verdict)]++ // also warms the pools
	}
	r.AvgRunes = float64(runesTotal) / float64(n)

	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	lat := make([]time.Duration, n)
	best := make([]time.Duration, n)
	for range runs {
		if err := ctx.Err(); err != nil {
			return r, err
		}
		runtime.GC()
		t0 := time.Now()
		for i, m := range msgs {
			s := time.Now()
			ck.Check(m, adlaw.Options{})
			lat[i] = time.Since(s)
		}
		sec := time.Since(t0).Seconds()
		if r.Seconds == 0 || sec < r.Seconds {
			r.Seconds = sec
			copy(best, lat)
		}
	}
	slices.Sort(best)
	micro := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }
	r.P50Micro = micro(best[n/2])
	r.P99Micro = micro(best[min(n-1, n*99/100)])
	r.MaxMicro = micro(best[n-1])
	r.PerSecond = float64(n) / r.Seconds
	r.MetTarget = r.PerSecond >= Target
	return r, nil
}

// WriteText writes the report for a person.
func (r Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "ad-law check benchmark: %d messages (%.0f runes on average, zh and en), one goroutine, GOMAXPROCS=1, best of %d runs\n", r.Messages, r.AvgRunes, r.Runs)
	fmt.Fprintf(w, "  throughput   %.0f messages/s (%.3f s)\n", r.PerSecond, r.Seconds)
	fmt.Fprintf(w, "  latency      p50 %.1f µs, p99 %.1f µs, max %.1f µs\n", r.P50Micro, r.P99Micro, r.MaxMicro)
	fmt.Fprintf(w, "  verdicts     pass %d, review %d, block %d (lexicon %s)\n", r.Verdicts["pass"], r.Verdicts["review"], r.Verdicts["block"], r.LexiconVersion)
	met := "met"
	if !r.MetTarget {
		met = "NOT met"
	}
	_, err := fmt.Fprintf(w, "  target       %d messages/s on one core: %s\n", Target, met)
	return err
}
