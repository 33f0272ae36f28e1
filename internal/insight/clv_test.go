package insight

import (
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"gonum.org/v1/gonum/mathext"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/datatest"
	"github.com/chorusmkt/chorus/internal/event"
)

func readCDNOWSummary(t *testing.T) []CLVInput {
	t.Helper()
	f, err := os.Open(datatest.Path(t, datatest.CDNOWSummary))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []CLVInput
	for i, r := range rows[1:] { // ID,frequency,recency,T (weeks)
		var v [3]float64
		for j := range v {
			if v[j], err = strconv.ParseFloat(r[j+1], 64); err != nil {
				t.Fatalf("row %d: %v", i+2, err)
			}
		}
		out = append(out, CLVInput{Customer: i, X: v[0], Tx: v[1], T: v[2]})
	}
	return out
}

// TestBGNBDRecoversCDNOW fits the 2,357-customer CDNOW sample and compares
// with the published estimates (Fader, Hardie & Lee 2005; lifetimes):
// r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.
func TestBGNBDRecoversCDNOW(t *testing.T) {
	data := readCDNOWSummary(t)
	if len(data) != 2357 {
		t.Fatalf("read %d customers, want 2357", len(data))
	}
	m, err := FitBGNBD(data)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("r=%.4f alpha=%.4f a=%.4f b=%.4f LL=%.2f", m.R, m.Alpha, m.A, m.B, m.LogLik)
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"r", m.R, 0.243}, {"alpha", m.Alpha, 4.414}, {"a", m.A, 0.793}, {"b", m.B, 2.426}} {
		if math.Abs(c.got-c.want) > 0.01 {
			t.Errorf("%s = %.4f, want %.3f ± 0.01", c.name, c.got, c.want)
		}
	}
	if math.Abs(m.LogLik-(-9582.4)) > 0.5 {
		t.Errorf("log-likelihood = %.2f, want -9582.4", m.LogLik)
	}
	// FHL 2005 worked example: customer 1 (x=2, tx=30.43, T=38.86) is
	// expected to make 1.226 purchases in the next 39 weeks.
	pub := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	if got := pub.ExpectedPurchases(39, 2, 30.43, 38.86); math.Abs(got-1.226) > 0.002 {
		t.Errorf("E[Y(39) | 2, 30.43, 38.86] = %.4f, want 1.226", got)
	}
}

// simulateBGNBD draws customers from the BG/NBD generative story over an
// observation window of T periods.
func simulateBGNBD(rng *rand.Rand, n int, r, alpha, a, b, T float64) []CLVInput {
	out := make([]CLVInput, n)
	for i := range out {
		lambda := gammaRand(rng, r) / alpha
		p := betaRand(rng, a, b)
		var x, tx, t float64
		for {
			t += rng.ExpFloat64() / lambda
			if t > T {
				break
			}
			x++
			tx = math.Floor(t*7) / 7 // purchases are recorded by day
			if rng.Float64() < p {
				break
			}
		}
		out[i] = CLVInput{Customer: i, X: x, Tx: tx, T: T}
	}
	return out
}

// gammaRand draws Gamma(shape, 1) (Marsaglia-Tsang, boosted for shape < 1).
func gammaRand(rng *rand.Rand, shape float64) float64 {
	if shape < 1 {
		return gammaRand(rng, shape+1) * math.Pow(rng.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		if u := rng.Float64(); math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

func betaRand(rng *rand.Rand, a, b float64) float64 {
	x, y := gammaRand(rng, a), gammaRand(rng, b)
	return x / (x + y)
}

func TestBGNBDRecoversSyntheticParameters(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const r, alpha, a, b = 0.5, 10.0, 0.8, 2.5
	data := simulateBGNBD(rng, 8000, r, alpha, a, b, 104)
	m, err := FitBGNBD(data)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fit r=%.3f alpha=%.3f a=%.3f b=%.3f", m.R, m.Alpha, m.A, m.B)
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"r", m.R, r}, {"alpha", m.Alpha, alpha}, {"a", m.A, a}, {"b", m.B, b}} {
		if math.Abs(c.got-c.want)/c.want > 0.1 {
			t.Errorf("%s = %.3f, want %.3f within 10%%", c.name, c.got, c.want)
		}
	}
	// The fit is a maximum: nudging any parameter lowers the likelihood.
	for i := range 4 {
		p := []float64{m.R, m.Alpha, m.A, m.B}
		p[i] *= 1.05
		if ll := (BGNBD{R: p[0], Alpha: p[1], A: p[2], B: p[3]}).LogLikelihood(data); ll > m.LogLik {
			t.Errorf("parameter %d × 1.05 raises LL from %.3f to %.3f", i, m.LogLik, ll)
		}
	}
}

func TestGammaGammaRecoversSyntheticParameters(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const p, q, v = 6.0, 4.0, 15.0
	var data []CLVInput
	for i := range 5000 {
		nu := gammaRand(rng, q) / v // rate of the spend distribution
		x := 1 + rng.IntN(8)
		var sum float64
		for range x {
			sum += gammaRand(rng, p) / nu
		}
		data = append(data, CLVInput{Customer: i, X: float64(x), Monetary: sum / float64(x)})
	}
	g, err := FitGammaGamma(data)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fit p=%.3f q=%.3f v=%.3f", g.P, g.Q, g.V)
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"p", g.P, p}, {"q", g.Q, q}, {"v", g.V, v}} {
		if math.Abs(c.got-c.want)/c.want > 0.15 {
			t.Errorf("%s = %.3f, want %.3f within 15%%", c.name, c.got, c.want)
		}
	}
	// Conditional spend shrinks an individual mean toward the population
	// mean p·v/(q-1) = 30.
	pop, _ := g.ExpectedSpend(0, 0)
	if s, _ := g.ExpectedSpend(1, 100); !(s < 100 && s > pop) {
		t.Errorf("E[spend | 1 purchase of 100] = %.2f, want between %.2f and 100", s, pop)
	}
}

func TestLog2F1MatchesGonum(t *testing.T) {
	for _, c := range [][4]float64{
		{0.5, 2.5, 3.2, 0.3}, {2.243, 4.426, 4.219, 0.5}, {10.2, 12.4, 11.2, 0.7}, {1, 1, 2, 0.9},
	} {
		want := math.Log(mathext.Hypergeo(c[0], c[1], c[2], c[3]))
		if got := log2F1(c[0], c[1], c[2], c[3]); math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Errorf("log2F1%v = %.12g, want %.12g", c, got, want)
		}
	}
	// Frequent buyers: the series value overflows float64, its log not.
	if got := log2F1(200.2, 202.4, 201.2, 0.5); math.IsInf(got, 0) || math.IsNaN(got) || got < 100 {
		t.Errorf("log2F1 for large parameters = %v", got)
	}
}

func TestCLVPredictionsAreSane(t *testing.T) {
	m := &CLVModel{BGNBD: BGNBD{R: 0.243, Alpha: 4.414 * 7, A: 0.793, B: 2.426}, GammaGamma: GammaGamma{P: 6.25, Q: 3.74, V: 15.44}}
	active := m.Predict(CLVInput{X: 10, Tx: 300, T: 310, Monetary: 40}, 365, 0.1)
	gone := m.Predict(CLVInput{X: 10, Tx: 50, T: 310, Monetary: 40}, 365, 0.1)
	once := m.Predict(CLVInput{X: 0, Tx: 0, T: 310}, 365, 0.1)
	if !(active.PAlive > 0.9 && gone.PAlive < 0.1) {
		t.Errorf("P(alive) active=%.3f gone=%.3f", active.PAlive, gone.PAlive)
	}
	if !(active.Value > gone.Value && active.ExpectedPurchases > gone.ExpectedPurchases) {
		t.Errorf("recent buyer worth %.2f, lapsed %.2f", active.Value, gone.Value)
	}
	if once.PAlive != 1 || once.ExpectedAvgValue <= 0 {
		t.Errorf("one-time buyer: %+v", once)
	}
	undiscounted := m.Predict(CLVInput{X: 10, Tx: 300, T: 310, Monetary: 40}, 365, 0)
	if d := undiscounted.Value - undiscounted.ExpectedPurchases*undiscounted.ExpectedAvgValue; math.Abs(d) > 1e-9*undiscounted.Value {
		t.Errorf("undiscounted CLV %.6f != purchases × spend %.6f", undiscounted.Value, undiscounted.ExpectedPurchases*undiscounted.ExpectedAvgValue)
	}
	if !(active.Value < undiscounted.Value) {
		t.Errorf("discounting does not lower CLV: %.2f vs %.2f", active.Value, undiscounted.Value)
	}
}

func TestCLVNeedsRepeatBuyers(t *testing.T) {
	b := NewBuilder()
	for i := range 20 {
		b.AddEvent(event.Event{CustomerID: strconv.Itoa(i), Type: event.Purchase, Amount: 10, Quantity: 1, OrderID: "o" + strconv.Itoa(i),
			OccurredAt: time.Date(2024, 1, 1+i, 10, 0, 0, 0, time.UTC)})
	}
	_, _, err := FitCLV(b.Dataset(), time.Time{})
	if !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("err = %v, want invalid (no repeat buyers)", err)
	}
	if _, _, err := FitCLV(NewBuilder().Dataset(), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("empty store: err = %v, want invalid", err)
	}
}

func TestBGNBDGradientMatchesFiniteDifferences(t *testing.T) {
	for _, c := range [][3]float64{{0, 0, 30}, {1, 10, 30}, {7, 25.5, 40}} {
		p := []float64{0.3, 5, 0.8, 2.4}
		dr, dal, da, db := bgnbdGrad(p[0], p[1], p[2], p[3], c[0], c[1], c[2])
		got := []float64{dr, dal, da, db}
		for i := range p {
			h := 1e-6 * p[i]
			up, dn := append([]float64(nil), p...), append([]float64(nil), p...)
			up[i] += h
			dn[i] -= h
			want := (bgnbdLL(up[0], up[1], up[2], up[3], c[0], c[1], c[2]) - bgnbdLL(dn[0], dn[1], dn[2], dn[3], c[0], c[1], c[2])) / (2 * h)
			if math.Abs(got[i]-want) > 1e-5*math.Max(1, math.Abs(want)) {
				t.Errorf("x=%v: d/dθ%d = %.8g, finite difference %.8g", c, i, got[i], want)
			}
		}
	}
}

// The likelihood is a sum over distinct customer summaries; summing in a
// map's random order changed the last digits of the fit between runs.
func TestBGNBDFitIsDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	data := simulateBGNBD(rng, 3000, 0.5, 10, 0.8, 2.5, 104)
	first, err := FitBGNBD(data)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		again, err := FitBGNBD(data)
		if err != nil {
			t.Fatal(err)
		}
		if again != first {
			t.Fatalf("two fits differ:\n%+v\n%+v", first, again)
		}
		for _, p := range [][2]float64{{first.R, again.R}, {first.Alpha, again.Alpha}, {first.A, again.A}, {first.B, again.B}, {first.LogLik, again.LogLik}} {
			if math.Float64bits(p[0]) != math.Float64bits(p[1]) {
				t.Fatalf("fits differ in the last bits: %v vs %v", p[0], p[1])
			}
		}
	}
}
