// Package insightbench times the insight area over a store: loading the
// dataset, insight.Compute (RFM, lifecycle, affinities, price band,
// channel, next purchase) and the CLV fit with a projection for every
// customer. `chorus bench insight` prints its report.
package insightbench

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/insight"
)

// Report is the JSON of `chorus bench insight --json`.
type Report struct {
	Customers  int     `json:"customers"`
	Buyers     int     `json:"customers_with_purchases"`
	Lines      int     `json:"purchase_lines"`
	Runs       int     `json:"runs"`
	LoadSec    float64 `json:"load_seconds"`
	ComputeMin float64 `json:"compute_seconds_min"`
	ComputeMed float64 `json:"compute_seconds_median"`
	CLVFitSec  float64 `json:"clv_fit_seconds"`
	CLVPredSec float64 `json:"clv_predict_seconds"`
	CLVNote    string  `json:"clv_note,omitempty"`
	// DatasetMB is the live heap the loaded dataset holds (after a
	// collection), the memory a long-running process keeps for it.
	DatasetMB float64 `json:"dataset_mb"`
}

// Options shape a run.
type Options struct {
	Insight insight.Options // CLVHorizonDays is ignored: the projection is timed on its own
	Runs    int             `flag:"runs"` // times to repeat Compute, at least 1
	// HorizonDays and DiscountRate are the CLV projection's.
	HorizonDays  int
	DiscountRate float64
}

// Measure loads the dataset from src once, then times Compute o.Runs
// times and the CLV fit and projection once. Too little data for a CLV
// fit is a note, not an error.
func Measure(ctx context.Context, src insight.Source, o Options) (Report, error) {
	if o.Runs < 1 {
		return Report{}, apperr.New(apperr.Invalid, "--runs %d: want at least 1", o.Runs)
	}
	opts := o.Insight
	opts.CLVHorizonDays = 0 // timed separately
	before := liveHeap()
	t0 := time.Now()
	ds, err := insight.Load(ctx, src)
	if err != nil {
		return Report{}, err
	}
	r := Report{Customers: len(ds.Customers), Lines: ds.Purchases(), Runs: o.Runs, LoadSec: time.Since(t0).Seconds()}
	r.DatasetMB = float64(int64(liveHeap())-int64(before)) / 1e6
	runtime.KeepAlive(ds)
	var times []float64
	for range o.Runs {
		t := time.Now()
		snap, err := insight.Compute(ds, opts)
		if err != nil {
			return r, err
		}
		times = append(times, time.Since(t).Seconds())
		r.Buyers = snap.Scored
	}
	slices.Sort(times)
	r.ComputeMin, r.ComputeMed = times[0], times[len(times)/2]
	t := time.Now()
	model, inputs, err := insight.FitCLV(ds, opts.AsOf)
	switch {
	case apperr.Is(err, apperr.Invalid):
		r.CLVNote = err.Error()
	case err != nil:
		return r, err
	default:
		r.CLVFitSec = time.Since(t).Seconds()
		t = time.Now()
		for _, in := range inputs {
			model.Predict(in, o.HorizonDays, o.DiscountRate)
		}
		r.CLVPredSec = time.Since(t).Seconds()
	}
	return r, nil
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// WriteText writes the report for a person.
func (r Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "insight benchmark: %d customers (%d with purchases), %d purchase lines\n", r.Customers, r.Buyers, r.Lines)
	fmt.Fprintf(w, "  load from store                    %8.3f s  (the dataset holds %.1f MB)\n", r.LoadSec, r.DatasetMB)
	fmt.Fprintf(w, "  RFM + lifecycle + affinities       %8.3f s  (min of %d runs; median %.3f s)\n", r.ComputeMin, r.Runs, r.ComputeMed)
	if r.CLVNote != "" {
		fmt.Fprintf(w, "  CLV: not fitted: %s\n", r.CLVNote)
	} else {
		fmt.Fprintf(w, "  CLV fit (BG/NBD + Gamma-Gamma)     %8.3f s\n", r.CLVFitSec)
		fmt.Fprintf(w, "  CLV projection, every customer     %8.3f s\n", r.CLVPredSec)
	}
	return nil
}
