package llmbench_test

import (
	"context"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/llm/llmbench"
)

func TestMeasure(t *testing.T) {
	rep, err := llmbench.Measure(context.Background(), llmbench.Options{Requests: 300, RPM: 60000, Latency: 5 * time.Millisecond, FaultItems: 200}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []llmbench.Run{rep.Throughput, rep.Cached, rep.Faulty} {
		if r.Lost != 0 || r.Duplicates != 0 || r.Succeeded+r.Failed != r.Items {
			t.Fatalf("%s: %+v", r.Label, r)
		}
	}
	if rep.Throughput.Violations != 0 || rep.Throughput.Failed != 0 || rep.Throughput.HTTPRequests != 300 {
		t.Fatalf("throughput %+v", rep.Throughput)
	}
	if rep.Cached.HTTPRequests != 0 || rep.Cached.Usage.Cached != 300 || rep.Cached.Usage.CostUSD != 0 || rep.Throughput.Usage.CostUSD <= 0 {
		t.Fatalf("cached %+v", rep.Cached)
	}
	if rep.Faulty.HTTPRequests > int64(4*rep.Faulty.Items) {
		t.Fatalf("faulty %+v", rep.Faulty)
	}
}

// BenchmarkThroughput: 2,000 structured requests against the fake with
// 20 ms latency and a 12,000 RPM limit (about 10 s). Run with
// -benchtime=1x.
func BenchmarkThroughput(b *testing.B) {
	for b.Loop() {
		rep, err := llmbench.Measure(context.Background(), llmbench.Options{FaultItems: 1}, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(rep.Throughput.AchievedRPM, "rpm")
		b.ReportMetric(rep.PctOfRPM, "%_of_limit")
		b.ReportMetric(rep.SteadyRPM, "steady_rpm")
		b.ReportMetric(float64(rep.Throughput.Violations), "violations")
		b.ReportMetric(float64(rep.Cached.HTTPRequests), "rerun_calls")
	}
}
