package llm

import (
	"context"
	"encoding/json"
	"time"
)

// RequestLog records every call — what was sent and what came back — for
// audit. It must sit behind PII redaction: it logs the request as given.
type RequestLog struct {
	inner Model
	run   string
	rec   *Recorder
	key   func(Request) string
}

// NewRequestLog wraps m; key computes the cache key to log (may be nil).
func NewRequestLog(m Model, run string, rec *Recorder, key func(Request) string) *RequestLog {
	return &RequestLog{inner: m, run: run, rec: rec, key: key}
}

// Name is the inner model's name.
func (l *RequestLog) Name() string { return l.inner.Name() }

type loggedRequest struct {
	Messages    []Message       `json:"messages"`
	Temperature *float64        `json:"temperature,omitempty"`
	MaxTokens   int             `json:"max_tokens,omitempty"`
	N           int             `json:"n,omitempty"`
	Stop        []string        `json:"stop,omitempty"`
	SchemaName  string          `json:"schema_name,omitempty"`
	Schema      json.RawMessage `json:"schema,omitempty"`
	Seed        *int64          `json:"seed,omitempty"`
	Tools       []string        `json:"tools,omitempty"` // names: the schemas are code
	ToolChoice  string          `json:"tool_choice,omitempty"`
}

func (l *RequestLog) keyed(ctx context.Context, req Request) (context.Context, string) {
	if l.key == nil {
		return ctx, ""
	}
	k := l.key(req)
	return withKey(ctx, k), k
}

func (l *RequestLog) record(req Request, key string, res Result, err error, start time.Time) {
	provider, model := SplitName(l.inner.Name())
	if res.Provider != "" {
		provider = res.Provider
	}
	if res.Model != "" {
		model = res.Model
	}
	e := LogEntry{At: start.UTC(), Run: l.run, Campaign: req.Campaign, Item: req.Item,
		Provider: provider, Model: model, Status: StatusOK, Attempts: res.Attempts,
		Usage: res.Usage, LatencyMS: time.Since(start).Milliseconds()}
	e.CacheKey = key
	var tools []string
	for _, t := range req.Tools {
		tools = append(tools, t.Name)
	}
	e.Request, _ = json.Marshal(loggedRequest{req.Messages, req.Temperature, req.MaxTokens, req.N, req.Stop, req.SchemaName, compactJSON(req.Schema), req.Seed, tools, req.ToolChoice})
	switch {
	case err != nil:
		e.Status, e.Error = StatusError, err.Error()
	case res.Cached:
		e.Status = StatusCached
	}
	if len(res.Choices) > 0 {
		e.Response, _ = json.Marshal(res.Choices)
	}
	l.rec.Log(e)
}

// Generate calls the inner model and logs the exchange.
func (l *RequestLog) Generate(ctx context.Context, req Request) (Result, error) {
	start := time.Now()
	ctx, key := l.keyed(ctx, req)
	res, err := l.inner.Generate(ctx, req)
	l.record(req, key, res, err, start)
	return res, err
}

// Stream streams from the inner model and logs the exchange.
func (l *RequestLog) Stream(ctx context.Context, req Request, onDelta func(string) error) (Result, error) {
	start := time.Now()
	ctx, key := l.keyed(ctx, req)
	res, err := l.inner.Stream(ctx, req, onDelta)
	l.record(req, key, res, err, start)
	return res, err
}
