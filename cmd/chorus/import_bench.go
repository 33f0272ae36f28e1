package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/importer/importbench"
)

func (a *app) benchImportCmd() *cobra.Command {
	var (
		file   string
		runs   int
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Time the Online Retail import into a fresh SQLite file against the sqlite3 shell's raw .import",
		Long: `Imports the UCI Online Retail file (541,909 rows) with --format online-retail into a
fresh SQLite file in a temporary directory, --runs times, and prints the best
run's rows/s and the process's peak resident memory. When the sqlite3 shell is
installed, the same file, uncompressed, is loaded with ".import --csv" into an
untyped table before each import and after the last, and the ratio of the best
import to the best baseline is printed, in wall and in CPU time, and the
median of each import over the mean of the baselines just before and after
it (robust to a machine whose speed drifts during the run).
Targets: within 3x the baseline, peak RSS under 150 MB.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			res, err := importbench.Measure(cmd.Context(), file, runs, a.stderr)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(res)
			}
			fmt.Fprintf(a.stdout, "online-retail import into SQLite: %d rows in %.2fs (best of %d: %s) = %.0f rows/s, peak RSS %.0f MB (target < %.0f MB)\n",
				res.Rows, res.Seconds, res.Runs, seconds(res.ImportSeconds), res.RowsPerSecond, res.PeakRSSMB, res.TargetRSSMB)
			if res.BaselineSkipped != "" {
				fmt.Fprintf(a.stdout, "baseline skipped: %s\n", res.BaselineSkipped)
				return nil
			}
			fmt.Fprintf(a.stdout, "sqlite3 .import --csv baseline: %s; ratio %.2fx best to best (target <= %.0fx)\n",
				seconds(res.BaselineSeconds), res.Ratio, res.TargetRatio)
			fmt.Fprintf(a.stdout, "paired with the baselines around each import: %s; median %.2fx\n", ratios(res.PairedRatios), res.PairedRatio)
			fmt.Fprintf(a.stdout, "CPU time: import %s, baseline %s; CPU ratio %.2fx\n",
				seconds(res.ImportCPUSeconds), seconds(res.BaselineCPUSeconds), res.CPURatio)
			return nil
		},
	}
	cmd.Flags().StringVar(&file, "file", filepath.Join("..", "shared", "data", "online-retail", "online_retail.csv.gz"), "the Online Retail CSV (gzip or plain)")
	cmd.Flags().IntVar(&runs, "runs", 3, "imports to time (the best counts)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
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
