package experiment

import (
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Moments summarise the per-recipient revenue of an arm: N recipients,
// the Sum of their revenue and the Sum of its squares (recipients who did
// not buy add 0 to both). They are what a CSV of counts carries and what
// the store can aggregate cheaply.
type Moments struct {
	N     int64   `json:"n"`
	Sum   float64 `json:"sum"`
	SumSq float64 `json:"sum_sq"`
}

// Mean is revenue per recipient.
func (m Moments) Mean() float64 {
	if m.N <= 0 {
		return 0
	}
	return m.Sum / float64(m.N)
}

// Variance is the sample variance (n-1 denominator) of per-recipient
// revenue; 0 with fewer than two recipients.
func (m Moments) Variance() float64 {
	if m.N < 2 {
		return 0
	}
	n := float64(m.N)
	return max(0, (m.SumSq-m.Sum*m.Sum/n)/(n-1))
}

// Sample is the per-recipient revenue of an arm when it is known one by
// one: N recipients, of whom those in Values bought something (the others
// spent 0). It lets the revenue test look at the shape of the
// distribution and bootstrap when Welch's t would mislead.
type Sample struct {
	N      int64
	Values []float64 // the nonzero revenues, len(Values) <= N
}

// Moments of the sample.
func (s Sample) Moments() Moments {
	m := Moments{N: s.N}
	for _, v := range s.Values {
		m.Sum += v
		m.SumSq += v * v
	}
	return m
}

// skewness is the sample skewness g1 = m3 / m2^1.5 over all N recipients.
func (s Sample) skewness() float64 {
	if s.N < 3 {
		return 0
	}
	n := float64(s.N)
	mean := s.Moments().Mean()
	zeros := n - float64(len(s.Values))
	m2 := zeros * mean * mean
	m3 := -zeros * mean * mean * mean
	for _, v := range s.Values {
		d := v - mean
		m2 += d * d
		m3 += d * d * d
	}
	m2 /= n
	m3 /= n
	if m2 <= 0 {
		return 0
	}
	return m3 / math.Pow(m2, 1.5)
}

// Revenue test methods, as a report names them.
const (
	MethodWelch      = "welch"
	MethodBootstrap  = "bootstrap"
	MethodSequential = "normal_mixture"
)

// MeanTest compares revenue per recipient of a variant with the control's.
type MeanTest struct {
	Method     string  // MethodWelch or MethodBootstrap
	Difference float64 // variant minus control
	CI         Interval
	PValue     float64
	SE         float64 // standard error of Difference
	T, DF      float64 // Welch only
	// HeavyTailed is set by CompareRevenue when an arm's revenue is too
	// skewed for its size (Cochran's rule): the interval may under-cover.
	HeavyTailed bool
}

// Welch is Welch's unequal-variance t-test of the difference in means,
// with Welch–Satterthwaite degrees of freedom. Each arm needs two
// recipients. It leans on the central limit theorem: with heavily skewed
// revenue and few buyers its interval under-covers, as every interval of
// a mean does (see CompareRevenue).
func Welch(variant, control Moments, level float64) MeanTest {
	n1, n0 := float64(variant.N), float64(control.N)
	v1, v0 := variant.Variance()/n1, control.Variance()/n0
	t := MeanTest{Method: MethodWelch, Difference: variant.Mean() - control.Mean()}
	se2 := v1 + v0
	t.SE = math.Sqrt(se2)
	if !(se2 > 0) {
		t.PValue = 1
		if t.Difference != 0 {
			t.PValue = 0
		}
		t.CI = Interval{t.Difference, t.Difference}
		return t
	}
	t.DF = se2 * se2 / (v1*v1/(n1-1) + v0*v0/(n0-1))
	t.T = t.Difference / t.SE
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: t.DF}
	t.PValue = min(1, 2*st.Survival(math.Abs(t.T)))
	q := st.Quantile(1 - (1-level)/2)
	t.CI = Interval{t.Difference - q*t.SE, t.Difference + q*t.SE}
	return t
}

// cochranFactor is the sample size per unit of squared skewness below
// which the t interval of a mean is not trusted (Cochran's rule,
// n > 25·g1², as refined by Sugden, Smith and Jones 2000).
const cochranFactor = 25

// Heavy reports whether a sample is too skewed for its size for Welch's t
// (n < 25·g1²).
func (s Sample) Heavy() bool {
	g := s.skewness()
	return float64(s.N) < cochranFactor*g*g
}

// CompareRevenue compares per-recipient revenue known one by one, by
// method: MethodWelch (the default, also for "") or MethodBootstrap, with
// resamples draws (default 4000) seeded so that the same data give the
// same interval. Either way HeavyTailed says whether an arm fails
// Cochran's rule (n > 25·g1²), where no interval of a mean can be
// trusted to cover as promised.
//
// Welch is the default even for heavy tails because it measured better:
// on simulated skewed revenue (400 recipients per arm, 5% and 6% buyers,
// lognormal orders with σ = 1.5, so every sample fails Cochran's rule)
// Welch's 95% interval covered 96.5% in an A/B test and 86.7% against a
// holdout nine times smaller than the treated group, the percentile
// bootstrap 91.0% and 85.2% (`chorus bench experiment`, 1,000 runs; the
// studentized and BCa bootstraps did worse still in trials). The
// bootstrap stays available for analysts who want it.
func CompareRevenue(variant, control Sample, level float64, method string, resamples int, seed uint64) MeanTest {
	var t MeanTest
	if method == MethodBootstrap {
		t = Bootstrap(variant, control, level, resamples, seed)
	} else {
		t = Welch(variant.Moments(), control.Moments(), level)
	}
	t.HeavyTailed = variant.Heavy() || control.Heavy()
	return t
}

// Bootstrap is the percentile bootstrap of the difference in mean
// revenue per recipient: each arm is resampled with replacement, the
// difference of the resampled means collected resamples times, and the
// interval read from its quantiles. The two-sided p-value is twice the
// share of resampled differences on the far side of 0 (at least
// 1/(resamples+1)). Because nonbuyers add 0, a resample only draws how many
// buyers it holds (binomially) and which: the cost grows with buyers, not
// recipients.
func Bootstrap(variant, control Sample, level float64, resamples int, seed uint64) MeanTest {
	if resamples <= 0 {
		resamples = 4000
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	mv, mc := variant.Moments(), control.Moments()
	t := MeanTest{Method: MethodBootstrap, Difference: mv.Mean() - mc.Mean()}
	diffs := make([]float64, resamples)
	below, above := 0, 0
	for i := range diffs {
		d := resampleMean(variant, rng) - resampleMean(control, rng)
		diffs[i] = d
		if d <= 0 {
			below++
		}
		if d >= 0 {
			above++
		}
	}
	slices.Sort(diffs)
	a := (1 - level) / 2
	t.CI = Interval{quantileSorted(diffs, a), quantileSorted(diffs, 1-a)}
	t.PValue = min(1, 2*float64(min(below, above)+1)/float64(resamples+1))
	var s, ss float64
	for _, d := range diffs {
		s += d
		ss += d * d
	}
	n := float64(resamples)
	t.SE = math.Sqrt(max(0, (ss-s*s/n)/(n-1)))
	return t
}

func resampleMean(s Sample, rng *rand.Rand) float64 {
	if s.N <= 0 {
		return 0
	}
	k := len(s.Values)
	if k == 0 {
		return 0
	}
	buyers := int(distuv.Binomial{N: float64(s.N), P: float64(k) / float64(s.N), Src: rng}.Rand())
	sum := 0.0
	for range buyers {
		sum += s.Values[rng.IntN(k)]
	}
	return sum / float64(s.N)
}

// quantileSorted is the q-quantile of sorted xs, interpolating linearly
// between order statistics.
func quantileSorted(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	pos := q * float64(len(xs)-1)
	i := int(math.Floor(pos))
	if i >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	f := pos - float64(i)
	return xs[i]*(1-f) + xs[i+1]*f
}
