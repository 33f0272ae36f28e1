package apibench

import (
	"fmt"
	"io"
	"strings"
)

// WriteText writes the figures as `chorus bench api` prints them.
func (rep Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "event ingest, %d rounds of %d batches of %d events, %d CPUs, %s (best round of each)\n",
		rep.Options.Rounds, rep.Options.Batches, rep.Options.Batch, rep.CPUs, rep.Engine)
	fmt.Fprintf(w, "  %-34s %9.0f events/s  rounds %s\n", "store InsertEvents (baseline)", rep.BasePerSecond, secs(rep.BaselineSeconds))
	fmt.Fprintf(w, "  %-34s %9.0f events/s  rounds %s  %.1f ms CPU per 1,000 events\n", "POST /v1/events/batch", rep.APIPerSecond, secs(rep.APISeconds), rep.APICPUPerK)
	verdict := "FAIL"
	if rep.APIPerSecond >= rep.Target {
		verdict = "pass"
	}
	_, err := fmt.Fprintf(w, "  ratio %.2f of the baseline; %d events stored; target ≥ %.0f events/s: %s\n",
		rep.Ratio, rep.Stored, rep.Target, verdict)
	return err
}

// secs is "1.23s 1.20s …".
func secs(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.2fs", x)
	}
	return strings.Join(parts, " ")
}
