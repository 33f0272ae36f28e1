package webbench_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chorusmkt/chorus/internal/web/webbench"
)

// TestRunBuildsOnceAndMeasuresEveryPage: the first run builds the shop,
// the second reuses it; every page is rendered (a page that does not
// answer 200 fails the run) and has its figures.
func TestRunBuildsOnceAndMeasuresEveryPage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shop.db")
	o := webbench.Options{Customers: 120, N: 3, DB: db}
	rep, err := webbench.Run(t.Context(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Reused || rep.Customers != 120 || len(rep.Pages) < 10 {
		t.Fatalf("first run: reused %v, %d customers, %d pages", rep.Reused, rep.Customers, len(rep.Pages))
	}
	for _, p := range rep.Pages {
		if p.P95Ms <= 0 || p.P50Ms > p.P95Ms || p.P95Ms > p.MaxMs || p.Bytes == 0 || p.Ratio <= 0 {
			t.Errorf("%s: implausible figures %+v", p.Name, p)
		}
	}
	if rep.Slowest == "" {
		t.Error("no slowest page named")
	}
	rep, err = webbench.Run(t.Context(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Reused {
		t.Fatal("the second run built the shop again")
	}
}

// BenchmarkConsolePages reports each page's p95 (ms) on a demo shop of
// CHORUS_BENCH_CUSTOMERS customers [2,000], built once under
// CHORUS_BENCH_DIR [the test's temporary directory]. `chorus bench
// console` is the 100,000-customer run.
func BenchmarkConsolePages(b *testing.B) {
	n := 2000
	if v := os.Getenv("CHORUS_BENCH_CUSTOMERS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatalf("CHORUS_BENCH_CUSTOMERS=%q: %v", v, err)
		}
	}
	dir := os.Getenv("CHORUS_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	o := webbench.Options{Customers: n, N: max(b.N, 20), DB: filepath.Join(dir, "shop-"+strconv.Itoa(n)+".db")}
	b.ResetTimer()
	rep, err := webbench.Run(b.Context(), o, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	b.ReportMetric(rep.Baseline.P95Ms, "baseline-p95-ms")
	worst := 0.0
	for _, p := range rep.Pages {
		if p.List {
			worst = max(worst, p.P95Ms)
		}
		b.Logf("%-34s p50 %7.2f ms  p95 %7.2f ms  max %7.2f ms  ratio %.0f", p.Name, p.P50Ms, p.P95Ms, p.MaxMs, p.Ratio)
	}
	b.ReportMetric(worst, "worst-list-p95-ms")
}
