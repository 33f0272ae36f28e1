// Package importbench times the Online Retail import into a fresh SQLite
// file against the sqlite3 shell's raw .import of the same file, measured
// in the same run. `chorus bench import` prints its report.
package importbench

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/importer"
	"github.com/chorusmkt/chorus/internal/rusage"
	"github.com/chorusmkt/chorus/internal/store"
)

// Report is the result of `chorus bench import`.
type Report struct {
	File string `json:"file"`
	Rows int    `json:"rows"`
	// Runs imports were timed, each into a fresh file; Seconds and
	// CPUSeconds are the best of them (the machine may be shared: the best
	// run is the one least disturbed).
	Runs             int       `json:"runs"`
	Seconds          float64   `json:"seconds"`
	RowsPerSecond    float64   `json:"rows_per_second"`
	ImportSeconds    []float64 `json:"import_seconds"`
	PeakRSSMB        float64   `json:"peak_rss_mb"`
	CPUSeconds       float64   `json:"cpu_seconds"`
	ImportCPUSeconds []float64 `json:"import_cpu_seconds"`
	// Baseline is the sqlite3 shell's `.import --csv` of the same
	// uncompressed file into an untyped table, timed before each import and
	// after the last; Ratio and CPURatio compare the best of each. CPU
	// seconds (user+system) vary far less than wall time on a shared
	// machine.
	BaselineSeconds    []float64 `json:"baseline_seconds,omitempty"`
	BaselineCPUSeconds []float64 `json:"baseline_cpu_seconds,omitempty"`
	Ratio              float64   `json:"ratio,omitempty"`
	CPURatio           float64   `json:"cpu_ratio,omitempty"`
	// PairedRatios compare each import with the mean of the baselines
	// timed just before and after it, so that a machine whose speed drifts
	// during the run compares like with like; PairedRatio is their median.
	PairedRatios    []float64 `json:"paired_ratios,omitempty"`
	PairedRatio     float64   `json:"paired_ratio,omitempty"`
	BaselineSkipped string    `json:"baseline_skipped,omitempty"`
	TargetRatio     float64   `json:"target_ratio"`
	TargetRSSMB     float64   `json:"target_rss_mb"`
}

// Options are `chorus bench import`'s flags: the Online Retail file (""
// is DefaultFile's) and the runs to time.
type Options struct {
	File string `flag:"file"`
	Runs int    `flag:"runs"`
}

// DefaultOptions are three runs of the default file.
func DefaultOptions() Options { return Options{Runs: 3} }

// Measure imports the Online Retail file into a fresh SQLite file runs
// times, each time after a baseline of the sqlite3 shell's .import of the
// same file (and once after the last) when sqlite3 is installed, and
// reports the best run, the baselines and their ratios. log is told what
// runs.
func Measure(ctx context.Context, file string, runs int, log io.Writer) (Report, error) {
	if runs < 1 {
		return Report{}, apperr.New(apperr.Invalid, "--runs must be at least 1")
	}
	res := Report{File: file, Runs: runs, TargetRatio: 3, TargetRSSMB: 150}
	if _, err := os.Stat(file); err != nil {
		return res, apperr.Wrap(err, apperr.NotFound, "Online Retail file %s not found (pass --file)", file)
	}
	dir, err := os.MkdirTemp("", "chorus-bench-import-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)

	sqlite3, lookErr := exec.LookPath("sqlite3")
	var csvPath string
	baseline := func() error {
		if lookErr != nil {
			return nil
		}
		fmt.Fprintln(log, "baseline: sqlite3 .import --csv …")
		db := filepath.Join(dir, "baseline.db")
		start := time.Now()
		c := exec.CommandContext(ctx, sqlite3, db, ".import --csv "+csvPath+" t")
		out, err := c.CombinedOutput()
		if err != nil {
			return fmt.Errorf("sqlite3 .import: %v: %s", err, out)
		}
		res.BaselineSeconds = append(res.BaselineSeconds, time.Since(start).Seconds())
		res.BaselineCPUSeconds = append(res.BaselineCPUSeconds, (c.ProcessState.UserTime() + c.ProcessState.SystemTime()).Seconds())
		return os.Remove(db)
	}
	if lookErr != nil {
		res.BaselineSkipped = "sqlite3 is not installed (apt-get install sqlite3 to compare)"
	} else if csvPath, err = gunzipTo(file, filepath.Join(dir, "online_retail.csv")); err != nil {
		return res, err
	}

	for run := 1; run <= runs; run++ {
		if err := baseline(); err != nil {
			return res, err
		}
		fmt.Fprintf(log, "import %d/%d: chorus import events --format online-retail …\n", run, runs)
		path := filepath.Join(dir, "chorus.db")
		st, err := store.Open(ctx, path)
		if err != nil {
			return res, err
		}
		start, cpu0 := time.Now(), rusage.CPUSeconds()
		sum, err := importer.Run(ctx, st, importer.Options{Entity: importer.Events, Path: file, Format: importer.FormatOnlineRetail})
		// Closing is timed too: it checkpoints the write-ahead log into the
		// database file, as the sqlite3 shell's .import has written its file
		// when it exits.
		if cerr := st.Close(); err == nil {
			err = cerr
		}
		secs, cpu := time.Since(start).Seconds(), rusage.CPUSeconds()-cpu0
		if err != nil {
			return res, err
		}
		res.Rows = sum.Read
		res.ImportSeconds = append(res.ImportSeconds, secs)
		res.ImportCPUSeconds = append(res.ImportCPUSeconds, cpu)
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(path + suffix); err != nil && !os.IsNotExist(err) {
				return res, err
			}
		}
	}
	if err := baseline(); err != nil {
		return res, err
	}
	res.PeakRSSMB = rusage.PeakRSSMB()
	res.Seconds, res.CPUSeconds = slices.Min(res.ImportSeconds), slices.Min(res.ImportCPUSeconds)
	res.RowsPerSecond = float64(res.Rows) / res.Seconds
	if lookErr == nil {
		res.Ratio = res.Seconds / slices.Min(res.BaselineSeconds)
		res.CPURatio = res.CPUSeconds / slices.Min(res.BaselineCPUSeconds)
		res.PairedRatios, res.PairedRatio = pairedRatios(res.ImportSeconds, res.BaselineSeconds)
	}
	return res, nil
}

// pairedRatios divides each import by the mean of the baselines around it
// (baselines[i] before import i, baselines[i+1] after) and returns the
// ratios and their median.
func pairedRatios(imports, baselines []float64) ([]float64, float64) {
	if len(baselines) != len(imports)+1 || len(imports) == 0 {
		return nil, 0
	}
	rs := make([]float64, len(imports))
	for i, x := range imports {
		rs[i] = x / ((baselines[i] + baselines[i+1]) / 2)
	}
	sorted := slices.Sorted(slices.Values(rs))
	mid := len(sorted) / 2
	if len(sorted)%2 == 1 {
		return rs, sorted[mid]
	}
	return rs, (sorted[mid-1] + sorted[mid]) / 2
}

// gunzipTo writes the uncompressed content of src (gzip or plain) to dst.
func gunzipTo(src, dst string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	var r io.Reader = in
	if zr, err := gzip.NewReader(in); err == nil {
		r = zr
	} else if _, err := in.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	out, err := os.Create(dst)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(out, r); err != nil {
		out.Close()
		return "", err
	}
	return dst, out.Close()
}

// WriteText writes the report for a person.
func (r Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "online-retail import into SQLite: %d rows in %.2fs (best of %d: %s) = %.0f rows/s, peak RSS %.0f MB (target < %.0f MB)\n",
		r.Rows, r.Seconds, r.Runs, seconds(r.ImportSeconds), r.RowsPerSecond, r.PeakRSSMB, r.TargetRSSMB)
	if r.BaselineSkipped != "" {
		fmt.Fprintf(w, "baseline skipped: %s\n", r.BaselineSkipped)
		return nil
	}
	fmt.Fprintf(w, "sqlite3 .import --csv baseline: %s; ratio %.2fx best to best (target <= %.0fx)\n",
		seconds(r.BaselineSeconds), r.Ratio, r.TargetRatio)
	fmt.Fprintf(w, "paired with the baselines around each import: %s; median %.2fx\n", ratios(r.PairedRatios), r.PairedRatio)
	fmt.Fprintf(w, "CPU time: import %s, baseline %s; CPU ratio %.2fx\n",
		seconds(r.ImportCPUSeconds), seconds(r.BaselineCPUSeconds), r.CPURatio)
	return nil
}

// ratios formats ratios as "3.10x / 3.25x".
func ratios(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.2fx", x)
	}
	return strings.Join(parts, " / ")
}

// seconds formats durations as "1.23s / 1.30s".
func seconds(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.2fs", x)
	}
	return strings.Join(parts, " / ")
}
