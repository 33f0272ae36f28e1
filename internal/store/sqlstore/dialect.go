package sqlstore

import (
	"github.com/chorusmkt/chorus/internal/apperr"
)

// Dialect is what differs between the engines for the shared SQL: one
// value per engine (the engine packages pass theirs to New) instead of
// checks of an engine name at each query.
type Dialect struct {
	// Name is "sqlite" or "postgres" (Store.Engine).
	Name string
	// AnonymousParams writes the VALUES rows of multi-row statements with
	// "?" instead of "$N": SQLite resolves each numbered parameter with a
	// linear scan, which is quadratic for a statement of hundreds of rows.
	AnonymousParams bool
	// InsertOrIgnore skips rows whose key exists with INSERT OR IGNORE
	// instead of ON CONFLICT DO NOTHING: SQLite then keeps no statement
	// journal (see insertEventsSQL).
	InsertOrIgnore bool
	// PackedRows reads a scan's text columns as one JSON array, which
	// halves SQLite's per-column driver cost (see ScanEvents).
	PackedRows bool
	// RowLocks: SELECT … FOR UPDATE holds a row for the transaction
	// (PostgreSQL); without it the transaction's write lock already
	// serialises writers (SQLite's BEGIN IMMEDIATE).
	RowLocks bool
	// DeferredCheckpoints: a bulk load holds one connection with the
	// write-ahead log's automatic checkpoints off (SQLite, see BulkLoad).
	DeferredCheckpoints bool
	// RowByRowUpdates writes a batch of per-row updates as one prepared
	// single-row statement run per row rather than one UPDATE … FROM
	// (VALUES …): in-process SQLite has no round trip to save, and
	// parsing a VALUES update of hundreds of parameters costs more than
	// running the rows (it was a fifth of a worker's CPU in bench send).
	RowByRowUpdates bool
	// Classify gives a driver error that no layer has given a kind the
	// kind and the message a person should read (a read-only database, a
	// full disk, a lost connection); ok is false when it does not know it.
	Classify func(err error) (kind apperr.Kind, msg string, ok bool)
}

// The dialects of the two engines. The engine packages set Classify.
var (
	SQLiteDialect   = Dialect{Name: SQLite, AnonymousParams: true, InsertOrIgnore: true, PackedRows: true, DeferredCheckpoints: true, RowByRowUpdates: true}
	PostgresDialect = Dialect{Name: Postgres, RowLocks: true}
)

// wrap records the operation on *errp (apperr.Wrapf) and gives a driver
// error the kind its dialect knows for it, so that a read-only database
// or a lost connection is Unavailable rather than Internal.
func (s *Store) wrap(errp *error, format string, args ...any) {
	if *errp == nil {
		return
	}
	if !apperr.Has(*errp) && s.dialect.Classify != nil {
		if k, msg, ok := s.dialect.Classify(*errp); ok {
			*errp = apperr.Wrap(*errp, k, "%s", msg)
		}
	}
	apperr.Wrapf(errp, format, args...)
}
