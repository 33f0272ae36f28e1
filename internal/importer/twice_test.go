package importer_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chorusmkt/chorus/internal/importer"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// A JSONL line naming one field twice (customer_id and its alias user_id)
// is rejected, as a CSV header that does is refused: which value won used
// to be the map's order, a different customer from run to run. A line
// with one of them is stored.
func TestEventsJSONLFieldTwice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	if err := os.WriteFile(path, []byte(`{"customer_id":"c1","user_id":"c2","type":"view","sku":"A-1","occurred_at":"2024-03-01 10:00:00"}
{"user_id":"c3","type":"view","sku":"B-1","occurred_at":"2024-03-01 10:00:00"}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		st := storetest.OpenSQLite(t)
		sum, rejects := run(t, st, importer.Options{Entity: "events", Path: path})
		counts(t, sum, 2, 1, 0, 0, 1)
		checkRejects(t, rejects, want{1: `keys "customer_id" and "user_id" both map to customer_id; keep one, or drop one with --map "user_id"=-`})
		if by := eventsBy(t, st); len(by["B-1"]) != 1 || by["B-1"][0].CustomerID != "c3" {
			t.Fatalf("the line with one name: %+v", by["B-1"])
		}
	}
}
