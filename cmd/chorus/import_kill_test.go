package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/importer"
)

// childArgsEnv carries the arguments of a chorus run in a child process
// (TestChildProcess), separated by newlines.
const childArgsEnv = "CHORUS_TEST_CHILD_ARGS"

// childSignalEnv, set to a number N, makes the child's store print
// "stored" on stdout once N events have been written through it (and so
// committed: the bulk load commits every 50,000), then stop writing until
// it is killed.
const childSignalEnv = "CHORUS_TEST_CHILD_SIGNAL_AFTER"

// signalStore is the child's store when childSignalEnv is set.
type signalStore struct {
	chorusapp.Store
	after, written int
}

func (s *signalStore) InsertEvents(ctx context.Context, es []event.Event) (event.InsertCounts, error) {
	c, err := s.Store.InsertEvents(ctx, es)
	if s.written += len(es); err == nil && s.written >= s.after {
		fmt.Fprintln(os.Stdout, "stored", s.written)
		select {} // until killed
	}
	return c, err
}

// TestChildProcess is not a test: it runs chorus with the arguments in
// childArgsEnv and exits, so that a test can start chorus as a process of
// its own and kill it.
func TestChildProcess(t *testing.T) {
	args := os.Getenv(childArgsEnv)
	if args == "" {
		t.Skip("runs chorus in a child process for TestImportKilledResumes")
	}
	a := newApp(os.Stdin, os.Stdout, os.Stderr)
	if n, _ := strconv.Atoi(os.Getenv(childSignalEnv)); n > 0 {
		a.wrapStore = func(st chorusapp.Store) chorusapp.Store { return &signalStore{Store: st, after: n} }
	}
	root := a.root()
	root.SetArgs(strings.Split(args, "\n"))
	if err := root.ExecuteContext(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// TestImportKilledResumes kills an import (SIGKILL, no chance to clean up)
// once part of it is committed, then runs it again: the second run skips
// exactly the events the first stored, imports the rest, and every row of
// the file is stored once. This is what "running the import again
// completes it" promises, with the bulk load's raw connection committing
// every 50,000 events and its log not yet checkpointed when it dies.
func TestImportKilledResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 100,000 events in a child process")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "chorus.db")
	file := filepath.Join(dir, "events.csv")
	const rows = 100000
	writeEventsCSV(t, file, rows)
	if _, _, err := run(t, db, "migrate"); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestChildProcess$")
	cmd.Env = append(os.Environ(), childArgsEnv+"="+strings.Join([]string{"--db", db, "import", "events", file, "--json"}, "\n"),
		childSignalEnv+"=50000")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The child says when 50,000 events are written (one bulk commit) and
	// then waits: kill it there, with its log not yet checkpointed.
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "stored ") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the child ended (%v, %q) before its first commit; stderr:\n%s", err, line, stderr.String())
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	// What the killed run committed, through a connection of our own.
	watch, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	var before int
	if err := watch.QueryRow(`SELECT COUNT(*) FROM events`).Scan(&before); err != nil || before == 0 {
		t.Fatalf("the killed run committed %d events (%v)", before, err)
	}
	watch.Close()

	out, errOut, err := run(t, db, "import", "events", file, "--json")
	if err != nil {
		t.Fatalf("import after the kill: %v\n%s", err, errOut)
	}
	var sum importer.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("summary: %v\n%s", err, out)
	}
	stored := sum.SkippedDuplicates // what the killed run had committed
	t.Logf("killed after %d events were committed; the killed run had stored %d; the second run: %s", before, stored, sum)
	if stored < before || stored >= rows {
		t.Errorf("the killed run left %d events (at least %d were seen committed, of %d)", stored, before, rows)
	}
	if !sum.Balanced || sum.Read != rows || sum.Imported != rows-stored || sum.Rejected != 0 {
		t.Errorf("second run: %s", sum)
	}
	out, _, err = run(t, db, "import", "events", file, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var again importer.Summary
	if err := json.Unmarshal([]byte(out), &again); err != nil || again.SkippedDuplicates != rows || again.Imported != 0 {
		t.Errorf("third run (%v): %s", err, again)
	}
}

// writeEventsCSV writes n purchase events, each distinct, in time order.
func writeEventsCSV(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "customer_id,type,sku,quantity,amount,currency,order_id,occurred_at")
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		fmt.Fprintf(w, "c%d,purchase,SKU-%d,%d,%.2f,CNY,o%d,%s\n", i%3001, i%499, 1+i%3, float64(i%1000)/10, i/4,
			t0.Add(time.Duration(i)*time.Second).Format(time.RFC3339))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
