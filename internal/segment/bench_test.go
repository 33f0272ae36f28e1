package segment

import (
	"context"
	"sync"
	"testing"
)

// benchExpr is the example expression of the issue.
const benchExpr = `rfm.segment in ["at_risk","cant_loose"] && affinity["camera"] > 0.3 && consent.email && clv > 200`

var (
	benchOnce sync.Once
	benchRecs []Record
)

// BenchmarkFilter1M evaluates the example expression over 1,000,000
// synthetic customers per iteration, on GOMAXPROCS workers, and reports
// ns/record and seconds per million.
func BenchmarkFilter1M(b *testing.B) {
	benchOnce.Do(func() { benchRecs = Synthetic(1_000_000, 1) })
	p, err := Compile(benchExpr)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var res Result
	for b.Loop() {
		if res, err = p.Filter(context.Background(), benchRecs, 0); err != nil {
			b.Fatal(err)
		}
	}
	perRun := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(perRun/float64(len(benchRecs)), "ns/record")
	b.ReportMetric(perRun/1e9, "s/1M")
	b.ReportMetric(float64(res.Count), "matches")
}

// BenchmarkCompile measures compiling the example expression, paid once
// per evaluation and once per saved segment in OnEvents.
func BenchmarkCompile(b *testing.B) {
	for b.Loop() {
		if _, err := Compile(benchExpr); err != nil {
			b.Fatal(err)
		}
	}
}
