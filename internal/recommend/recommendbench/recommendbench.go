// Package recommendbench times the recommenders over a store: loading,
// training (ALS separately, with its CPU time), recommending for every
// customer, and the saved model's size and codec. `chorus bench recommend`
// prints its report.
package recommendbench

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/recommend"
	"github.com/chorusmkt/chorus/internal/rusage"
)

// Report is the JSON of `chorus bench recommend --json`.
type Report struct {
	Events       int                `json:"events"`
	Customers    int                `json:"customers"`
	Items        int                `json:"items"`
	Runs         int                `json:"runs"`
	LoadSec      float64            `json:"load_seconds"`
	TrainSec     map[string]float64 `json:"train_seconds"` // last run, per step
	ALSMin       float64            `json:"als_seconds_min"`
	ALSMed       float64            `json:"als_seconds_median"`
	AllMin       float64            `json:"recommend_all_seconds_min"`
	AllMed       float64            `json:"recommend_all_seconds_median"`
	PerCustomer  float64            `json:"microseconds_per_customer"`
	K            int                `json:"k"`
	ALSFactors   int                `json:"als_factors"`
	ALSIteration int                `json:"als_iterations"`
	// CPU seconds (user+system, all threads) of the fastest run: on a
	// shared machine wall time depends on the neighbours, CPU time does not.
	ALSCPU  float64 `json:"als_cpu_seconds"`
	AllCPU  float64 `json:"recommend_all_cpu_seconds"`
	LoadAvg string  `json:"load_average,omitempty"`
	// The saved model (what 'chorus recommend' reuses instead of training).
	SnapshotMB     float64 `json:"snapshot_mb"`
	SnapshotEncode float64 `json:"snapshot_encode_seconds"`
	SnapshotDecode float64 `json:"snapshot_decode_seconds"`
}

// Options are `chorus bench recommend`'s flags: the runs to time and the
// items recommended to each customer.
type Options struct {
	Runs int `flag:"runs"`
	K    int `flag:"k"`
}

// DefaultOptions are three runs of ten items.
func DefaultOptions() Options { return Options{Runs: 3, K: 10} }

// Measure loads st's events once and then, runs times, trains every
// recommender with trainOpts (no tuning) and recommends k items for every
// customer.
func Measure(ctx context.Context, st recommend.Source, trainOpts recommend.Options, runs, k int) (Report, error) {
	if runs < 1 || k < 1 {
		return Report{}, apperr.New(apperr.Invalid, "--runs and --k must be at least 1")
	}
	t0 := time.Now()
	ds, err := recommend.Load(ctx, st)
	if err != nil {
		return Report{}, err
	}
	opts := trainOpts
	opts.Tune = false
	r := Report{Events: len(ds.Events), Customers: ds.NumCustomers(), Items: ds.NumItems(), Runs: runs, K: k,
		LoadSec: time.Since(t0).Seconds(), TrainSec: map[string]float64{}, ALSFactors: opts.ALS.Factors, ALSIteration: opts.ALS.Iterations}
	var als, all []float64
	for range runs {
		// ALS alone, for its CPU time; then everything for the model.
		alsOnly := opts
		alsOnly.Tune = false
		c0 := rusage.CPUSeconds()
		if _, err := recommend.TrainALSOnly(ctx, ds, alsOnly); err != nil {
			return r, err
		}
		if c := rusage.CPUSeconds() - c0; r.ALSCPU == 0 || c < r.ALSCPU {
			r.ALSCPU = c
		}
		m, err := recommend.TrainContext(ctx, ds, opts)
		if err != nil {
			return r, err
		}
		for s, d := range m.Timings {
			r.TrainSec[s] = d.Seconds()
		}
		als = append(als, m.Timings[recommend.SourceALS].Seconds())
		c0 = rusage.CPUSeconds()
		t := time.Now()
		if _, err := m.RecommendMany(ctx, ds.Customers, k); err != nil {
			return r, err
		}
		all = append(all, time.Since(t).Seconds())
		t = time.Now()
		b, err := recommend.MarshalModel(m)
		if err != nil {
			return r, err
		}
		r.SnapshotEncode, r.SnapshotMB = time.Since(t).Seconds(), float64(len(b))/1e6
		t = time.Now()
		if _, err := recommend.UnmarshalModel(b); err != nil {
			return r, err
		}
		r.SnapshotDecode = time.Since(t).Seconds()
		if c := rusage.CPUSeconds() - c0; r.AllCPU == 0 || c < r.AllCPU {
			r.AllCPU = c
		}
	}
	slices.Sort(als)
	slices.Sort(all)
	r.ALSMin, r.ALSMed = als[0], als[len(als)/2]
	r.AllMin, r.AllMed = all[0], all[len(all)/2]
	if r.Customers > 0 {
		r.PerCustomer = r.AllMin / float64(r.Customers) * 1e6
	}
	r.LoadAvg = rusage.LoadAverage()
	return r, nil
}

// WriteText writes the report for a person.
func (r Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "recommend benchmark: %d events, %d customers, %d items (%d runs)\n", r.Events, r.Customers, r.Items, r.Runs)
	fmt.Fprintf(w, "  load from store                      %8.3f s\n", r.LoadSec)
	for _, s := range []string{"matrix", recommend.SourcePopularity, recommend.SourceItemKNN, recommend.SourceContent} {
		fmt.Fprintf(w, "  train %-30s %8.3f s\n", s, r.TrainSec[s])
	}
	fmt.Fprintf(w, "  train ALS (%d factors, %d iterations) %8.3f s  (min; median %.3f s; %.2f CPU s)\n", r.ALSFactors, r.ALSIteration, r.ALSMin, r.ALSMed, r.ALSCPU)
	fmt.Fprintf(w, "  top-%d for every customer            %8.3f s  (min; median %.3f s; %.0f µs each; %.2f CPU s)\n", r.K, r.AllMin, r.AllMed, r.PerCustomer, r.AllCPU)
	fmt.Fprintf(w, "  saved model: %.1f MB, encoded in %.3f s, restored in %.3f s (what 'chorus recommend' does instead of training)\n", r.SnapshotMB, r.SnapshotEncode, r.SnapshotDecode)
	if r.LoadAvg != "" {
		fmt.Fprintf(w, "  load average during the run: %s on %d cores (wall times stretch when it exceeds the cores; CPU s do not)\n", r.LoadAvg, runtime.NumCPU())
	}
	return nil
}
