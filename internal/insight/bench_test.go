package insight

import (
	"testing"
	"time"
)

// BenchmarkComputeOnlineRetail measures RFM + lifecycle + affinities for
// every Online Retail customer over loaded data (the issue's < 1 s
// budget); CLV is measured separately.
func BenchmarkComputeOnlineRetail(b *testing.B) {
	ds := retailDataset(b, false)
	opts := DefaultOptions()
	opts.CLVHorizonDays = 0
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compute(ds, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(ds.Customers)), "customers")
}

// BenchmarkCLVOnlineRetail measures the BG/NBD + Gamma-Gamma fit and the
// per-customer projection over a year, and the share of the fit spent
// summarising customers from their orders net of refunds (CLVInputs,
// which FitCLV calls: NetOrders per customer).
func BenchmarkCLVOnlineRetail(b *testing.B) {
	ds := retailDataset(b, false)
	b.ResetTimer()
	var fit, predict, inputs time.Duration
	for b.Loop() {
		ti := time.Now()
		CLVInputs(ds, time.Time{})
		inputs += time.Since(ti)
		t0 := time.Now()
		m, in, err := FitCLV(ds, time.Time{})
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		for _, c := range in {
			m.Predict(c, 365, 0.1)
		}
		fit += t1.Sub(t0)
		predict += time.Since(t1)
	}
	b.ReportMetric(fit.Seconds()/float64(b.N), "fit-s/op")
	b.ReportMetric(predict.Seconds()/float64(b.N), "predict-s/op")
	b.ReportMetric(inputs.Seconds()/fit.Seconds(), "inputs/fit")
}
