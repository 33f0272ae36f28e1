package llm

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Cache answers a request it has seen before from the store, so re-running
// a campaign costs no tokens, and lets identical requests in flight share
// one provider call. Only successful answers are cached. A cached result
// says Cached: true and Attempts: 0.
type Cache struct {
	inner           Model
	st              Store
	rec             *Recorder
	provider, model string
	logger          *slog.Logger

	mu       sync.Mutex
	inflight map[string]*flight
}

type flight struct {
	done chan struct{}
	res  Result
	err  error
}

// NewCache wraps m. rec may be nil, in which case entries are written to st
// synchronously.
func NewCache(m Model, st Store, rec *Recorder, logger *slog.Logger) *Cache {
	if logger == nil {
		logger = slog.Default()
	}
	p, mod := SplitName(m.Name())
	return &Cache{inner: m, st: st, rec: rec, provider: p, model: mod, logger: logger, inflight: map[string]*flight{}}
}

// SplitName splits "provider/model" (the model part may contain slashes).
func SplitName(name string) (provider, model string) {
	p, m, _ := strings.Cut(name, "/")
	return p, m
}

// Name is the inner model's name.
func (c *Cache) Name() string { return c.inner.Name() }

// Key is the cache key of req for this cache's provider and model.
func (c *Cache) Key(req Request) string { return CacheKey(c.provider, c.model, req) }

type keyCtx struct{}

// withKey hands a key already computed (by the request log) down to the
// cache: hashing a request is a fair share of a cached call's cost.
func withKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, keyCtx{}, key)
}

func (c *Cache) keyFor(ctx context.Context, req Request) string {
	if k, ok := ctx.Value(keyCtx{}).(string); ok && k != "" {
		return k
	}
	return c.Key(req)
}

func (c *Cache) lookup(ctx context.Context, key string) (Result, bool) {
	if c.rec != nil {
		if e, ok := c.rec.Lookup(key); ok {
			return e.Result, true
		}
	}
	e, err := c.st.GetLLMCache(ctx, key)
	if err != nil {
		if !apperr.Is(err, apperr.NotFound) {
			c.logger.Warn("llm cache read failed; calling the provider", "err", err)
		}
		return Result{}, false
	}
	return e.Result, true
}

func (c *Cache) store(ctx context.Context, key string, res Result) {
	res.Cached, res.Attempts, res.Latency = false, 0, 0
	e := CacheEntry{Key: key, Provider: res.Provider, Model: res.Model, Result: res, CreatedAt: time.Now().UTC()}
	if e.Provider == "" {
		e.Provider = c.provider
	}
	if c.rec != nil {
		c.rec.Cache(e)
		return
	}
	if err := c.st.PutLLMCache(ctx, []CacheEntry{e}); err != nil {
		c.logger.Warn("llm cache write failed", "err", err)
	}
}

func hit(res Result, start time.Time) Result {
	res.Cached = true
	res.Attempts = 0
	res.Latency = time.Since(start)
	return res
}

// Generate answers from the cache or calls the inner model once per key.
func (c *Cache) Generate(ctx context.Context, req Request) (Result, error) {
	start := time.Now()
	key := c.keyFor(ctx, req)
	if res, ok := c.lookup(ctx, key); ok {
		return hit(res, start), nil
	}
	c.mu.Lock()
	if f, ok := c.inflight[key]; ok {
		c.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return Result{}, apperr.Wrap(ctx.Err(), apperr.Unavailable, "waiting for an identical llm call")
		}
		if f.err != nil {
			return f.res, f.err
		}
		return hit(f.res, start), nil
	}
	f := &flight{done: make(chan struct{})}
	c.inflight[key] = f
	c.mu.Unlock()

	f.res, f.err = c.inner.Generate(ctx, req)
	if f.err == nil {
		c.store(ctx, key, f.res)
	}
	c.mu.Lock()
	delete(c.inflight, key)
	c.mu.Unlock()
	close(f.done)
	return f.res, f.err
}

// Stream replays a cached answer as one fragment, or streams and caches.
func (c *Cache) Stream(ctx context.Context, req Request, onDelta func(string) error) (Result, error) {
	start := time.Now()
	key := c.keyFor(ctx, req)
	if res, ok := c.lookup(ctx, key); ok {
		if err := onDelta(res.Text()); err != nil {
			return Result{}, err
		}
		return hit(res, start), nil
	}
	res, err := c.inner.Stream(ctx, req, onDelta)
	if err == nil {
		c.store(ctx, key, res)
	}
	return res, err
}
