package sqlstore_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/store/sqlite"
	"github.com/chorusmkt/chorus/internal/store/sqlstore"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// TestBulkLoadRestartsLog checks that a long bulk load keeps its log
// bounded: with a bound of 4 MB, passed by every commit of 50,000 events,
// the log after three commits is no bigger than after the first (deferred
// without a bound, it would hold all three), every event is stored, and
// the log is truncated at the end.
func TestBulkLoadRestartsLog(t *testing.T) {
	defer sqlstore.SetBulkMaxLog(4 << 20)()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "chorus.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	const per, commits = 50000, 3
	var sizes []int64
	err = s.BulkLoad(ctx, func(ctx context.Context) error {
		for c := range commits {
			es := make([]event.Event, per)
			for i := range es {
				k := c*per + i
				es[i] = event.Event{CustomerID: fmt.Sprintf("c%d", k%2003), Type: event.Purchase, SKU: fmt.Sprintf("SKU-%d", k%401),
					Quantity: 1, Amount: 12.5, Currency: "CNY", OrderID: fmt.Sprintf("o%d", k/3), OccurredAt: t0.Add(time.Duration(k) * time.Second)}
			}
			if n, err := s.InsertEvents(ctx, es); err != nil || n.Inserted != per {
				return fmt.Errorf("commit %d: %+v, %v", c, n, err)
			}
			sizes = append(sizes, storetest.WALSize(t, path))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("log after each commit: %v bytes", sizes)
	if sizes[0] == 0 {
		t.Fatal("the first commit wrote no log")
	}
	if last := sizes[len(sizes)-1]; last > sizes[0]*5/4 {
		t.Errorf("the log grew from %d to %d bytes over %d commits: it was not restarted", sizes[0], last, commits)
	}
	if n := storetest.WALSize(t, path); n != 0 {
		t.Errorf("log is %d bytes after the load, want it truncated", n)
	}
	if n, err := s.CountEvents(ctx, event.Filter{}); err != nil || n != per*commits {
		t.Fatalf("stored %d events (%v), want %d", n, err, per*commits)
	}
}
