// Package postgres is the scale-out storage engine: a shared PostgreSQL
// database that several Chorus processes use at once. Queries are shared
// with SQLite through sqlstore; bulk event loads use COPY into a temporary
// table followed by one INSERT … ON CONFLICT DO NOTHING.
package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations returns the embedded migrations, rooted at their directory.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return sub
}

// minPoolConns is the store's connection pool size unless the DSN names
// one (pool_max_conns).
const minPoolConns = 16

// Open connects to the database named by dsn (postgres://…) and migrates it.
// Concurrent migrations from several processes are serialised with an
// advisory lock.
func Open(ctx context.Context, dsn string) (*sqlstore.Store, error) {
	pc, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "postgres: bad DSN (set --db or CHORUS_DB)")
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		// pgxpool's default is max(4, CPUs); a worker works queue.workers
		// jobs (8) at once, each with its own transactions and reads, so
		// with 4 they queued for a connection (seen in bench send's block
		// profile)
		pc.MaxConns = max(pc.MaxConns, minPoolConns)
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "postgres: bad DSN (set --db or CHORUS_DB)")
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, apperr.Wrap(err, apperr.Unavailable, "postgres: cannot connect (check --db / CHORUS_DB)")
	}
	db := stdlib.OpenDBFromPool(pool)
	p := &copier{pool: pool}
	s := sqlstore.New(db, dialect, p.insertEvents, func() error { pool.Close(); return nil })
	conn, err := pool.Acquire(ctx)
	if err != nil {
		s.Close()
		return nil, apperr.Wrap(err, apperr.Unavailable, "postgres: acquire")
	}
	defer conn.Release()
	const lockID = 0x63686f727573 // "chorus"
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, lockID); err != nil {
		s.Close()
		return nil, apperr.Wrap(err, apperr.Unavailable, "postgres: migration lock")
	}
	_, merr := s.Migrate(ctx, Migrations())
	_, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, lockID)
	if merr != nil {
		s.Close()
		return nil, fmt.Errorf("postgres: %w", merr)
	}
	return s, nil
}

type copier struct{ pool *pgxpool.Pool }

// insertEvents copies es into a temporary table and moves the rows whose
// key is new into events, in one transaction. Rows keep their order in es
// (ord), so ids are assigned in input order as on SQLite.
func (c *copier) insertEvents(ctx context.Context, es []event.Event) (int, error) {
	tx, err := c.pool.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE events_load ON COMMIT DROP AS SELECT 0::int AS ord, `+sqlstore.EventCols+` FROM events WITH NO DATA`); err != nil {
		return 0, err
	}
	cols := []string{"ord", "dedup_key", "customer_id", "type", "sku", "quantity", "amount", "currency", "order_id", "channel", "campaign", "occurred_at", "properties"}
	i := 0
	row := make([]any, 0, len(cols))
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(es) {
			return nil, nil
		}
		row = append(append(row[:0], int32(i)), sqlstore.EventRow(es[i])...)
		i++
		return row, nil
	})
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"events_load"}, cols, src); err != nil {
		return 0, err
	}
	// DISTINCT ON keeps the first row per key when a batch repeats a key.
	tag, err := tx.Exec(ctx, `INSERT INTO events (`+sqlstore.EventCols+`)
		SELECT `+sqlstore.EventCols+` FROM (
			SELECT DISTINCT ON (occurred_at, dedup_key) * FROM events_load ORDER BY occurred_at, dedup_key, ord
		) d ORDER BY ord
		ON CONFLICT `+sqlstore.EventConflict+` DO NOTHING`)
	if err != nil {
		return 0, err
	}
	if tag.RowsAffected() > 0 {
		// the saved segments follow these customers (segment_pending,
		// sqlstore's markPending), in this transaction
		if _, err := tx.Exec(ctx, `INSERT INTO segment_pending (customer_id, seq)
			SELECT DISTINCT customer_id, 1 FROM events_load WHERE customer_id IS NOT NULL AND customer_id <> ''
			AND EXISTS (SELECT 1 FROM segments)
			ON CONFLICT (customer_id) DO UPDATE SET seq = segment_pending.seq + 1`); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, err
	}
	return int(tag.RowsAffected()), nil
}

// CreateScratchSchema creates an empty schema with a random name in the
// database dsn names and returns a DSN that works in it (its search_path)
// and a function that drops it with everything in it. It is for
// benchmarks, which must not touch the data in the database they are
// pointed at.
func CreateScratchSchema(ctx context.Context, dsn string) (scratchDSN string, drop func(context.Context) error, err error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", nil, apperr.Wrap(err, apperr.Invalid, "postgres: bad DSN (set --db or CHORUS_DB)")
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", nil, apperr.Wrap(err, apperr.Unavailable, "postgres: cannot connect (check --db / CHORUS_DB)")
	}
	defer conn.Close(context.WithoutCancel(ctx))
	schema := fmt.Sprintf("chorus_scratch_%016x", rand.Uint64())
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		return "", nil, apperr.Wrap(err, apperr.Unavailable, "postgres: create schema %s", schema)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	drop = func(ctx context.Context) error {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return apperr.Wrap(err, apperr.Unavailable, "postgres: drop schema %s", schema)
		}
		defer conn.Close(context.WithoutCancel(ctx))
		if _, err := conn.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			return apperr.Wrap(err, apperr.Unavailable, "postgres: drop schema %s", schema)
		}
		return nil
	}
	return u.String(), drop, nil
}
