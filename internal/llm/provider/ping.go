package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/chorusmkt/chorus/internal/llm"
)

// PingReport is which model answers, how fast, and how it gives
// structured output (the JSON of `chorus llm ping --json`).
type PingReport struct {
	Provider         string  `json:"provider"`
	Model            string  `json:"model"`
	BaseURL          string  `json:"base_url"`
	LatencyMS        float64 `json:"latency_ms"`
	StructuredOutput string  `json:"structured_output"`
	SchemaValid      bool    `json:"schema_valid"`
}

// PingReport is the stack's ping (WithPing) or, for the offline writer,
// one structured call to it: it has no endpoint and its structured output
// is native.
func (s *Stack) PingReport(ctx context.Context) (PingReport, error) {
	if p := s.Ping; p != nil {
		return PingReport{Provider: p.Provider, Model: p.Model, BaseURL: p.BaseURL, LatencyMS: float64(p.Latency.Microseconds()) / 1000,
			StructuredOutput: p.Structured, SchemaValid: p.Valid}, nil
	}
	start := time.Now()
	res, err := s.Generate(ctx, llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: "ping"}},
		Schema: json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`)})
	if err != nil {
		return PingReport{}, err
	}
	prov, model := llm.SplitName(s.Name())
	return PingReport{Provider: prov, Model: model, BaseURL: "(none: built in)", LatencyMS: float64(time.Since(start).Microseconds()) / 1000,
		StructuredOutput: "native", SchemaValid: len(res.JSON()) > 0}, nil
}

// WriteText writes the report as a two-column table.
func (r PingReport) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, kv := range [][2]any{{"provider", r.Provider}, {"model", r.Model}, {"base_url", r.BaseURL}, {"latency_ms", r.LatencyMS},
		{"structured_output", r.StructuredOutput}, {"schema_valid", r.SchemaValid}} {
		fmt.Fprintf(tw, "%s\t%v\n", kv[0], kv[1])
	}
	return tw.Flush()
}
