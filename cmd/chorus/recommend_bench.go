package main

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/recommend"
	"github.com/chorusmkt/chorus/internal/rusage"
	"github.com/chorusmkt/chorus/internal/store"
)

// recommendBench is the JSON of `chorus bench recommend --json`.
type recommendBench struct {
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

// recommendLoadAverage reads /proc/loadavg where there is one (Linux).
func recommendLoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func (a *app) benchRecommendCmd() *cobra.Command {
	var runs, k int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "recommend",
		Short: "Time loading, training (ALS separately) and recommendations for every customer",
		Long: `Loads the events and products from the store once, then --runs times trains
every recommender (with the configured blend, no tuning: tuning is timed by
'chorus recommend eval') and recommends --k items for every customer with
all business rules and explanations. Import the Online Retail data first for
the issue's figures (ALS training under 10 s, every customer under 2 s).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if runs < 1 || k < 1 {
				return apperr.New(apperr.Invalid, "--runs and --k must be at least 1")
			}
			return a.withStore(ctx, func(st store.Store) error {
				t0 := time.Now()
				ds, err := recommend.Load(ctx, st)
				if err != nil {
					return err
				}
				opts := recommend.FromConfig(a.cfg.Recommend)
				opts.Tune = false
				r := recommendBench{Events: len(ds.Events), Customers: ds.NumCustomers(), Items: ds.NumItems(), Runs: runs, K: k,
					LoadSec: time.Since(t0).Seconds(), TrainSec: map[string]float64{}, ALSFactors: opts.ALS.Factors, ALSIteration: opts.ALS.Iterations}
				var als, all []float64
				for range runs {
					// ALS alone, for its CPU time; then everything for the model.
					alsOnly := opts
					alsOnly.Tune = false
					c0 := rusage.CPUSeconds()
					if _, err := recommend.TrainALSOnly(ctx, ds, alsOnly); err != nil {
						return err
					}
					if c := rusage.CPUSeconds() - c0; r.ALSCPU == 0 || c < r.ALSCPU {
						r.ALSCPU = c
					}
					m, err := recommend.TrainContext(ctx, ds, opts)
					if err != nil {
						return err
					}
					for s, d := range m.Timings {
						r.TrainSec[s] = d.Seconds()
					}
					als = append(als, m.Timings[recommend.SourceALS].Seconds())
					c0 = rusage.CPUSeconds()
					t := time.Now()
					if _, err := m.RecommendMany(ctx, ds.Customers, k); err != nil {
						return err
					}
					all = append(all, time.Since(t).Seconds())
					t = time.Now()
					b, err := recommend.MarshalModel(m)
					if err != nil {
						return err
					}
					r.SnapshotEncode, r.SnapshotMB = time.Since(t).Seconds(), float64(len(b))/1e6
					t = time.Now()
					if _, err := recommend.UnmarshalModel(b); err != nil {
						return err
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
				r.LoadAvg = recommendLoadAverage()
				if asJSON {
					return a.printJSON(r)
				}
				fmt.Fprintf(a.stdout, "recommend benchmark: %d events, %d customers, %d items (%d runs)\n", r.Events, r.Customers, r.Items, runs)
				fmt.Fprintf(a.stdout, "  load from store                      %8.3f s\n", r.LoadSec)
				for _, s := range []string{"matrix", recommend.SourcePopularity, recommend.SourceItemKNN, recommend.SourceContent} {
					fmt.Fprintf(a.stdout, "  train %-30s %8.3f s\n", s, r.TrainSec[s])
				}
				fmt.Fprintf(a.stdout, "  train ALS (%d factors, %d iterations) %8.3f s  (min; median %.3f s; %.2f CPU s)\n", r.ALSFactors, r.ALSIteration, r.ALSMin, r.ALSMed, r.ALSCPU)
				fmt.Fprintf(a.stdout, "  top-%d for every customer            %8.3f s  (min; median %.3f s; %.0f µs each; %.2f CPU s)\n", k, r.AllMin, r.AllMed, r.PerCustomer, r.AllCPU)
				fmt.Fprintf(a.stdout, "  saved model: %.1f MB, encoded in %.3f s, restored in %.3f s (what 'chorus recommend' does instead of training)\n", r.SnapshotMB, r.SnapshotEncode, r.SnapshotDecode)
				if r.LoadAvg != "" {
					fmt.Fprintf(a.stdout, "  load average during the run: %s on %d cores (wall times stretch when it exceeds the cores; CPU s do not)\n", r.LoadAvg, runtime.NumCPU())
				}
				return nil
			})
		},
	}
	cmd.Flags().IntVar(&runs, "runs", 3, "times to repeat training and recommending")
	cmd.Flags().IntVar(&k, "k", 10, "items per customer")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
