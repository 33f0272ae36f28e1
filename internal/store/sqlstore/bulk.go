package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/chorusmkt/chorus/internal/apperr"
)

type bulkKey struct{}

// bulkConn is the connection a BulkLoad writes through.
type bulkConn struct {
	s    *Store
	mu   sync.Mutex // one transaction at a time
	conn *sql.Conn
	raw  RawWriter // where events go, if the store has one

	rawOpen bool // raw has a transaction open
	rawRows int  // events written in it
}

// bulkCommitRows is how many events a BulkLoad writes through its raw
// connection before it commits. Each commit writes every page the
// transaction changed to the log, and the index by customer, where events
// land at random places, has most of its pages changed by a few thousand
// events: one
// commit per importer batch of 10,000 rows wrote 283 MB for the Online
// Retail import (an 80 MB database); one per 50,000 rows writes 218 MB and
// is 0.2 s faster. The pages wait in the connection's cache meanwhile.
const bulkCommitRows = 50000

// bulkMaxLog bounds the log of a long load. With checkpoints deferred it
// grows faster than the database (the Online Retail import leaves 138 MB
// of log for 80 MB of data; 2,000,000 events of 30,000 customers, 890 MB
// for 285 MB), so a load of tens of millions of events would need several
// times its size in free disk. Once a commit leaves the log bigger than
// this, the load copies it into the database and restarts it: later
// commits write it from its start again, so the file stops growing. It is
// a variable for tests.
var bulkMaxLog int64 = 256 << 20

// insertRaw runs fn, which writes rows events through b.raw, inside the
// raw connection's open transaction, beginning one if needed. The
// transaction commits once it holds bulkCommitRows events, before any
// other transaction of the load (see Tx) and at the end of the load.
//
// If fn fails, the transaction is rolled back: the events of earlier
// calls not yet committed are undone too, and the error says how many.
// (A savepoint per call would keep them, but makes SQLite copy every page
// a call first changes into a sub-journal, which cost more than the long
// transaction saves.) Running the import again completes it, since stored
// events are recognised by their natural key.
func (b *bulkConn) insertRaw(ctx context.Context, rows int, fn func() (int, error)) (n int, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.rawOpen {
		if err := b.raw.Begin(ctx); err != nil {
			return 0, apperr.Wrap(err, apperr.Unavailable, "begin transaction")
		}
		b.rawOpen = true
	}
	if n, err = fn(); err != nil {
		undone := b.rawRows
		_ = b.raw.Rollback()
		b.rawOpen, b.rawRows = false, 0
		if undone > 0 {
			return 0, fmt.Errorf("%w (the %d events written before it since the last commit were undone too)", err, undone)
		}
		return 0, err
	}
	if b.rawRows += rows; b.rawRows >= bulkCommitRows {
		if err := b.commitRaw(); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// commitRaw commits the raw connection's transaction, if one is open.
// b.mu must be held.
func (b *bulkConn) commitRaw() error {
	if !b.rawOpen {
		return nil
	}
	b.rawOpen, b.rawRows = false, 0
	if err := b.raw.Commit(); err != nil {
		_ = b.raw.Rollback()
		return apperr.Wrap(err, apperr.Internal, "commit")
	}
	if n, err := b.raw.LogSize(); err == nil && n > bulkMaxLog {
		// It waits (up to the busy timeout) for readers of older
		// snapshots; if they outlast that, the checkpoint is partial and
		// the log keeps growing until the next one, not an error.
		if _, err := b.raw.Exec(context.Background(), `PRAGMA wal_checkpoint(RESTART)`, nil); err != nil {
			return apperr.Wrap(err, apperr.Internal, "bulk load: checkpoint")
		}
	}
	return nil
}

// rawTriggers are the triggers of the tables a RawWriter writes (events,
// and segment_pending through markPending), which do not fire on it, with
// what the bulk path does instead. A BulkLoad refuses to write through a
// RawWriter when the schema has another: it would be skipped silently.
var rawTriggers = map[string]string{
	"activity_events_insert": "markActivityDays, per statement",
	"activity_events_delete": "none needed: the bulk path deletes no event",
	"activity_events_update": "none needed: the bulk path updates no event",
}

// checkRawTriggers returns an error if the schema has a trigger on a table
// the raw connection writes that rawTriggers does not name.
func checkRawTriggers(ctx context.Context, conn *sql.Conn) error {
	rows, err := conn.QueryContext(ctx, `SELECT name, tbl_name FROM sqlite_schema
		WHERE type = 'trigger' AND tbl_name IN ('events', 'segment_pending') ORDER BY name`)
	if err != nil {
		return apperr.Wrap(err, apperr.Internal, "bulk load: read the schema's triggers")
	}
	defer rows.Close()
	for rows.Next() {
		var name, table string
		if err := rows.Scan(&name, &table); err != nil {
			return apperr.Wrap(err, apperr.Internal, "bulk load: read the schema's triggers")
		}
		if _, ok := rawTriggers[name]; !ok {
			return apperr.New(apperr.Internal, "bulk load: trigger %s on %s would not fire on the bulk connection, and nothing does its work", name, table)
		}
	}
	return apperr.Wrap(rows.Err(), apperr.Internal, "bulk load: read the schema's triggers")
}

// bulkFrom returns the BulkLoad of s that ctx runs in, or nil.
func bulkFrom(ctx context.Context, s *Store) *bulkConn {
	if b, ok := ctx.Value(bulkKey{}).(*bulkConn); ok && b.s == s {
		return b
	}
	return nil
}

// BulkLoad runs fn as one long run of writes, such as an import. On
// SQLite the transactions that fn makes through s, with the context it is
// given, share one connection whose automatic checkpoints are off, and the
// write-ahead log is checkpointed into the database once, at the end.
//
// By default SQLite copies the log into the database whenever a commit
// leaves it over 1,000 pages (4 MB), and a bulk load commits every few
// thousand rows: the pages it keeps changing (index leaves, the right edge
// of each B-tree) were written to the log and then to the database again
// at every checkpoint. Deferred, each page reaches the database once. The
// log grows by what the load writes meanwhile (up to bulkMaxLog) and is
// truncated afterwards. Readers are unaffected; other
// connections still checkpoint as usual when they commit.
//
// If the store has a RawWriter (SQLite files), events go through it, in
// transactions of bulkCommitRows events (see insertRaw), with the work of
// the triggers that do not fire on it (rawTriggers); every other write
// of the load must go through Tx, which commits the raw transaction first.
// A write straight on the pool would wait for its write lock until the
// busy timeout.
//
// On PostgreSQL, and on a pool of one connection, fn simply runs.
func (s *Store) BulkLoad(ctx context.Context, fn func(context.Context) error) (err error) {
	if !s.dialect.DeferredCheckpoints || s.db.Stats().MaxOpenConnections == 1 {
		// PostgreSQL has no such cost. A pool of one connection (an
		// in-memory SQLite database) cannot lend it for the whole load:
		// the load's reads would wait for it for ever.
		return fn(ctx)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "bulk load: connection")
	}
	defer conn.Close()
	if s.openRaw != nil {
		if err := checkRawTriggers(ctx, conn); err != nil {
			return err
		}
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA wal_autocheckpoint = 0`); err != nil {
		return apperr.Wrap(err, apperr.Internal, "bulk load: defer checkpoints")
	}
	b := &bulkConn{s: s, conn: conn}
	if s.openRaw != nil {
		if b.raw, err = s.openRaw(); err != nil {
			return apperr.Wrap(err, apperr.Unavailable, "bulk load: connection")
		}
	}
	defer func() {
		if b.raw != nil {
			// What the load wrote is committed even if it failed later,
			// as the writes of its database/sql transactions are (a failed
			// write has rolled the raw transaction back already). Then
			// the connection is closed before the checkpoint, which has
			// the log to itself.
			b.mu.Lock()
			cerr := b.commitRaw()
			b.mu.Unlock()
			if err == nil && cerr != nil {
				err = cerr
			}
			if cerr := b.raw.Close(); err == nil && cerr != nil {
				err = apperr.Wrap(cerr, apperr.Internal, "bulk load: finish")
			}
		}
		// Back to SQLite's default before the connection returns to the
		// pool, then one checkpoint; TRUNCATE also shrinks the log file,
		// which would otherwise keep the load's size on disk. It waits (up
		// to the busy timeout) for readers still on an older snapshot, and
		// if they outlast that it is partial, not an error: a later
		// checkpoint copies the rest.
		bg := context.WithoutCancel(ctx)
		_, rerr := conn.ExecContext(bg, `PRAGMA wal_autocheckpoint = 1000`)
		if rerr == nil {
			_, rerr = conn.ExecContext(bg, `PRAGMA wal_checkpoint(TRUNCATE)`)
		}
		if err == nil && rerr != nil {
			err = apperr.Wrap(rerr, apperr.Internal, "bulk load: finish")
		}
	}()
	return fn(context.WithValue(ctx, bulkKey{}, b))
}
