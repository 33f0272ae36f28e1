// Package queue is Chorus's durable job queue: River
// (github.com/riverqueue/river) on the same database as the store, SQLite
// or PostgreSQL. Work that a state change causes is inserted in the
// transaction that makes the change (InsertTx), so a launched campaign
// always has its jobs and a rolled-back launch has none; a worker that is
// killed leaves its jobs running until RescueAfter, when another process
// (or the restarted one) takes them over.
//
// One transaction type serves both engines: *sql.Tx. On SQLite River's
// riversqlite driver works over its own one-connection handle to the file
// (River runs operations in parallel that SQLite would answer with
// SQLITE_BUSY on a wider pool); on PostgreSQL riverdatabasesql does the
// work over database/sql and a pgx pool (riverpgxv5) listens for
// LISTEN/NOTIFY, so inserted jobs start at once on every worker process.
// The store's transactions are *sql.Tx on both engines too, which is what
// lets a store method insert jobs with its own writes.
package queue

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
	_ "modernc.org/sqlite" // database/sql driver "sqlite"
)

// Workers is the set of job kinds a process works; see AddWorker.
type Workers = river.Workers

// NewWorkers returns an empty set of workers.
func NewWorkers() *Workers { return river.NewWorkers() }

// AddWorker registers w for its job kind. It panics when the kind is
// registered twice, which is a wiring bug.
func AddWorker[T river.JobArgs](ws *Workers, w river.Worker[T]) { river.AddWorker(ws, w) }

// Options say how a Queue runs. The zero value is an insert-only queue.
type Options struct {
	// Workers, when non-nil, makes the queue work jobs of those kinds once
	// started; nil makes an insert-only queue (CLI commands that launch).
	Workers *Workers
	// ID names this process among the workers (logs, River's client id);
	// empty picks one.
	ID string
	// Logger receives River's logs; nil discards them below warnings.
	Logger *slog.Logger
	// Periodic are jobs the elected leader among the workers inserts on a
	// schedule (a reconciler); only for a queue with Workers.
	Periodic []*river.PeriodicJob
}

// Queue is River over the store's database. It is safe for concurrent use.
type Queue struct {
	cfg     config.Queue
	engine  string
	db      *sql.DB
	pool    *pgxpool.Pool // PostgreSQL only: LISTEN/NOTIFY
	client  *river.Client[*sql.Tx]
	working bool

	mu      sync.Mutex
	started bool
	stopped bool
}

// IsPostgres reports whether dsn names a PostgreSQL database (the store's
// rule: postgres:// or postgresql://).
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database named by dsn (the store's DSN), migrates
// River's tables (river_*) and returns the queue. Errors: Invalid for a
// DSN the queue cannot use (an in-memory SQLite database), Unavailable when
// the database cannot be reached or migrated.
func Open(ctx context.Context, dsn string, cfg config.Queue, opts Options) (q *Queue, err error) {
	q = &Queue{cfg: cfg}
	var drv riverdriver.Driver[*sql.Tx]
	if IsPostgres(dsn) {
		q.engine = "postgres"
		if q.pool, err = pgxpool.New(ctx, dsn); err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "job queue: bad PostgreSQL DSN")
		}
		if err := q.pool.Ping(ctx); err != nil {
			q.pool.Close()
			return nil, apperr.Wrap(err, apperr.Unavailable, "job queue: cannot connect to PostgreSQL")
		}
		q.db = stdlib.OpenDBFromPool(q.pool)
		drv = riverdatabasesql.NewWithPgxListener(q.db, q.pool)
	} else {
		q.engine = "sqlite"
		if q.db, err = openSQLite(ctx, dsn); err != nil {
			return nil, err
		}
		drv = riversqlite.New(q.db)
	}
	defer func() {
		if err != nil {
			q.closeDB()
		}
	}()
	if err := migrate(ctx, drv, q.engine, q.pool); err != nil {
		return nil, err
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(discard{}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	rc := &river.Config{
		ID:                   opts.ID,
		Logger:               logger,
		JobTimeout:           cfg.JobTimeout.Std(),
		RescueStuckJobsAfter: cfg.RescueAfter.Std(),
		FetchPollInterval:    cfg.PollInterval.Std(),
		FetchCooldown:        min(100*time.Millisecond, cfg.PollInterval.Std()),
		MaxAttempts:          25,
	}
	if opts.Workers != nil {
		rc.Workers = opts.Workers
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}}
		rc.PeriodicJobs = opts.Periodic
		q.working = true
	}
	if q.client, err = river.NewClient(drv, rc); err != nil {
		return nil, apperr.Wrap(err, apperr.Internal, "job queue: configure")
	}
	return q, nil
}

// openSQLite opens River's own handle to the store's SQLite file: one
// connection, WAL, the store's busy timeout, IMMEDIATE transactions.
func openSQLite(ctx context.Context, dsn string) (*sql.DB, error) {
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite://"), "sqlite:")
	if path == "" || path == ":memory:" || strings.Contains(path, "mode=memory") {
		return nil, apperr.New(apperr.Invalid, "the job queue needs a database file or PostgreSQL, not an in-memory database")
	}
	v := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "synchronous(NORMAL)"} {
		v.Add("_pragma", p)
	}
	v.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+v.Encode())
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "job queue: open %s", path)
	}
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, apperr.Wrap(err, apperr.Unavailable, "job queue: open %s", path)
	}
	return db, nil
}

// migrate brings River's tables up to date. On PostgreSQL concurrent
// processes are serialised with an advisory lock of our own (River's
// migrator does not lock); on SQLite the IMMEDIATE transactions do it.
func migrate(ctx context.Context, drv riverdriver.Driver[*sql.Tx], engine string, pool *pgxpool.Pool) error {
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: slog.New(slog.NewTextHandler(discard{}, nil))})
	if err != nil {
		return apperr.Wrap(err, apperr.Internal, "job queue: migrator")
	}
	if engine == "postgres" {
		conn, err := pool.Acquire(ctx)
		if err != nil {
			return apperr.Wrap(err, apperr.Unavailable, "job queue: migration lock")
		}
		defer conn.Release()
		const lockID = 0x63686f727571 // "choruq"
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, lockID); err != nil {
			return apperr.Wrap(err, apperr.Unavailable, "job queue: migration lock")
		}
		defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, lockID) //nolint:errcheck
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "job queue: migrate River's tables")
	}
	return nil
}

// Engine is "sqlite" or "postgres".
func (q *Queue) Engine() string { return q.engine }

// Job is one job to insert: typed args (with a stable Kind) and options.
type Job struct {
	Args river.JobArgs
	// At schedules the job; zero, or a time not after now, means now.
	At time.Time
	// Unique makes a second insert of the same kind with the same args a
	// no-op while the first exists in any state but cancelled or discarded
	// (completed jobs are kept for a day).
	Unique bool
	// MaxAttempts overrides the default of 25.
	MaxAttempts int
}

// params are j's insert options. A job due now is inserted available, with
// no ScheduledAt: River inserts any job with a ScheduledAt as scheduled,
// even one in the past, and only the elected leader's scheduler makes it
// available, every 5 s, so a batch due now would wait for that (seen as
// seconds before a launched campaign's first message).
func (j Job) params(now time.Time) river.InsertManyParams {
	o := &river.InsertOpts{MaxAttempts: j.MaxAttempts}
	if j.At.After(now) {
		o.ScheduledAt = j.At
	}
	if j.Unique {
		o.UniqueOpts = river.UniqueOpts{ByArgs: true}
	}
	return river.InsertManyParams{Args: j.Args, InsertOpts: o}
}

// InsertTx inserts jobs in tx, the caller's transaction on the store's
// database: they exist exactly when tx commits. It reports how many were
// inserted (unique duplicates are skipped). Errors are Unavailable.
func (q *Queue) InsertTx(ctx context.Context, tx *sql.Tx, jobs []Job) (int, error) {
	ids, err := q.InsertTxIDs(ctx, tx, jobs)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		if id > 0 {
			n++
		}
	}
	return n, nil
}

// InsertTxIDs is InsertTx returning each job's id, in the order of jobs;
// a unique duplicate gets the negated id of the job that exists.
func (q *Queue) InsertTxIDs(ctx context.Context, tx *sql.Tx, jobs []Job) ([]int64, error) {
	if len(jobs) == 0 {
		return nil, nil
	}
	ps := make([]river.InsertManyParams, len(jobs))
	now := time.Now() // River's clock: the real one
	for i, j := range jobs {
		ps[i] = j.params(now)
	}
	res, err := q.client.InsertManyTx(ctx, tx, ps)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "job queue: insert %d jobs", len(jobs))
	}
	ids := make([]int64, len(res))
	for i, r := range res {
		ids[i] = r.Job.ID
		if r.UniqueSkippedAsDuplicate {
			ids[i] = -r.Job.ID
		}
	}
	return ids, nil
}

// Insert inserts jobs in a transaction of their own.
func (q *Queue) Insert(ctx context.Context, jobs []Job) (n int, err error) {
	tx, err := q.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, apperr.Wrap(err, apperr.Unavailable, "job queue: begin")
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if n, err = q.InsertTx(ctx, tx, jobs); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, apperr.Wrap(err, apperr.Unavailable, "job queue: commit")
	}
	return n, nil
}

// CompleteTx marks the running job complete inside tx, so the job's effect
// and its completion commit together. Call it only from a worker's Work.
func CompleteTx[T river.JobArgs](ctx context.Context, tx *sql.Tx, job *river.Job[T]) error {
	var err error
	if engineOf(ctx) == "postgres" {
		_, err = river.JobCompleteTx[*riverdatabasesql.Driver](ctx, tx, job)
	} else {
		_, err = river.JobCompleteTx[*riversqlite.Driver](ctx, tx, job)
	}
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "job queue: complete job %d", job.ID)
	}
	return nil
}

func engineOf(ctx context.Context) string {
	c := river.ClientFromContext[*sql.Tx](ctx)
	if c != nil && c.Driver().DatabaseName() == riverdriver.DatabaseNamePostgres {
		return "postgres"
	}
	return "sqlite"
}

// Start works jobs until Stop or until ctx is cancelled. It is an error to
// start an insert-only queue or to start twice.
func (q *Queue) Start(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case !q.working:
		return apperr.New(apperr.Internal, "job queue: started without workers")
	case q.started:
		return apperr.New(apperr.Conflict, "job queue: already started")
	}
	if err := q.client.Start(ctx); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "job queue: start")
	}
	q.started = true
	return nil
}

// Stop stops fetching new jobs, lets running ones finish for the
// configured drain timeout, then cancels what still runs (River retries
// those later, on this or another process) and closes the database
// handles. A second Stop is a no-op.
func (q *Queue) Stop() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.stopped {
		return nil
	}
	q.stopped = true
	var err error
	if q.started {
		ctx, cancel := context.WithTimeout(context.Background(), q.cfg.DrainTimeout.Std())
		err = q.client.Stop(ctx)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err = q.client.StopAndCancel(ctx)
			cancel()
		}
	}
	q.closeDB()
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "job queue: stop")
	}
	return nil
}

func (q *Queue) closeDB() {
	if q.db != nil {
		q.db.Close()
	}
	if q.pool != nil {
		q.pool.Close()
	}
}

// Counts are the jobs of one kind by state.
type Counts map[string]int

// Pending is every job not yet finished: available, scheduled, running,
// retryable or pending.
func (c Counts) Pending() int {
	return c[string(rivertype.JobStateAvailable)] + c[string(rivertype.JobStateScheduled)] +
		c[string(rivertype.JobStateRunning)] + c[string(rivertype.JobStateRetryable)] + c[string(rivertype.JobStatePending)]
}

// Count reports the jobs of kind by state (all kinds when kind is "").
func (q *Queue) Count(ctx context.Context, kind string) (Counts, error) {
	query, args := `SELECT state, count(*) FROM river_job GROUP BY state`, []any{}
	if kind != "" {
		query, args = `SELECT state, count(*) FROM river_job WHERE kind = $1 GROUP BY state`, []any{kind}
	}
	rows, err := q.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "job queue: count jobs")
	}
	defer rows.Close()
	c := Counts{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, apperr.Wrap(err, apperr.Unavailable, "job queue: count jobs")
		}
		c[s] = n
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "job queue: count jobs")
	}
	return c, nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
