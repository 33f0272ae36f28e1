package experimentbench_test

import (
	"context"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/experiment/experimentbench"
)

// The targets on 2,000 simulated A/A and A/B tests of 10,000
// recipients per arm with 20 looks (the bench's full run uses 10,000),
// and a smaller bandit.
func TestTargets(t *testing.T) {
	r, err := experimentbench.Run(context.Background(), experimentbench.Options{Sims: 2000, BanditSims: 40, BanditRecipients: 10000, HeavySims: 300}, nil)
	if err != nil {
		t.Fatal(err)
	}
	fp := r.FalsePositives
	for name, tg := range map[string]experimentbench.Target{
		"fixed-horizon false positives":         fp.FixedHorizon,
		"sequential false positives":            fp.Sequential,
		"revenue fixed-horizon false positives": fp.RevenueFixed,
		"revenue sequential false positives":    fp.RevenueSequential,
		"rate coverage":                         r.Coverage.Rate,
		"difference coverage":                   r.Coverage.Difference,
		"lift coverage":                         r.Coverage.Lift,
		"revenue coverage":                      r.Coverage.Revenue,
		"holdout coverage":                      r.Coverage.Holdout,
		"sequential time-uniform coverage":      r.Coverage.Sequential,
	} {
		if !tg.Met || tg.Trials < 2000 {
			t.Errorf("%s: %.4f over %d, target [%g, %g]", name, tg.Value, tg.Trials, tg.Min, tg.Max)
		}
	}
	// Naive peeking at 20 looks inflates the false-positive rate several
	// times over (about 25% in theory).
	if fp.NaivePeeking.Value < 3*fp.FixedHorizon.Value || fp.NaivePeeking.Value < 0.15 {
		t.Errorf("naive peeking %.3f against fixed %.3f: inflation not shown", fp.NaivePeeking.Value, fp.FixedHorizon.Value)
	}
	// The simulated power agrees with the normal approximation (within
	// its Monte Carlo interval, widened a little), and the sequential
	// test pays for its validity with some power.
	pw := r.Power
	if pw.FixedTheory < pw.Fixed.Low-0.01 || pw.FixedTheory > pw.Fixed.High+0.01 {
		t.Errorf("power %.3f [%.3f, %.3f], theory %.3f", pw.Fixed.Value, pw.Fixed.Low, pw.Fixed.High, pw.FixedTheory)
	}
	if !(pw.Sequential.Value < pw.Fixed.Value && pw.Sequential.Value > 0.3) || pw.SequentialMeanLook <= 1 || pw.SequentialMeanLook > 20 {
		t.Errorf("sequential power %.3f (mean look %.1f) against fixed %.3f", pw.Sequential.Value, pw.SequentialMeanLook, pw.Fixed.Value)
	}
	if pw.WinnerPicked.Value < 0.5 {
		t.Errorf("the decision rule sent the better variant in %.3f of tests", pw.WinnerPicked.Value)
	}
	// Where revenue is too skewed for the sample, intervals under-cover
	// and the bootstrap more than Welch: why Welch is the default.
	ht := r.HeavyTail
	if ht.HeavyShare < 0.9 || ht.Bootstrap.Value > ht.Welch.Value || ht.Welch.Value > 0.97 || ht.HoldoutWelch.Value > 0.95 {
		t.Errorf("heavy tail %+v", ht)
	}
	b := r.Bandit
	if !(b.RegretRatio > 0 && b.RegretRatio < 0.6) || b.ThompsonConversions <= b.UniformConversions || b.BestArmShareLast < 0.6 {
		t.Errorf("bandit %+v", b)
	}
}

// The figures depend on the options and seed only, not on the workers.
func TestDeterministic(t *testing.T) {
	o := experimentbench.Options{Sims: 300, Recipients: 2000, Looks: 5, BanditSims: 6, BanditRecipients: 2000, BanditBatch: 200, HeavySims: 20, HeavyResamples: 100}
	o.Workers = 1
	a, err := experimentbench.Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	o.Workers = 3
	b, err := experimentbench.Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	a.Seconds, b.Seconds = 0, 0
	a.Options.Workers, b.Options.Workers = 0, 0
	if a.FalsePositives != b.FalsePositives || a.Coverage != b.Coverage || a.Power != b.Power ||
		a.Bandit.ThompsonRegret != b.Bandit.ThompsonRegret || a.HeavyTail != b.HeavyTail || a.Bandit.ThompsonConversions != b.Bandit.ThompsonConversions {
		t.Errorf("1 worker: %+v\n3 workers: %+v", a, b)
	}
	o.Seed = 2
	c, _ := experimentbench.Run(context.Background(), o, nil)
	if c.FalsePositives == a.FalsePositives && c.Coverage == a.Coverage {
		t.Error("another seed gave the same figures")
	}
}

func TestInvalidOptions(t *testing.T) {
	for _, o := range []experimentbench.Options{
		{Rate: 0.9, Lift: 0.2},
		{Looks: 50, Recipients: 10},
		{BanditRates: []float64{0.1}},
		{BanditRates: []float64{0.1, 1.5}},
		{Alpha: 2},
	} {
		if _, err := experimentbench.Run(context.Background(), o, nil); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%+v: %v", o, err)
		}
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := experimentbench.Run(ctx, experimentbench.Options{}, nil); err == nil {
		t.Error("a cancelled run reported figures")
	}
}

// BenchmarkRun is the default bench (10,000 A/A and A/B tests, 200
// bandit runs). Run with -benchtime=1x.
func BenchmarkRun(b *testing.B) {
	for b.Loop() {
		r, err := experimentbench.Run(context.Background(), experimentbench.Options{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(2*r.Options.Sims)/r.Seconds, "tests/s")
	}
}
