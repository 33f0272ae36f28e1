package webbench

import (
	"fmt"
	"io"
)

// WriteText writes the figures as `chorus bench console` prints them.
func (rep Report) WriteText(w io.Writer) error {
	shop := "reused"
	if !rep.Reused {
		shop = fmt.Sprintf("built in %.0f s", rep.BuildSeconds)
	}
	fmt.Fprintf(w, "console pages, %d customers (%s, shop %s), %d renders each after a warm-up of %.1f s\n",
		rep.Customers, rep.Engine, shop, rep.Options.N, rep.WarmSeconds)
	fmt.Fprintf(w, "  %-34s %9s %9s %9s %9s %8s\n", "page", "first ms", "p50 ms", "p95 ms", "max ms", "ratio")
	for _, p := range append([]Page{rep.Baseline}, rep.Pages...) {
		fmt.Fprintf(w, "  %-34s %9.1f %9.2f %9.2f %9.2f %8.1f\n", p.Name, p.FirstMs, p.P50Ms, p.P95Ms, p.MaxMs, max(p.Ratio, 1))
	}
	mark := "met"
	if !rep.Met {
		mark = "MISSED"
	}
	_, err := fmt.Fprintf(w, "  target: every list and profile page p95 < %.0f ms: %s (slowest: %s)\n", rep.TargetMs, mark, rep.Slowest)
	return err
}
