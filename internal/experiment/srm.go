package experiment

import (
	"gonum.org/v1/gonum/stat/distuv"
)

// DefaultSRMAlpha is the p-value below which a split is called a sample
// ratio mismatch. It is much stricter than 0.05 because the check runs on
// every report and a false alarm discredits a sound test.
const DefaultSRMAlpha = 0.001

// SRM is a sample-ratio-mismatch check: Pearson's chi-square
// goodness-of-fit of the recipients per arm against the planned split.
// A mismatch means assignment or tracking lost recipients unevenly (a
// broken hash, a filter applied to one arm, bot traffic), and then no
// other figure of the report can be trusted.
type SRM struct {
	ChiSquare float64            `json:"chi_square"`
	DF        int                `json:"df"`
	PValue    float64            `json:"p_value"`
	Alpha     float64            `json:"alpha"`
	Mismatch  bool               `json:"mismatch"`
	Expected  map[string]float64 `json:"expected_share"`
	Observed  map[string]float64 `json:"observed_share"`
}

// CheckSRM tests recipients[i] against the planned weights[i] (any
// positive scale; nil or all zero means an even split). alpha <= 0 means
// DefaultSRMAlpha.
func CheckSRM(names []string, recipients []int64, weights []float64, alpha float64) SRM {
	if alpha <= 0 {
		alpha = DefaultSRMAlpha
	}
	k := len(recipients)
	r := SRM{DF: k - 1, Alpha: alpha, PValue: 1, Expected: map[string]float64{}, Observed: map[string]float64{}}
	wsum := 0.0
	for _, w := range weights {
		wsum += w
	}
	even := wsum <= 0 || len(weights) != k
	total := int64(0)
	for _, n := range recipients {
		total += n
	}
	for i := range recipients {
		share := 1 / float64(k)
		if !even {
			share = weights[i] / wsum
		}
		r.Expected[names[i]] = share
		if total > 0 {
			r.Observed[names[i]] = float64(recipients[i]) / float64(total)
		}
		exp := share * float64(total)
		if exp > 0 {
			d := float64(recipients[i]) - exp
			r.ChiSquare += d * d / exp
		}
	}
	if k >= 2 && total > 0 {
		r.PValue = distuv.ChiSquared{K: float64(k - 1)}.Survival(r.ChiSquare)
	}
	r.Mismatch = r.PValue < alpha
	return r
}
