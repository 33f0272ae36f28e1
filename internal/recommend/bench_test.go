package recommend

import (
	"context"
	"testing"
)

// BenchmarkTrainALSRetail times implicit ALS with the default settings on
// all Online Retail purchases (the issue asks for under 10 s).
func BenchmarkTrainALSRetail(b *testing.B) {
	d := loadRetail(b)
	ts := newTrainSet(d, DefaultWeights())
	o := DefaultOptions().ALS
	b.ResetTimer()
	for b.Loop() {
		trainALS(ts, o)
	}
	b.ReportMetric(float64(ts.ui.nnz()), "pairs")
}

// BenchmarkTrainAllRetail times training every recommender without tuning.
func BenchmarkTrainAllRetail(b *testing.B) {
	d := loadRetail(b)
	o := DefaultOptions()
	o.Tune = false
	for b.Loop() {
		if _, err := Train(d, o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecommendAllRetail times top-10 lists with rules and
// explanations for every Online Retail customer (the issue asks for under
// 2 s); s/all is the figure to read.
func BenchmarkRecommendAllRetail(b *testing.B) {
	d := loadRetail(b)
	o := DefaultOptions()
	o.Tune = false
	m, err := Train(d, o)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := m.RecommendMany(context.Background(), d.Customers, 10); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/all")
	b.ReportMetric(float64(len(d.Customers)), "customers")
}
