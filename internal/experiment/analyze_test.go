package experiment

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
)

func checkArms() []Arm {
	return []Arm{
		{Name: "A", Recipients: 1000, Conversions: 120, Control: true},
		{Name: "B", Recipients: 1000, Conversions: 150},
	}
}

func TestAnalyzeFixedHorizon(t *testing.T) {
	r, err := Analyze(checkArms(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != FixedHorizon || r.Control != "A" || len(r.Variants) != 2 {
		t.Fatalf("report %+v", r)
	}
	b := r.Variants[1]
	near(t, "p", b.PValue, 0.0496, 5e-5)
	near(t, "chi-square", b.ChiSquare, 3.8536, 5e-5)
	near(t, "holm (one variant)", b.PValueHolm, b.PValue, 0)
	if !b.Significant || b.CILow <= 0 || b.CIHigh <= b.CILow {
		t.Errorf("B: %+v", *b.Comparison)
	}
	want, _ := exactProbGreater(151, 851, 121, 881).Float64()
	near(t, "win probability", b.WinProbability, want, 1e-12)
	near(t, "prob best", b.ProbBest, want, 1e-11)
	near(t, "rate", b.Rate, 0.15, 0)
	if r.Variants[0].Comparison != nil {
		t.Error("the control has a comparison")
	}
	// 97.5% beats the 95% threshold with 1000 per arm.
	if !r.Decision.Winner || r.Decision.Send != "B" || r.Decision.Code != DecisionWinner {
		t.Errorf("decision %+v", r.Decision)
	}

	// The JSON carries the contract's names per non-control variant, and
	// none of them on the control.
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Method   string           `json:"method"`
		Variants []map[string]any `json:"variants"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Method != "fixed_horizon" {
		t.Errorf("method %q", doc.Method)
	}
	for _, k := range []string{"p_value", "ci_low", "ci_high", "win_probability"} {
		if _, ok := doc.Variants[1][k]; !ok {
			t.Errorf("variant B lacks %q: %s", k, raw)
		}
		if _, ok := doc.Variants[0][k]; ok {
			t.Errorf("control has %q", k)
		}
	}
	if doc.Variants[1]["variant"] != "B" {
		t.Errorf("variant name: %v", doc.Variants[1]["variant"])
	}
}

func TestAnalyzeSequential(t *testing.T) {
	fixed, _ := Analyze(checkArms(), Options{})
	seq, err := Analyze(checkArms(), Options{Sequential: true, Tuning: 2000})
	if err != nil {
		t.Fatal(err)
	}
	f, s := fixed.Variants[1].Comparison, seq.Variants[1].Comparison
	if seq.Method != Sequential || seq.Tuning != 2000 {
		t.Fatalf("method %q tuning %d", seq.Method, seq.Tuning)
	}
	// Always-valid figures cost width: larger p, wider interval around
	// the same estimate.
	if !(s.PValue > f.PValue) || !(s.CILow < f.CILow) || !(s.CIHigh > f.CIHigh) {
		t.Errorf("sequential %+v not wider than fixed %+v", s, f)
	}
	if s.FixedHorizon == nil || s.FixedHorizon.PValue != f.PValue {
		t.Errorf("fixed-horizon reference %+v", s.FixedHorizon)
	}
	if s.WinProbability != f.WinProbability {
		t.Error("win probability depends on the method")
	}
	if f.FixedHorizon != nil {
		t.Error("a fixed-horizon report carries a second copy of itself")
	}
}

func TestAnalyzeHolmAcrossVariants(t *testing.T) {
	arms := []Arm{
		{Name: "control", Recipients: 5000, Conversions: 250, Control: true},
		{Name: "v1", Recipients: 5000, Conversions: 300},
		{Name: "v2", Recipients: 5000, Conversions: 255},
		{Name: "v3", Recipients: 5000, Conversions: 285},
	}
	r, err := Analyze(arms, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ps []float64
	for _, v := range r.Variants[1:] {
		ps = append(ps, v.PValue)
	}
	adj := Holm(ps)
	for i, v := range r.Variants[1:] {
		near(t, v.Variant+" holm", v.PValueHolm, adj[i], 0)
		if v.Significant != (adj[i] < 0.05) {
			t.Errorf("%s significant=%v with holm p %g", v.Variant, v.Significant, adj[i])
		}
	}
	sum := 0.0
	for _, v := range r.Variants {
		sum += v.ProbBest
	}
	near(t, "prob best sums to 1", sum, 1, 1e-12)
}

func TestAnalyzeRevenue(t *testing.T) {
	arms := checkArms()
	arms[0].Revenue = &Moments{N: 1000, Sum: 12000, SumSq: 120 * 100 * 100 * 1.2}
	arms[1].Revenue = &Moments{N: 1000, Sum: 16500, SumSq: 150 * 110 * 110 * 1.2}
	r, err := Analyze(arms, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rc := r.Variants[1].Comparison.Revenue
	if rc == nil || rc.Method != MethodWelch {
		t.Fatalf("revenue %+v", rc)
	}
	near(t, "difference", rc.Estimate.Estimate, 16.5-12, 1e-12)
	w := Welch(*arms[1].Revenue, *arms[0].Revenue, 0.95)
	near(t, "p", rc.PValue, w.PValue, 0)
	if r.Variants[0].Revenue.PerRecipient != 12 {
		t.Errorf("control revenue %+v", r.Variants[0].Revenue)
	}
	seq, _ := Analyze(arms, Options{Sequential: true})
	if m := seq.Variants[1].Comparison.Revenue.Method; m != MethodSequential {
		t.Errorf("sequential revenue method %q", m)
	}
	// Revenue for one arm only is not compared, and the report says so.
	arms[1].Revenue = nil
	r, _ = Analyze(arms, Options{})
	if r.Variants[1].Comparison.Revenue != nil || len(r.Warnings) == 0 {
		t.Errorf("partial revenue: %+v %v", r.Variants[1].Comparison.Revenue, r.Warnings)
	}
}

func TestAnalyzeErrors(t *testing.T) {
	for name, c := range map[string]struct {
		arms []Arm
		opt  Options
		want string
	}{
		"one arm":        {arms: checkArms()[:1], want: "at least two arms"},
		"no control":     {arms: []Arm{{Name: "a", Recipients: 10}, {Name: "b", Recipients: 10}}, want: "exactly one control"},
		"two controls":   {arms: []Arm{{Name: "a", Recipients: 10, Control: true}, {Name: "b", Recipients: 10, Control: true}}, want: "exactly one control"},
		"duplicate":      {arms: []Arm{{Name: "a", Recipients: 10, Control: true}, {Name: "a", Recipients: 10}}, want: "appears twice"},
		"no recipients":  {arms: []Arm{{Name: "a", Recipients: 10, Control: true}, {Name: "b"}}, want: "no recipients"},
		"too many conv.": {arms: []Arm{{Name: "a", Recipients: 10, Control: true}, {Name: "b", Recipients: 10, Conversions: 11}}, want: "11 conversions for 10"},
		"bad sumsq": {arms: []Arm{{Name: "a", Recipients: 10, Control: true, Revenue: &Moments{N: 10, Sum: 100, SumSq: 10}},
			{Name: "b", Recipients: 10, Revenue: &Moments{N: 10}}}, want: "no data can give"},
		"partial weights": {arms: []Arm{{Name: "a", Recipients: 10, Control: true, Weight: 1}, {Name: "b", Recipients: 10}}, want: "planned weights"},
		"default arm":     {arms: checkArms(), opt: Options{Rule: Rule{Default: "Z"}}, want: "default arm"},
		"metric":          {arms: checkArms(), opt: Options{Rule: Rule{Metric: "clicks"}}, want: "decision metric"},
	} {
		_, err := Analyze(c.arms, c.opt)
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want Invalid containing %q", name, err, c.want)
		}
	}
}

func TestDecide(t *testing.T) {
	big := func(conv ...int64) []Arm {
		arms := []Arm{{Name: "A", Recipients: 5000, Conversions: conv[0], Control: true}}
		for i, c := range conv[1:] {
			arms = append(arms, Arm{Name: string(rune('B' + i)), Recipients: 5000, Conversions: c})
		}
		return arms
	}
	for name, c := range map[string]struct {
		arms       []Arm
		rule       Rule
		send, code string
		winner     bool
	}{
		"clear winner":          {arms: big(250, 320), send: "B", code: DecisionWinner, winner: true},
		"no clear winner":       {arms: big(250, 262), send: "A", code: DecisionNoClearWinner},
		"declared default":      {arms: big(250, 262, 255), rule: Rule{Default: "C"}, send: "C", code: DecisionNoClearWinner},
		"loser":                 {arms: big(250, 180), send: "A", code: DecisionNoClearWinner},
		"insufficient sample":   {arms: checkArms(), rule: Rule{MinSample: 2000}, send: "A", code: DecisionInsufficientSample},
		"threshold 99.9%":       {arms: checkArms(), rule: Rule{Threshold: 0.999}, send: "A", code: DecisionNoClearWinner},
		"best of two winners":   {arms: big(250, 330, 360), send: "C", code: DecisionWinner, winner: true},
		"significance required": {arms: big(250, 290, 250, 250, 250), rule: Rule{RequireSignificance: true}, send: "A", code: DecisionNoClearWinner},
		"revenue without data":  {arms: big(250, 320), rule: Rule{Metric: MetricRevenue}, send: "A", code: DecisionNoRevenue},
	} {
		r, err := Analyze(c.arms, Options{Rule: c.rule})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		d := r.Decision
		if d.Send != c.send || d.Code != c.code || d.Winner != c.winner || d.Reason == "" || d.ReasonZh == "" {
			t.Errorf("%s: %+v", name, d)
		}
	}
	// A broken split overrides a clear difference.
	arms := big(250, 400)
	arms[1].Recipients = 5600
	r, _ := Analyze(arms, Options{})
	if r.Decision.Code != DecisionSampleRatioMismatch || r.Decision.Send != "A" || !r.SRM.Mismatch || len(r.Warnings) == 0 {
		t.Errorf("SRM: %+v %v", r.Decision, r.Warnings)
	}
	// A planned 4:1 split is no mismatch.
	arms[1].Recipients = 20000
	arms[0].Weight, arms[1].Weight = 1, 4
	arms[1].Conversions = 1600
	if r, _ := Analyze(arms, Options{}); r.SRM.Mismatch || r.Decision.Send != "B" {
		t.Errorf("planned split: %+v %+v", r.SRM, r.Decision)
	}
}

func TestDecideOnRevenue(t *testing.T) {
	arms := big2(250, 250)
	arms[0].Revenue = &Moments{N: 5000, Sum: 250 * 100, SumSq: 250 * 100 * 100 * 1.5}
	arms[1].Revenue = &Moments{N: 5000, Sum: 250 * 140, SumSq: 250 * 140 * 140 * 1.5}
	r, err := Analyze(arms, Options{Rule: Rule{Metric: MetricRevenue}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Decision.Send != "B" || !r.Decision.Winner {
		t.Errorf("revenue decision %+v (win p %g)", r.Decision, r.Variants[1].Comparison.Revenue.WinProbability)
	}
	// On conversion rate the same arms tie.
	if r, _ := Analyze(arms, Options{}); r.Decision.Winner {
		t.Errorf("conversion decision %+v", r.Decision)
	}
}

func big2(c0, c1 int64) []Arm {
	return []Arm{{Name: "A", Recipients: 5000, Conversions: c0, Control: true}, {Name: "B", Recipients: 5000, Conversions: c1}}
}

func TestHoldoutLift(t *testing.T) {
	treated := Arm{Name: "treated", Recipients: 9000, Conversions: 540, Weight: 90, Revenue: &Moments{N: 9000, Sum: 540 * 80, SumSq: 540 * 80 * 80 * 1.3}}
	holdout := Arm{Name: "holdout", Recipients: 1000, Conversions: 40, Weight: 10, Revenue: &Moments{N: 1000, Sum: 40 * 80, SumSq: 40 * 80 * 80 * 1.3}}
	l, err := HoldoutLift(treated, holdout, Options{})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "lift", l.Estimate.Estimate, 0.06-0.04, 1e-15)
	want := CompareProportions(Counts{9000, 540}, Counts{1000, 40}, 0.95)
	near(t, "p", l.PValue, want.PValue, 0)
	near(t, "ci low", l.CILow, want.CI.Low, 0)
	near(t, "incremental conversions", l.IncrementalConversions.Estimate, 0.02*9000, 1e-9)
	if l.SRM.Mismatch || l.RevenuePerRecipient == nil || l.IncrementalRevenue == nil || l.Relative == nil {
		t.Errorf("lift %+v", l)
	}
	near(t, "incremental revenue", l.IncrementalRevenue.Estimate, (4.8-3.2)*9000, 1e-6)
	raw, _ := json.Marshal(l)
	var doc map[string]any
	_ = json.Unmarshal(raw, &doc)
	for _, k := range []string{"estimate", "ci_low", "ci_high", "p_value"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("lift JSON lacks %q: %s", k, raw)
		}
	}
}

func TestMonitorRunningMinimum(t *testing.T) {
	var m Monitor
	looks := [][2]int64{{60, 40}, {110, 100}, {160, 150}}
	prevP, prevW := 2.0, math.Inf(1)
	for i, l := range looks {
		arms := []Arm{{Name: "A", Recipients: int64(1000 * (i + 1)), Conversions: l[1], Control: true}, {Name: "B", Recipients: int64(1000 * (i + 1)), Conversions: l[0]}}
		r, err := Analyze(arms, Options{Sequential: true, Tuning: 6000})
		if err != nil {
			t.Fatal(err)
		}
		raw := *r.Variants[1].Comparison
		r = m.Observe(r)
		c := r.Variants[1].Comparison
		if c.PValue > raw.PValue || c.PValue > prevP || c.CIHigh-c.CILow > prevW || c.CILow < raw.CILow || c.CIHigh > raw.CIHigh {
			t.Errorf("look %d: running %+v, raw %+v", i, c, raw)
		}
		prevP, prevW = c.PValue, c.CIHigh-c.CILow
	}
	if m.Looks != 3 {
		t.Errorf("looks %d", m.Looks)
	}
	// Fixed-horizon reports pass through untouched.
	f, _ := Analyze(checkArms(), Options{})
	if g := m.Observe(f); g.Variants[1].PValue != f.Variants[1].PValue || m.Looks != 3 {
		t.Error("a fixed-horizon report was folded into the monitor")
	}
}

func TestThompson(t *testing.T) {
	th := NewThompson(Prior{}, 0, 42)
	arms := []Counts{{1000, 40}, {1000, 50}, {1000, 60}}
	w := th.Weights(arms)
	sum := 0.0
	for _, v := range w {
		sum += v
	}
	near(t, "weights sum", sum, 1, 1e-12)
	if !(w[2] > w[1] && w[1] > w[0]) {
		t.Errorf("weights %v", w)
	}
	// Choose picks each arm about as often as its weight.
	const n = 20000
	got := make([]float64, 3)
	for range n {
		got[th.Choose(arms)]++
	}
	for i := range got {
		near(t, "choice share", got[i]/n, w[i], 0.015)
	}
	// Same seed, same choices.
	a, b := NewThompson(Prior{}, 0, 9), NewThompson(Prior{}, 0, 9)
	for range 100 {
		if a.Choose(arms) != b.Choose(arms) {
			t.Fatal("not deterministic")
		}
	}
	// A floor keeps every arm at no less than its share.
	fl := NewThompson(Prior{}, 0.1, 1).Weights([]Counts{{5000, 100}, {5000, 200}, {5000, 300}})
	sum = 0
	for _, v := range fl {
		sum += v
		if v < 0.1-1e-12 {
			t.Errorf("floor broken: %v", fl)
		}
	}
	near(t, "floored weights sum", sum, 1, 1e-12)
}

func TestAnalyzeRevenueSamples(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	sample := func(n int64, p float64) *Sample {
		s := &Sample{N: n}
		for range n {
			if rng.Float64() < p {
				s.Values = append(s.Values, math.Exp(4+1.5*rng.NormFloat64()))
			}
		}
		return s
	}
	arms := []Arm{{Name: "A", Recipients: 600, Control: true, RevenueSample: sample(600, 0.05)}, {Name: "B", Recipients: 600, RevenueSample: sample(600, 0.06)}}
	for i := range arms {
		arms[i].Conversions = int64(len(arms[i].RevenueSample.Values))
	}
	r, err := Analyze(arms, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rc := r.Variants[1].Comparison.Revenue
	if rc.Method != MethodWelch || !rc.HeavyTailed || !strings.Contains(strings.Join(r.Warnings, "\n"), "too skewed") {
		t.Errorf("revenue %+v, warnings %v", rc, r.Warnings)
	}
	m := arms[1].RevenueSample.Moments()
	near(t, "per recipient", r.Variants[1].Revenue.PerRecipient, m.Sum/600, 1e-12)
	b, err := Analyze(arms, Options{RevenueMethod: MethodBootstrap})
	if err != nil || b.Variants[1].Comparison.Revenue.Method != MethodBootstrap {
		t.Errorf("bootstrap: %v %+v", err, b.Variants[1].Comparison.Revenue)
	}
	if _, err := Analyze(arms, Options{RevenueMethod: "magic"}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("unknown method: %v", err)
	}
	arms[0].RevenueSample = &Sample{N: 500}
	if _, err := Analyze(arms, Options{}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("sample of the wrong size: %v", err)
	}
}

func TestOptionsFromConfig(t *testing.T) {
	c := config.Default().Experiment
	c.MinSample, c.Threshold = 1000, 0.9
	o := OptionsFromConfig(c)
	if o.Alpha != 0.05 || o.Rule.MinSample != 1000 || o.Rule.Threshold != 0.9 || o.Tuning != 10000 || o.SRMAlpha != 0.001 || o.Prior != (Prior{1, 1}) {
		t.Errorf("options %+v", o)
	}
}

func BenchmarkAnalyze(b *testing.B) {
	for _, arms := range [][]Arm{checkArms(), {
		{Name: "control", Recipients: 50000, Conversions: 2500, Control: true, Revenue: &Moments{N: 50000, Sum: 250000, SumSq: 5e7}},
		{Name: "v1", Recipients: 50000, Conversions: 2600, Revenue: &Moments{N: 50000, Sum: 262000, SumSq: 5.2e7}},
		{Name: "v2", Recipients: 50000, Conversions: 2550, Revenue: &Moments{N: 50000, Sum: 255000, SumSq: 5.1e7}},
		{Name: "v3", Recipients: 50000, Conversions: 2700, Revenue: &Moments{N: 50000, Sum: 270000, SumSq: 5.4e7}},
	}} {
		b.Run(fmt.Sprintf("%d_arms", len(arms)), func(b *testing.B) {
			for b.Loop() {
				if _, err := Analyze(arms, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
