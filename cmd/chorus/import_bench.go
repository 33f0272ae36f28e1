package main

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/importer"
	"github.com/chorusmkt/chorus/internal/store"
)

// importBench is the result of `chorus bench import`.
type importBench struct {
	File          string  `json:"file"`
	Rows          int     `json:"rows"`
	Seconds       float64 `json:"seconds"`
	RowsPerSecond float64 `json:"rows_per_second"`
	PeakRSSMB     float64 `json:"peak_rss_mb"`
	// Baseline is the sqlite3 shell's `.import --csv` of the same
	// uncompressed file into an untyped table, timed before and after the
	// import (the machine may be shared; the mean is compared).
	BaselineSeconds []float64 `json:"baseline_seconds,omitempty"`
	Ratio           float64   `json:"ratio,omitempty"`
	// CPU seconds (user+system) of the import and of each baseline run:
	// on a shared machine they vary far less than wall time.
	CPUSeconds         float64   `json:"cpu_seconds"`
	BaselineCPUSeconds []float64 `json:"baseline_cpu_seconds,omitempty"`
	CPURatio           float64   `json:"cpu_ratio,omitempty"`
	BaselineSkipped    string    `json:"baseline_skipped,omitempty"`
	TargetRatio        float64   `json:"target_ratio"`
	TargetRSSMB        float64   `json:"target_rss_mb"`
}

func (a *app) benchImportCmd() *cobra.Command {
	var file string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Time the Online Retail import into a fresh SQLite file against the sqlite3 shell's raw .import",
		Long: `Imports the UCI Online Retail file (541,909 rows) with --format online-retail into a
fresh SQLite file in a temporary directory and prints rows/s and the process's
peak resident memory. When the sqlite3 shell is installed, the same file,
uncompressed, is loaded with ".import --csv" into an untyped table before and
after, and the ratio of the import's time to the mean baseline is printed.
Targets: within 3x the baseline, peak RSS under 150 MB.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			res, err := runImportBench(cmd.Context(), file, a.stderr)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(res)
			}
			fmt.Fprintf(a.stdout, "online-retail import into SQLite: %d rows in %.2fs = %.0f rows/s, peak RSS %.0f MB (target < %.0f MB)\n",
				res.Rows, res.Seconds, res.RowsPerSecond, res.PeakRSSMB, res.TargetRSSMB)
			if res.BaselineSkipped != "" {
				fmt.Fprintf(a.stdout, "baseline skipped: %s\n", res.BaselineSkipped)
				return nil
			}
			fmt.Fprintf(a.stdout, "sqlite3 .import --csv baseline: %.2fs before, %.2fs after; ratio %.2fx (target <= %.0fx)\n",
				res.BaselineSeconds[0], res.BaselineSeconds[1], res.Ratio, res.TargetRatio)
			fmt.Fprintf(a.stdout, "CPU time: import %.2fs, baseline %.2fs / %.2fs; CPU ratio %.2fx\n",
				res.CPUSeconds, res.BaselineCPUSeconds[0], res.BaselineCPUSeconds[1], res.CPURatio)
			return nil
		},
	}
	cmd.Flags().StringVar(&file, "file", filepath.Join("..", "shared", "data", "online-retail", "online_retail.csv.gz"), "the Online Retail CSV (gzip or plain)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}

func runImportBench(ctx context.Context, file string, log io.Writer) (importBench, error) {
	res := importBench{File: file, TargetRatio: 3, TargetRSSMB: 150}
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
		db := filepath.Join(dir, fmt.Sprintf("baseline%d.db", len(res.BaselineSeconds)))
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
	} else {
		if csvPath, err = gunzipTo(file, filepath.Join(dir, "online_retail.csv")); err != nil {
			return res, err
		}
		fmt.Fprintln(log, "baseline: sqlite3 .import --csv …")
		if err := baseline(); err != nil {
			return res, err
		}
	}

	fmt.Fprintln(log, "import: chorus import events --format online-retail …")
	st, err := store.Open(ctx, filepath.Join(dir, "chorus.db"))
	if err != nil {
		return res, err
	}
	start, cpu0 := time.Now(), cpuSeconds()
	sum, err := importer.Run(ctx, st, importer.Options{Entity: importer.Events, Path: file, Format: importer.FormatOnlineRetail})
	res.Seconds, res.CPUSeconds = time.Since(start).Seconds(), cpuSeconds()-cpu0
	st.Close()
	if err != nil {
		return res, err
	}
	res.PeakRSSMB = peakRSSMB()
	res.Rows = sum.Read
	res.RowsPerSecond = float64(sum.Read) / res.Seconds

	if lookErr == nil {
		fmt.Fprintln(log, "baseline again: sqlite3 .import --csv …")
		if err := baseline(); err != nil {
			return res, err
		}
		mean := (res.BaselineSeconds[0] + res.BaselineSeconds[1]) / 2
		res.Ratio = res.Seconds / mean
		res.CPURatio = res.CPUSeconds / ((res.BaselineCPUSeconds[0] + res.BaselineCPUSeconds[1]) / 2)
	}
	return res, nil
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
