package main

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/importer/importbench"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/importer"
	"github.com/chorusmkt/chorus/internal/segment"
	"github.com/chorusmkt/chorus/internal/store"
)

// TestImportCommand runs `chorus import events … --format online-retail`
// twice over the importer's Online Retail sample: the JSON summary balances,
// the reject report names the bad line, the second run stores nothing, and
// a segment saved before the import is refreshed by it (the sample is too
// small for RFM, so the segment tests the country).
func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "chorus.db")
	file := filepath.Join("..", "..", "internal", "importer", "testdata", "online_retail_sample.csv")
	if _, _, err := run(t, db, "segment", "create", "in_france", "--expr", `country == "France"`); err != nil {
		t.Fatal(err)
	}
	rejects := filepath.Join(dir, "rejects.csv")
	out, errOut, err := run(t, db, "import", "events", file, "--format", "online-retail", "--json", "--rejects", rejects)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, errOut)
	}
	var sum importer.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("--json output is not a summary: %v\n%s", err, out)
	}
	if !sum.Balanced || sum.Read != 8 || sum.Imported != 7 || sum.Rejected != 1 || sum.SkippedDuplicates != 0 {
		t.Errorf("first run: %s", sum)
	}
	if sum.Customers == nil || sum.Customers.Inserted != 2 || sum.Products == nil || sum.Products.Inserted != 3 {
		t.Errorf("first run customers %+v products %+v, want 2 and 3 inserted", sum.Customers, sum.Products)
	}
	f, err := os.Open(rejects)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := importer.ReadRejects(f)
	f.Close()
	if err != nil || len(rep) != 1 || rep[0].Line != 8 || rep[0].Reason != `Quantity "six" is not a number` ||
		!strings.HasPrefix(rep[0].Raw, "536381,22633,") {
		t.Errorf("reject report %+v (%v)", rep, err)
	}
	if !strings.Contains(errOut, "segments: 1 saved, 1 joined, 0 left") {
		t.Errorf("the import did not refresh the saved segment: stderr %q", errOut)
	}
	inStore(t, db, func(ctx context.Context, s store.Store) error {
		var members []string
		err := s.ScanSegmentMembers(ctx, "in_france", func(m segment.Member) error { members = append(members, m.CustomerID); return nil })
		if err != nil || !slices.Equal(members, []string{"14527"}) {
			t.Errorf("in_france = %v (%v), want 14527, whose latest line is from France", members, err)
		}
		return nil
	})

	// The second run finds everything stored: nothing imported, nothing to
	// refresh, and the text summary states the balance.
	out, errOut, err = run(t, db, "import", "events", file, "--format", "online-retail")
	if err != nil {
		t.Fatalf("second import: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "read 8 = imported 0 + updated 0 + skipped duplicates 7 + rejected 1") ||
		!strings.Contains(out, "1 rows rejected (pass --rejects FILE to see them)") {
		t.Errorf("second run output:\n%s", out)
	}
	if strings.Contains(errOut, "segments:") {
		t.Errorf("a re-import that changed nothing refreshed segments: %q", errOut)
	}
}

// TestImportCommandErrors: a file the format cannot read at all fails the
// command with a message that says what to do.
func TestImportCommandErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "chorus.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "events", "missing.bin"}, "cannot tell the format of missing.bin from its name: pass --format"},
		{[]string{"import", "orders", "x.csv"}, `unknown entity "orders"`},
		{[]string{"import", "customers", "x.csv", "--map", "nocolumn"}, `--map "nocolumn": write COLUMN=FIELD`},
		{[]string{"import", "customers", "x.csv", "--tz", "Mars/Olympus"}, `--tz "Mars/Olympus" is not an IANA time zone`},
		{[]string{"import", "customers", filepath.Join("..", "..", "internal", "importer", "testdata", "customers_latin1.csv")},
			"line 3, column 2 (Name) is not valid UTF-8"},
	} {
		_, _, err := run(t, db, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err %v, want %q", tc.args, err, tc.want)
		}
	}
}

// TestBenchImportCommand runs `chorus bench import` over the small Online
// Retail sample: two timed imports, a baseline before each and after the
// last when the sqlite3 shell is installed, and the ratios of the best.
func TestBenchImportCommand(t *testing.T) {
	file := filepath.Join("..", "..", "internal", "importer", "testdata", "online_retail_sample.csv")
	out, errOut, err := run(t, filepath.Join(t.TempDir(), "unused.db"), "bench", "import", "--file", file, "--runs", "2", "--json")
	if err != nil {
		t.Fatalf("bench import: %v\n%s", err, errOut)
	}
	var r importbench.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if r.Rows != 8 || r.Runs != 2 || len(r.ImportSeconds) != 2 || len(r.ImportCPUSeconds) != 2 || r.PeakRSSMB <= 0 ||
		r.Seconds != slices.Min(r.ImportSeconds) || r.RowsPerSecond <= 0 {
		t.Errorf("bench import = %+v", r)
	}
	if _, lookErr := exec.LookPath("sqlite3"); lookErr == nil {
		if len(r.BaselineSeconds) != 3 || r.Ratio <= 0 || r.CPURatio <= 0 || r.BaselineSkipped != "" {
			t.Errorf("with sqlite3 installed: baselines %v ratio %v cpu ratio %v skipped %q", r.BaselineSeconds, r.Ratio, r.CPURatio, r.BaselineSkipped)
		}
		for i, pr := range r.PairedRatios {
			if want := r.ImportSeconds[i] / ((r.BaselineSeconds[i] + r.BaselineSeconds[i+1]) / 2); len(r.PairedRatios) != 2 || math.Abs(pr-want) > 1e-9 {
				t.Errorf("paired ratio %d = %v, want %v (%d ratios)", i, pr, want, len(r.PairedRatios))
			}
		}
		if len(r.PairedRatios) != 2 || math.Abs(r.PairedRatio-(r.PairedRatios[0]+r.PairedRatios[1])/2) > 1e-9 {
			t.Errorf("paired ratios %v, median %v", r.PairedRatios, r.PairedRatio)
		}
	} else if r.BaselineSkipped == "" {
		t.Errorf("without sqlite3 the baseline must say it was skipped")
	}
	if _, _, err := run(t, filepath.Join(t.TempDir(), "unused.db"), "bench", "import", "--file", file, "--runs", "0"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("--runs 0: err %v", err)
	}
}
