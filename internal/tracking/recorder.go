package tracking

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// HitStore is what the Recorder writes through. It is declared here, by
// its consumer; store/sqlstore implements it.
type HitStore interface {
	// Sends returns the rows of the send table named by ids; ids without
	// a row are left out of the map.
	Sends(ctx context.Context, ids []int64) (map[int64]SendRef, error)
	// InsertHits stores hits (and the events they become) in one
	// transaction, skipping hits whose key is stored, and reports how
	// many were new.
	InsertHits(ctx context.Context, hits []Hit) (int, error)
}

// HitReader reads stored hits back (the benchmark's proof that every hit
// was stored, tests, and the API).
type HitReader interface {
	// CountHits reports the stored hits of kind ("" for every kind).
	CountHits(ctx context.Context, kind string) (int64, error)
	// HitsOfSends visits the stored hits of the given sends in the order
	// they were stored.
	HitsOfSends(ctx context.Context, ids []int64, fn func(Hit) error) error
}

// RecorderStats say what a Recorder has done.
type RecorderStats struct {
	Recorded int64 // hits handed to Record
	Stored   int64 // new hits written
	Skipped  int64 // hits whose key was already stored
	Flushes  int64
	Failures int64 // flushes that failed and were retried
	Pending  int   // hits waiting now
	// MaxLag is the longest time a hit waited between Record and the
	// commit of its batch.
	MaxLag time.Duration
	// Waits counts the Records that waited for the writer: the buffer was
	// full, or the oldest hit not yet written was close to a second old.
	Waits int64
}

// Recorder batches opens and clicks in memory and writes them to the
// store at most one interval behind. Record never touches the database;
// one goroutine (started by Start) writes. When the store fails, the
// batch is kept and retried at the next tick; when Buffer hits are
// waiting, Record waits for the writer instead of dropping anything. Stop
// writes what is left. It is safe for concurrent use.
//
// The writer is one goroutine among the request handlers; on a machine
// short of CPU (or with a slow disk) hits can arrive faster than it
// writes them, and the backlog would grow past the one-second promise
// until the buffer filled. So while the store is working, the Recorder
// measures how many hits a second it writes, and a Record that finds more
// hits waiting than can be written in what is left of the second after
// the interval (with a fifth to spare) waits for the writer and wakes it:
// the requests slow down to what the store can take, and hits stay about
// a second behind at most. While the store fails, hits are buffered
// instead (a click still redirects).
type Recorder struct {
	store    HitStore
	detector *Detector
	log      *slog.Logger
	interval time.Duration
	max      int
	now      func() time.Time
	// budget is the time a backlog may take to write: the second
	// promised less the interval (at least a quarter second).
	budget time.Duration

	flushing sync.Mutex // one flush at a time (the writer's, Stop's, a test's)

	mu      sync.Mutex
	space   *sync.Cond // signalled when a flush frees the buffer
	buf     []Hit
	arrived []time.Time // when each hit of buf was recorded, for the lag
	// inflight counts the hits a flush holds; spare and spareAt are the
	// last flush's emptied buffers, reused.
	inflight int
	// rate is the hits per second the writer stores (a moving average
	// over batches of at least rateBatch hits; 0 until one is written);
	// failing says the last write failed.
	rate    float64
	failing bool
	spare   []Hit
	spareAt []time.Time
	stats   RecorderStats
	sends   map[int64]SendRef // cache of send rows; reset when it grows large
	running bool
	stopped bool
	kick    chan struct{}
	quit    chan struct{}
	done    chan struct{}
}

// RecorderOptions shape a Recorder. Zero fields take the defaults in
// brackets.
type RecorderOptions struct {
	Interval time.Duration    // longest wait before a hit is written [250ms]
	Buffer   int              // hits held before Record waits [200,000]
	Now      func() time.Time // the clock of lag measurements [time.Now]
	Log      *slog.Logger     // where failed flushes are logged [discarded]
}

// sendCacheMax bounds the cache of send rows.
const sendCacheMax = 200_000

// NewRecorder returns a stopped Recorder writing to store and judging
// machines with d (nil: only the flags set by the caller).
func NewRecorder(store HitStore, d *Detector, o RecorderOptions) *Recorder {
	if o.Interval <= 0 {
		o.Interval = 250 * time.Millisecond
	}
	if o.Buffer <= 0 {
		o.Buffer = 200_000
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	r := &Recorder{store: store, detector: d, log: o.Log, interval: o.Interval, max: o.Buffer, now: o.Now,
		budget: max(time.Second-o.Interval, time.Second/4), sends: map[int64]SendRef{}, kick: make(chan struct{}, 1)}
	r.space = sync.NewCond(&r.mu)
	return r
}

// ErrStopped is returned by Record after Stop.
var ErrStopped = apperr.New(apperr.Unavailable, "the tracking server is shutting down")

// Record queues h for the store. It waits when the buffer is full (the
// store is down or far behind) or the writer is falling behind (see
// Recorder), until there is room or ctx ends (an apperr.Unavailable
// error). After Stop it returns ErrStopped.
func (r *Recorder) Record(ctx context.Context, h Hit) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for waited := false; !r.stopped; waited = true {
		full := len(r.buf)+r.inflight >= r.max
		if !full && !r.behind() {
			break
		}
		if !waited {
			r.stats.Waits++
		}
		if !full {
			r.wake()
		}
		if ctx.Err() != nil {
			return apperr.Wrap(ctx.Err(), apperr.Unavailable, "tracking store is behind")
		}
		stop := context.AfterFunc(ctx, func() {
			r.mu.Lock()
			r.space.Broadcast()
			r.mu.Unlock()
		})
		r.space.Wait()
		stop()
	}
	if r.stopped {
		return ErrStopped
	}
	r.buf = append(r.buf, h)
	r.arrived = append(r.arrived, r.now())
	r.stats.Recorded++
	if len(r.buf) == flushBatch {
		r.wake() // a full batch is worth writing now
	}
	return nil
}

// behind reports whether, while the store is working, more hits are
// waiting than the writer stores in four fifths of the budget. r.mu is
// held.
func (r *Recorder) behind() bool {
	if r.failing || r.rate == 0 {
		return false
	}
	return float64(len(r.buf)+r.inflight) > r.rate*r.budget.Seconds()*0.8
}

// rateBatch is the smallest batch whose write time measures the rate (a
// small one is mostly the transaction's fixed cost).
const rateBatch = 500

// wake asks the writer to flush now. r.mu is held or not.
func (r *Recorder) wake() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// Start runs the writer until Stop (or until ctx ends, after which Stop
// still writes what is left). Starting twice is an error.
func (r *Recorder) Start(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running || r.stopped {
		return apperr.New(apperr.Conflict, "the hit recorder was already started")
	}
	r.running = true
	r.quit = make(chan struct{})
	r.done = make(chan struct{})
	go r.loop(ctx)
	return nil
}

func (r *Recorder) loop(ctx context.Context) {
	defer close(r.done)
	t := time.NewTicker(r.interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-r.kick:
		case <-r.quit:
			return
		case <-ctx.Done():
			<-r.quit // Stop flushes with a context of its own
			return
		}
		if err := r.Flush(ctx); err != nil && ctx.Err() == nil {
			r.log.LogAttrs(ctx, slog.LevelWarn, "tracking: storing hits failed; retrying", slog.Any("error", err))
		}
	}
}

// Stop stops the writer and writes every hit still waiting, retrying a
// failing store for up to 10 seconds. Later Records fail with ErrStopped.
// Stopping twice, or a Recorder never started, is harmless.
func (r *Recorder) Stop() error {
	r.mu.Lock()
	if r.stopped {
		r.mu.Unlock()
		return nil
	}
	r.stopped = true
	r.space.Broadcast()
	running := r.running
	r.mu.Unlock()
	if running {
		close(r.quit)
		<-r.done
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var err error
	for {
		if err = r.Flush(ctx); err == nil || ctx.Err() != nil {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
	if err != nil {
		r.mu.Lock()
		lost := len(r.buf)
		r.mu.Unlock()
		r.log.LogAttrs(ctx, slog.LevelError, "tracking: hits could not be stored at shutdown", slog.Int("hits", lost), slog.Any("error", err))
	}
	return err
}

// Flush writes every hit waiting now, in batches of at most 10,000, and
// returns the store's error, keeping what was not written (ahead of what
// arrived meanwhile) for the next try.
func (r *Recorder) Flush(ctx context.Context) error {
	r.flushing.Lock()
	defer r.flushing.Unlock()
	r.mu.Lock()
	take, arrived := r.buf, r.arrived
	r.buf, r.arrived = r.spare[:0], r.spareAt[:0]
	r.inflight = len(take)
	r.mu.Unlock()
	for start := 0; start < len(take); start += flushBatch {
		end := min(start+flushBatch, len(take))
		began := time.Now()
		stored, err := r.write(ctx, take[start:end])
		took := time.Since(began)
		r.mu.Lock()
		if err != nil {
			r.stats.Failures++
			r.failing = true
			r.space.Broadcast() // Records waiting for a late writer buffer instead
			r.buf = append(append(make([]Hit, 0, len(take)-start+len(r.buf)), take[start:]...), r.buf...)
			r.arrived = append(append(make([]time.Time, 0, len(take)-start+len(r.arrived)), arrived[start:]...), r.arrived...)
			r.inflight = 0
			r.mu.Unlock()
			return err
		}
		r.inflight = len(take) - end
		r.failing = false
		if n := end - start; n >= rateBatch && took > 0 {
			rate := float64(n) / took.Seconds()
			if r.rate == 0 {
				r.rate = rate
			}
			r.rate = (r.rate + rate) / 2
		}
		r.stats.Stored += int64(stored)
		r.stats.Skipped += int64(end - start - stored)
		r.stats.Flushes++
		r.stats.MaxLag = max(r.stats.MaxLag, r.now().Sub(arrived[start]))
		r.space.Broadcast()
		r.mu.Unlock()
	}
	clear(take) // the hits' strings may go
	r.mu.Lock()
	r.spare, r.spareAt = take[:0], arrived[:0]
	r.mu.Unlock()
	return nil
}

const flushBatch = 10_000

// write resolves a batch's sends (cached), judges its machines and stores
// it.
func (r *Recorder) write(ctx context.Context, batch []Hit) (int, error) {
	var missing []int64
	known := make(map[int64]SendRef)
	r.mu.Lock()
	for _, h := range batch {
		if _, ok := known[h.SendID]; ok {
			continue
		}
		if s, ok := r.sends[h.SendID]; ok {
			known[h.SendID] = s
		} else {
			missing = append(missing, h.SendID)
			known[h.SendID] = SendRef{} // placeholder until looked up
		}
	}
	r.mu.Unlock()
	if len(missing) > 0 {
		got, err := r.store.Sends(ctx, missing)
		if err != nil {
			return 0, err
		}
		for _, id := range missing {
			known[id] = got[id] // a send the store lacks stays SendRef{} (cached too)
		}
	}
	for i := range batch {
		h := &batch[i]
		if s := known[h.SendID]; s.ID != 0 {
			h.CustomerID = s.CustomerID
			h.Campaign, h.Channel, h.Variant = s.Campaign, s.Channel, s.Variant
		}
	}
	if r.detector != nil {
		r.detector.Judge(batch, known)
	}
	stored, err := r.store.InsertHits(ctx, batch)
	if err != nil {
		return 0, err
	}
	r.mu.Lock()
	if len(r.sends) > sendCacheMax {
		clear(r.sends)
	}
	for id, s := range known {
		r.sends[id] = s
	}
	r.mu.Unlock()
	return stored, nil
}

// Stats returns the counters so far.
func (r *Recorder) Stats() RecorderStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.stats
	s.Pending = len(r.buf) + r.inflight
	return s
}
