package importbench

import (
	"os"
	"path/filepath"
)

// DefaultFile is the Online Retail file the benchmark reads when none is
// named: online-retail/online_retail.csv.gz in the reference data
// directory, which is $CHORUS_SHARED_DATA (read through env), else
// shared/data beside the repository that holds the working directory
// (found by its go.mod), else ../shared/data.
func DefaultFile(env func(string) (string, bool)) string {
	rel := filepath.Join("online-retail", "online_retail.csv.gz")
	if d, ok := env("CHORUS_SHARED_DATA"); ok && d != "" {
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
