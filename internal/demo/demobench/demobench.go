// Package demobench times building the demo shop into a fresh SQLite
// file, each of its stages, and the rebuild that must write nothing.
// `chorus bench demo` prints its report.
package demobench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/rusage"
	"github.com/chorusmkt/chorus/internal/store"
)

// TargetSeconds is the whole build's target for the default 2,000
// customers.
const TargetSeconds = 10.0

// Report is the JSON of `chorus bench demo --json`.
type Report struct {
	Engine          string             `json:"engine"`
	Seed            int64              `json:"seed"`
	Customers       int                `json:"customers"`
	Products        int                `json:"products"`
	Consents        int                `json:"consents"`
	Events          int                `json:"events"`
	BuildSeconds    float64            `json:"build_seconds"`
	RebuildSeconds  float64            `json:"rebuild_seconds"`
	StageSeconds    map[string]float64 `json:"stage_seconds"`
	EventsPerSecond float64            `json:"events_per_second"`
	RebuildWrote    int                `json:"rebuild_wrote"`
	PeakRSSMB       float64            `json:"peak_rss_mb"`
	TargetSeconds   float64            `json:"target_seconds"`
	MeetsTarget     bool               `json:"meets_target"`
}

// Options are `chorus bench demo`'s flags: the demo shop to build.
type Options struct {
	Seed      int64 `flag:"seed"`
	Customers int   `flag:"customers"`
}

// DefaultOptions are the demo's own shop.
func DefaultOptions() Options {
	return Options{Seed: demo.DefaultSeed, Customers: demo.DefaultCustomers}
}

// Measure builds the shop of seed and customers into a new SQLite file in
// a temporary directory, then builds it again. A rebuild that writes
// anything is an Internal error (after the report is filled).
func Measure(ctx context.Context, seed int64, customers int) (Report, error) {
	dir, err := os.MkdirTemp("", "chorus-bench-demo-")
	if err != nil {
		return Report{}, apperr.Wrap(err, apperr.Unavailable, "bench demo: temporary directory")
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(ctx, filepath.Join(dir, "chorus.db"))
	if err != nil {
		return Report{}, err
	}
	defer st.Close()
	r := Report{Engine: st.Engine(), Seed: seed, StageSeconds: map[string]float64{}, TargetSeconds: TargetSeconds}
	opts := demo.Options{Seed: seed, Customers: customers, Progress: func(stage string, n int, took time.Duration) {
		r.StageSeconds[stage] = took.Seconds()
	}}
	t0 := time.Now()
	rep, err := demo.Build(ctx, st, opts)
	if err != nil {
		return r, err
	}
	r.BuildSeconds = time.Since(t0).Seconds()
	opts.Progress = nil // keep the first build's stage times
	t0 = time.Now()
	again, err := demo.Build(ctx, st, opts)
	if err != nil {
		return r, err
	}
	r.RebuildSeconds = time.Since(t0).Seconds()
	w := again.Written
	r.RebuildWrote = w.EventsInserted + w.Customers.Inserted + w.Customers.Updated + w.ConsentsAdded + w.Products.Inserted + w.Products.Updated
	r.Customers, r.Products, r.Consents, r.Events = rep.Customers, rep.Products, rep.Consents, rep.Events
	r.EventsPerSecond = float64(rep.Events) / r.StageSeconds["events"]
	r.PeakRSSMB = rusage.PeakRSSMB()
	r.MeetsTarget = r.BuildSeconds <= TargetSeconds
	if r.RebuildWrote != 0 {
		return r, apperr.New(apperr.Internal, "bench demo: the rebuild wrote %d records", r.RebuildWrote)
	}
	return r, nil
}

// WriteText writes the report for a person.
func (r Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "demo build into a fresh SQLite file: seed %d, %d customers, %d products, %d consents, %d events\n",
		r.Seed, r.Customers, r.Products, r.Consents, r.Events)
	for _, s := range []string{"generate", "products", "customers", "consents", "events"} {
		fmt.Fprintf(w, "  %-10s %7.3f s\n", s, r.StageSeconds[s])
	}
	met := map[bool]string{true: "met", false: "missed"}[r.MeetsTarget]
	fmt.Fprintf(w, "build:    %.3f s (target %.0f s: %s), %.0f events/s written\n", r.BuildSeconds, r.TargetSeconds, met, r.EventsPerSecond)
	fmt.Fprintf(w, "rebuild:  %.3f s, wrote %d records (must be 0)\n", r.RebuildSeconds, r.RebuildWrote)
	_, err := fmt.Fprintf(w, "peak RSS: %.0f MB\n", r.PeakRSSMB)
	return err
}
