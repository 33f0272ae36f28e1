package apibench_test

import (
	"context"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/httpapi/apibench"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

func sqliteOpener(t testing.TB) apibench.Opener {
	return func(ctx context.Context) (store.Store, func() error, error) {
		st := storetest.OpenSQLite(t)
		return st, func() error { return nil }, nil
	}
}

// TestRun: a small run stores every event once and reports both rates.
func TestRun(t *testing.T) {
	rep, err := apibench.Run(context.Background(), sqliteOpener(t), apibench.Options{Batch: 500, Batches: 3, Customers: 300, Rounds: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stored != 2*1500 {
		t.Errorf("stored %d events, want %d", rep.Stored, 3000)
	}
	if rep.APIPerSecond <= 0 || rep.BasePerSecond <= 0 || rep.Ratio <= 0 || len(rep.APISeconds) != 2 || len(rep.BaselineSeconds) != 2 {
		t.Errorf("report %+v", rep)
	}
}

// BenchmarkEventIngest: POST /v1/events/batch of 5,000 events over
// loopback into SQLite (auth, decode, importer, bulk insert, segments),
// reported as events/s, with the store's own InsertEvents of the same
// batches as the baseline in the same run (baseline-events/s, ratio).
func BenchmarkEventIngest(b *testing.B) {
	ctx := context.Background()
	rig, err := apibench.NewRig(ctx, storetest.OpenSQLite(b))
	if err != nil {
		b.Fatal(err)
	}
	defer rig.Close()
	base := storetest.OpenSQLite(b)
	const batch = 5000
	var apiNS, baseNS int64
	round := 0
	for b.Loop() {
		es := apibench.Batches(apibench.Options{Batch: batch, Batches: 1}, round)[0]
		round++
		body, err := apibench.Body(es)
		if err != nil {
			b.Fatal(err)
		}
		t0 := nowNS()
		if err := rig.Post(ctx, body, batch); err != nil {
			b.Fatal(err)
		}
		t1 := nowNS()
		if _, err := base.InsertEvents(ctx, es); err != nil {
			b.Fatal(err)
		}
		apiNS += t1 - t0
		baseNS += nowNS() - t1
	}
	n := float64(b.N * batch)
	api, bl := n/(float64(apiNS)/1e9), n/(float64(baseNS)/1e9)
	b.ReportMetric(api, "events/s")
	b.ReportMetric(bl, "baseline-events/s")
	b.ReportMetric(api/bl, "ratio")
	if c, err := rig.Store.CountEvents(ctx, event.Filter{}); err != nil || c != b.N*batch {
		b.Fatalf("stored %d (%v), want %d", c, err, b.N*batch)
	}
}

func nowNS() int64 { return time.Now().UnixNano() }
