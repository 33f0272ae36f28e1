package campaignbench

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/delivery/deliverytest"
	"github.com/chorusmkt/chorus/internal/store"
)

// The probe campaign goes through the real send path and gives one
// template per language; the raw loop sends them again, like for like,
// under its own Message-IDs.
func TestProbeAndRawLoop(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dsn := filepath.Join(dir, "chorus.db")
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfgPath := filepath.Join(dir, "chorus.yaml")
	if err := os.WriteFile(cfgPath, []byte(`db: "`+dsn+`"
delivery:
  email:
    smtp: "smtp://127.0.0.1:1?tls=none"
    from: "Bench Shop <news@bench.example>"
tracking:
  base_url: "https://t.bench.example"
  secret: "campaign-bench-secret-0123456789abcdef"
queue:
  poll_interval: 50ms
`), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgPath, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	ts, err := probe(ctx, cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "zh"} {
		tm, ok := ts[lang]
		if !ok {
			t.Fatalf("no %s template: %v", lang, ts)
		}
		if !strings.HasPrefix(tm.unsubscribe, "https://t.bench.example/") || !strings.Contains(tm.html, "https://t.bench.example/") {
			t.Errorf("%s: the probe's mail lacks its tracking links: %q", lang, tm.unsubscribe)
		}
	}
	sink, err := deliverytest.NewSMTPServer()
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	if _, err := rawLoop(ctx, sink.Addr, 40, 2, ts, rawBeforePrefix); err != nil {
		t.Fatal(err)
	}
	ids := sink.IDs()
	if len(ids) != 40 {
		t.Fatalf("sink holds %d distinct Message-IDs, want 40", len(ids))
	}
	for id := range ids {
		if !strings.HasPrefix(id, rawBeforePrefix) {
			t.Errorf("Message-ID %q lacks the loop's prefix", id)
		}
	}
}
