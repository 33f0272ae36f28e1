package tracking

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// memHits is an in-memory HitStore that can be made to fail; the real
// stores are tested by storetest.RunTracking.
type memHits struct {
	mu        sync.Mutex
	hits      map[int64]Hit
	order     []int64
	sends     map[int64]SendRef
	lookups   int
	failing   bool
	perHit    time.Duration // how long InsertHits takes per hit
	committed []time.Time   // time of each successful InsertHits
}

func newMemHits() *memHits {
	return &memHits{hits: map[int64]Hit{}, sends: map[int64]SendRef{
		1: {ID: 1, Campaign: "double11", CustomerID: "c1", Channel: "email", Variant: "A"},
		2: {ID: 2, Campaign: "double11", CustomerID: "c2", Channel: "email", Variant: "B"},
	}}
}

func (m *memHits) Sends(_ context.Context, ids []int64) (map[int64]SendRef, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lookups++
	if m.failing {
		return nil, apperr.New(apperr.Unavailable, "database is down")
	}
	out := map[int64]SendRef{}
	for _, id := range ids {
		if s, ok := m.sends[id]; ok {
			out[id] = s
		}
	}
	return out, nil
}

func (m *memHits) InsertHits(_ context.Context, hs []Hit) (int, error) {
	m.mu.Lock()
	d := m.perHit * time.Duration(len(hs))
	m.mu.Unlock()
	time.Sleep(d)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failing {
		return 0, apperr.New(apperr.Unavailable, "database is down")
	}
	n := 0
	for _, h := range hs {
		if _, ok := m.hits[h.Key]; ok {
			continue
		}
		m.hits[h.Key] = h
		m.order = append(m.order, h.Key)
		n++
	}
	m.committed = append(m.committed, time.Now())
	return n, nil
}

func (m *memHits) stored() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.hits)
}

func (m *memHits) setFailing(v bool) {
	m.mu.Lock()
	m.failing = v
	m.mu.Unlock()
}

func TestRecorderWritesWithinTheInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemHits()
		r := NewRecorder(st, nil, RecorderOptions{Interval: 500 * time.Millisecond})
		ctx := t.Context()
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if err := r.Start(ctx); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("second Start: %v", err)
		}
		start := time.Now()
		for i := range 3 {
			if err := r.Record(ctx, Hit{Key: int64(10 + i), Kind: KindOpen, SendID: int64(1 + i%2), At: start}); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(400 * time.Millisecond)
		synctest.Wait()
		if n := st.stored(); n != 0 {
			t.Fatalf("%d hits stored before the first tick", n)
		}
		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
		if n := st.stored(); n != 3 {
			t.Fatalf("%d hits stored after one interval, want 3", n)
		}
		h := st.hits[10]
		if h.CustomerID != "c1" || h.Campaign != "double11" || h.Variant != "A" {
			t.Errorf("the hit was not filled from its send: %+v", h)
		}
		if st.hits[11].CustomerID != "c2" {
			t.Errorf("second send: %+v", st.hits[11])
		}
		// a second batch on the same sends needs no lookup
		lookups := st.lookups
		if err := r.Record(ctx, Hit{Key: 20, Kind: KindClick, SendID: 1, At: time.Now()}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(500 * time.Millisecond)
		synctest.Wait()
		if st.lookups != lookups {
			t.Errorf("send rows looked up again: %d → %d", lookups, st.lookups)
		}
		stats := r.Stats()
		if stats.Recorded != 4 || stats.Stored != 4 || stats.Pending != 0 || stats.MaxLag > 500*time.Millisecond {
			t.Errorf("stats: %+v", stats)
		}
		if err := r.Stop(); err != nil {
			t.Fatal(err)
		}
		if err := r.Stop(); err != nil {
			t.Errorf("second Stop: %v", err)
		}
		if err := r.Record(ctx, Hit{Key: 30}); !errors.Is(err, ErrStopped) {
			t.Errorf("Record after Stop: %v", err)
		}
	})
}

func TestRecorderKeepsHitsWhileTheStoreIsDown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemHits()
		r := NewRecorder(st, nil, RecorderOptions{Interval: 200 * time.Millisecond})
		ctx := t.Context()
		_ = r.Start(ctx)
		st.setFailing(true)
		for i := range 50 {
			_ = r.Record(ctx, Hit{Key: int64(i + 1), Kind: KindClick, SendID: 1})
		}
		time.Sleep(time.Second)
		synctest.Wait()
		if st.stored() != 0 || r.Stats().Failures < 4 || r.Stats().Pending != 50 {
			t.Fatalf("while down: stored %d, stats %+v", st.stored(), r.Stats())
		}
		st.setFailing(false)
		time.Sleep(200 * time.Millisecond)
		synctest.Wait()
		if st.stored() != 50 {
			t.Fatalf("after recovery %d stored, want 50", st.stored())
		}
		_ = r.Stop()
	})
}

func TestRecorderStopFlushesWithoutWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemHits()
		r := NewRecorder(st, nil, RecorderOptions{Interval: time.Second})
		ctx := t.Context()
		_ = r.Start(ctx)
		for i := range 25_000 { // more than one flush batch
			if err := r.Record(ctx, Hit{Key: int64(i + 1), Kind: KindOpen, SendID: 2}); err != nil {
				t.Fatal(err)
			}
		}
		begin := time.Now()
		if err := r.Stop(); err != nil {
			t.Fatal(err)
		}
		if st.stored() != 25_000 {
			t.Errorf("Stop stored %d of 25000", st.stored())
		}
		if time.Since(begin) >= time.Second {
			t.Errorf("Stop waited for the tick")
		}
	})
}

func TestRecorderFullBufferWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemHits()
		st.setFailing(true)
		r := NewRecorder(st, nil, RecorderOptions{Interval: 100 * time.Millisecond, Buffer: 10})
		ctx := t.Context()
		_ = r.Start(ctx)
		for i := range 10 {
			_ = r.Record(ctx, Hit{Key: int64(i + 1), Kind: KindOpen, SendID: 1})
		}
		done := make(chan error, 1)
		go func() { done <- r.Record(ctx, Hit{Key: 99, Kind: KindOpen, SendID: 1}) }()
		time.Sleep(time.Second)
		synctest.Wait()
		select {
		case err := <-done:
			t.Fatalf("Record returned %v with a full buffer", err)
		default:
		}
		st.setFailing(false)
		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
		if err := <-done; err != nil {
			t.Fatalf("waiting Record: %v", err)
		}
		time.Sleep(100 * time.Millisecond) // the waiting hit is written too
		synctest.Wait()
		// a waiting Record gives up when its request ends
		st.setFailing(true)
		for i := range 10 {
			_ = r.Record(ctx, Hit{Key: int64(200 + i), Kind: KindOpen, SendID: 1})
		}
		cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		if err := r.Record(cctx, Hit{Key: 300, Kind: KindOpen, SendID: 1}); !apperr.Is(err, apperr.Unavailable) {
			t.Errorf("Record with a full buffer and an ended request: %v", err)
		}
		st.setFailing(false)
		_ = r.Stop()
		if st.stored() != 21 {
			t.Errorf("stored %d, want 21", st.stored())
		}
	})
}

// TestRecorderWaitsWhenBehind: with a store that writes 20,000 hits a
// second and 40,000 arriving, Records wait for the writer once the
// backlog would take too long to write, so hits stay about a second
// behind instead of falling further back every second; a failing store
// is not waited for.
func TestRecorderWaitsWhenBehind(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newMemHits()
		st.perHit = 50 * time.Microsecond
		r := NewRecorder(st, nil, RecorderOptions{Interval: 250 * time.Millisecond})
		ctx := t.Context()
		_ = r.Start(ctx)
		end := time.Now().Add(5 * time.Second)
		for i := 0; time.Now().Before(end); i++ {
			if err := r.Record(ctx, Hit{Key: int64(i + 1), Kind: KindClick, SendID: 1}); err != nil {
				t.Fatal(err)
			}
			if i%40 == 39 {
				time.Sleep(time.Millisecond)
			}
		}
		if err := r.Stop(); err != nil {
			t.Fatal(err)
		}
		s := r.Stats()
		if s.Waits == 0 || s.Stored != s.Recorded || int64(st.stored()) != s.Recorded {
			t.Fatalf("stats %+v, stored %d", s, st.stored())
		}
		// without waiting, the backlog would grow by 20,000 hits (a
		// second of writing) every second: 5 s behind at the end. The
		// longest wait is at the start, before the first write has
		// measured the rate (30,000 hits arrive meanwhile).
		if s.MaxLag > 1500*time.Millisecond {
			t.Errorf("longest wait %v (stats %+v)", s.MaxLag, s)
		}

		// a store that fails is not waited for: hits are buffered
		st.setFailing(true)
		r2 := NewRecorder(st, nil, RecorderOptions{Interval: 250 * time.Millisecond})
		_ = r2.Start(ctx)
		for i := range 3000 {
			if err := r2.Record(ctx, Hit{Key: int64(1e9 + i), Kind: KindClick, SendID: 1}); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Millisecond)
		}
		if s := r2.Stats(); s.Waits != 0 || s.Pending != 3000 {
			t.Errorf("failing store: %+v", s)
		}
		st.setFailing(false)
		_ = r2.Stop()
		if int64(st.stored()) != s.Recorded+3000 {
			t.Errorf("stored %d after recovery, want %d", st.stored(), s.Recorded+3000)
		}
	})
}
