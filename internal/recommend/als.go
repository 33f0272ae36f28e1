package recommend

import (
	"math"
	"math/rand/v2"

	blast "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// ALSOptions tune implicit-feedback matrix factorisation.
type ALSOptions struct {
	Factors        int     `json:"factors"`
	Iterations     int     `json:"iterations"`
	Regularization float64 `json:"regularization"`
	// Alpha scales confidence: c = 1 + Alpha·log(1 + r/Epsilon) when
	// LogConfidence, else c = 1 + Alpha·r (Hu, Koren & Volinsky 2008).
	Alpha         float64 `json:"alpha"`
	Epsilon       float64 `json:"epsilon"`
	LogConfidence bool    `json:"log_confidence"`
	// CGSteps is the number of conjugate-gradient steps per row and
	// half-iteration, warm-started from the previous solution (Takács,
	// Pilászy & Tikk 2011): 3 is as good as an exact solve in practice and
	// O(nnz·f) instead of O(nnz·f²).
	CGSteps int    `json:"cg_steps"`
	Seed    uint64 `json:"seed"`
}

// DefaultALS are settings that train on Online Retail in a few seconds.
func DefaultALS() ALSOptions {
	return ALSOptions{Factors: 64, Iterations: 15, Regularization: 0.1, Alpha: 20, Epsilon: 1, LogConfidence: true, CGSteps: 3, Seed: 1}
}

// als holds customer factors X (rows x f) and item factors Y (items x f).
type als struct {
	f    int
	x, y []float32
	ts   *trainSet
}

func (o ALSOptions) confidence(r float32) float32 {
	if o.LogConfidence {
		return 1 + float32(o.Alpha*math.Log1p(float64(r)/o.Epsilon))
	}
	return 1 + float32(o.Alpha)*r
}

func trainALS(ts *trainSet, o ALSOptions) *als {
	f := o.Factors
	m := &als{f: f, ts: ts, x: make([]float32, ts.ui.Rows*f), y: make([]float32, ts.ui.Cols*f)}
	rng := rand.New(rand.NewPCG(o.Seed, 0x9e3779b97f4a7c15))
	scale := 0.1 / math.Sqrt(float64(f))
	for i := range m.x {
		m.x[i] = float32(rng.NormFloat64() * scale)
	}
	for i := range m.y {
		m.y[i] = float32(rng.NormFloat64() * scale)
	}
	// Precompute confidences once; the matrix and its transpose share them.
	cu := make([]float32, ts.ui.nnz())
	for k, v := range ts.ui.Val {
		cu[k] = o.confidence(v)
	}
	ci := make([]float32, ts.iu.nnz())
	for k, v := range ts.iu.Val {
		ci[k] = o.confidence(v)
	}
	for it := 0; it < o.Iterations; it++ {
		alsHalf(ts.ui, cu, m.x, m.y, f, o)
		alsHalf(ts.iu, ci, m.y, m.x, f, o)
	}
	return m
}

// alsHalf updates every row of a (rows of mat) holding b fixed.
func alsHalf(mat *csr, conf []float32, a, b []float32, f int, o ALSOptions) {
	nb := len(b) / f
	// G = BᵀB + λI, computed once per half-iteration.
	g := make([]float32, f*f)
	for i := 0; i < nb; i++ {
		bi := b[i*f : (i+1)*f]
		for p := 0; p < f; p++ {
			v := bi[p]
			if v == 0 {
				continue
			}
			gp := g[p*f : (p+1)*f]
			for q := 0; q < f; q++ {
				gp[q] += v * bi[q]
			}
		}
	}
	for p := 0; p < f; p++ {
		g[p*f+p] += float32(o.Regularization)
	}
	parallelRange(mat.Rows, func(lo, hi int) {
		r := make([]float32, f)
		p := make([]float32, f)
		ap := make([]float32, f)
		for row := lo; row < hi; row++ {
			s, e := mat.Ptr[row], mat.Ptr[row+1]
			x := a[row*f : (row+1)*f]
			if s == e {
				clear(x)
				continue
			}
			// r = Bᵀ C p − (G + Bᵀ(C−I)B) x
			matVec(g, x, r, f)
			for k := range r {
				r[k] = -r[k]
			}
			for k := s; k < e; k++ {
				bi := b[int(mat.Ind[k])*f : int(mat.Ind[k]+1)*f]
				c := conf[k]
				axpy(c-(c-1)*dot(bi, x), bi, r)
			}
			copy(p, r)
			rs := dot(r, r)
			for step := 0; step < o.CGSteps && rs > 1e-20; step++ {
				matVec(g, p, ap, f)
				for k := s; k < e; k++ {
					bi := b[int(mat.Ind[k])*f : int(mat.Ind[k]+1)*f]
					axpy((conf[k]-1)*dot(bi, p), bi, ap)
				}
				alpha := rs / dot(p, ap)
				axpy(alpha, p, x)
				axpy(-alpha, ap, r)
				rsNew := dot(r, r)
				beta := rsNew / rs
				for k := range p {
					p[k] = r[k] + beta*p[k]
				}
				rs = rsNew
			}
		}
	})
}

// blas is gonum's pure-Go BLAS, whose float32 dot and axpy use SIMD
// assembly on amd64: the factorisation spends nearly all its time in them.
var blas gonum.Implementation

func dot(a, b []float32) float32 { return blas.Sdot(len(a), a, 1, b, 1) }

func axpy(alpha float32, x, y []float32) { blas.Saxpy(len(x), alpha, x, 1, y, 1) }

func matVec(g, x, out []float32, f int) {
	for p := 0; p < f; p++ {
		out[p] = dot(g[p*f:(p+1)*f], x)
	}
}

func (m *als) name() string { return SourceALS }

func (m *als) score(u int32, out []float32, _ *scratch) {
	if u < 0 || int(u) >= m.ts.ui.Rows {
		clear(out)
		return
	}
	f := m.f
	blas.Sgemv(blast.NoTrans, len(out), f, 1, m.y, f, m.x[int(u)*f:int(u+1)*f], 1, 0, out, 1)
}
