package experiment

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol || math.IsNaN(got) {
		t.Errorf("%s = %.10g, want %.10g (±%g)", what, got, want, tol)
	}
}

// The check: 120/1000 against 150/1000 gives χ² = 3.8536 and
// p = 0.0496 (R: prop.test(c(150,120), c(1000,1000), correct = FALSE)).
func TestChiSquareKnownValue(t *testing.T) {
	r := CompareProportions(Counts{Recipients: 1000, Conversions: 150}, Counts{Recipients: 1000, Conversions: 120}, 0.95)
	near(t, "chi-square", r.ChiSquare, 3.8536, 5e-5)
	near(t, "p", r.PValue, 0.0496, 5e-5)
	near(t, "z", r.Z, math.Sqrt(3.8535645), 1e-6)
	near(t, "difference", r.Difference, 0.03, 1e-15)
	// The chi-square's own survival function agrees with the z-test's
	// two-sided p-value.
	near(t, "p from chi-square", distuv.ChiSquared{K: 1}.Survival(r.ChiSquare), r.PValue, 1e-12)
}

// Wilson score intervals from Newcombe (1998), "Two-sided confidence
// intervals for the single proportion", Table I, method 3.
func TestWilsonKnownValues(t *testing.T) {
	for _, c := range []struct {
		x, n     int64
		lo, high float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0, 0.1611},
		{1, 29, 0.0061, 0.1718},
		{29, 29, 0.8830, 1}, // mirror of 0/29
	} {
		iv := Wilson(c.x, c.n, 0.95)
		near(t, "low", iv.Low, c.lo, 5e-5)
		near(t, "high", iv.High, c.high, 5e-5)
	}
	if iv := Wilson(0, 0, 0.95); iv != (Interval{0, 1}) {
		t.Errorf("Wilson(0, 0) = %v", iv)
	}
}

// Newcombe (1998), "Interval estimation for the difference between
// independent proportions", Table II, method 10 (hybrid score).
func TestNewcombeDifferenceKnownValues(t *testing.T) {
	for _, c := range []struct {
		x1, n1, x0, n0 int64
		lo, high       float64
	}{
		{56, 70, 48, 80, 0.0524, 0.3339},
		{9, 10, 3, 10, 0.1705, 0.8090},
		{0, 10, 0, 20, -0.1611, 0.2775},
		{0, 10, 0, 10, -0.2775, 0.2775},
		{10, 10, 0, 20, 0.6791, 1},
		{10, 10, 0, 10, 0.6075, 1},
	} {
		r := CompareProportions(Counts{c.n1, c.x1}, Counts{c.n0, c.x0}, 0.95)
		near(t, "low", r.CI.Low, c.lo, 5e-5)
		near(t, "high", r.CI.High, c.high, 5e-5)
	}
}

// Welch's t on Wikipedia's second example (t = -2.46, ν ≈ 25, p = 0.021),
// from moments, checked against gonum on the raw data.
func TestWelchKnownValues(t *testing.T) {
	a1 := []float64{27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4}
	a2 := []float64{27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4}
	r := Welch(Sample{N: 15, Values: a1}.Moments(), Sample{N: 15, Values: a2}.Moments(), 0.95)
	near(t, "t", r.T, -2.46, 5e-3)
	near(t, "p", r.PValue, 0.021, 5e-4)
	m1, v1 := stat.MeanVariance(a1, nil)
	m2, v2 := stat.MeanVariance(a2, nil)
	se := math.Sqrt(v1/15 + v2/15)
	near(t, "t (raw data)", r.T, (m1-m2)/se, 1e-9)
	df := math.Pow(v1/15+v2/15, 2) / (math.Pow(v1/15, 2)/14 + math.Pow(v2/15, 2)/14)
	near(t, "df", r.DF, df, 1e-9)
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(0.975)
	near(t, "ci low", r.CI.Low, m1-m2-q*se, 1e-9)
	if r.Method != MethodWelch {
		t.Errorf("method %q", r.Method)
	}
}

// exactProbGreater is P(X > Y) for whole-number Beta parameters as an
// exact fraction, by a derivation independent of the series in
// ProbGreater: F_Y is a binomial tail polynomial, so
// P = Σ_{j=ay}^{m} C(m,j) B(ax+j, bx+m-j) / B(ax,bx) with m = ay+by-1.
func exactProbGreater(ax, bx, ay, by int64) *big.Rat {
	fact := func(n int64) *big.Int { return new(big.Int).MulRange(1, max(n, 1)) }
	beta := func(p, q int64) *big.Rat { // (p-1)!(q-1)!/(p+q-1)!
		num := new(big.Int).Mul(fact(p-1), fact(q-1))
		return new(big.Rat).SetFrac(num, fact(p+q-1))
	}
	m := ay + by - 1
	sum := new(big.Rat)
	for j := ay; j <= m; j++ {
		term := new(big.Rat).SetInt(new(big.Int).Binomial(m, j))
		term.Mul(term, beta(ax+j, bx+m-j))
		sum.Add(sum, term)
	}
	return sum.Quo(sum, beta(ax, bx))
}

func TestProbGreaterExact(t *testing.T) {
	near(t, "Beta(2,1) > Beta(1,1)", ProbGreater(BetaDist{2, 1}, BetaDist{1, 1}), 2.0/3, 1e-15)
	rng := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 60; i++ {
		ax, bx := 1+rng.Int64N(40), 1+rng.Int64N(40)
		ay, by := 1+rng.Int64N(40), 1+rng.Int64N(40)
		want, _ := exactProbGreater(ax, bx, ay, by).Float64()
		x, y := BetaDist{float64(ax), float64(bx)}, BetaDist{float64(ay), float64(by)}
		near(t, "series", ProbGreater(x, y), want, 1e-12)
		near(t, "quadrature", ProbBest([]BetaDist{x, y})[0], want, 1e-11)
	}
	// Larger counts, as in a campaign: 151/1002 against 121/1002
	// posteriors, exactly (the fraction has thousands of digits).
	want, _ := exactProbGreater(151, 851, 121, 881).Float64()
	near(t, "120/1000 vs 150/1000", ProbGreater(BetaDist{151, 851}, BetaDist{121, 881}), want, 1e-12)
	near(t, "120/1000 vs 150/1000 (quadrature)", ProbBest([]BetaDist{{151, 851}, {121, 881}})[0], want, 1e-11)
	// Campaign-sized posteriors: quadrature against the series.
	for _, c := range [][5]float64{{2601, 47401, 2501, 47501, 1e-11}, {25001, 475001, 24801, 475201, 1e-9}, {3, 99999, 1, 100001, 1e-10}, {1, 100001, 1, 90001, 1e-10}} {
		x, y := BetaDist{c[0], c[1]}, BetaDist{c[2], c[3]}
		got, want := ProbBest([]BetaDist{x, y})[0], ProbGreater(x, y)
		t.Logf("%v: quadrature - series = %.3g", c[:4], got-want)
		near(t, "large counts, quadrature vs series", got, want, c[4])
	}
	// X ~ Beta(1, b): P(X > Y) = E[(1-Y)^b] = B(ay, by+b)/B(ay, by).
	near(t, "Beta(1, 100001) > Beta(1, 90001)", ProbGreater(BetaDist{1, 100001}, BetaDist{1, 90001}), 90001.0/190002, 1e-9)
	t.Logf("series - exact = %.3g, quadrature - exact = %.3g", ProbGreater(BetaDist{1, 100001}, BetaDist{1, 90001})-90001.0/190002, ProbBest([]BetaDist{{1, 100001}, {1, 90001}})[0]-90001.0/190002)
	// Beta(3, n) against Beta(1, n): P = 1 - E[exp(-n X)] -> 1 - 1/2³.
	near(t, "rare conversions", ProbGreater(BetaDist{3, 99999}, BetaDist{1, 100001}), 0.875, 1e-4)
}

// With fractional parameters: for X ~ Beta(a, 1), P(X > Y) = 1 - E[Y^a]
// = 1 - B(ay+a, by)/B(ay, by) in closed form.
func TestProbGreaterFractional(t *testing.T) {
	for _, c := range [][3]float64{{2.5, 1.5, 1.5}, {0.5, 0.5, 10.5}, {3.7, 40.5, 960.5}, {1.5, 0.5, 0.5}} {
		a, ay, by := c[0], c[1], c[2]
		want := 1 - math.Exp(lbeta(ay+a, by)-lbeta(ay, by))
		x, y := BetaDist{a, 1}, BetaDist{ay, by}
		near(t, "series", ProbGreater(x, y), want, 1e-12)
		near(t, "quadrature", ProbBest([]BetaDist{x, y})[0], want, 1e-11)
	}
	// No whole parameter at all: quadrature against the series of a
	// neighbouring whole-number problem would not do, so against Monte
	// Carlo (200,000 draws: standard error 0.0011).
	x, y := BetaDist{12.5, 30.5}, BetaDist{10.5, 33.5}
	src := rand.NewPCG(1, 2)
	hits := 0
	const draws = 200000
	for range draws {
		if (distuv.Beta{Alpha: x.A, Beta: x.B, Src: src}).Rand() > (distuv.Beta{Alpha: y.A, Beta: y.B, Src: src}).Rand() {
			hits++
		}
	}
	near(t, "quadrature vs Monte Carlo", ProbGreater(x, y), float64(hits)/draws, 0.005)
}

func TestProbBest(t *testing.T) {
	same := ProbBest([]BetaDist{{50, 950}, {50, 950}, {50, 950}})
	for _, p := range same {
		near(t, "identical arms", p, 1.0/3, 1e-10)
	}
	// Three arms against Monte Carlo, with moderate and with rare
	// conversions.
	for _, arms := range [][]BetaDist{{{41, 961}, {51, 951}, {56, 946}}, {{2, 50000}, {1, 50001}, {4, 49998}}} {
		probBestMonteCarlo(t, arms)
	}
}

func probBestMonteCarlo(t *testing.T, arms []BetaDist) {
	t.Helper()
	got := ProbBest(arms)
	sum := 0.0
	for _, p := range got {
		sum += p
	}
	near(t, "sum", sum, 1, 1e-12)
	src := rand.NewPCG(3, 4)
	wins := make([]int, 3)
	const draws = 100000
	for range draws {
		best, bx := 0, -1.0
		for i, a := range arms {
			if x := (distuv.Beta{Alpha: a.A, Beta: a.B, Src: src}).Rand(); x > bx {
				best, bx = i, x
			}
		}
		wins[best]++
	}
	for i := range arms {
		near(t, "prob best vs Monte Carlo", got[i], float64(wins[i])/draws, 0.006)
	}
}

func TestHolm(t *testing.T) {
	// R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm")
	got := Holm([]float64{0.01, 0.04, 0.03, 0.005})
	for i, want := range []float64{0.03, 0.06, 0.06, 0.02} {
		near(t, "holm", got[i], want, 1e-12)
	}
	if got := Holm([]float64{0.3, 0.9}); got[0] != 0.6 || got[1] != 0.9 {
		t.Errorf("Holm = %v", got)
	}
	if got := Holm(nil); len(got) != 0 {
		t.Errorf("Holm(nil) = %v", got)
	}
}

func TestSRM(t *testing.T) {
	ok := CheckSRM([]string{"a", "b"}, []int64{5010, 4990}, nil, 0)
	if ok.Mismatch || ok.DF != 1 {
		t.Errorf("even split flagged: %+v", ok)
	}
	bad := CheckSRM([]string{"a", "b"}, []int64{5200, 4800}, nil, 0)
	near(t, "chi-square", bad.ChiSquare, 16, 1e-12)
	near(t, "p", bad.PValue, 6.334e-5, 1e-8)
	if !bad.Mismatch {
		t.Error("5200/4800 not flagged")
	}
	// A 90/10 holdout plan is tested against its own weights.
	if r := CheckSRM([]string{"treated", "holdout"}, []int64{9030, 970}, []float64{90, 10}, 0); r.Mismatch {
		t.Errorf("planned 90/10 flagged: %+v", r)
	}
	if r := CheckSRM([]string{"treated", "holdout"}, []int64{9030, 970}, nil, 0); !r.Mismatch {
		t.Error("90/10 against an even plan not flagged")
	}
}

// The mixture test against the closed form of the normal-mixture
// confidence sequence for a mean of t unit-variance observations
// (Howard et al. 2021): half-width √((tρ²+1)/(t²ρ²) · ln((tρ²+1)/α²)).
func TestMixtureClosedForm(t *testing.T) {
	const alpha = 0.05
	m := Mixture{Alpha: alpha, Tuning: 5000}
	c := -2*math.Log(alpha) + math.Log(1-2*math.Log(alpha))
	rho2 := c / 5000
	for _, n := range []int64{100, 1000, 5000, 50000} {
		tn := float64(n)
		r := m.Test(0.1, 1/tn, n)
		want := math.Sqrt((tn*rho2 + 1) / (tn * tn * rho2) * math.Log((tn*rho2+1)/(alpha*alpha)))
		near(t, "half-width", (r.CI.High-r.CI.Low)/2, want, 1e-12)
		// The p-value is the alpha at which the interval touches 0.
		at := m
		at.Alpha = r.PValue
		if r.PValue > 1e-12 && r.PValue < 1 {
			// Rebuild the interval at alpha = p with the same τ²: its
			// edge is at 0.
			la := math.Log(alpha)
			tau2 := (-2*la + math.Log(1-2*la)) * (1 / tn) * tn / 5000
			v := 1 / tn
			half := math.Sqrt(v * (v + tau2) / tau2 * (-2*math.Log(r.PValue) + math.Log((v+tau2)/v)))
			near(t, "interval at alpha = p touches 0", 0.1-half, 0, 1e-9)
		}
	}
	// Narrowest relative to the fixed-horizon interval near the tuning
	// size, and always wider than it.
	for _, n := range []int64{500, 5000, 50000} {
		r := m.Test(0, 1/float64(n), n)
		fixed := 1.959964 * math.Sqrt(1/float64(n))
		if (r.CI.High-r.CI.Low)/2 <= fixed {
			t.Errorf("n=%d: sequential half-width %g not wider than fixed %g", n, (r.CI.High-r.CI.Low)/2, fixed)
		}
	}
	if r := m.Test(0, 0, 10); r.PValue != 1 {
		t.Errorf("zero variance: %+v", r)
	}
	if r := m.Test(0, 0.001, 1000); r.PValue != 1 {
		t.Errorf("estimate 0: p = %g", r.PValue)
	}
}

func TestBootstrap(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	mk := func(n int64, p, mu float64) Sample {
		s := Sample{N: n}
		for range n {
			if rng.Float64() < p {
				s.Values = append(s.Values, math.Exp(mu+1.5*rng.NormFloat64()))
			}
		}
		return s
	}
	v, c := mk(400, 0.05, 4.2), mk(400, 0.05, 4)
	if !v.Heavy() || !c.Heavy() {
		t.Fatalf("400 recipients, 5%% buyers, lognormal σ=1.5 should fail Cochran's rule (g1 = %.1f)", v.skewness())
	}
	r := CompareRevenue(v, c, 0.95, MethodBootstrap, 2000, 5)
	if r.Method != MethodBootstrap || !r.HeavyTailed {
		t.Fatalf("method %q heavy %v, want a heavy-tailed bootstrap", r.Method, r.HeavyTailed)
	}
	if w := CompareRevenue(v, c, 0.95, "", 2000, 5); w.Method != MethodWelch || !w.HeavyTailed {
		t.Errorf("default method %q heavy %v, want heavy-tailed Welch", w.Method, w.HeavyTailed)
	}
	again := CompareRevenue(v, c, 0.95, MethodBootstrap, 2000, 5)
	if r != again {
		t.Errorf("same seed, different result: %+v vs %+v", r, again)
	}
	if !r.CI.Contains(r.Difference) || r.PValue <= 0 || r.PValue > 1 {
		t.Errorf("bootstrap %+v", r)
	}
	// On light-tailed data the bootstrap and Welch agree.
	lv, lc := Sample{N: 5000}, Sample{N: 5000}
	for range 5000 {
		lv.Values = append(lv.Values, 10+rng.NormFloat64())
		lc.Values = append(lc.Values, 10.05+rng.NormFloat64())
	}
	if lv.Heavy() {
		t.Fatal("normal data called heavy")
	}
	w := CompareRevenue(lv, lc, 0.95, "", 0, 1)
	b := Bootstrap(lv, lc, 0.95, 4000, 1)
	if w.Method != MethodWelch || w.HeavyTailed {
		t.Fatalf("method %q", w.Method)
	}
	near(t, "bootstrap low vs Welch", b.CI.Low, w.CI.Low, 0.01)
	near(t, "bootstrap high vs Welch", b.CI.High, w.CI.High, 0.01)
	near(t, "bootstrap se vs Welch", b.SE, w.SE, 0.002)
}

func TestRelativeLift(t *testing.T) {
	est, ci, p, ok := RelativeLift(Counts{1000, 150}, Counts{1000, 120}, 0.95)
	if !ok {
		t.Fatal("not ok")
	}
	near(t, "lift", est, 0.25, 1e-12)
	se := math.Sqrt(0.85/150 + 0.88/120)
	near(t, "low", ci.Low, math.Exp(math.Log(1.25)-1.959963985*se)-1, 1e-8)
	near(t, "p", p, 2*distuv.UnitNormal.Survival(math.Log(1.25)/se), 1e-12)
	if _, _, _, ok := RelativeLift(Counts{1000, 5}, Counts{1000, 0}, 0.95); ok {
		t.Error("lift over a control without conversions is undefined")
	}
}
