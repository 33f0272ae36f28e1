package store_test

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/chorusmkt/chorus/internal/store/sqlite"
	"github.com/chorusmkt/chorus/internal/store/sqlstore"
)

// Items stored before migration 0009 were all machine generated: the
// migration marks them so.
func TestContentAIGeneratedMigration(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := sqlstore.New(db, sqlstore.SQLiteDialect, nil)
	all := sqlite.Migrations()
	before := fstest.MapFS{}
	names, _ := fs.Glob(all, "*.sql")
	for _, n := range names {
		if n >= "0009" {
			continue
		}
		b, err := fs.ReadFile(all, n)
		if err != nil {
			t.Fatal(err)
		}
		before[n] = &fstest.MapFile{Data: b}
	}
	if _, err := s.Migrate(ctx, before); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO content_items (id, run_id, unit_key, channel, status, created_at, updated_at)
		VALUES ('ci_old', 'run_0', 'u0', 'sms', 'approved', 1, 1)`); err != nil {
		t.Fatal(err)
	}
	applied, err := s.Migrate(ctx, all)
	if err != nil || len(applied) == 0 || applied[0] != "0009_content_ai_generated.sql" {
		t.Fatalf("applied %v, %v", applied, err)
	}
	it, err := s.GetItem(ctx, "ci_old")
	if err != nil || !it.AIGenerated {
		t.Fatalf("old item = %+v, %v; want ai_generated", it, err)
	}
}
