// Package datatest finds the reference data sets in ../shared/data (beside
// the repository root) for tests and benchmarks, and skips cleanly when they
// are absent, as they are on a fresh clone.
package datatest

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the shared data directory, or "" when it is absent. The
// CHORUS_SHARED_DATA variable overrides the location.
func Dir() string {
	if d := os.Getenv("CHORUS_SHARED_DATA"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(dir, "..", "shared", "data")
			if st, err := os.Stat(d); err == nil && st.IsDir() {
				return d
			}
			return ""
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}

// Path returns the path of rel (e.g. "online-retail/online_retail.csv.gz")
// inside the shared data directory, skipping tb when it is not there.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	d := Dir()
	if d == "" {
		tb.Skipf("reference data absent: ../shared/data not found beside the repository (set CHORUS_SHARED_DATA); skipping")
	}
	p := filepath.Join(d, rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("reference data %s absent: %v; skipping", rel, err)
	}
	return p
}

// OnlineRetail is the UCI Online Retail file, relative to Dir.
const OnlineRetail = "online-retail/online_retail.csv.gz"

// CDNOWSummary is the CDNOW 2,357-customer summary, relative to Dir.
const CDNOWSummary = "cdnow/cdnow_customers_summary.csv"

// CDNOWMaster is the CDNOW master transaction file, relative to Dir.
const CDNOWMaster = "cdnow/CDNOW_master.txt"
