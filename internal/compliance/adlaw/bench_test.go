package adlaw

import (
	"testing"
	"unicode/utf8"
)

func TestSampleMessages(t *testing.T) {
	a, b := SampleMessages(500, 1), SampleMessages(500, 1)
	c := defaultChecker(t)
	flagged, runes := 0, 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("message %d differs between runs with one seed", i)
		}
		if !utf8.ValidString(a[i]) {
			t.Fatalf("message %d is not valid UTF-8: %q", i, a[i])
		}
		runes += utf8.RuneCountInString(a[i])
		if c.Check(a[i], Options{}).Verdict != Pass {
			flagged++
		}
	}
	if avg := runes / len(a); avg < 90 || avg > 100 {
		t.Errorf("average message is %d runes, want about 100", avg)
	}
	// About a third carry a term; the rest must pass.
	if flagged < len(a)/5 || flagged > len(a)/2 {
		t.Errorf("%d of %d messages flagged, want about a third", flagged, len(a))
	}
}

// BenchmarkCheck checks 10,000 generated ~100-rune messages (zh and en) per
// iteration on one goroutine.
func BenchmarkCheck(b *testing.B) {
	c := defaultChecker(b)
	msgs := SampleMessages(10000, 1)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		for _, m := range msgs {
			c.Check(m, Options{})
		}
		n += len(msgs)
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(n)/sec, "msgs/s")
	b.ReportMetric(sec*1e9/float64(n), "ns/msg")
}
