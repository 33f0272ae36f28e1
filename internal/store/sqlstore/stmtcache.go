package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps the send path's statements prepared. In-process SQLite
// has no round trip to save, but it parses every statement it is given:
// un-prepared, the parser was a seventh of a worker's CPU in bench send,
// for a few dozen statement texts run hundreds of thousands of times.
// database/sql prepares a cached *sql.Stmt once per pooled connection and
// reuses it, in a transaction too (Tx.StmtContext). PostgreSQL's driver
// keeps its own statement cache per connection, so the cache is used on
// SQLite only. Texts that vary with their arguments (IN lists) are cached
// up to maxCached statements; past that they run un-prepared.
type stmtCache struct {
	mu     sync.Mutex
	m      map[string]*sql.Stmt // nil value: being prepared
	closed bool
}

const maxCached = 256

// stmt returns the prepared statement of query, or nil when it is not
// cached (yet): PostgreSQL, a full cache, or a failed prepare, which then
// surfaces when the query runs un-prepared. A statement is prepared on
// the store's handle, which takes a pooled connection: inTx callers hold
// one already, and waiting there for another could starve the pool, so
// their miss prepares in the background and runs un-prepared this once.
// The lock is never held while preparing.
func (s *Store) stmt(ctx context.Context, query string, inTx bool) *sql.Stmt {
	if s.dialect.Name != SQLite {
		return nil
	}
	c := &s.stmts
	c.mu.Lock()
	st, ok := c.m[query]
	if ok || c.closed || len(c.m) >= maxCached {
		c.mu.Unlock()
		return st
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = nil
	// The handle is read under the lock: Close marks the cache closed
	// (under it) before it drops the handle, so a background prepare that
	// outlives the store sees a closed *sql.DB, never a nil one.
	db := s.db
	c.mu.Unlock()
	if inTx {
		go s.prepare(context.WithoutCancel(ctx), db, query)
		return nil
	}
	return s.prepare(ctx, db, query)
}

func (s *Store) prepare(ctx context.Context, db *sql.DB, query string) *sql.Stmt {
	st, err := db.PrepareContext(ctx, query)
	c := &s.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case err != nil:
		delete(c.m, query) // tried again on a later call (a no-op once closed)
		return nil
	case c.closed:
		st.Close()
		return nil
	}
	c.m[query] = st
	return st
}

// closeStmts closes the cached statements (Close).
func (s *Store) closeStmts() {
	c := &s.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		if st != nil {
			st.Close()
		}
	}
	c.m, c.closed = nil, true
}

// cachedQuerier runs queries through the statement cache, on the store's
// handle (tx nil) or in tx.
type cachedQuerier struct {
	s  *Store
	tx *sql.Tx
}

// cq is the store's querier on the statement cache; tx may be nil.
func (s *Store) cq(tx *sql.Tx) cachedQuerier { return cachedQuerier{s, tx} }

func (q cachedQuerier) prepared(ctx context.Context, query string) *sql.Stmt {
	st := q.s.stmt(ctx, query, q.tx != nil)
	if st == nil || q.tx == nil {
		return st
	}
	return q.tx.StmtContext(ctx, st)
}

// QueryContext implements querier.
func (q cachedQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := q.prepared(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	if q.tx != nil {
		return q.tx.QueryContext(ctx, query, args...)
	}
	return q.s.db.QueryContext(ctx, query, args...)
}

// QueryRowContext is QueryContext for one row.
func (q cachedQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := q.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	if q.tx != nil {
		return q.tx.QueryRowContext(ctx, query, args...)
	}
	return q.s.db.QueryRowContext(ctx, query, args...)
}

// ExecContext runs a statement that returns no rows.
func (q cachedQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := q.prepared(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	if q.tx != nil {
		return q.tx.ExecContext(ctx, query, args...)
	}
	return q.s.db.ExecContext(ctx, query, args...)
}
