// Package sqlstore is the SQL shared by both storage engines. Queries are
// written in the common subset of SQLite and PostgreSQL ($N placeholders,
// ON CONFLICT, RETURNING); the engine packages (store/sqlite,
// store/postgres) open the database, run their own migrations and supply
// the few engine-specific parts, such as the bulk event path.
//
// Conventions: timestamps are BIGINT microseconds since the Unix epoch in
// UTC; lists and maps are JSON text (JSONB on PostgreSQL).
package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/event"
)

// Engine names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// EventBulkInserter writes a batch of events whose Key is already set,
// skipping those whose key exists, and reports how many were inserted.
type EventBulkInserter func(ctx context.Context, es []event.Event) (inserted int, err error)

// RawWriter is a connection outside database/sql through which a BulkLoad
// writes its events (see store/sqlite): one transaction at a time, used by
// one goroutine at a time. The schema's triggers do not fire on it: the
// BulkLoad does their work itself, once per statement rather than once
// per row (see rawTriggers).
type RawWriter interface {
	Begin(ctx context.Context) error
	// Exec runs query with args bound to its parameters in order and
	// returns the rows it changed.
	Exec(ctx context.Context, query string, args []Value) (int64, error)
	Commit() error
	Rollback() error
	// LogSize is the size of the write-ahead log file in bytes.
	LogSize() (int64, error)
	Close() error
}

// Value is a statement argument without an interface's boxing (which
// allocates for most numbers): NULL, an integer, a real or a text.
type Value struct {
	Kind  ValueKind
	Int   int64
	Float float64
	Text  string
}

// ValueKind says which field of a Value holds it.
type ValueKind uint8

// Value kinds; the zero Value is NULL.
const (
	Null ValueKind = iota
	Int
	Float
	Text
)

// isDefault reports whether v is NULL, 0 or empty: what a column left out
// of an INSERT holds.
func (v Value) isDefault() bool {
	switch v.Kind {
	case Int:
		return v.Int == 0
	case Float:
		return v.Float == 0
	case Text:
		return v.Text == ""
	}
	return true
}

// arg is v as a database/sql or pgx argument.
func (v Value) arg() any {
	switch v.Kind {
	case Int:
		return v.Int
	case Float:
		return v.Float
	case Text:
		return v.Text
	}
	return nil
}

// IntValue, FloatValue and TextValue make Values.
func IntValue(v int64) Value     { return Value{Kind: Int, Int: v} }
func FloatValue(v float64) Value { return Value{Kind: Float, Float: v} }
func TextValue(v string) Value   { return Value{Kind: Text, Text: v} }

// Store implements every domain store on a *sql.DB.
type Store struct {
	db         *sql.DB
	dialect    Dialect
	bulkEvents EventBulkInserter
	openRaw    func() (RawWriter, error)
	closers    []func() error
	stmts      stmtCache // the send path's prepared statements (stmtcache.go)
	// writer admits one write transaction of this process at a time on
	// SQLite (nil on PostgreSQL). Every transaction there begins
	// IMMEDIATE, so a second one would wait for the file's write lock in
	// SQLite's busy handler, which polls with sleeps of 1 to 100 ms; a
	// channel hands the turn over at once, in order.
	writer chan struct{}
}

// SetRawWriter makes each BulkLoad write its events through a RawWriter
// that open returns, closed at the end of the load.
func (s *Store) SetRawWriter(open func() (RawWriter, error)) { s.openRaw = open }

// New wraps db. bulk may be nil, in which case multi-row INSERTs are used.
func New(db *sql.DB, d Dialect, bulk EventBulkInserter, closers ...func() error) *Store {
	s := &Store{db: db, dialect: d, closers: closers}
	if d.Name == SQLite {
		s.writer = make(chan struct{}, 1)
	}
	s.bulkEvents = bulk
	if bulk == nil {
		s.bulkEvents = s.insertEventsMultiRow
	}
	return s
}

// DB is the underlying handle, for packages that keep their own tables.
func (s *Store) DB() *sql.DB { return s.db }

// Engine is "sqlite" or "postgres".
func (s *Store) Engine() string { return s.dialect.Name }

// Close releases the database. Closing twice is harmless.
func (s *Store) Close() error {
	if s.db == nil {
		return nil
	}
	s.closeStmts()
	err := s.db.Close()
	for _, c := range s.closers {
		if cerr := c(); err == nil {
			err = cerr
		}
	}
	s.db = nil
	return err
}

// Tx runs fn in a transaction, committing when fn returns nil.
func (s *Store) Tx(ctx context.Context, fn func(*sql.Tx) error) (err error) {
	var tx *sql.Tx
	if b := bulkFrom(ctx, s); b != nil {
		// inside BulkLoad: its connection, one transaction at a time, after
		// the raw connection's events are committed
		b.mu.Lock()
		defer b.mu.Unlock()
		if err := b.commitRaw(); err != nil {
			return err
		}
		tx, err = b.conn.BeginTx(ctx, nil)
	} else {
		if s.writer != nil {
			select {
			case s.writer <- struct{}{}:
			case <-ctx.Done():
				return apperr.Wrap(ctx.Err(), apperr.Unavailable, "begin transaction")
			}
			defer func() { <-s.writer }()
		}
		tx, err = s.db.BeginTx(ctx, nil)
	}
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "begin transaction")
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// Migrate applies, in order, every NNNN_name.sql file of migrations not yet
// recorded in schema_migrations, each in its own transaction. A migration
// with a Go step (migrationStep) runs the step in that transaction too,
// after the SQL-only migrations.
func (s *Store) Migrate(ctx context.Context, migrations fs.FS) (applied []string, err error) {
	defer s.wrap(&err, "migrate")
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return nil, err
	}
	names, err := fs.Glob(migrations, "*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	done := map[int]bool{}
	rows, err := s.db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return nil, err
		}
		done[v] = true
	}
	rows.Close()
	// a migration with a Go step goes after the SQL-only ones (migrationStep)
	sort.SliceStable(names, func(i, j int) bool {
		return migrationStep(version(names[i])) == nil && migrationStep(version(names[j])) != nil
	})
	for _, name := range names {
		num, _, ok := strings.Cut(name, "_")
		v, perr := strconv.Atoi(num)
		if !ok || perr != nil {
			return applied, fmt.Errorf("migration %s: name must be NNNN_name.sql", name)
		}
		if done[v] {
			continue
		}
		body, err := fs.ReadFile(migrations, name)
		if err != nil {
			return applied, err
		}
		err = s.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
			if step := migrationStep(v); step != nil {
				if err := step(ctx, tx); err != nil {
					return fmt.Errorf("migration %s: %w", name, err)
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
				v, name, time.Now().UnixMicro())
			return err
		})
		if err != nil {
			return applied, err
		}
		applied = append(applied, name)
	}
	return applied, nil
}

// version is the number of migration file name, or -1.
func version(name string) int {
	num, _, _ := strings.Cut(name, "_")
	v, err := strconv.Atoi(num)
	if err != nil {
		return -1
	}
	return v
}

// Micros converts t to the stored form; the zero time is stored as 0.
func Micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// FromMicros converts a stored timestamp back; 0 is the zero time.
func FromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// placeholders returns "($1,…,$cols),($cols+1,…)" for n rows.
func placeholders(rows, cols int) string {
	var b strings.Builder
	b.Grow(rows * cols * 5)
	p := 1
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := 0; c < cols; c++ {
			if c > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(p))
			p++
		}
		b.WriteByte(')')
	}
	return b.String()
}

// rowValues returns the VALUES rows of a multi-row statement whose only
// parameters they are: "(?,…),(?,…)" on SQLite, "($1,…),($cols+1,…)" on
// PostgreSQL. SQLite resolves each numbered parameter ($N) with a linear
// scan of the statement's parameters, so a statement of a few hundred rows
// with numbered parameters is quadratic to prepare; anonymous ones it
// numbers as it reads them.
func (s *Store) rowValues(rows, cols int) string {
	if s.dialect.AnonymousParams {
		return anonPlaceholders(rows, cols)
	}
	return placeholders(rows, cols)
}

// valueList is rowValues for one list of n values, without parentheses:
// "?,?,…" on SQLite, "$1,$2,…" on PostgreSQL.
func (s *Store) valueList(n int) string {
	if s.dialect.AnonymousParams {
		return strings.TrimSuffix(strings.Repeat("?,", n), ",")
	}
	return inList(1, n)
}

// inList returns "$start,$start+1,…" for n values.
func inList(start, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(start + i))
	}
	return b.String()
}

func itoa(i int) string { return strconv.Itoa(i) }
