// Package store opens the storage engine named by a DSN and states the
// contract both engines meet. A DSN starting with postgres:// or
// postgresql:// selects PostgreSQL; anything else is a SQLite file path
// (optionally prefixed sqlite:).
package store

import (
	"context"
	"io/fs"
	"strconv"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/idempotency"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/recommend"
	"github.com/chorusmkt/chorus/internal/segment"
	"github.com/chorusmkt/chorus/internal/shop"
	"github.com/chorusmkt/chorus/internal/store/postgres"
	"github.com/chorusmkt/chorus/internal/store/sqlite"
	"github.com/chorusmkt/chorus/internal/store/sqlstore"
	"github.com/chorusmkt/chorus/internal/support"
	"github.com/chorusmkt/chorus/internal/telemetry"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// DB is the store both engines return: the SQL of store/sqlstore over
// SQLite or PostgreSQL. Open returns it concretely; each consumer declares
// the interface it uses (importer.Store, segment.Store, app.Store, …).
type DB = sqlstore.Store

// Store is the union of the domain packages' store interfaces, which DB
// implements on both engines (store/storetest proves they behave the
// same). It is for code that hands one store to many consumers (tests,
// wiring); a consumer declares the smaller interface it uses instead.
type Store interface {
	customer.Store
	catalog.Store
	event.Store
	segment.Store
	content.Store
	llm.Store
	policy.Store
	recommend.Store
	campaign.Store
	policy.BatchStore
	tracking.Store
	tracking.ReportStore
	tracking.HitReader
	tracking.ActivityStore
	campaign.TestStore
	// ItemsByID returns the content items of ids that exist.
	ItemsByID(ctx context.Context, ids []string) (map[string]content.Item, error)
	shop.Store
	shop.EvidenceSource
	segment.ContactLog
	support.Store
	auth.Store
	// BulkLoad runs fn as one long run of writes (see sqlstore.BulkLoad).
	BulkLoad(ctx context.Context, fn func(context.Context) error) error
	// The API's idempotency keys, customer pages and the metrics' counts.
	idempotency.Store
	customer.Searcher
	customer.WindowSearcher // the console's customer pages
	telemetry.Source
	// Ping checks that the database answers; AppliedMigrations are the
	// versions it has applied (PendingMigrations).
	Ping(ctx context.Context) error
	AppliedMigrations(ctx context.Context) (map[int]bool, error)
	// Engine is "sqlite" or "postgres".
	Engine() string
	Close() error
}

var _ Store = (*DB)(nil)

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens and migrates the database named by dsn.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if IsPostgres(dsn) {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.Open(ctx, dsn)
}

// PendingMigrations are the embedded migrations of db's engine that db
// has not applied (none after Open; some when another binary's schema is
// older): what the server's readiness check reports.
func PendingMigrations(ctx context.Context, db Store) ([]string, error) {
	fsys := sqlite.Migrations()
	if db.Engine() == sqlstore.Postgres {
		fsys = postgres.Migrations()
	}
	done, err := db.AppliedMigrations(ctx)
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		num, _, _ := strings.Cut(n, "_")
		if v, err := strconv.Atoi(num); err == nil && !done[v] {
			out = append(out, n)
		}
	}
	return out, nil
}

// CheckMigrations is nil when db has applied every embedded migration of
// its engine, else Unavailable naming the ones it has not (a binary newer
// than the schema: run chorus migrate). A server checks it before it
// starts and in its readiness probe.
func CheckMigrations(ctx context.Context, db Store) error {
	pending, err := PendingMigrations(ctx, db)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return apperr.New(apperr.Unavailable, "migrations not applied: %s (chorus migrate)", strings.Join(pending, ", "))
	}
	return nil
}
