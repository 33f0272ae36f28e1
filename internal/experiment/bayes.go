package experiment

import (
	"math"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"
)

// Prior is a Beta(Alpha, Beta) prior on a conversion rate. The zero value
// means the uniform prior Beta(1, 1).
type Prior struct {
	Alpha float64 `json:"alpha"`
	Beta  float64 `json:"beta"`
}

func (p Prior) orUniform() Prior {
	if p.Alpha <= 0 || p.Beta <= 0 {
		return Prior{Alpha: 1, Beta: 1}
	}
	return p
}

// Posterior is the Beta posterior of an arm's rate: prior plus
// conversions, prior plus recipients who did not convert.
func (p Prior) Posterior(c Counts) BetaDist {
	p = p.orUniform()
	return BetaDist{A: p.Alpha + float64(c.Conversions), B: p.Beta + float64(c.Recipients-c.Conversions)}
}

// BetaDist is a Beta(A, B) distribution.
type BetaDist struct{ A, B float64 }

// Mean is A/(A+B).
func (d BetaDist) Mean() float64 { return d.A / (d.A + d.B) }

func (d BetaDist) dist() distuv.Beta { return distuv.Beta{Alpha: d.A, Beta: d.B} }

// exactTerms bounds the series of ProbGreater; beyond it quadrature is
// cheaper and as accurate.
const exactTerms = 2_000_000

// ProbGreater is P(X > Y) for independent X ~ x and Y ~ y: the
// probability that a variant with posterior x beats a control with
// posterior y.
//
// When one of the four parameters is a whole number no larger than two
// million (always, for whole counts under a whole-number prior) it is
// computed exactly, by the finite series
//
//	P(X > Y) = Σ_{i=0}^{a_x-1} B(a_y+i, b_x+b_y) / ((b_x+i) B(1+i, b_x) B(a_y, b_y))
//
// (or one of its three mirror images, summing over the smallest whole
// parameter), term by term in log space. Otherwise it integrates
// ∫ f_x(t) F_y(t) dt by Gauss–Legendre quadrature, accurate to about 1e-10.
func ProbGreater(x, y BetaDist) float64 {
	best, form := math.Inf(1), -1
	for i, v := range []float64{x.A, y.A, y.B, x.B} {
		if v == math.Trunc(v) && v <= exactTerms && v < best {
			best, form = v, i
		}
	}
	switch form {
	case 0: // sum over x.A
		return clamp01(greaterSeries(x.A, x.B, y.A, y.B))
	case 1: // 1 - P(Y > X), sum over y.A
		return clamp01(1 - greaterSeries(y.A, y.B, x.A, x.B))
	case 2: // P(X > Y) = P(1-Y > 1-X), with 1-Y ~ Beta(y.B, y.A): sum over y.B
		return clamp01(greaterSeries(y.B, y.A, x.B, x.A))
	case 3: // 1 - P(1-X > 1-Y): sum over x.B
		return clamp01(1 - greaterSeries(x.B, x.A, y.B, y.A))
	}
	return ProbBest([]BetaDist{x, y})[0]
}

// greaterSeries is P(X > Y) for X ~ Beta(ax, bx), Y ~ Beta(ay, by), with
// ax a whole number (Evan Miller's closed form).
func greaterSeries(ax, bx, ay, by float64) float64 {
	base := lbeta(ay, by)
	sum := 0.0
	for i := 0.0; i < ax; i++ {
		sum += math.Exp(lbeta(ay+i, bx+by) - math.Log(bx+i) - lbeta(1+i, bx) - base)
	}
	return sum
}

func lbeta(a, b float64) float64 {
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	return la + lb - lab
}

func clamp01(p float64) float64 { return min(1, max(0, p)) }

// ProbBest is, for each arm, the probability that its rate is the highest
// of all: ∫ f_k(t) Π_{j≠k} F_j(t) dt, integrated numerically
// (Gauss–Legendre, 40 panels of 16 points over the central 1 - 2e-12 of
// f_k's mass; accurate to about 1e-10). The probabilities sum to 1. These
// are also the allocation weights of batched Thompson sampling.
func ProbBest(arms []BetaDist) []float64 {
	out := make([]float64, len(arms))
	if len(arms) == 1 {
		out[0] = 1
		return out
	}
	ds := make([]distuv.Beta, len(arms))
	for i, a := range arms {
		ds[i] = a.dist()
	}
	const panels, points, tail = 40, 16, 1e-12
	rule := quad.Legendre{}
	for k := range arms {
		lo, hi := ds[k].Quantile(tail), ds[k].Quantile(1-tail)
		if !(lo >= 0) || !(hi <= 1) || !(lo < hi) {
			lo, hi = 0, 1
		}
		f := func(t float64) float64 {
			v := ds[k].Prob(t)
			for j := range ds {
				if j != k && v != 0 {
					v *= ds[j].CDF(t)
				}
			}
			return v
		}
		w := (hi - lo) / panels
		s := 0.0
		for p := range panels {
			a := lo + float64(p)*w
			s += quad.Fixed(f, a, a+w, points, rule, 0)
		}
		out[k] = clamp01(s)
	}
	// The arms' integrals each miss up to 2e-12; normalise so that the
	// weights are a distribution.
	total := 0.0
	for _, v := range out {
		total += v
	}
	if total > 0 {
		for i := range out {
			out[i] /= total
		}
	}
	return out
}
