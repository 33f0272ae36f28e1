package llm

import (
	"context"
	"encoding/json"
	"sort"
	"sync"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// MemoryStore is a Store in memory, for tests and for one-off commands that
// run without a database.
type MemoryStore struct {
	mu    sync.Mutex
	cache map[string]CacheEntry
	log   []LogEntry
	usage map[usageKey]UsageRecord
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{cache: map[string]CacheEntry{}, usage: map[usageKey]UsageRecord{}}
}

// GetLLMCache implements Store.
func (m *MemoryStore) GetLLMCache(_ context.Context, key string) (CacheEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.cache[key]
	if !ok {
		return e, apperr.New(apperr.NotFound, "llm cache entry %s not found", key)
	}
	return e, nil
}

// PutLLMCache implements Store.
func (m *MemoryStore) PutLLMCache(_ context.Context, es []CacheEntry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range es {
		m.cache[e.Key] = e
	}
	return nil
}

// DeleteLLMCache implements Store.
func (m *MemoryStore) DeleteLLMCache(_ context.Context, before time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for k, e := range m.cache {
		if e.CreatedAt.Before(before) {
			delete(m.cache, k)
			n++
		}
	}
	return n, nil
}

// AppendLLMLog implements Store.
func (m *MemoryStore) AppendLLMLog(_ context.Context, es []LogEntry) error {
	for _, e := range es {
		switch e.Status {
		case StatusOK, StatusCached, StatusError:
		default:
			return apperr.New(apperr.Invalid, "llm log status %q (want ok, cached or error)", e.Status)
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range es {
		e.ID = int64(len(m.log) + 1)
		// stored as the engines store it: tokens as prompt and completion,
		// the time in UTC microseconds, an empty request as {}
		e.Usage.TotalTokens = e.Usage.PromptTokens + e.Usage.CompletionTokens
		e.At = e.At.UTC().Truncate(time.Microsecond)
		if len(e.Request) == 0 {
			e.Request = json.RawMessage(`{}`)
		}
		if len(e.Response) == 0 {
			e.Response = nil
		}
		m.log = append(m.log, e)
	}
	return nil
}

// ListLLMLog implements Store.
func (m *MemoryStore) ListLLMLog(_ context.Context, f LogFilter) ([]LogEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	var out []LogEntry
	for i := len(m.log) - 1; i >= 0 && len(out) < limit; i-- {
		e := m.log[i]
		if (f.Run == "" || e.Run == f.Run) && (f.Campaign == "" || e.Campaign == f.Campaign) &&
			(f.Item == "" || e.Item == f.Item) && (f.Status == "" || e.Status == f.Status) {
			out = append(out, e)
		}
	}
	return out, nil
}

// AddLLMUsage implements Store.
func (m *MemoryStore) AddLLMUsage(_ context.Context, ds []UsageRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, d := range ds {
		k := usageKey{d.Run, d.Campaign, d.Provider, d.Model}
		cur := m.usage[k]
		cur.Run, cur.Campaign, cur.Provider, cur.Model = d.Run, d.Campaign, d.Provider, d.Model
		cur.Add(d)
		m.usage[k] = cur
	}
	return nil
}

// LLMUsage implements Store.
func (m *MemoryStore) LLMUsage(_ context.Context, f UsageFilter) ([]UsageRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []UsageRecord
	for _, u := range m.usage {
		if (f.Run == "" || u.Run == f.Run) && (f.Campaign == "" || u.Campaign == f.Campaign) {
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Run != out[j].Run {
			return out[i].Run < out[j].Run
		}
		if out[i].Campaign != out[j].Campaign {
			return out[i].Campaign < out[j].Campaign
		}
		return out[i].Model < out[j].Model
	})
	return out, nil
}
