package queue_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/queue"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// markArgs is a job that records its N in the marks table, completing
// itself in the same transaction.
type markArgs struct {
	N int `json:"n"`
}

func (markArgs) Kind() string { return "test_mark" }

type markWorker struct {
	river.WorkerDefaults[markArgs]
	db    *sql.DB
	proc  string
	block chan struct{} // when non-nil, Work waits on it (or ctx)
}

func (w *markWorker) Work(ctx context.Context, j *river.Job[markArgs]) error {
	if w.block != nil {
		select {
		case <-w.block:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO marks (n, proc, attempt) VALUES ($1, $2, $3)`, j.Args.N, w.proc, j.Attempt); err != nil {
		return err
	}
	if err := queue.CompleteTx(ctx, tx, j); err != nil {
		return err
	}
	return tx.Commit()
}

// engines runs fn on SQLite and, when configured, PostgreSQL: dsn is the
// store's DSN, db a handle the test uses as the store would.
func engines(t *testing.T, fn func(t *testing.T, dsn string, db *sql.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "chorus.db")
		v := url.Values{}
		v.Add("_pragma", "journal_mode(WAL)")
		v.Add("_pragma", "busy_timeout(10000)")
		v.Set("_txlock", "immediate")
		db, err := sql.Open("sqlite", "file:"+path+"?"+v.Encode())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		setup(t, db)
		fn(t, path, db)
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		setup(t, db)
		fn(t, dsn, db)
	})
}

func setup(t *testing.T, db *sql.DB) {
	if _, err := db.Exec(`CREATE TABLE marks (n INTEGER NOT NULL, proc TEXT NOT NULL, attempt INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
}

func testConfig() config.Queue {
	c := config.Default().Queue
	c.PollInterval = config.Duration(50 * time.Millisecond)
	return c
}

func marks(t *testing.T, db *sql.DB) map[int]int {
	rows, err := db.Query(`SELECT n FROM marks`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[int]int{}
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		m[n]++
	}
	return m
}

// waitDone polls until the queue has no unfinished test job, or fails
// after a generous deadline (a liveness bound, not a timing assertion: the
// race detector on a loaded 2-core machine slows SQLite's lock hand-offs
// between River's handle and the test's by tens of times).
func waitDone(t *testing.T, q *queue.Queue) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		c, err := q.Count(context.Background(), markArgs{}.Kind())
		if err != nil {
			t.Fatal(err)
		}
		if c.Pending() == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs still unfinished: %v", c)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func jobs(from, to int) []queue.Job {
	var js []queue.Job
	for i := from; i < to; i++ {
		js = append(js, queue.Job{Args: markArgs{N: i}, Unique: true})
	}
	return js
}

// Jobs inserted in a rolled-back transaction never run; jobs inserted in a
// committed one run once each, even when inserted twice (unique args).
func TestInsertTxIsTransactional(t *testing.T) {
	engines(t, func(t *testing.T, dsn string, db *sql.DB) {
		ctx := context.Background()
		ws := queue.NewWorkers()
		queue.AddWorker(ws, &markWorker{db: db, proc: "a"})
		q, err := queue.Open(ctx, dsn, testConfig(), queue.Options{Workers: ws})
		if err != nil {
			t.Fatal(err)
		}
		defer q.Stop()

		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := q.InsertTx(ctx, tx, jobs(1000, 1010)); err != nil || n != 10 {
			t.Fatalf("insert in tx: %d, %v", n, err)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		tx, err = db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO marks (n, proc, attempt) VALUES (-1, 'launch', 0)`); err != nil {
			t.Fatal(err)
		}
		if n, err := q.InsertTx(ctx, tx, jobs(0, 50)); err != nil || n != 50 {
			t.Fatalf("insert in tx: %d, %v", n, err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if n, err := q.Insert(ctx, jobs(40, 60)); err != nil || n != 10 {
			t.Fatalf("insert with 10 duplicates: %d new, %v", n, err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err == nil {
			t.Fatal("second Start succeeded")
		}
		waitDone(t, q)
		m := marks(t, db)
		if len(m) != 61 { // 0..59 and the launch row
			t.Fatalf("marks: %d distinct, want 61", len(m))
		}
		for n, c := range m {
			if c != 1 || n >= 1000 {
				t.Fatalf("job %d ran %d times", n, c)
			}
		}
		if err := q.Stop(); err != nil {
			t.Fatal(err)
		}
		if err := q.Stop(); err != nil {
			t.Fatalf("second Stop: %v", err)
		}
	})
}

// Two queues on one database (two processes' worth) share the jobs and
// run each exactly once.
func TestTwoWorkersShare(t *testing.T) {
	engines(t, func(t *testing.T, dsn string, db *sql.DB) {
		ctx := context.Background()
		var qs []*queue.Queue
		for _, p := range []string{"a", "b"} {
			ws := queue.NewWorkers()
			queue.AddWorker(ws, &markWorker{db: db, proc: p})
			q, err := queue.Open(ctx, dsn, testConfig(), queue.Options{Workers: ws, ID: p})
			if err != nil {
				t.Fatal(err)
			}
			defer q.Stop()
			qs = append(qs, q)
		}
		if _, err := qs[0].Insert(ctx, jobs(0, 300)); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for _, q := range qs {
			wg.Go(func() {
				if err := q.Start(ctx); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		waitDone(t, qs[0])
		m := marks(t, db)
		if len(m) != 300 {
			t.Fatalf("%d distinct jobs ran, want 300", len(m))
		}
		for n, c := range m {
			if c != 1 {
				t.Fatalf("job %d ran %d times", n, c)
			}
		}
		var perProc = map[string]int{}
		rows, err := db.Query(`SELECT proc, count(*) FROM marks GROUP BY proc`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var p string
			var n int
			if err := rows.Scan(&p, &n); err != nil {
				t.Fatal(err)
			}
			perProc[p] = n
		}
		t.Logf("jobs per worker: %v", perProc)
	})
}

// A worker process killed with SIGKILL while it holds running jobs: a new
// worker rescues them after rescue_after and every job runs to completion
// exactly once (the killed process completed none).
func TestKilledWorkerJobsAreRescued(t *testing.T) {
	if os.Getenv("QUEUE_TEST_CHILD") != "" {
		t.Skip("child")
	}
	engines(t, func(t *testing.T, dsn string, db *sql.DB) {
		ctx := context.Background()
		cfg := testConfig()
		cfg.JobTimeout = config.Duration(time.Second)
		cfg.RescueAfter = config.Duration(2 * time.Second)
		ins, err := queue.Open(ctx, dsn, cfg, queue.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer ins.Stop()
		if _, err := ins.Insert(ctx, jobs(0, 20)); err != nil {
			t.Fatal(err)
		}
		child := exec.Command(os.Args[0], "-test.run=^TestChildWorker$")
		child.Env = append(os.Environ(), "QUEUE_TEST_CHILD="+dsn)
		if err := child.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the child holds running jobs, then kill it.
		deadline := time.Now().Add(60 * time.Second)
		for {
			c, err := ins.Count(ctx, markArgs{}.Kind())
			if err != nil {
				t.Fatal(err)
			}
			if c["running"] > 0 {
				break
			}
			if time.Now().After(deadline) {
				child.Process.Kill()
				t.Fatalf("child never ran a job: %v", c)
			}
			time.Sleep(20 * time.Millisecond)
		}
		if err := child.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		_ = child.Wait()
		if got := len(marks(t, db)); got != 0 {
			t.Fatalf("killed worker completed %d jobs", got)
		}
		ws := queue.NewWorkers()
		queue.AddWorker(ws, &markWorker{db: db, proc: "rescuer"})
		q, err := queue.Open(ctx, dsn, cfg, queue.Options{Workers: ws})
		if err != nil {
			t.Fatal(err)
		}
		defer q.Stop()
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		waitDone(t, q)
		m := marks(t, db)
		if len(m) != 20 {
			t.Fatalf("%d jobs completed after rescue, want 20", len(m))
		}
		for n, c := range m {
			if c != 1 {
				t.Fatalf("job %d ran %d times", n, c)
			}
		}
	})
}

// TestChildWorker is the killed process of TestKilledWorkerJobsAreRescued:
// it works jobs that never finish until it is killed.
func TestChildWorker(t *testing.T) {
	dsn := os.Getenv("QUEUE_TEST_CHILD")
	if dsn == "" {
		t.Skip("run by TestKilledWorkerJobsAreRescued")
	}
	db, err := sql.Open(driverOf(dsn), storeDSN(dsn))
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	cfg.JobTimeout = config.Duration(time.Hour) // never cancelled: only the kill ends it
	cfg.RescueAfter = config.Duration(2 * time.Hour)
	ws := queue.NewWorkers()
	queue.AddWorker(ws, &markWorker{db: db, proc: "child", block: make(chan struct{})})
	q, err := queue.Open(context.Background(), dsn, cfg, queue.Options{Workers: ws})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {} // until killed
}

func driverOf(dsn string) string {
	if queue.IsPostgres(dsn) {
		return "pgx"
	}
	return "sqlite"
}

func storeDSN(dsn string) string {
	if queue.IsPostgres(dsn) {
		return dsn
	}
	return "file:" + dsn + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_txlock=immediate"
}

// An in-memory database cannot hold a queue other processes could share.
func TestOpenRefusesMemory(t *testing.T) {
	_, err := queue.Open(context.Background(), ":memory:", testConfig(), queue.Options{})
	if err == nil {
		t.Fatal("opened a queue on :memory:")
	}
}

// A job due now (no time, or a time passed) is inserted available, so a
// worker takes it at its next fetch; only a job due later waits, as
// scheduled, for River's scheduler.
func TestInsertDueNowIsAvailable(t *testing.T) {
	engines(t, func(t *testing.T, dsn string, db *sql.DB) {
		ctx := context.Background()
		q, err := queue.Open(ctx, dsn, testConfig(), queue.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer q.Stop()
		now := time.Now()
		js := []queue.Job{{Args: markArgs{N: 1}}, {Args: markArgs{N: 2}, At: now.Add(-time.Hour)}, {Args: markArgs{N: 3}, At: now.Add(time.Hour)}}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids, err := q.InsertTxIDs(ctx, tx, js)
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		for i, want := range []string{"available", "available", "scheduled"} {
			var state string
			if err := db.QueryRowContext(ctx, `SELECT state FROM river_job WHERE id = $1`, ids[i]).Scan(&state); err != nil {
				t.Fatal(err)
			}
			if state != want {
				t.Errorf("job %d (due %v): state %s, want %s", i+1, js[i].At, state, want)
			}
		}
	})
}
