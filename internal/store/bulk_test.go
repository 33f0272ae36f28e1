package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

func bulkEvents(from, n int) []event.Event {
	es := make([]event.Event, n)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range es {
		k := from + i
		es[i] = event.Event{CustomerID: fmt.Sprintf("c%d", k%977), Type: event.Purchase, SKU: fmt.Sprintf("SKU-%d", k%311),
			Quantity: 1, Amount: 9.5, Currency: "GBP", OrderID: fmt.Sprintf("o%d", k/3), OccurredAt: t0.Add(time.Duration(k) * time.Second)}
	}
	return es
}

// TestBulkLoadSQLite checks that a bulk load on SQLite defers checkpoints
// (the log grows past SQLite's 1,000-page threshold), truncates the log at
// the end, keeps every row, and leaves the store working when fn fails.
func TestBulkLoadSQLite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "chorus.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	bl := st
	// Two connections: the load holds one, the other serves its reads,
	// and at the end both are checked for SQLite's default again.
	db := st.DB()
	db.SetMaxOpenConns(2)
	const batches, per = 12, 10000
	var inWAL int64
	err = bl.BulkLoad(ctx, func(ctx context.Context) error {
		for b := range batches {
			c, err := st.InsertEvents(ctx, bulkEvents(b*per, per))
			if err != nil {
				return err
			}
			if c.Inserted != per {
				return fmt.Errorf("batch %d: inserted %d, want %d", b, c.Inserted, per)
			}
		}
		inWAL = storetest.WALSize(t, path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// SQLite's default checkpoints once the log passes 1,000 pages, so the
	// log stays near 4 MB plus one commit; deferred, it holds every commit
	// of the load (two of 50,000 events here).
	if limit := int64(2 * 1000 * 4096); inWAL <= limit {
		t.Errorf("log was %d bytes during the load: checkpoints were not deferred", inWAL)
	}
	if n := storetest.WALSize(t, path); n != 0 {
		t.Errorf("log is %d bytes after the load, want it truncated", n)
	}
	if n, err := st.CountEvents(ctx, event.Filter{}); err != nil || n != batches*per {
		t.Fatalf("stored %d events (%v), want %d", n, err, batches*per)
	}

	// A failing load returns its error; what it committed stays, and the
	// connection goes back to the pool in working order.
	boom := errors.New("boom")
	err = bl.BulkLoad(ctx, func(ctx context.Context) error {
		if _, err := st.InsertEvents(ctx, bulkEvents(batches*per, 10)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("BulkLoad = %v, want %v", err, boom)
	}
	if c, err := st.InsertEvents(ctx, bulkEvents(0, 20)); err != nil || c.Duplicates != 20 {
		t.Fatalf("after a failed load: %+v, %v", c, err)
	}
	if n, err := st.CountEvents(ctx, event.Filter{}); err != nil || n != batches*per+10 {
		t.Fatalf("stored %d events (%v), want %d", n, err, batches*per+10)
	}
	var conns []*sql.Conn
	for range 2 {
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	for i, c := range conns {
		var ckpt int
		if err := c.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&ckpt); err != nil || ckpt != 1000 {
			t.Errorf("wal_autocheckpoint = %d (%v) on pooled connection %d, want 1000", ckpt, err, i)
		}
	}
}

// An in-memory database has a pool of one connection: a bulk load must
// not take it away from the load's own reads.
func TestBulkLoadInMemory(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	bl := st
	done := make(chan error, 1)
	go func() {
		done <- bl.BulkLoad(ctx, func(ctx context.Context) error {
			if _, err := st.InsertEvents(ctx, bulkEvents(0, 100)); err != nil {
				return err
			}
			_, err := st.CountEvents(ctx, event.Filter{}) // a read through the pool
			return err
		})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a bulk load on an in-memory database hangs")
	}
}
