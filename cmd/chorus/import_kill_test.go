package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/importer"
	_ "modernc.org/sqlite"
)

// childArgsEnv carries the arguments of a chorus run in a child process
// (TestChildProcess), separated by newlines.
const childArgsEnv = "CHORUS_TEST_CHILD_ARGS"

// TestChildProcess is not a test: it runs chorus with the arguments in
// childArgsEnv and exits, so that a test can start chorus as a process of
// its own and kill it.
func TestChildProcess(t *testing.T) {
	args := os.Getenv(childArgsEnv)
	if args == "" {
		t.Skip("runs chorus in a child process for TestImportKilledResumes")
	}
	// the signals main handles, so a child stops as chorus does
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newApp(os.Stdin, os.Stdout, os.Stderr).root()
	root.SetArgs(strings.Split(args, "\n"))
	if err := root.ExecuteContext(ctx); err != nil {
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
	cmd.Env = append(os.Environ(), childArgsEnv+"="+strings.Join([]string{"--db", db, "import", "events", file, "--json"}, "\n"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	// Watch the database through a connection of our own and kill the
	// import as soon as a commit shows.
	watch, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer watch.Close()
	var before int
	deadline := time.Now().Add(2 * time.Minute)
	for before == 0 {
		select {
		case err := <-exited:
			t.Fatalf("the import ended (%v) before it could be killed; stderr:\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no events committed within 2 minutes")
		}
		if err := watch.QueryRow(`SELECT COUNT(*) FROM events`).Scan(&before); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-exited
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
	t.Logf("killed once %d events were seen committed; the killed run had stored %d; the second run: %s", before, stored, sum)
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
