package trackingbench

import (
	"fmt"
	"io"
	"sort"
)

// WriteText writes the report for a person: each handler's load, the
// ratio, what was stored and the targets met or missed.
func (rep Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "click redirect, %d rounds of %d requests over %d keep-alive connections, %d CPUs, %s (best round of each)\n",
		rep.Options.Rounds, rep.Options.Requests, rep.Options.Concurrency, rep.CPUs, rep.Engine)
	for _, l := range []struct {
		name string
		v    Load
	}{{"bare net/http redirect", rep.Bare}, {"chorus /t/c/", rep.Track}} {
		fmt.Fprintf(w, "  %-24s %8.0f req/s  p50 %.2f ms  p99 %.2f ms  max %.1f ms  %.1f µs CPU/req  errors %d\n",
			l.name, l.v.PerSecond, l.v.P50Ms, l.v.P99Ms, l.v.MaxMs, l.v.CPUPerReq, l.v.Errors)
	}
	fmt.Fprintf(w, "  ratio %.2f of the bare handler (rounds, bare/chorus req/s:", rep.Ratio)
	for _, rr := range rep.RoundRates {
		fmt.Fprintf(w, " %.0f/%.0f", rr[0], rr[1])
	}
	fmt.Fprintln(w, ")")
	fmt.Fprintf(w, "  %d clicks: stored %d hits and %d events (%.0f per second, %d batches, longest wait %.0f ms, %d clicks waited for the writer)\n",
		rep.Clicks, rep.Hits, rep.Events, rep.StoredPerSecond, rep.Flushes, rep.MaxLagMs, rep.RecorderWaits)
	names := make([]string, 0, len(rep.Targets))
	for n := range rep.Targets {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		mark := "met"
		if !rep.Targets[n] {
			mark = "MISSED"
		}
		if _, err := fmt.Fprintf(w, "  target %-30s %s\n", n, mark); err != nil {
			return err
		}
	}
	return nil
}
