package llm

import (
	"context"
	"encoding/json"
	"time"
)

// Store is what the model layer persists: the response cache, the request
// log and token/cost accounting. Both SQL engines implement it
// (store/sqlstore/llm.go); it is declared here, by its consumer.
type Store interface {
	// GetLLMCache returns the cached entry for key or a NotFound error.
	GetLLMCache(ctx context.Context, key string) (CacheEntry, error)
	// PutLLMCache stores entries, replacing any with the same key.
	PutLLMCache(ctx context.Context, entries []CacheEntry) error
	// DeleteLLMCache removes entries created before t and reports how many.
	DeleteLLMCache(ctx context.Context, before time.Time) (int64, error)
	// AppendLLMLog appends request-log entries.
	AppendLLMLog(ctx context.Context, entries []LogEntry) error
	// ListLLMLog returns log entries newest first.
	ListLLMLog(ctx context.Context, f LogFilter) ([]LogEntry, error)
	// AddLLMUsage adds the counts of each record to the stored totals of
	// its (run, campaign, provider, model).
	AddLLMUsage(ctx context.Context, deltas []UsageRecord) error
	// LLMUsage returns stored totals matching f, by run then campaign.
	LLMUsage(ctx context.Context, f UsageFilter) ([]UsageRecord, error)
}

// CacheEntry is one cached answer.
type CacheEntry struct {
	Key       string
	Provider  string
	Model     string
	Result    Result
	CreatedAt time.Time
}

// LogEntry is one request as sent and received, for audit. Prompts are
// PII-free by construction (profile summaries; the redaction decorator of
// the guardrails layer sits in front of the provider).
type LogEntry struct {
	ID        int64           `json:"id"`
	At        time.Time       `json:"at"`
	Run       string          `json:"run"`
	Campaign  string          `json:"campaign,omitempty"`
	Item      string          `json:"item,omitempty"`
	Provider  string          `json:"provider"`
	Model     string          `json:"model"`
	CacheKey  string          `json:"cache_key"`
	Status    string          `json:"status"` // ok | cached | error
	Error     string          `json:"error,omitempty"`
	Attempts  int             `json:"attempts"`
	Usage     Usage           `json:"usage"`
	LatencyMS int64           `json:"latency_ms"`
	Request   json.RawMessage `json:"request"`
	Response  json.RawMessage `json:"response,omitempty"`
}

// Log statuses.
const (
	StatusOK     = "ok"
	StatusCached = "cached"
	StatusError  = "error"
)

// LogFilter narrows ListLLMLog; zero fields match everything.
type LogFilter struct {
	Run, Campaign, Item, Status string
	Limit                       int // default 100
}

// UsageRecord is token and cost totals for one (run, campaign, provider,
// model). Calls counts requests asked of the layer; Cached those answered
// from the cache (their tokens are SavedTokens, not spent); Failed those
// that failed after retries; Attempts the HTTP requests made.
type UsageRecord struct {
	Run              string    `json:"run"`
	Campaign         string    `json:"campaign,omitempty"`
	Provider         string    `json:"provider"`
	Model            string    `json:"model"`
	Calls            int64     `json:"calls"`
	Cached           int64     `json:"cached"`
	Failed           int64     `json:"failed"`
	Attempts         int64     `json:"attempts"`
	PromptTokens     int64     `json:"prompt_tokens"`
	CompletionTokens int64     `json:"completion_tokens"`
	SavedTokens      int64     `json:"saved_tokens"`
	CostUSD          float64   `json:"cost_usd"`
	SavedUSD         float64   `json:"saved_usd"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// Add accumulates o's counts into u.
func (u *UsageRecord) Add(o UsageRecord) {
	u.Calls += o.Calls
	u.Cached += o.Cached
	u.Failed += o.Failed
	u.Attempts += o.Attempts
	u.PromptTokens += o.PromptTokens
	u.CompletionTokens += o.CompletionTokens
	u.SavedTokens += o.SavedTokens
	u.CostUSD += o.CostUSD
	u.SavedUSD += o.SavedUSD
	if o.UpdatedAt.After(u.UpdatedAt) {
		u.UpdatedAt = o.UpdatedAt
	}
}

// UsageFilter narrows LLMUsage; zero fields match everything.
type UsageFilter struct {
	Run, Campaign string
}
