// Package segmentbench times segment evaluation over synthetic customers,
// end to end from compile to the list of matches. `chorus bench segment`
// prints its report.
package segmentbench

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/segment"
)

// Options shape a run.
type Options struct {
	N          int    `flag:"n"`       // synthetic customers
	Seed       uint64 `flag:"seed"`    // of the generator: the same N and seed, the same records
	Workers    int    `flag:"workers"` // goroutines; 0 is GOMAXPROCS
	Runs       int    `flag:"runs"`    // evaluations to time
	Expression string `flag:"expr"`
}

// DefaultOptions are `chorus bench segment`'s: a million customers and an
// expression over RFM, affinity, consent and CLV, timed five times.
func DefaultOptions() Options {
	return Options{N: 1_000_000, Seed: 1, Runs: 5,
		Expression: `rfm.segment in ["at_risk","cant_loose"] && affinity["camera"] > 0.3 && consent.email && clv > 200`}
}

// Report is the JSON of `chorus bench segment --json`.
type Report struct {
	Customers      int     `json:"customers"`
	Seed           uint64  `json:"seed"`
	Workers        int     `json:"workers"`
	Runs           int     `json:"runs"`
	Expression     string  `json:"expression"`
	Matches        int     `json:"matches"`
	Errors         int     `json:"errors"`
	GenerateSec    float64 `json:"generate_seconds"`
	CompileSec     float64 `json:"compile_seconds"`
	BestSec        float64 `json:"best_seconds"`
	MedianSec      float64 `json:"median_seconds"`
	NsPerRecord    float64 `json:"ns_per_record"`
	TargetSec      float64 `json:"target_seconds"`
	MeetsTarget    bool    `json:"meets_target"`
	generate, comp time.Duration
}

// Measure generates o.N records, compiles o.Expression once and evaluates
// it over all of them o.Runs times. The target is 2 s per million
// customers. A bad expression is a *segment.CompileError.
func Measure(ctx context.Context, o Options) (Report, error) {
	if o.N <= 0 || o.Runs <= 0 {
		return Report{}, apperr.New(apperr.Invalid, "bench segment: --n and --runs must be positive")
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	r := Report{Customers: o.N, Seed: o.Seed, Workers: o.Workers, Runs: o.Runs}
	start := time.Now()
	recs := segment.Synthetic(o.N, o.Seed)
	r.generate = time.Since(start)
	start = time.Now()
	prog, err := segment.Compile(o.Expression)
	if err != nil {
		return r, err
	}
	r.comp = time.Since(start)
	var times []time.Duration
	var res segment.Result
	for range o.Runs {
		start := time.Now()
		if res, err = prog.Filter(ctx, recs, o.Workers); err != nil {
			return r, err
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	best, median := times[0], times[len(times)/2]
	target := time.Duration(float64(2*time.Second) * float64(o.N) / 1e6)
	r.Expression, r.Matches, r.Errors = prog.Source, res.Count, res.Errors
	r.GenerateSec, r.CompileSec = r.generate.Seconds(), r.comp.Seconds()
	r.BestSec, r.MedianSec = best.Seconds(), median.Seconds()
	r.NsPerRecord = float64(best.Nanoseconds()) / float64(o.N)
	r.TargetSec, r.MeetsTarget = target.Seconds(), best <= target
	return r, nil
}

// WriteText writes the report for a person.
func (r Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "segment evaluation: %d synthetic customers (seed %d), %d workers, %d runs\n", r.Customers, r.Seed, r.Workers, r.Runs)
	fmt.Fprintf(w, "expression:  %s\n", r.Expression)
	fmt.Fprintf(w, "matches:     %d (%.2f%%)\n", r.Matches, 100*float64(r.Matches)/float64(r.Customers))
	fmt.Fprintf(w, "generate:    %s\ncompile:     %s\n", r.generate.Round(time.Millisecond), r.comp.Round(time.Microsecond))
	fmt.Fprintf(w, "evaluate:    best %.3f s, median %.3f s (%.0f ns/record)\n", r.BestSec, r.MedianSec, r.NsPerRecord)
	verdict := "meets"
	if !r.MeetsTarget {
		verdict = "MISSES"
	}
	_, err := fmt.Fprintf(w, "target:      %.3f s for %d customers: %s\n", r.TargetSec, r.Customers, verdict)
	return err
}
