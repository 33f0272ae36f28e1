package main

import (
	"os"
	"path/filepath"

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
			if file == "" {
				file = a.sharedData(filepath.Join("online-retail", "online_retail.csv.gz"))
			}
			res, err := importbench.Measure(cmd.Context(), file, runs, a.stderr)
			if err != nil {
				return err
			}
			return a.render(asJSON, res)
		},
	}
	cmd.Flags().StringVar(&file, "file", "", "the Online Retail CSV, gzip or plain (default: online-retail/online_retail.csv.gz in $CHORUS_SHARED_DATA, else in ../shared/data beside the repository)")
	cmd.Flags().IntVar(&runs, "runs", 3, "imports to time (the best counts)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}

// sharedData is the path of rel in the reference data directory:
// $CHORUS_SHARED_DATA, else shared/data beside the repository that holds
// the working directory (found by its go.mod), else ../shared/data.
func (a *app) sharedData(rel string) string {
	if d, ok := a.env("CHORUS_SHARED_DATA"); ok && d != "" {
		return filepath.Join(d, rel)
	}
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				return filepath.Join(dir, "..", "shared", "data", rel)
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	return filepath.Join("..", "shared", "data", rel)
}
