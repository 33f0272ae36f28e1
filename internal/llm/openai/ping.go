package openai

import (
	"context"
	"encoding/json"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/llm"
)

// PingResult is what Ping found out about an endpoint.
type PingResult struct {
	Provider string        `json:"provider"`
	Model    string        `json:"model"`
	BaseURL  string        `json:"base_url"`
	Latency  time.Duration `json:"latency"`
	// Structured is the structured-output mode the endpoint accepted.
	Structured string `json:"structured_output"`
	// Valid says whether the probe's answer satisfied its schema.
	Valid bool      `json:"schema_valid"`
	Usage llm.Usage `json:"usage"`
}

var pingSchema = json.RawMessage(`{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"],"additionalProperties":false}`)

// Ping sends one tiny structured request, letting the provider settle on
// the best structured-output mode the endpoint supports, and reports it.
// Its error names the setting to fix (base URL, key, model).
func (p *Provider) Ping(ctx context.Context) (PingResult, error) {
	out := PingResult{Provider: p.cfg.Label, Model: p.cfg.Model, BaseURL: p.cfg.BaseURL}
	zero := 0.0
	req := llm.Request{
		Messages: []llm.Message{
			{Role: llm.RoleSystem, Content: "You are a health check. Answer in JSON."},
			{Role: llm.RoleUser, Content: `Reply with {"ok": true}.`},
		},
		Temperature: &zero, MaxTokens: 20, Schema: pingSchema, SchemaName: "ping",
	}
	start := time.Now()
	res, err := p.Generate(llm.WithAttemptBudget(ctx, 4), req)
	out.Latency = time.Since(start)
	out.Structured = p.Mode().String()
	if err != nil {
		if pe, ok := llm.AsProviderError(err); ok && pe.BadOutput {
			return out, nil // reachable and answering; the model is just weak at JSON
		}
		return out, apperr.Wrap(err, apperr.KindOf(err), "llm ping")
	}
	if res.Model != "" {
		out.Model = res.Model
	}
	out.Valid = true
	out.Usage = res.Usage
	return out, nil
}
