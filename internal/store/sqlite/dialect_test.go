package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// A real read-only database's write error is Unavailable with a message
// that says what to check (exit status 69, not an internal failure).
func TestClassifyReadOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "chorus.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, werr := db.ExecContext(ctx, `INSERT INTO customers (id, created_at, updated_at) VALUES ('x', 1, 1)`)
	if werr == nil {
		t.Fatal("a read-only database took a write")
	}
	k, msg, ok := classify(werr)
	if !ok || k != apperr.Unavailable || msg == "" {
		t.Errorf("classify(%v) = %s %q %v", werr, k, msg, ok)
	}
	if _, _, ok := classify(errors.New("plain")); ok {
		t.Error("a plain error was classified")
	}
}
