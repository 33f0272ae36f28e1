package llm

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Recorder writes cache entries, log entries and usage behind the calls, in
// batches, so a thousand concurrent generations do not queue on the
// database one row at a time. Pending cache entries are visible to Lookup
// before they are written. Close flushes; until then a crash loses at most
// one flush interval of log and cache rows, never a result already
// returned to the caller.
type Recorder struct {
	st     Store
	logger *slog.Logger
	every  time.Duration

	mu      sync.Mutex
	cache   map[string]CacheEntry
	log     []LogEntry
	usage   map[usageKey]UsageRecord
	lastErr error

	kick chan struct{}

	runMu   sync.Mutex
	running bool
	stop    chan struct{} // closed by Stop
	done    chan struct{} // closed when the loop returns
}

type usageKey struct{ run, campaign, provider, model string }

// NewRecorder returns a recorder writing to st every interval (250 ms when
// zero) or sooner when 500 log rows are pending, once Start is called;
// without Start it writes at Flush and Close only.
func NewRecorder(st Store, interval time.Duration, logger *slog.Logger) *Recorder {
	if interval <= 0 {
		interval = 250 * time.Millisecond
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Recorder{st: st, logger: logger, every: interval,
		cache: map[string]CacheEntry{}, usage: map[usageKey]UsageRecord{},
		kick: make(chan struct{}, 1)}
}

// Start runs the background writer until Stop or until ctx is done; its
// writes use ctx's values without its cancellation, so a write in progress
// when ctx ends completes. Starting a running recorder is harmless.
func (r *Recorder) Start(ctx context.Context) error {
	r.runMu.Lock()
	defer r.runMu.Unlock()
	if r.running {
		return nil
	}
	r.running = true
	r.stop, r.done = make(chan struct{}), make(chan struct{})
	go r.loop(ctx, r.stop, r.done)
	return nil
}

// Stop ends the background writer and waits for a write in progress; what
// is pending stays for Flush or Close. Stopping twice, or a recorder never
// started, is harmless.
func (r *Recorder) Stop() {
	r.runMu.Lock()
	defer r.runMu.Unlock()
	if !r.running {
		return
	}
	close(r.stop)
	<-r.done
	r.running = false
}

func (r *Recorder) loop(ctx context.Context, stop, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(r.every)
	defer t.Stop()
	wctx := context.WithoutCancel(ctx)
	for {
		select {
		case <-stop:
			return
		case <-ctx.Done():
			return
		case <-t.C:
		case <-r.kick:
		}
		if err := r.Flush(wctx); err != nil {
			r.logger.Warn("llm recorder: write failed; will retry", "err", err)
		}
	}
}

// Lookup returns a cache entry that is pending write.
func (r *Recorder) Lookup(key string) (CacheEntry, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.cache[key]
	return e, ok
}

// Cache queues a cache entry.
func (r *Recorder) Cache(e CacheEntry) {
	r.mu.Lock()
	r.cache[e.Key] = e
	r.mu.Unlock()
}

// Log queues a log entry.
func (r *Recorder) Log(e LogEntry) {
	r.mu.Lock()
	r.log = append(r.log, e)
	n := len(r.log)
	r.mu.Unlock()
	if n >= 500 {
		select {
		case r.kick <- struct{}{}:
		default:
		}
	}
}

// Usage queues a usage delta, merged with others of the same key.
func (r *Recorder) Usage(u UsageRecord) {
	k := usageKey{u.Run, u.Campaign, u.Provider, u.Model}
	r.mu.Lock()
	cur := r.usage[k]
	cur.Run, cur.Campaign, cur.Provider, cur.Model = u.Run, u.Campaign, u.Provider, u.Model
	cur.Add(u)
	r.usage[k] = cur
	r.mu.Unlock()
}

// Flush writes everything pending. Rows that fail to write stay pending
// for the next flush; the error is returned.
func (r *Recorder) Flush(ctx context.Context) error {
	r.mu.Lock()
	cache, log, usage := r.cache, r.log, r.usage
	r.cache, r.log, r.usage = map[string]CacheEntry{}, nil, map[usageKey]UsageRecord{}
	r.mu.Unlock()
	var firstErr error
	if len(cache) > 0 {
		es := make([]CacheEntry, 0, len(cache))
		for _, e := range cache {
			es = append(es, e)
		}
		if err := r.st.PutLLMCache(ctx, es); err != nil {
			firstErr = err
			r.mu.Lock()
			for _, e := range es {
				if _, ok := r.cache[e.Key]; !ok {
					r.cache[e.Key] = e
				}
			}
			r.mu.Unlock()
		}
	}
	if len(log) > 0 {
		if err := r.st.AppendLLMLog(ctx, log); err != nil {
			if firstErr == nil {
				firstErr = err
			}
			r.mu.Lock()
			r.log = append(log, r.log...)
			r.mu.Unlock()
		}
	}
	if len(usage) > 0 {
		us := make([]UsageRecord, 0, len(usage))
		for _, u := range usage {
			us = append(us, u)
		}
		if err := r.st.AddLLMUsage(ctx, us); err != nil {
			if firstErr == nil {
				firstErr = err
			}
			for _, u := range us {
				r.Usage(u)
			}
		}
	}
	if firstErr != nil {
		r.mu.Lock()
		r.lastErr = firstErr
		r.mu.Unlock()
	}
	return firstErr
}

// Close stops the background writer and flushes what is pending. Closing
// twice is harmless.
func (r *Recorder) Close(ctx context.Context) error {
	r.Stop()
	return r.Flush(ctx)
}
