package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/compliance/policy/policybench"

	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// TestBenchPolicy runs the benchmark small on SQLite and, when
// CHORUS_TEST_POSTGRES_DSN is set, on PostgreSQL, and checks that every
// figure was measured and that the counts add up.
func TestBenchPolicy(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "untouched.db")
			if engine == "postgres" {
				db = storetest.PostgresDSN(t)
			}
			out, _, err := run(t, db, "bench", "policy", "--customers", "300", "--sends", "3000", "--stale", "250", "--n", "400",
				"--max-phase", "1h", "--json") // no phase is cut by the clock, however loaded the machine
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			var r policybench.Report
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("%v in %s", err, out)
			}
			if r.Engine != engine || r.Customers != 300 || r.Sends != 3000 || r.StaleSends != 250 || r.Workers != 1 ||
				r.Consents < 300 || r.Suppressions < 60 || r.RetentionHours != 37*24 || r.HistoryDays <= 0 || r.SeedSeconds <= 0 {
				t.Errorf("population = %+v", r)
			}
			// The prune removes the stale sends and only those.
			if r.Prune.Counted != 250 || r.Prune.Deleted != 250 || r.Prune.Seconds <= 0 || r.Prune.RowsPerSecond <= 0 {
				t.Errorf("prune = %+v, want 250 counted and deleted", r.Prune)
			}
			for name, p := range map[string]policybench.Phase{"decide": r.Decide, "admit": r.Admit, "record": r.Record} {
				skipped := 0
				for _, k := range p.Skips {
					skipped += k
				}
				if p.Messages != 400 || p.TimeLimit || p.Seconds <= 0 || p.PerSecond <= 0 || p.Micro <= 0 || p.P50Micro <= 0 ||
					p.P99Micro < p.P50Micro || p.Allowed == 0 || p.Allowed+skipped != p.Messages {
					t.Errorf("%s = %+v", name, p)
				}
			}
			// Admit logged what it allowed and Record what the caps let through.
			if want := int64(3000 + r.Admit.Allowed + r.Record.Allowed); r.SendsAfter != want {
				t.Errorf("sends log at the end = %d, want %d", r.SendsAfter, want)
			}
			if r.Decide.Skips["no_consent"] == 0 || r.Record.Skips["no_consent"] != 0 {
				t.Errorf("skips: decide %v, record %v (Record checks caps only)", r.Decide.Skips, r.Record.Skips)
			}
			if engine == "sqlite" {
				if _, err := os.Stat(db); !os.IsNotExist(err) {
					t.Errorf("the benchmark wrote to --db %s: %v", db, err)
				}
			}
		})
	}
	out, _, err := run(t, filepath.Join(t.TempDir(), "x.db"), "bench", "policy", "--customers", "50", "--sends", "100", "--stale", "10", "--n", "20")
	if err != nil || !strings.Contains(out, "policy gate benchmark on sqlite") || !strings.Contains(out, "Admit (decide + record)") ||
		!strings.Contains(out, "10 deleted") {
		t.Fatalf("human output: %v\n%s", err, out)
	}
}
