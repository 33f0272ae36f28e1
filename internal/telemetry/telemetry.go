// Package telemetry is what the store counts for the server's metrics
// (/metrics): sends by channel and state, tracking hits by kind, and the
// model's tokens and cost. The counts are read at scrape time, so that
// every process (servers, workers) reports the same totals.
package telemetry

import "context"

// Counts are the totals the store holds.
type Counts struct {
	Sends []SendCount
	Hits  []HitCount
	LLM   []LLMCount
}

// SendCount is the campaign sends of one channel in one state
// (sent, failed, skipped, …).
type SendCount struct {
	Channel, State string
	N              int64
}

// HitCount is the tracking hits of one kind (open, click, unsubscribe,
// delivered, …), machine hits apart.
type HitCount struct {
	Kind    string
	Machine bool
	N       int64
}

// LLMCount is the model usage of one provider and model.
type LLMCount struct {
	Provider, Model                 string
	Calls, PromptTokens, Completion int64
	CostUSD                         float64
}

// Source reads the counts.
type Source interface {
	TelemetryCounts(ctx context.Context) (Counts, error)
}
