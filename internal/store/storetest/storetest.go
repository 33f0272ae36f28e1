// Package storetest is the conformance suite both storage engines must pass,
// and helpers that give any test a fresh database on each engine.
//
// SQLite always runs (a new file per test). PostgreSQL runs when
// CHORUS_TEST_POSTGRES_DSN is set, in a fresh schema per test that is dropped
// afterwards; otherwise the PostgreSQL subtests skip with a message.
package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx" for schema setup

	"github.com/chorusmkt/chorus/internal/store"
)

// EnvPostgresDSN names the variable that enables PostgreSQL tests.
const EnvPostgresDSN = "CHORUS_TEST_POSTGRES_DSN"

// WALSize is the size of the write-ahead log of the SQLite database file
// db, 0 when there is none.
func WALSize(t testing.TB, db string) int64 {
	t.Helper()
	fi, err := os.Stat(db + "-wal")
	if errors.Is(err, os.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// OpenSQLite returns a migrated SQLite store in a temporary file.
func OpenSQLite(t testing.TB) *store.DB {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "chorus.db"))
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// PostgresDSN returns a DSN for a fresh, empty schema, or skips the test
// when CHORUS_TEST_POSTGRES_DSN is unset.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgresDSN)
	if base == "" {
		t.Skipf("PostgreSQL tests skipped: set %s (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run them", EnvPostgresDSN)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	schema := fmt.Sprintf("chorus_t_%d", rand.Uint64()>>1)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("postgres: create schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("postgres: bad %s: %v", EnvPostgresDSN, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// OpenPostgres returns a migrated PostgreSQL store in a fresh schema, or
// skips the test when no PostgreSQL is configured.
func OpenPostgres(t testing.TB) *store.DB {
	t.Helper()
	s, err := store.Open(context.Background(), PostgresDSN(t))
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Engines runs fn once per engine as subtests "sqlite" and "postgres".
func Engines(t *testing.T, fn func(t *testing.T, s store.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, OpenSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, OpenPostgres(t)) })
}
