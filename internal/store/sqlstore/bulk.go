package sqlstore

import (
	"context"
	"database/sql"
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
// log grows by what the load writes meanwhile (about its size in the
// database) and is truncated afterwards. Readers are unaffected; other
// connections still checkpoint as usual when they commit.
//
// On PostgreSQL, and on a pool of one connection, fn simply runs.
func (s *Store) BulkLoad(ctx context.Context, fn func(context.Context) error) (err error) {
	if s.engine != SQLite || s.db.Stats().MaxOpenConnections == 1 {
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
			// closed before the checkpoint, which then has the log to itself
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
