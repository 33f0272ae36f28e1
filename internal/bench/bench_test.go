package bench

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/store"
)

// TestOnStore runs fn on the configured SQLite database, which it
// creates and migrates, and returns fn's result and error.
func TestOnStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bench.db")
	env := Env{Config: config.Config{DB: path}}
	engine, err := OnStore(ctx, env, func(st store.Store) (string, error) { return st.Engine(), nil })
	if err != nil || engine != "sqlite" {
		t.Fatalf("OnStore = %q, %v; want sqlite", engine, err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the configured database was not created: %v", err)
	}
	boom := errors.New("boom")
	if _, err := OnStore(ctx, env, func(store.Store) (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Errorf("OnStore error = %v; want fn's", err)
	}
}

// TestScratch leaves the configured database alone: the scratch one is
// elsewhere and gone after drop.
func TestScratch(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "configured.db")
	env := Env{Config: config.Config{DB: path}}
	st, drop, err := env.Scratch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Engine() != "sqlite" {
		t.Errorf("scratch engine %q", st.Engine())
	}
	if err := drop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the configured database was touched: %v", err)
	}
	n, err := OnScratch(ctx, "", func(st store.Store) (int, error) { return 7, nil })
	if err != nil || n != 7 {
		t.Errorf("OnScratch = %d, %v; want 7", n, err)
	}
}
