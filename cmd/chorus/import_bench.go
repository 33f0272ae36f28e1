package main

import (
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
			res, err := importbench.Measure(cmd.Context(), file, runs, a.stderr)
			if err != nil {
				return err
			}
			return a.render(asJSON, res)
		},
	}
	cmd.Flags().StringVar(&file, "file", filepath.Join("..", "shared", "data", "online-retail", "online_retail.csv.gz"), "the Online Retail CSV (gzip or plain)")
	cmd.Flags().IntVar(&runs, "runs", 3, "imports to time (the best counts)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}
