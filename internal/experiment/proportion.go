package experiment

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Interval is a two-sided confidence interval.
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// Contains reports whether x lies in the closed interval.
func (iv Interval) Contains(x float64) bool { return iv.Low <= x && x <= iv.High }

// zFor is the standard normal quantile of a two-sided level: 1.959964 for
// 0.95.
func zFor(level float64) float64 {
	return distuv.UnitNormal.Quantile(1 - (1-level)/2)
}

// normalTwoSided is the two-sided p-value of a standard normal statistic.
func normalTwoSided(z float64) float64 {
	return 2 * distuv.UnitNormal.Survival(math.Abs(z))
}

// Wilson is the Wilson score interval for a rate of x successes in n
// trials at the given level (0.95 for 95%). Unlike the textbook
// p ± z·√(p(1-p)/n) it keeps its coverage near 0 and 1 and never leaves
// [0, 1]. It is the interval R's prop.test prints without continuity
// correction. With n = 0 it is [0, 1].
func Wilson(x, n int64, level float64) Interval {
	if n <= 0 {
		return Interval{0, 1}
	}
	z := zFor(level)
	fn, fx := float64(n), float64(x)
	z2 := z * z
	center := (fx + z2/2) / (fn + z2)
	half := z / (fn + z2) * math.Sqrt(fx*(fn-fx)/fn+z2/4)
	iv := Interval{Low: max(0, center-half), High: min(1, center+half)}
	// The bounds are exactly 0 and 1 at x = 0 and x = n; rounding can
	// leave 1e-17 there.
	if x == 0 {
		iv.Low = 0
	}
	if x == n {
		iv.High = 1
	}
	return iv
}

// ProportionTest compares a variant's rate with the control's at a fixed
// horizon.
type ProportionTest struct {
	// Difference is the variant's rate minus the control's.
	Difference float64
	// Z is the pooled two-proportion z statistic; ChiSquare = Z² is
	// Pearson's chi-square of the 2×2 table without continuity
	// correction (1 degree of freedom).
	Z, ChiSquare float64
	// PValue is the two-sided p-value of Z (equal to that of ChiSquare).
	PValue float64
	// CI is Newcombe's hybrid score interval (his method 10) for
	// Difference, built from the two Wilson intervals. Its coverage stays
	// near nominal with few conversions, where the Wald interval's falls.
	// It is not the inversion of the z-test, so in borderline cases
	// "p < α" and "the interval excludes 0" can disagree.
	CI Interval
}

// Counts are the recipients and conversions of one arm.
type Counts struct {
	Recipients  int64
	Conversions int64
}

// Rate is conversions per recipient; 0 without recipients.
func (c Counts) Rate() float64 {
	if c.Recipients <= 0 {
		return 0
	}
	return float64(c.Conversions) / float64(c.Recipients)
}

// CompareProportions runs the fixed-horizon comparison of variant against
// control at the given level. Both arms need at least one recipient.
func CompareProportions(variant, control Counts, level float64) ProportionTest {
	p1, p0 := variant.Rate(), control.Rate()
	n1, n0 := float64(variant.Recipients), float64(control.Recipients)
	t := ProportionTest{Difference: p1 - p0}
	pool := float64(variant.Conversions+control.Conversions) / (n1 + n0)
	se := math.Sqrt(pool * (1 - pool) * (1/n1 + 1/n0))
	if se > 0 {
		t.Z = t.Difference / se
	}
	t.ChiSquare = t.Z * t.Z
	t.PValue = normalTwoSided(t.Z)
	w1 := Wilson(variant.Conversions, variant.Recipients, level)
	w0 := Wilson(control.Conversions, control.Recipients, level)
	t.CI = Interval{
		Low:  t.Difference - math.Hypot(p1-w1.Low, w0.High-p0),
		High: t.Difference + math.Hypot(w1.High-p1, p0-w0.Low),
	}
	return t
}

// RelativeLift is the variant's rate over the control's, minus one
// (0.25 = 25% more conversions per recipient), with a delta-method
// interval on the log of the ratio: log(p1/p0) ± z·√((1-p1)/x1 + (1-p0)/x0).
// ok is false when either arm has no conversions, where the ratio's
// logarithm has no finite variance.
func RelativeLift(variant, control Counts, level float64) (est float64, ci Interval, p float64, ok bool) {
	if variant.Conversions <= 0 || control.Conversions <= 0 || variant.Recipients <= 0 || control.Recipients <= 0 {
		return 0, Interval{}, 0, false
	}
	p1, p0 := variant.Rate(), control.Rate()
	lr := math.Log(p1 / p0)
	se := math.Sqrt((1-p1)/float64(variant.Conversions) + (1-p0)/float64(control.Conversions))
	z := zFor(level)
	ci = Interval{Low: math.Expm1(lr - z*se), High: math.Expm1(lr + z*se)}
	p = 1
	if se > 0 {
		p = normalTwoSided(lr / se)
	}
	return math.Expm1(lr), ci, p, true
}
