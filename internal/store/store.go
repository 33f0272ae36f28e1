// Package store opens the storage engine named by a DSN and states the
// contract both engines meet. A DSN starting with postgres:// or
// postgresql:// selects PostgreSQL; anything else is a SQLite file path
// (optionally prefixed sqlite:).
package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/recommend"
	"github.com/chorusmkt/chorus/internal/segment"
	"github.com/chorusmkt/chorus/internal/shop"
	"github.com/chorusmkt/chorus/internal/store/postgres"
	"github.com/chorusmkt/chorus/internal/store/sqlite"
	"github.com/chorusmkt/chorus/internal/support"
)

// Store is everything the domain packages need from persistence. Both
// engines implement it; store/storetest proves they behave the same.
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
	// ItemsByID returns the content items of ids that exist.
	ItemsByID(ctx context.Context, ids []string) (map[string]content.Item, error)
	shop.Store
	shop.EvidenceSource
	segment.ContactLog
	support.Store
	// Engine is "sqlite" or "postgres".
	Engine() string
	// DB is the shared handle for packages that keep their own tables.
	DB() *sql.DB
	// Tx runs fn in one transaction, committing when it returns nil.
	Tx(ctx context.Context, fn func(*sql.Tx) error) error
	Close() error
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens and migrates the database named by dsn.
func Open(ctx context.Context, dsn string) (Store, error) {
	if IsPostgres(dsn) {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.Open(ctx, dsn)
}
