package store_test

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

func TestOpenScratch(t *testing.T) {
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		home := storetest.OpenSQLite(t) // the database dsn names: must stay empty
		s, drop, err := store.OpenScratch(ctx, "chorus.db")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpsertCustomers(ctx, []customer.Customer{{ID: "x"}}); err != nil {
			t.Fatal(err)
		}
		var path string
		if err := s.DB().QueryRowContext(ctx, `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(path, "chorus-scratch-") {
			t.Fatalf("scratch file %s", path)
		}
		if err := drop(); err != nil || drop() != nil {
			t.Fatalf("drop: %v", err)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Fatalf("scratch file left behind: %v", err)
		}
		if _, err := os.Stat("chorus.db"); !os.IsNotExist(err) {
			t.Fatalf("chorus.db was created in the working directory: %v", err)
		}
		if n, _ := home.CountCustomers(ctx); n != 0 {
			t.Fatalf("home database has %d customers", n)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		home, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer home.Close()
		s, drop, err := store.OpenScratch(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpsertCustomers(ctx, []customer.Customer{{ID: "x"}}); err != nil {
			t.Fatal(err)
		}
		var schema string
		if err := s.DB().QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil || !strings.HasPrefix(schema, "chorus_scratch_") {
			t.Fatalf("scratch schema %q, %v", schema, err)
		}
		if n, _ := home.CountCustomers(ctx); n != 0 {
			t.Fatalf("home schema has %d customers", n)
		}
		if err := drop(); err != nil || drop() != nil {
			t.Fatalf("drop: %v", err)
		}
		var left sql.NullString
		err = home.DB().QueryRowContext(ctx, `SELECT nspname FROM pg_namespace WHERE nspname = $1`, schema).Scan(&left)
		if err != sql.ErrNoRows {
			t.Fatalf("schema %s left behind: %v", schema, err)
		}
	})
}
