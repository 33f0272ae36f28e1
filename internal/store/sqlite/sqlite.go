// Package sqlite is the embedded storage engine: one file, no server, the
// default. It opens the file with settings for a single-writer workload
// (WAL, busy timeout, foreign keys) and applies the embedded migrations.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/store/sqlstore"
	_ "modernc.org/sqlite" // database/sql driver "sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Open opens (creating if needed) the SQLite database at path and migrates
// it. path may be ":memory:" for a private in-memory database.
func Open(ctx context.Context, path string) (*sqlstore.Store, error) {
	path = strings.TrimPrefix(strings.TrimPrefix(path, "sqlite://"), "sqlite:")
	if path == "" {
		return nil, apperr.New(apperr.Invalid, "sqlite: empty database path")
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "synchronous(NORMAL)", "foreign_keys(ON)", "cache_size(-16384)", "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	if path == ":memory:" {
		// every pooled connection would otherwise see its own empty database
		dsn = "file::memory:?cache=shared&" + q.Encode()
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "sqlite: open %s", path)
	}
	// WAL lets readers run beside the one writer, so a scan may run while its
	// callback queries; writers queue on the busy timeout because every
	// transaction begins IMMEDIATE. An in-memory database is per connection
	// unless shared, and a shared one locks tables, so it gets one connection.
	if path == ":memory:" {
		db.SetMaxOpenConns(1)
	} else {
		db.SetMaxOpenConns(4)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, apperr.Wrap(err, apperr.Unavailable, "sqlite: open %s", path)
	}
	s := sqlstore.New(db, dialect, nil)
	if path != ":memory:" {
		s.SetRawWriter(func() (sqlstore.RawWriter, error) { return openRaw(path) })
	}
	if _, err := s.Migrate(ctx, Migrations()); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	return s, nil
}

// Migrations returns the embedded migrations, rooted at their directory.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return sub
}
