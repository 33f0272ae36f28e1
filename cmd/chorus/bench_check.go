package main

import (
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/adlaw"
)

// checkBenchTarget is the throughput target on one core.
const checkBenchTarget = 50000

// checkBench is the JSON of `chorus bench check --json`.
type checkBench struct {
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

func (a *app) benchCheckCmd() *cobra.Command {
	var n, runs int
	var seed uint64
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Time the advertising-law checker on one core: messages/s and per-message latency",
		Long: `Generates --n synthetic marketing messages of about 100 runes (half Chinese,
half English, about a third carrying a listed term, some with evasions such
as 最 佳 or ＮＯ．１), then checks them one at a time on one goroutine with
GOMAXPROCS=1, --runs times. Prints the best run's throughput and its
per-message latency percentiles; the target is 50,000 messages/s.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if n < 1 || runs < 1 {
				return apperr.New(apperr.Invalid, "--n and --runs must be at least 1")
			}
			ck, err := adlaw.FromConfig(a.cfg.Compliance.AdLaw)
			if err != nil {
				return err
			}
			msgs := adlaw.SampleMessages(n, seed)
			r := checkBench{Messages: n, Runs: runs, GOMAXPROCS: 1, Verdicts: map[string]int{},
				LexiconVersion: ck.Version(), Target: checkBenchTarget}
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
			for run := 0; run < runs; run++ {
				if err := cmd.Context().Err(); err != nil {
					return err
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
			r.MetTarget = r.PerSecond >= checkBenchTarget
			if asJSON {
				return a.printJSON(r)
			}
			w := a.stdout
			fmt.Fprintf(w, "ad-law check benchmark: %d messages (%.0f runes on average, zh and en), one goroutine, GOMAXPROCS=1, best of %d runs\n", n, r.AvgRunes, runs)
			fmt.Fprintf(w, "  throughput   %.0f messages/s (%.3f s)\n", r.PerSecond, r.Seconds)
			fmt.Fprintf(w, "  latency      p50 %.1f µs, p99 %.1f µs, max %.1f µs\n", r.P50Micro, r.P99Micro, r.MaxMicro)
			fmt.Fprintf(w, "  verdicts     pass %d, review %d, block %d (lexicon %s)\n", r.Verdicts["pass"], r.Verdicts["review"], r.Verdicts["block"], r.LexiconVersion)
			met := "met"
			if !r.MetTarget {
				met = "NOT met"
			}
			fmt.Fprintf(w, "  target       %d messages/s on one core: %s\n", checkBenchTarget, met)
			return nil
		},
	}
	cmd.Flags().IntVar(&n, "n", 10000, "messages to generate and check")
	cmd.Flags().IntVar(&runs, "runs", 3, "times to check all messages; the fastest run is reported")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "seed of the message generator")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
