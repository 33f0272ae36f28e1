package support_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/store/storetest"
	"github.com/chorusmkt/chorus/internal/support"
)

// ImportFiles takes each file's format from its name and stops at one it
// cannot open, naming it; a report writes its counts and rejects.
func TestImportFilesAndSplit(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	dir := t.TempDir()
	md := filepath.Join(dir, "policies.md")
	if err := os.WriteFile(md, []byte("## 七天无理由退货 {#returns-7day topic=returns}\n自签收之日起7天内可申请退货。\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	reps, err := support.ImportFiles(ctx, st, []string{md}, support.ParseOptions{})
	if err != nil || len(reps) != 1 || reps[0].Imported != 1 || reps[0].Format != "markdown" || reps[0].File != "policies.md" {
		t.Fatalf("import %+v, %v", reps, err)
	}
	var b strings.Builder
	if err := reps[0].WriteText(&b); err != nil || !strings.Contains(b.String(), "imported 1") {
		t.Errorf("text %q, %v", b.String(), err)
	}
	reps, err = support.ImportFiles(ctx, st, []string{md, filepath.Join(dir, "missing.csv")}, support.ParseOptions{})
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "missing.csv") || len(reps) != 1 || reps[0].Unchanged != 1 {
		t.Errorf("a missing file: %+v, %v", reps, err)
	}

	cases := []support.EvalCase{{Question: "a", Split: "tune"}, {Question: "b", Split: "holdout"}}
	if got, err := support.OfSplit(cases, "holdout"); err != nil || len(got) != 1 || got[0].Question != "b" {
		t.Errorf("holdout: %+v, %v", got, err)
	}
	if got, err := support.OfSplit(cases, ""); err != nil || len(got) != 2 {
		t.Errorf("all: %+v, %v", got, err)
	}
	if _, err := support.OfSplit(cases, "test"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("no such split: %v", err)
	}
}
