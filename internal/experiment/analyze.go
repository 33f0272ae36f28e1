package experiment

import (
	"fmt"
	"math"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Arm is one variant's (or the holdout's) outcome so far.
type Arm struct {
	Name        string
	Recipients  int64
	Conversions int64
	// Revenue is the per-recipient revenue as moments (optional). When
	// RevenueSample is set it takes precedence, and the test can fall
	// back to a bootstrap for skewed revenue; with moments alone it is
	// always Welch's t.
	Revenue       *Moments
	RevenueSample *Sample
	// Weight is the arm's planned share of recipients, on any scale; when
	// every arm has 0 the plan is an even split. The SRM check tests it.
	Weight float64
	// Control marks the arm every other arm is compared with.
	Control bool
}

func (a Arm) counts() Counts { return Counts{Recipients: a.Recipients, Conversions: a.Conversions} }

// Method says whether a report's p-values and intervals are fixed-horizon
// (valid at one pre-planned look) or sequential (valid at every look).
type Method string

// The two methods.
const (
	FixedHorizon Method = "fixed_horizon"
	Sequential   Method = "sequential"
)

// Options shape an analysis; zero fields take the defaults in brackets.
type Options struct {
	// Alpha is the two-sided significance level; intervals are at
	// 1-Alpha [0.05, i.e. 95% intervals].
	Alpha float64
	// Sequential asks for always-valid p-values and intervals (see
	// Mixture) instead of fixed-horizon ones.
	Sequential bool
	// Tuning is the planned number of recipients in a variant and the
	// control together, where the sequential interval is narrowest
	// [DefaultTuning]. Fix it before the test starts.
	Tuning int64
	// Prior is the Beta prior of every rate for the win probabilities
	// [uniform Beta(1,1)].
	Prior Prior
	// SRMAlpha is the sample-ratio-mismatch threshold [DefaultSRMAlpha].
	SRMAlpha float64
	// Rule decides the winner (see Decide).
	Rule Rule
	// RevenueMethod compares revenue known one by one (Arm.RevenueSample)
	// by MethodWelch or MethodBootstrap [welch; see CompareRevenue].
	// Revenue known only as moments is always compared by Welch.
	RevenueMethod string
	// Resamples and Seed drive the revenue bootstrap [4000, 1].
	Resamples int
	Seed      uint64
}

func (o Options) withDefaults() Options {
	if !(o.Alpha > 0 && o.Alpha < 1) {
		o.Alpha = 0.05
	}
	if o.RevenueMethod == "" {
		o.RevenueMethod = MethodWelch
	}
	if o.Tuning <= 0 {
		o.Tuning = DefaultTuning
	}
	o.Prior = o.Prior.orUniform()
	if o.SRMAlpha <= 0 {
		o.SRMAlpha = DefaultSRMAlpha
	}
	if o.Resamples <= 0 {
		o.Resamples = 4000
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	o.Rule = o.Rule.withDefaults()
	return o
}

// Report is the analysis of an experiment: every arm, every variant
// compared with the control, the SRM check and the decision. It is the
// JSON of `chorus experiment analyze` and of the API.
type Report struct {
	// Method is what the p-values and intervals of the comparisons are.
	Method Method  `json:"method"`
	Alpha  float64 `json:"alpha"`
	// Level is the confidence level of every interval (1 - Alpha).
	Level   float64 `json:"confidence_level"`
	Control string  `json:"control"`
	// Tuning is the sequential method's planned sample (sequential only).
	Tuning   int64           `json:"sequential_tuning,omitempty"`
	Prior    Prior           `json:"prior"`
	Variants []VariantResult `json:"variants"`
	SRM      SRM             `json:"srm"`
	Decision Decision        `json:"decision"`
	// Warnings are what a reader must know before trusting the figures
	// (an SRM, a skipped revenue test, a tiny sample).
	Warnings []string `json:"warnings"`

	opts Options
}

// VariantResult is one arm. Comparison is nil for the control.
type VariantResult struct {
	Variant     string  `json:"variant"`
	Control     bool    `json:"control"`
	Recipients  int64   `json:"recipients"`
	Conversions int64   `json:"conversions"`
	Rate        float64 `json:"rate"`
	// RateCILow and RateCIHigh are the Wilson interval of Rate (a
	// fixed-horizon interval in both methods).
	RateCILow  float64 `json:"rate_ci_low"`
	RateCIHigh float64 `json:"rate_ci_high"`
	// ProbBest is the posterior probability that this arm's rate is the
	// highest of all arms (the control's included).
	ProbBest float64         `json:"prob_best"`
	Revenue  *RevenueSummary `json:"revenue,omitempty"`
	*Comparison
}

// RevenueSummary is an arm's revenue per recipient.
type RevenueSummary struct {
	Sum          float64 `json:"sum"`
	PerRecipient float64 `json:"per_recipient"`
	SD           float64 `json:"sd"`
}

// Comparison is a variant against the control. Difference, CILow, CIHigh
// and PValue are about the difference in conversion rate, variant minus
// control, by the report's Method.
type Comparison struct {
	Difference float64 `json:"difference"`
	CILow      float64 `json:"ci_low"`
	CIHigh     float64 `json:"ci_high"`
	PValue     float64 `json:"p_value"`
	// PValueHolm is PValue adjusted over all variants (Holm); Significant
	// is PValueHolm < Alpha.
	PValueHolm  float64 `json:"p_value_holm"`
	Significant bool    `json:"significant"`
	// Z and ChiSquare are the pooled two-proportion statistics of the
	// data (ChiSquare = Z², Pearson without continuity correction).
	Z         float64 `json:"z"`
	ChiSquare float64 `json:"chi_square"`
	// WinProbability is P(variant's rate > control's) under the Beta
	// posteriors, computed exactly.
	WinProbability float64 `json:"win_probability"`
	// RelativeLift is rate/control rate - 1, by the report's Method; nil
	// when an arm has no conversions.
	RelativeLift *Estimate `json:"relative_lift,omitempty"`
	// FixedHorizon holds the fixed-horizon figures of a sequential
	// report, for reference only: they are not valid after peeking.
	FixedHorizon *Estimate `json:"fixed_horizon,omitempty"`
	// Revenue compares revenue per recipient, when the arms carry it.
	Revenue *RevenueComparison `json:"revenue_difference,omitempty"`
}

// Estimate is a figure with its interval and p-value (for the null of 0,
// or of no lift). Method names how it was computed where more than one
// way exists.
type Estimate struct {
	Estimate float64 `json:"estimate"`
	CILow    float64 `json:"ci_low"`
	CIHigh   float64 `json:"ci_high"`
	PValue   float64 `json:"p_value"`
	Method   string  `json:"method,omitempty"`
}

// RevenueComparison is the difference in revenue per recipient, variant
// minus control. Method is "welch", "bootstrap" or, in a sequential
// report, "normal_mixture".
type RevenueComparison struct {
	Estimate
	SE float64 `json:"se"`
	T  float64 `json:"t,omitempty"`
	DF float64 `json:"df,omitempty"`
	// WinProbability is P(variant's revenue per recipient > control's)
	// under a normal approximation of the difference.
	WinProbability float64 `json:"win_probability"`
	// HeavyTailed says that an arm's revenue, known one by one, is too
	// skewed for its size (Cochran's rule): the interval may under-cover.
	HeavyTailed bool `json:"heavy_tailed,omitempty"`
}

// Analyze compares every arm with the control and decides. It fails
// (apperr.Invalid) when the arms are inconsistent: no or several controls,
// fewer than two arms, duplicate names, an arm without recipients, or
// more conversions than recipients.
func Analyze(arms []Arm, opt Options) (Report, error) {
	opt = opt.withDefaults()
	if err := validateArms(arms); err != nil {
		return Report{}, err
	}
	if err := validateRule(opt.Rule, arms); err != nil {
		return Report{}, err
	}
	if opt.RevenueMethod != MethodWelch && opt.RevenueMethod != MethodBootstrap {
		return Report{}, apperr.New(apperr.Invalid, "revenue method %q: use %s or %s", opt.RevenueMethod, MethodWelch, MethodBootstrap)
	}
	ci := 0
	for i, a := range arms {
		if a.Control {
			ci = i
		}
	}
	level := 1 - opt.Alpha
	r := Report{Method: FixedHorizon, Alpha: opt.Alpha, Level: level, Control: arms[ci].Name, Prior: opt.Prior, Warnings: []string{}, opts: opt}
	if opt.Sequential {
		r.Method, r.Tuning = Sequential, opt.Tuning
	}

	names := make([]string, len(arms))
	ns := make([]int64, len(arms))
	ws := make([]float64, len(arms))
	posts := make([]BetaDist, len(arms))
	for i, a := range arms {
		names[i], ns[i], ws[i] = a.Name, a.Recipients, a.Weight
		posts[i] = opt.Prior.Posterior(a.counts())
	}
	r.SRM = CheckSRM(names, ns, ws, opt.SRMAlpha)
	if r.SRM.Mismatch {
		r.Warnings = append(r.Warnings, fmt.Sprintf("sample ratio mismatch: the recipients are not split as planned (chi-square %.2f, p = %.2g < %g); assignment or tracking is broken and no figure here can be trusted", r.SRM.ChiSquare, r.SRM.PValue, r.SRM.Alpha))
	}
	var best []float64
	if len(posts) == 2 {
		// Exact, and much cheaper than the quadrature.
		p := ProbGreater(posts[1], posts[0])
		best = []float64{1 - p, p}
	} else {
		best = ProbBest(posts)
	}

	revenue := revenueOf(arms, &r)
	ctl := arms[ci]
	for i, a := range arms {
		v := VariantResult{Variant: a.Name, Control: a.Control, Recipients: a.Recipients, Conversions: a.Conversions,
			Rate: a.counts().Rate(), ProbBest: best[i]}
		w := Wilson(a.Conversions, a.Recipients, level)
		v.RateCILow, v.RateCIHigh = w.Low, w.High
		if revenue != nil {
			m := revenue[i].Moments()
			v.Revenue = &RevenueSummary{Sum: m.Sum, PerRecipient: m.Mean(), SD: math.Sqrt(m.Variance())}
		}
		if i != ci {
			c := compare(a, ctl, posts[i], posts[ci], opt)
			if revenue != nil {
				c.Revenue = compareRevenue(revenue[i], revenue[ci], opt)
				if c.Revenue != nil && c.Revenue.HeavyTailed {
					r.Warnings = append(r.Warnings, fmt.Sprintf("revenue of %s or %s is too skewed for its sample size (fewer recipients than 25 × skewness²): its interval may cover less than %.0f%%", a.Name, ctl.Name, 100*level))
				}
			}
			v.Comparison = &c
		}
		r.Variants = append(r.Variants, v)
	}
	for _, a := range arms {
		if a.Recipients < opt.Rule.MinSample {
			r.Warnings = append(r.Warnings, fmt.Sprintf("%s has %d recipients, fewer than the %d the decision rule needs", a.Name, a.Recipients, opt.Rule.MinSample))
		}
	}
	r.applyHolm()
	return r, nil
}

func validateArms(arms []Arm) error {
	if len(arms) < 2 {
		return apperr.New(apperr.Invalid, "an experiment needs at least two arms (a control and a variant), got %d", len(arms))
	}
	seen := map[string]bool{}
	controls := 0
	for _, a := range arms {
		switch {
		case a.Name == "":
			return apperr.New(apperr.Invalid, "an arm has no name")
		case seen[a.Name]:
			return apperr.New(apperr.Invalid, "arm %q appears twice", a.Name)
		case a.Recipients <= 0:
			return apperr.New(apperr.Invalid, "arm %q has no recipients", a.Name)
		case a.Conversions < 0 || a.Conversions > a.Recipients:
			return apperr.New(apperr.Invalid, "arm %q has %d conversions for %d recipients; conversions must be between 0 and the recipients", a.Name, a.Conversions, a.Recipients)
		case a.Weight < 0 || math.IsNaN(a.Weight) || math.IsInf(a.Weight, 0):
			return apperr.New(apperr.Invalid, "arm %q has a negative or invalid planned weight", a.Name)
		}
		if a.Revenue != nil {
			if err := checkMoments(a.Name, *a.Revenue, a.Recipients); err != nil {
				return err
			}
		}
		if s := a.RevenueSample; s != nil {
			if s.N != a.Recipients || int64(len(s.Values)) > s.N {
				return apperr.New(apperr.Invalid, "arm %q: the revenue sample has %d recipients (%d buyers) for %d recipients", a.Name, s.N, len(s.Values), a.Recipients)
			}
			for _, x := range s.Values {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					return apperr.New(apperr.Invalid, "arm %q: a revenue value is not a finite number", a.Name)
				}
			}
		}
		seen[a.Name] = true
		if a.Control {
			controls++
		}
	}
	if controls != 1 {
		return apperr.New(apperr.Invalid, "an experiment needs exactly one control arm, got %d", controls)
	}
	weighted := 0
	for _, a := range arms {
		if a.Weight > 0 {
			weighted++
		}
	}
	if weighted > 0 && weighted < len(arms) {
		return apperr.New(apperr.Invalid, "planned weights are given for %d of %d arms; give one for every arm, or none for an even split", weighted, len(arms))
	}
	return nil
}

func validateRule(r Rule, arms []Arm) error {
	if r.Metric == "" {
		r.Metric = MetricConversion
	}
	if r.Metric != MetricConversion && r.Metric != MetricRevenue {
		return apperr.New(apperr.Invalid, "decision metric %q: use %s or %s", r.Metric, MetricConversion, MetricRevenue)
	}
	if r.Default == "" {
		return nil
	}
	for _, a := range arms {
		if a.Name == r.Default {
			return nil
		}
	}
	return apperr.New(apperr.Invalid, "the default arm %q is not one of the arms", r.Default)
}

// checkMoments rejects moments no data can have.
func checkMoments(name string, m Moments, recipients int64) error {
	if m.N != recipients {
		return apperr.New(apperr.Invalid, "arm %q: revenue counts %d recipients but the arm has %d", name, m.N, recipients)
	}
	for _, x := range []float64{m.Sum, m.SumSq} {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return apperr.New(apperr.Invalid, "arm %q: revenue sums must be finite numbers", name)
		}
	}
	// Cauchy–Schwarz: Σx² >= (Σx)²/n, up to rounding.
	if need := m.Sum * m.Sum / float64(m.N); m.SumSq < need*(1-1e-9)-1e-9 {
		return apperr.New(apperr.Invalid, "arm %q: revenue_sumsq %g is smaller than revenue_sum²/recipients = %g, which no data can give (is it the sum of squared per-recipient revenue?)", name, m.SumSq, need)
	}
	return nil
}

// revenueOf returns every arm's revenue sample (moments become a sample
// with no values, used only through its moments), or nil when no arm has
// revenue. Arms where only some carry revenue get a warning.
func revenueOf(arms []Arm, r *Report) []revenueData {
	have := 0
	for _, a := range arms {
		if a.Revenue != nil || a.RevenueSample != nil {
			have++
		}
	}
	if have == 0 {
		return nil
	}
	if have < len(arms) {
		r.Warnings = append(r.Warnings, "revenue is given for some arms only, so revenue per recipient is not compared")
		return nil
	}
	out := make([]revenueData, len(arms))
	for i, a := range arms {
		if a.RevenueSample != nil {
			out[i] = revenueData{sample: a.RevenueSample}
		} else {
			out[i] = revenueData{moments: *a.Revenue}
		}
	}
	return out
}

// revenueData is an arm's revenue: a sample when known one by one, else
// moments.
type revenueData struct {
	sample  *Sample
	moments Moments
}

func (d revenueData) Moments() Moments {
	if d.sample != nil {
		return d.sample.Moments()
	}
	return d.moments
}

func compare(variant, control Arm, pv, pc BetaDist, opt Options) Comparison {
	level := 1 - opt.Alpha
	vc, cc := variant.counts(), control.counts()
	ft := CompareProportions(vc, cc, level)
	c := Comparison{Difference: ft.Difference, Z: ft.Z, ChiSquare: ft.ChiSquare, WinProbability: ProbGreater(pv, pc)}
	est, liv, lp, ok := RelativeLift(vc, cc, level)
	if !opt.Sequential {
		c.CILow, c.CIHigh, c.PValue = ft.CI.Low, ft.CI.High, ft.PValue
		if ok {
			c.RelativeLift = &Estimate{Estimate: est, CILow: liv.Low, CIHigh: liv.High, PValue: lp, Method: "delta_log_ratio"}
		}
		return c
	}
	mix := Mixture{Alpha: opt.Alpha, Tuning: opt.Tuning}
	n := variant.Recipients + control.Recipients
	s := mix.TestRates(vc, cc)
	c.CILow, c.CIHigh, c.PValue = s.CI.Low, s.CI.High, s.PValue
	c.FixedHorizon = &Estimate{Estimate: ft.Difference, CILow: ft.CI.Low, CIHigh: ft.CI.High, PValue: ft.PValue, Method: "newcombe_z_test"}
	if ok {
		lr := math.Log1p(est)
		v := (1-vc.Rate())/float64(vc.Conversions) + (1-cc.Rate())/float64(cc.Conversions)
		ls := mix.Test(lr, v, n)
		c.RelativeLift = &Estimate{Estimate: est, CILow: math.Expm1(ls.CI.Low), CIHigh: math.Expm1(ls.CI.High), PValue: ls.PValue, Method: MethodSequential}
	}
	return c
}

func compareRevenue(variant, control revenueData, opt Options) *RevenueComparison {
	level := 1 - opt.Alpha
	mv, mc := variant.Moments(), control.Moments()
	if mv.N < 2 || mc.N < 2 {
		return nil
	}
	var t MeanTest
	if variant.sample != nil && control.sample != nil {
		t = CompareRevenue(*variant.sample, *control.sample, level, opt.RevenueMethod, opt.Resamples, opt.Seed)
	} else {
		t = Welch(mv, mc, level)
	}
	rc := &RevenueComparison{Estimate: Estimate{Estimate: t.Difference, CILow: t.CI.Low, CIHigh: t.CI.High, PValue: t.PValue, Method: t.Method},
		SE: t.SE, T: t.T, DF: t.DF, WinProbability: 0.5, HeavyTailed: t.HeavyTailed}
	if t.SE > 0 {
		rc.WinProbability = 1 - normalTwoSided(t.Difference/t.SE)/2
		if t.Difference < 0 {
			rc.WinProbability = 1 - rc.WinProbability
		}
	} else if t.Difference > 0 {
		rc.WinProbability = 1
	} else if t.Difference < 0 {
		rc.WinProbability = 0
	}
	if opt.Sequential {
		s := Mixture{Alpha: opt.Alpha, Tuning: opt.Tuning}.TestMeans(mv, mc)
		rc.CILow, rc.CIHigh, rc.PValue, rc.Method = s.CI.Low, s.CI.High, s.PValue, MethodSequential
		rc.T, rc.DF = 0, 0
	}
	return rc
}

// applyHolm adjusts the variants' p-values and decides.
func (r *Report) applyHolm() {
	var idx []int
	var ps []float64
	for i, v := range r.Variants {
		if v.Comparison != nil {
			idx = append(idx, i)
			ps = append(ps, v.PValue)
		}
	}
	adj := Holm(ps)
	for k, i := range idx {
		c := r.Variants[i].Comparison
		c.PValueHolm = adj[k]
		c.Significant = adj[k] < r.Alpha
	}
	r.Decision = Decide(*r, r.opts.Rule)
}
