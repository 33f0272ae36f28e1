package insight

import (
	"cmp"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/optimize"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// CLVInput is one customer's summary in the form the BG/NBD and
// Gamma-Gamma models take (the "lifetimes" convention, in days): X is the
// number of repeat purchase days (distinct purchase days - 1), Tx the days
// from the first to the last purchase day, T the days from the first
// purchase day to the analysis date, Monetary the mean spend of the
// repeat purchase days (0 when X = 0). Purchases are orders net of
// refunds (NetOrders): an order refunded in full is no purchase, and a
// day is worth the net value of its orders.
type CLVInput struct {
	Customer int // index in the Dataset
	X        float64
	Tx       float64
	T        float64
	Monetary float64
	// MaxOrder is the customer's largest net order; the expected spend
	// per purchase is never projected above it (0: no bound).
	MaxOrder float64
}

// CLVInputs summarises every customer with a purchase (an order not
// refunded in full) before asOf (zero: the Dataset's default analysis
// date).
func CLVInputs(ds *Dataset, asOf time.Time) []CLVInput {
	if asOf.IsZero() {
		asOf = ds.DefaultAsOf()
	}
	asOfSec := asOf.Unix()
	asOfDay := floorDiv(asOfSec, day)
	var (
		out     []CLVInput
		net     netScratch
		lineBuf []OrderLine
		orders  []NetOrder
	)
	for c := range ds.Customers {
		orders, _, lineBuf = ds.netOrders(c, asOfSec, &net, lineBuf, orders)
		var first, last, cur int64 = -1, -1, math.MinInt64
		var days int
		var repeatSpend, maxOrder float64
		// Orders come in the order of their first line, which is time
		// order: a day's orders are contiguous.
		for _, o := range orders {
			if o.Cancelled() {
				continue
			}
			maxOrder = max(maxOrder, o.Net)
			d := floorDiv(o.At, day)
			if d != cur {
				cur = d
				days++
				if first < 0 {
					first = d
				}
				last = d
			}
			if days > 1 {
				repeatSpend += o.Net
			}
		}
		if days == 0 {
			continue
		}
		in := CLVInput{Customer: c, X: float64(days - 1), Tx: float64(last - first), T: float64(asOfDay - first), MaxOrder: maxOrder}
		if days > 1 {
			in.Monetary = repeatSpend / float64(days-1)
		}
		out = append(out, in)
	}
	return out
}

// BGNBD holds fitted BG/NBD parameters (Fader, Hardie & Lee 2005): the
// purchase rate is Gamma(r, alpha) across customers, the drop-out
// probability after each purchase Beta(a, b). Alpha is in the time unit
// of the data (days for CLVInputs).
type BGNBD struct {
	R      float64 `json:"r"`
	Alpha  float64 `json:"alpha"`
	A      float64 `json:"a"`
	B      float64 `json:"b"`
	LogLik float64 `json:"log_likelihood"`
	N      int     `json:"customers"`
}

// bgnbdLL is the log-likelihood of one customer, with the A1..A4 terms of
// Fader, Hardie & Lee (2005), eq. (6), combined with log-sum-exp.
func bgnbdLL(r, alpha, a, b, x, tx, T float64) float64 {
	lr, _ := math.Lgamma(r + x)
	lr0, _ := math.Lgamma(r)
	lab, _ := math.Lgamma(a + b)
	lbx, _ := math.Lgamma(b + x)
	lb, _ := math.Lgamma(b)
	labx, _ := math.Lgamma(a + b + x)
	a1 := lr - lr0 + r*math.Log(alpha)
	a2 := lab + lbx - lb - labx
	a3 := -(r + x) * math.Log(alpha+T)
	if x <= 0 {
		return a1 + a2 + a3
	}
	a4 := math.Log(a) - math.Log(b+x-1) - (r+x)*math.Log(alpha+tx)
	return a1 + a2 + logAddExp(a3, a4)
}

func logAddExp(x, y float64) float64 {
	if x < y {
		x, y = y, x
	}
	if math.IsInf(y, -1) {
		return x
	}
	return x + math.Log1p(math.Exp(y-x))
}

// LogLikelihood is the total log-likelihood of data under m.
func (m BGNBD) LogLikelihood(data []CLVInput) float64 {
	var ll float64
	for _, d := range data {
		ll += bgnbdLL(m.R, m.Alpha, m.A, m.B, d.X, d.Tx, d.T)
	}
	return ll
}

// FitBGNBD estimates the BG/NBD parameters by maximum likelihood over
// log-parameters (so they stay positive), with times rescaled so that the
// longest T is 10 for a well-conditioned search. It fails with
// apperr.Invalid when no customer has a repeat purchase (the drop-out
// process is then not identified).
func FitBGNBD(data []CLVInput) (BGNBD, error) {
	repeat := 0
	maxT := 0.0
	for _, d := range data {
		if d.X > 0 {
			repeat++
		}
		maxT = max(maxT, d.T)
	}
	if repeat == 0 {
		return BGNBD{}, apperr.New(apperr.Invalid, "CLV: none of the %d customers bought again on a later day; BG/NBD needs repeat buyers (import more order history)", len(data))
	}
	if maxT <= 0 {
		return BGNBD{}, apperr.New(apperr.Invalid, "CLV: every customer's first purchase is on the analysis date; nothing to fit")
	}
	scale := 10 / maxT
	// Identical summaries are common (one-time buyers of the same day):
	// fold them into weights so each likelihood evaluation is cheaper.
	type key struct{ x, tx, t float64 }
	wts := map[key]float64{}
	for _, d := range data {
		wts[key{d.X, d.Tx * scale, d.T * scale}]++
	}
	// A map's iteration order is random and float addition is not
	// associative: summing in map order would change the last digits of the
	// fit from run to run. Sorted keys make every fit bit-identical.
	keys := make([]key, 0, len(wts))
	for k := range wts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(p, q key) int {
		if c := cmp.Compare(p.x, q.x); c != 0 {
			return c
		}
		if c := cmp.Compare(p.tx, q.tx); c != 0 {
			return c
		}
		return cmp.Compare(p.t, q.t)
	})
	ws := make([]float64, len(keys))
	for j, k := range keys {
		ws[j] = wts[k]
	}
	n := float64(len(data))
	negLL := func(p []float64) float64 {
		r, alpha, a, b := math.Exp(p[0]), math.Exp(p[1]), math.Exp(p[2]), math.Exp(p[3])
		var ll float64
		for j, k := range keys {
			ll += ws[j] * bgnbdLL(r, alpha, a, b, k.x, k.tx, k.t)
		}
		if math.IsNaN(ll) || math.IsInf(ll, 0) {
			return math.Inf(1)
		}
		return -ll / n
	}
	grad := func(g, p []float64) {
		r, alpha, a, b := math.Exp(p[0]), math.Exp(p[1]), math.Exp(p[2]), math.Exp(p[3])
		var gr, gal, ga, gb float64
		for j, k := range keys {
			dr, dal, da, db := bgnbdGrad(r, alpha, a, b, k.x, k.tx, k.t)
			w := ws[j]
			gr, gal, ga, gb = gr+w*dr, gal+w*dal, ga+w*da, gb+w*db
		}
		// d/d(log θ) = θ · d/dθ; negated and averaged like negLL.
		g[0], g[1], g[2], g[3] = -r*gr/n, -alpha*gal/n, -a*ga/n, -b*gb/n
	}
	p, err := minimize(negLL, grad, []float64{0, 0, 0, 0})
	if err != nil {
		return BGNBD{}, apperr.Wrap(err, apperr.Invalid, "CLV: BG/NBD fit did not converge on %d customers", len(data))
	}
	m := BGNBD{R: math.Exp(p[0]), Alpha: math.Exp(p[1]) / scale, A: math.Exp(p[2]), B: math.Exp(p[3]), N: len(data)}
	m.LogLik = m.LogLikelihood(data)
	return m, nil
}

// bgnbdGrad is the gradient of bgnbdLL with respect to r, alpha, a, b.
func bgnbdGrad(r, alpha, a, b, x, tx, T float64) (dr, dalpha, da, db float64) {
	a3 := -(r + x) * math.Log(alpha+T)
	w3, w4 := 1.0, 0.0 // shares of the A3 and A4 terms in their log-sum
	if x > 0 {
		a4 := math.Log(a) - math.Log(b+x-1) - (r+x)*math.Log(alpha+tx)
		w3 = math.Exp(a3 - logAddExp(a3, a4))
		w4 = 1 - w3
	}
	psiAB, psiABX := mathext.Digamma(a+b), mathext.Digamma(a+b+x)
	dr = mathext.Digamma(r+x) - mathext.Digamma(r) + math.Log(alpha) - w3*math.Log(alpha+T)
	dalpha = r/alpha - w3*(r+x)/(alpha+T)
	da = psiAB - psiABX
	db = psiAB + mathext.Digamma(b+x) - mathext.Digamma(b) - psiABX
	if x > 0 {
		dr -= w4 * math.Log(alpha+tx)
		dalpha -= w4 * (r + x) / (alpha + tx)
		da += w4 / a
		db -= w4 / (b + x - 1)
	}
	return dr, dalpha, da, db
}

// minimize runs BFGS with the analytic gradient grad (a central-difference
// gradient when nil), falling back to Nelder-Mead when the line search
// gives up.
func minimize(f func([]float64) float64, grad func(g, x []float64), x0 []float64) ([]float64, error) {
	if grad == nil {
		grad = func(g, x []float64) {
			fd.Gradient(g, f, x, &fd.Settings{Formula: fd.Central, Step: 1e-6})
		}
	}
	p := optimize.Problem{Func: f, Grad: grad}
	res, err := optimize.Minimize(p, x0, &optimize.Settings{GradientThreshold: 1e-9}, &optimize.BFGS{})
	if err == nil && !math.IsInf(res.F, 0) {
		return res.X, nil
	}
	res2, err2 := optimize.Minimize(optimize.Problem{Func: f}, x0, nil, &optimize.NelderMead{})
	if err2 != nil || math.IsInf(res2.F, 0) {
		if err2 == nil {
			err2 = errNoConvergence
		}
		return nil, err2
	}
	if res != nil && err == nil && res.F < res2.F && !math.IsInf(res.F, 0) {
		return res.X, nil
	}
	return res2.X, nil
}

var errNoConvergence = apperr.New(apperr.Internal, "likelihood is not finite at any tried point")

// PAlive is the probability that a customer with history (x, tx, T) is
// still active at T (FHL 2005, eq. 11). It is 1 when x = 0: in BG/NBD a
// customer can only drop out right after a purchase.
func (m BGNBD) PAlive(x, tx, T float64) float64 {
	if x <= 0 {
		return 1
	}
	l := math.Log(m.A) - math.Log(m.B+x-1) + (m.R+x)*(math.Log(m.Alpha+T)-math.Log(m.Alpha+tx))
	return 1 / (1 + math.Exp(l))
}

// ExpectedPurchases is the expected number of purchases in (T, T+t] of a
// customer with history (x, tx, T) (FHL 2005, eq. 10).
func (m BGNBD) ExpectedPurchases(t, x, tx, T float64) float64 {
	if t <= 0 {
		return 0
	}
	r, alpha, a, b := m.R, m.Alpha, m.A, m.B
	z := t / (alpha + T + t)
	// (1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)) in
	// logs: the power is tiny when the hypergeometric factor is huge.
	l := (r+x)*math.Log1p(-z) + log2F1(r+x, b+x, a+b+x-1, z)
	num := (a + b + x - 1) / (a - 1) * -math.Expm1(l)
	den := 1.0
	if x > 0 {
		den += math.Exp(math.Log(a) - math.Log(b+x-1) + (r+x)*(math.Log(alpha+T)-math.Log(alpha+tx)))
	}
	return num / den
}

// log2F1 is log 2F1(a, b; c; z) for a, b, c > 0 and 0 <= z < 1. The
// series has only positive terms; it is summed in linear space with a
// running power-of-two rescale, so that large parameters, as for frequent
// buyers, neither overflow nor lose precision, at the cost of
// multiplications only.
func log2F1(a, b, c, z float64) float64 {
	if z <= 0 {
		return 0
	}
	term, sum, logScale := 1.0, 1.0, 0.0
	for k := 0.0; k < 1e6; k++ {
		ratio := (a + k) * (b + k) / ((c + k) * (k + 1)) * z
		term *= ratio
		sum += term
		if sum > 0x1p500 {
			term *= 0x1p-500
			sum *= 0x1p-500
			logScale += 500 * math.Ln2
		}
		// Stop when the rest, bounded by a geometric tail, is below
		// double precision.
		if ratio < 1 && term < sum*1e-17*(1-ratio) {
			break
		}
	}
	return math.Log(sum) + logScale
}

// GammaGamma holds fitted Gamma-Gamma spend parameters (Fader & Hardie
// 2013): transaction values are Gamma(p, nu) with nu ~ Gamma(q, v).
type GammaGamma struct {
	P      float64 `json:"p"`
	Q      float64 `json:"q"`
	V      float64 `json:"v"`
	LogLik float64 `json:"log_likelihood"`
	N      int     `json:"customers"`
}

func ggLL(p, q, v, x, m float64) float64 {
	l1, _ := math.Lgamma(p*x + q)
	l2, _ := math.Lgamma(p * x)
	l3, _ := math.Lgamma(q)
	return l1 - l2 - l3 + q*math.Log(v) + (p*x-1)*math.Log(m) + p*x*math.Log(x) - (p*x+q)*math.Log(x*m+v)
}

// FitGammaGamma estimates p, q, v by maximum likelihood on the repeat
// customers with a positive mean spend. It fails with apperr.Invalid when
// there are fewer than two such customers.
func FitGammaGamma(data []CLVInput) (GammaGamma, error) {
	var rows []CLVInput
	var mean float64
	for _, d := range data {
		if d.X > 0 && d.Monetary > 0 {
			rows = append(rows, d)
			mean += d.Monetary
		}
	}
	if len(rows) < 2 {
		return GammaGamma{}, apperr.New(apperr.Invalid, "CLV: %d repeat customers with a positive spend; the Gamma-Gamma spend model needs at least 2", len(rows))
	}
	// Spend is rescaled to a mean of 1 (v scales with it) for conditioning.
	scale := float64(len(rows)) / mean
	negLL := func(p []float64) float64 {
		pp, q, v := math.Exp(p[0]), math.Exp(p[1]), math.Exp(p[2])
		var ll float64
		for _, d := range rows {
			ll += ggLL(pp, q, v, d.X, d.Monetary*scale)
		}
		if math.IsNaN(ll) || math.IsInf(ll, 0) {
			return math.Inf(1)
		}
		return -ll / float64(len(rows))
	}
	grad := func(g, p []float64) {
		pp, q, v := math.Exp(p[0]), math.Exp(p[1]), math.Exp(p[2])
		psiQ := mathext.Digamma(q)
		var gp, gq, gv float64
		for _, d := range rows {
			x, m := d.X, d.Monetary*scale
			psiPXQ := mathext.Digamma(pp*x + q)
			l := math.Log(x*m + v)
			gp += x * (psiPXQ - mathext.Digamma(pp*x) + math.Log(m) + math.Log(x) - l)
			gq += psiPXQ - psiQ + math.Log(v) - l
			gv += q/v - (pp*x+q)/(x*m+v)
		}
		n := float64(len(rows))
		g[0], g[1], g[2] = -pp*gp/n, -q*gq/n, -v*gv/n
	}
	x, err := minimize(negLL, grad, []float64{0, 0, 0})
	if err != nil {
		return GammaGamma{}, apperr.Wrap(err, apperr.Invalid, "CLV: Gamma-Gamma fit did not converge on %d customers", len(rows))
	}
	g := GammaGamma{P: math.Exp(x[0]), Q: math.Exp(x[1]), V: math.Exp(x[2]) / scale, N: len(rows)}
	for _, d := range rows {
		g.LogLik += ggLL(g.P, g.Q, g.V, d.X, d.Monetary)
	}
	return g, nil
}

// ExpectedSpend is the conditional expected mean transaction value of a
// customer with x repeat purchases of mean value m. With no repeat
// purchases it is the population mean p·v/(q-1), which exists only for
// q > 1; otherwise ok is false.
func (g GammaGamma) ExpectedSpend(x, m float64) (spend float64, ok bool) {
	if x > 0 && m > 0 {
		return g.P * (g.V + x*m) / (g.P*x + g.Q - 1), g.P*x+g.Q > 1
	}
	if g.Q > 1 {
		return g.P * g.V / (g.Q - 1), true
	}
	return 0, false
}

// CLVModel is the fitted pair of models and how they were fitted.
type CLVModel struct {
	AsOf       time.Time  `json:"as_of"`
	Unit       string     `json:"time_unit"` // "day"
	BGNBD      BGNBD      `json:"bg_nbd"`
	GammaGamma GammaGamma `json:"gamma_gamma"`
	// MeanSpend stands in for a one-time buyer's spend when the
	// Gamma-Gamma population mean does not exist (q <= 1).
	MeanSpend float64 `json:"mean_repeat_spend"`
}

// FitCLV fits BG/NBD and Gamma-Gamma to the customers of ds as of asOf
// (zero: the default analysis date). It returns the inputs too, for
// Predict. Errors are apperr.Invalid and say what is missing.
func FitCLV(ds *Dataset, asOf time.Time) (*CLVModel, []CLVInput, error) {
	if asOf.IsZero() {
		asOf = ds.DefaultAsOf()
	}
	in := CLVInputs(ds, asOf)
	if len(in) == 0 {
		return nil, nil, apperr.New(apperr.Invalid, "CLV: no purchases before %s; import orders first", asOf.Format(time.DateOnly))
	}
	bg, err := FitBGNBD(in)
	if err != nil {
		return nil, nil, err
	}
	gg, err := FitGammaGamma(in)
	if err != nil {
		return nil, nil, err
	}
	m := &CLVModel{AsOf: asOf, Unit: "day", BGNBD: bg, GammaGamma: gg}
	var n float64
	for _, d := range in {
		if d.X > 0 && d.Monetary > 0 {
			m.MeanSpend += d.Monetary
			n++
		}
	}
	m.MeanSpend /= n
	return m, in, nil
}

// Predict projects one customer over horizonDays: P(alive), expected
// purchases, expected spend per purchase and the CLV discounted month by
// month (30-day steps) at the annual rate, as lifetimes'
// customer_lifetime_value does.
func (m *CLVModel) Predict(in CLVInput, horizonDays int, annualRate float64) CLV {
	spend, ok := m.GammaGamma.ExpectedSpend(in.X, in.Monetary)
	if !ok {
		spend = m.MeanSpend
	}
	// Gamma-Gamma pulls every customer towards the population mean, which
	// would project a one-time buyer of a £2.90 order at the mean of the
	// shop's big spenders: never more than her largest net order.
	if in.MaxOrder > 0 && spend > in.MaxOrder {
		spend = in.MaxOrder
	}
	out := CLV{
		PAlive:            m.BGNBD.PAlive(in.X, in.Tx, in.T),
		ExpectedPurchases: m.BGNBD.ExpectedPurchases(float64(horizonDays), in.X, in.Tx, in.T),
		ExpectedAvgValue:  spend,
		HorizonDays:       horizonDays,
	}
	monthly := math.Pow(1+annualRate, 1.0/12) - 1
	prev := 0.0
	for d := 30; ; d += 30 {
		end := min(d, horizonDays)
		cum := m.BGNBD.ExpectedPurchases(float64(end), in.X, in.Tx, in.T)
		out.Value += spend * (cum - prev) / math.Pow(1+monthly, float64(end)/30)
		prev = cum
		if end == horizonDays {
			break
		}
	}
	return out
}

// ApplyCLV fills Metrics.CLV of every customer in inputs.
func (s *Snapshot) ApplyCLV(m *CLVModel, inputs []CLVInput, horizonDays int, annualRate float64) {
	for _, in := range inputs {
		if in.Customer < len(s.Metrics) {
			s.Metrics[in.Customer].CLV = m.Predict(in, horizonDays, annualRate)
		}
	}
}
