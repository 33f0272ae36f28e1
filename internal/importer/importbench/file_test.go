package importbench

import (
	"path/filepath"
	"testing"
)

func TestDefaultFile(t *testing.T) {
	env := func(v string) func(string) (string, bool) {
		return func(k string) (string, bool) { return v, k == "CHORUS_SHARED_DATA" && v != "" }
	}
	if got, want := DefaultFile(env("/data")), filepath.Join("/data", "online-retail", "online_retail.csv.gz"); got != want {
		t.Errorf("with CHORUS_SHARED_DATA: %s, want %s", got, want)
	}
	// without it: shared/data beside the repository holding this package
	got := DefaultFile(env(""))
	if filepath.Base(filepath.Dir(filepath.Dir(got))) != "data" || filepath.Base(got) != "online_retail.csv.gz" {
		t.Errorf("without CHORUS_SHARED_DATA: %s, want …/shared/data/online-retail/online_retail.csv.gz", got)
	}
}
