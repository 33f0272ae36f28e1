package experiment

import (
	"math"
)

// DefaultTuning is the planned sample (recipients in the two compared
// arms together) at which a sequential interval is narrowest when the
// caller names none.
const DefaultTuning = 10000

// Mixture is the always-valid test of one estimate: a normal-mixture
// sequential probability ratio test (mSPRT; Robbins 1970, Johari et al.
// 2017), which is the same as inverting the asymptotic normal-mixture
// confidence sequence (Howard et al. 2021; Waudby-Smith et al. 2023, the
// method GrowthBook documents). An estimate θ̂ with variance V is tested
// against θ with the mixture likelihood ratio
//
//	Λ(θ) = √(V/(V+τ²)) · exp(τ²(θ̂-θ)² / (2V(V+τ²)))
//
// which, under the null, is (asymptotically) a nonnegative martingale in
// the sample size; by Ville's inequality the chance that it ever exceeds
// 1/α, at any look, is at most α. Hence the p-value min(1, 1/Λ(0)) and the
// interval {θ : Λ(θ) < 1/α} hold whenever, and however often, they are
// read.
//
// The mixing variance τ² = c·V·N/Tuning (with c = -2 ln α + ln(1 - 2 ln α))
// is fixed by the plan, not by the data: it scales with the unit variance
// V·N and makes the interval narrowest when the N recipients of the two
// arms reach Tuning. Choose Tuning before the test starts (the planned
// size); changing it between looks voids the guarantee.
type Mixture struct {
	Alpha  float64 // two-sided error, e.g. 0.05
	Tuning int64   // planned recipients of the two arms together
}

// SequentialResult is an always-valid p-value and confidence interval.
type SequentialResult struct {
	PValue float64
	CI     Interval
}

// Test returns the always-valid p-value of θ = 0 and interval for an
// estimate with variance v after n recipients (both arms together). A
// zero variance gives p = 1 and a point interval when the estimate is 0,
// p = 0 otherwise.
func (m Mixture) Test(est, v float64, n int64) SequentialResult {
	alpha := m.Alpha
	if !(alpha > 0 && alpha < 1) {
		alpha = 0.05
	}
	tuning := m.Tuning
	if tuning <= 0 {
		tuning = DefaultTuning
	}
	if !(v > 0) || n <= 0 {
		p := 1.0
		if est != 0 {
			p = 0
		}
		return SequentialResult{PValue: p, CI: Interval{est, est}}
	}
	la := math.Log(alpha)
	c := -2*la + math.Log(1-2*la)
	tau2 := c * v * float64(n) / float64(tuning)
	ratio := (v + tau2) / v
	// log Λ(0) = -½ ln ratio + τ²θ̂² / (2V(V+τ²))
	logLR := -0.5*math.Log(ratio) + tau2*est*est/(2*v*(v+tau2))
	p := 1.0
	if logLR > 0 {
		p = math.Exp(-logLR)
	}
	half := math.Sqrt(v * (v + tau2) / tau2 * (-2*la + math.Log(ratio)))
	return SequentialResult{PValue: p, CI: Interval{est - half, est + half}}
}

// TestRates is the always-valid test of a difference in conversion rates,
// variant minus control: the figures of a sequential Report. Its variance
// is the unpooled p1(1-p1)/n1 + p0(1-p0)/n0, with a rate of 0 or 1 taken
// as (x+½)/(n+1) so that an arm without conversions (yet) does not claim
// certainty.
func (m Mixture) TestRates(variant, control Counts) SequentialResult {
	rate := func(k Counts) float64 {
		if k.Conversions == 0 || k.Conversions == k.Recipients {
			return (float64(k.Conversions) + 0.5) / (float64(k.Recipients) + 1)
		}
		return k.Rate()
	}
	p1, p0 := rate(variant), rate(control)
	v := p1*(1-p1)/float64(variant.Recipients) + p0*(1-p0)/float64(control.Recipients)
	return m.Test(variant.Rate()-control.Rate(), v, variant.Recipients+control.Recipients)
}

// TestMeans is the always-valid test of a difference in revenue per
// recipient, variant minus control, with Welch's variance.
func (m Mixture) TestMeans(variant, control Moments) SequentialResult {
	v := variant.Variance()/float64(variant.N) + control.Variance()/float64(control.N)
	return m.Test(variant.Mean()-control.Mean(), v, variant.N+control.N)
}

// Monitor keeps what the looks at a running test have shown so far. The
// always-valid p-value of each look is valid on its own; their running
// minimum, and the running intersection of the intervals, are valid too
// and can only sharpen. The campaign layer stores a Monitor (it is plain
// JSON) between looks. The zero value is ready.
type Monitor struct {
	Looks int                     `json:"looks"`
	Arms  map[string]MonitorState `json:"arms"`
}

// MonitorState is one variant's running minimum p-value and intersected
// interval.
type MonitorState struct {
	PValue float64 `json:"p_value"`
	CILow  float64 `json:"ci_low"`
	CIHigh float64 `json:"ci_high"`
}

// Observe folds a sequential report into the monitor and returns the
// report with each variant's p-value and interval replaced by the running
// minimum and intersection. Reports that are not sequential are returned
// unchanged: fixed-horizon figures must not be combined across looks.
func (m *Monitor) Observe(r Report) Report {
	if r.Method != Sequential {
		return r
	}
	if m.Arms == nil {
		m.Arms = map[string]MonitorState{}
	}
	m.Looks++
	for i, v := range r.Variants {
		if v.Comparison == nil {
			continue
		}
		c := *v.Comparison
		st, seen := m.Arms[v.Variant]
		if seen {
			c.PValue = min(c.PValue, st.PValue)
			lo, hi := max(c.CILow, st.CILow), min(c.CIHigh, st.CIHigh)
			// An empty intersection means the rates drifted between
			// looks (the arms' truth changed); keep this look's
			// interval rather than report nothing.
			if lo <= hi {
				c.CILow, c.CIHigh = lo, hi
			}
		}
		m.Arms[v.Variant] = MonitorState{PValue: c.PValue, CILow: c.CILow, CIHigh: c.CIHigh}
		r.Variants[i].Comparison = &c
	}
	r.applyHolm()
	return r
}
