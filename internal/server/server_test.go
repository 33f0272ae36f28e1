package server

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/store"
)

// testStore is a real SQLite store in a temporary folder (closed when the
// test ends) and a configuration naming it, on a free loopback port.
func testStore(t *testing.T) (config.Config, store.Store) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "chorus.db")
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := config.Default()
	cfg.DB, cfg.Server.Addr = db, "127.0.0.1:0"
	cfg.Tracking.Secret = "0123456789abcdef0123456789abcdef"
	return cfg, st
}

// TestStartStop starts a server on a free port of a real SQLite store,
// finds it ready (store, migrations and queue probes), stops it twice (the
// second Stop is a no-op with the same result) and finds the port closed.
func TestStartStop(t *testing.T) {
	ctx := context.Background()
	cfg, st := testStore(t)
	var out, log bytes.Buffer
	s := New(cfg, st, Options{Out: &out, Log: &log})
	if err := s.Start(ctx); err != nil {
		t.Fatalf("Start: %v\n%s", err, log.String())
	}
	url := "http://" + s.Addr().String()
	if !strings.Contains(out.String(), "listening on "+url) {
		t.Errorf("announced %q, want %s", out.String(), url)
	}
	resp, err := http.Get(url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz: %d %v", resp.StatusCode, body)
	}
	if err := s.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := s.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("the server still answers after Stop")
	}
}

// TestStartRefusesBusyPort: a port in use is Unavailable, naming the
// setting, and what Start had wired is stopped (Stop after it is a no-op).
func TestStartRefusesBusyPort(t *testing.T) {
	ctx := context.Background()
	cfg, st := testStore(t)
	first := New(cfg, st, Options{})
	if err := first.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer first.Stop()
	cfg.Server.Addr = first.Addr().String()
	s := New(cfg, st, Options{})
	err := s.Start(ctx)
	if err == nil || !strings.Contains(err.Error(), "server.addr") {
		t.Fatalf("Start on a busy port: %v", err)
	}
	if err := s.Stop(); err != nil {
		t.Errorf("Stop after a failed Start: %v", err)
	}
}

// TestDefaultBaseURL points links at a local address only when none is
// set and the port is fixed.
func TestDefaultBaseURL(t *testing.T) {
	for _, c := range []struct{ addr, base, want string }{
		{":8080", "", "http://127.0.0.1:8080"},
		{"0.0.0.0:9000", "", "http://127.0.0.1:9000"},
		{"10.0.0.2:9000", "", "http://10.0.0.2:9000"},
		{"127.0.0.1:0", "", ""},
		{":8080", "https://shop.example", "https://shop.example"},
	} {
		cfg := config.Default()
		cfg.Server.Addr, cfg.Tracking.BaseURL = c.addr, c.base
		note := DefaultBaseURL(&cfg)
		if cfg.Tracking.BaseURL != c.want || (note != "") != (c.base == "" && c.want != "") {
			t.Errorf("%s %q: base %q note %q, want base %q", c.addr, c.base, cfg.Tracking.BaseURL, note, c.want)
		}
	}
}
