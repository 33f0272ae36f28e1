// Package openai is the provider for any endpoint that speaks the OpenAI
// Chat Completions protocol — OpenAI itself, DeepSeek, Qwen (DashScope
// compatible mode), Moonshot, vLLM, llama.cpp server, Ollama — built on
// github.com/openai/openai-go/v3.
//
// Structured output degrades per endpoint: json_schema response_format,
// then json_object with the schema in the prompt, then plain text with the
// schema in the prompt. The first mode the endpoint rejects with a 400 is
// dropped for the life of the provider. Whatever the mode, answers are
// validated in Go against the schema, and an invalid answer gets one
// repair round-trip that quotes the validation error.
//
// Retries are not done here: the SDK's own retries are switched off and
// failures come back as *llm.ProviderError (inside an *apperr.Error) for
// the llm.Retry decorator to decide on.
package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	oa "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/llm"
)

// Mode is a structured-output mode.
type Mode int32

// Structured-output modes, best first.
const (
	ModeJSONSchema Mode = iota // response_format json_schema (strict where possible)
	ModeJSONObject             // response_format json_object, schema in the prompt
	ModeText                   // no response_format, schema in the prompt
)

func (m Mode) String() string {
	switch m {
	case ModeJSONSchema:
		return "json_schema"
	case ModeJSONObject:
		return "json_object"
	}
	return "text"
}

// ParseMode parses "json_schema", "json_object" or "text".
func ParseMode(s string) (Mode, error) {
	switch s {
	case "json_schema", "":
		return ModeJSONSchema, nil
	case "json_object":
		return ModeJSONObject, nil
	case "text":
		return ModeText, nil
	}
	return 0, apperr.New(apperr.Invalid, "unknown structured-output mode %q (json_schema, json_object, text)", s)
}

// Config is what the provider needs.
type Config struct {
	// Label is the provider name shown in results (default "openai").
	Label   string
	BaseURL string // default https://api.openai.com/v1
	APIKey  string
	Model   string
	Headers map[string]string
	// Mode is the best structured-output mode to try first.
	Mode Mode
	// HTTPClient overrides the pooled default client.
	HTTPClient *http.Client
}

// DefaultBaseURL is OpenAI's API.
const DefaultBaseURL = "https://api.openai.com/v1"

// Provider calls a Chat Completions endpoint. It is safe for concurrent use.
type Provider struct {
	cfg    Config
	client oa.Client
	mode   atomic.Int32
}

// New returns a provider for cfg. It fails with an Invalid error naming the
// setting to fix when the model or base URL is unusable; it does not call
// the network (see Ping).
func New(cfg Config) (*Provider, error) {
	if cfg.Label == "" {
		cfg.Label = "openai"
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, apperr.New(apperr.Invalid, "llm.base_url %q is not an http(s) URL: set CHORUS_LLM_BASE_URL or llm.base_url, e.g. https://api.openai.com/v1", cfg.BaseURL)
	}
	if cfg.Model == "" {
		return nil, apperr.New(apperr.Invalid, "no llm model: set CHORUS_LLM_MODEL or llm.model")
	}
	hc := cfg.HTTPClient
	if hc == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		// batches keep dozens of requests in flight to one host; the
		// default of 2 idle connections would reconnect all the time
		tr.MaxIdleConnsPerHost = 256
		tr.MaxIdleConns = 256
		hc = &http.Client{Transport: tr}
	}
	key := cfg.APIKey
	if key == "" {
		key = "none" // local servers (Ollama, vLLM) ignore it; the SDK wants one
	}
	opts := []option.RequestOption{
		option.WithBaseURL(cfg.BaseURL),
		option.WithAPIKey(key),
		option.WithHTTPClient(hc),
		option.WithMaxRetries(0),
	}
	for k, v := range cfg.Headers {
		opts = append(opts, option.WithHeader(k, v))
	}
	p := &Provider{cfg: cfg, client: oa.NewClient(opts...)}
	p.mode.Store(int32(cfg.Mode))
	return p, nil
}

// Name is "label/model".
func (p *Provider) Name() string { return p.cfg.Label + "/" + p.cfg.Model }

// Mode is the structured-output mode currently in use.
func (p *Provider) Mode() Mode { return Mode(p.mode.Load()) }

// BaseURL is the endpoint's base URL.
func (p *Provider) BaseURL() string { return p.cfg.BaseURL }

// schemaInstruction is appended to the system message when the schema
// cannot travel in response_format.
func schemaInstruction(schema json.RawMessage) string {
	return "\n\nAnswer with one JSON object only, no prose and no code fences. It must satisfy this " +
		"JSON Schema: " + string(schema)
}

func (p *Provider) params(req llm.Request, mode Mode) oa.ChatCompletionNewParams {
	msgs := make([]oa.ChatCompletionMessageParamUnion, 0, len(req.Messages)+1)
	sys := ""
	if len(req.Schema) > 0 && mode != ModeJSONSchema {
		sys = schemaInstruction(req.Schema)
	}
	hasSystem := false
	for _, m := range req.Messages {
		switch m.Role {
		case llm.RoleSystem:
			hasSystem = true
			msgs = append(msgs, oa.SystemMessage(m.Content+sys))
		case llm.RoleAssistant:
			if len(m.ToolCalls) == 0 {
				msgs = append(msgs, oa.AssistantMessage(m.Content))
				continue
			}
			am := oa.ChatCompletionAssistantMessageParam{}
			if m.Content != "" {
				am.Content.OfString = oa.String(m.Content)
			}
			for _, c := range m.ToolCalls {
				am.ToolCalls = append(am.ToolCalls, oa.ChatCompletionMessageToolCallUnionParam{OfFunction: &oa.ChatCompletionMessageFunctionToolCallParam{
					ID: c.ID, Function: oa.ChatCompletionMessageFunctionToolCallFunctionParam{Name: c.Name, Arguments: c.Arguments}}})
			}
			msgs = append(msgs, oa.ChatCompletionMessageParamUnion{OfAssistant: &am})
		case llm.RoleTool:
			msgs = append(msgs, oa.ToolMessage(m.Content, m.ToolCallID))
		default:
			msgs = append(msgs, oa.UserMessage(m.Content))
		}
	}
	if sys != "" && !hasSystem {
		msgs = append([]oa.ChatCompletionMessageParamUnion{oa.SystemMessage(strings.TrimSpace(sys))}, msgs...)
	}
	params := oa.ChatCompletionNewParams{Messages: msgs, Model: shared.ChatModel(p.cfg.Model)}
	if req.Temperature != nil {
		params.Temperature = oa.Float(*req.Temperature)
	}
	if req.MaxTokens > 0 {
		params.MaxTokens = oa.Int(int64(req.MaxTokens))
	}
	if req.N > 1 {
		params.N = oa.Int(int64(req.N))
	}
	if req.Seed != nil {
		params.Seed = oa.Int(*req.Seed)
	}
	if len(req.Stop) > 0 {
		params.Stop = oa.ChatCompletionNewParamsStopUnion{OfStringArray: req.Stop}
	}
	for _, t := range req.Tools {
		var ps shared.FunctionParameters
		_ = json.Unmarshal(t.Parameters, &ps) // validated by the caller's schema; an empty one is allowed
		fd := shared.FunctionDefinitionParam{Name: t.Name, Parameters: ps}
		if t.Description != "" {
			fd.Description = oa.String(t.Description)
		}
		params.Tools = append(params.Tools, oa.ChatCompletionFunctionTool(fd))
	}
	if req.ToolChoice != "" && len(req.Tools) > 0 {
		params.ToolChoice = oa.ChatCompletionToolChoiceOptionUnionParam{OfAuto: oa.String(req.ToolChoice)}
	}
	if len(req.Schema) > 0 {
		switch mode {
		case ModeJSONSchema:
			var sch any
			_ = json.Unmarshal(req.Schema, &sch)
			name := req.SchemaName
			if name == "" {
				name = "answer"
			}
			params.ResponseFormat = oa.ChatCompletionNewParamsResponseFormatUnion{OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{
				JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{Name: name, Schema: sch}}}
		case ModeJSONObject:
			params.ResponseFormat = oa.ChatCompletionNewParamsResponseFormatUnion{OfJSONObject: &shared.ResponseFormatJSONObjectParam{}}
		}
	}
	return params
}

// Generate sends req. With a Schema every choice is validated; invalid
// choices get one repair round-trip when the attempt budget allows.
func (p *Provider) Generate(ctx context.Context, req llm.Request) (llm.Result, error) {
	start := time.Now()
	if len(req.Schema) > 0 {
		if _, err := llm.CompileSchema(req.Schema); err != nil {
			return llm.Result{}, err
		}
	}
	budget := llm.AttemptBudget(ctx)
	attempts := 0
	var comp *oa.ChatCompletion
	var mode Mode
	for {
		mode = p.Mode()
		attempts++
		var err error
		comp, err = p.client.Chat.Completions.New(ctx, p.params(req, mode))
		if err == nil {
			break
		}
		if len(req.Schema) > 0 && mode < ModeText && rejectsFormat(err) && attempts < budget {
			// the endpoint does not do this mode: drop to the next for good
			p.mode.CompareAndSwap(int32(mode), int32(mode+1))
			continue
		}
		return llm.Result{Attempts: attempts, Provider: p.cfg.Label, Model: p.cfg.Model}, p.fail(err, attempts)
	}
	res := llm.Result{Provider: p.cfg.Label, Model: comp.Model, Attempts: attempts}
	if res.Model == "" {
		res.Model = p.cfg.Model
	}
	res.Usage = usage(comp.Usage)
	for _, c := range comp.Choices {
		ch := llm.Choice{Text: c.Message.Content, FinishReason: c.FinishReason}
		for _, tc := range c.Message.ToolCalls {
			if tc.Function.Name != "" {
				ch.ToolCalls = append(ch.ToolCalls, llm.ToolCall{ID: tc.ID, Name: tc.Function.Name, Arguments: tc.Function.Arguments})
			}
		}
		res.Choices = append(res.Choices, ch)
	}
	if len(res.Choices) == 0 {
		res.Latency = time.Since(start)
		return res, p.badOutput(apperr.New(apperr.Invalid, "the answer has no choices"), attempts)
	}
	if len(req.Schema) > 0 {
		if err := p.validate(ctx, req, mode, &res, budget-attempts); err != nil {
			res.Latency = time.Since(start)
			return res, err
		}
	}
	res.Latency = time.Since(start)
	return res, nil
}

// validate checks every choice against the schema and repairs the invalid
// ones with one more request if left > 0.
func (p *Provider) validate(ctx context.Context, req llm.Request, mode Mode, res *llm.Result, left int) error {
	var bad []int
	var firstErr error
	for i := range res.Choices {
		if len(res.Choices[i].ToolCalls) > 0 {
			continue // a tool round, not the answer
		}
		js, err := llm.ValidateAnswer(req.Schema, res.Choices[i].Text)
		if err != nil {
			bad = append(bad, i)
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		res.Choices[i].JSON = js
	}
	if len(bad) == 0 {
		return nil
	}
	if left < 1 {
		return p.badOutput(firstErr, res.Attempts)
	}
	fix := req
	fix.N = len(bad)
	fix.Messages = append(append([]llm.Message(nil), req.Messages...),
		llm.Message{Role: llm.RoleAssistant, Content: res.Choices[bad[0]].Text},
		llm.Message{Role: llm.RoleUser, Content: "That answer is not usable: " + firstErr.Error() +
			". Reply again with only the corrected JSON object, complete and valid against the schema, with no other text."})
	res.Attempts++
	comp, err := p.client.Chat.Completions.New(ctx, p.params(fix, mode))
	if err != nil {
		return p.fail(err, res.Attempts)
	}
	res.Usage.Add(usage(comp.Usage))
	for k, c := range comp.Choices {
		if k >= len(bad) {
			break
		}
		js, verr := llm.ValidateAnswer(req.Schema, c.Message.Content)
		if verr != nil {
			return p.badOutput(fmt.Errorf("after repair: %w", verr), res.Attempts)
		}
		res.Choices[bad[k]] = llm.Choice{Text: c.Message.Content, JSON: js, FinishReason: c.FinishReason}
	}
	if len(comp.Choices) < len(bad) {
		return p.badOutput(apperr.New(apperr.Invalid, "repair returned %d of %d answers", len(comp.Choices), len(bad)), res.Attempts)
	}
	return nil
}

// Stream sends req with stream: true and passes each content fragment to
// onDelta. Vendor fields such as reasoning_content are ignored. A stream
// that ends without a finish reason is reported as cut off.
func (p *Provider) Stream(ctx context.Context, req llm.Request, onDelta func(string) error) (llm.Result, error) {
	start := time.Now()
	if req.N > 1 {
		return llm.Result{}, apperr.New(apperr.Invalid, "streaming supports one variant (n=1), got n=%d", req.N)
	}
	mode := p.Mode()
	params := p.params(req, mode)
	params.StreamOptions = oa.ChatCompletionStreamOptionsParam{IncludeUsage: oa.Bool(true)}
	stream := p.client.Chat.Completions.NewStreaming(ctx, params)
	defer stream.Close()
	res := llm.Result{Provider: p.cfg.Label, Model: p.cfg.Model, Attempts: 1}
	var text strings.Builder
	finish := ""
	var calls []llm.ToolCall // by the index the deltas carry
	for stream.Next() {
		ch := stream.Current()
		if ch.Model != "" {
			res.Model = ch.Model
		}
		if ch.Usage.TotalTokens > 0 {
			res.Usage = usage(ch.Usage)
		}
		for _, c := range ch.Choices {
			if c.Index != 0 {
				continue
			}
			if c.Delta.Content != "" {
				text.WriteString(c.Delta.Content)
				if err := onDelta(c.Delta.Content); err != nil {
					return res, err
				}
			}
			for _, tc := range c.Delta.ToolCalls {
				for int(tc.Index) >= len(calls) {
					calls = append(calls, llm.ToolCall{})
				}
				k := &calls[tc.Index]
				if tc.ID != "" {
					k.ID = tc.ID
				}
				k.Name += tc.Function.Name
				k.Arguments += tc.Function.Arguments
			}
			if c.FinishReason != "" {
				finish = c.FinishReason
			}
		}
	}
	res.Latency = time.Since(start)
	if err := stream.Err(); err != nil {
		return res, p.fail(err, 1)
	}
	res.Choices = []llm.Choice{{Text: text.String(), FinishReason: finish, ToolCalls: calls}}
	if finish == "" {
		return res, apperr.Wrap(&llm.ProviderError{Provider: p.cfg.Label, Retryable: true, Attempts: 1, Msg: "stream ended before the answer was complete"},
			apperr.Unavailable, "%s", p.Name())
	}
	if len(req.Schema) > 0 && len(calls) == 0 {
		js, err := llm.ValidateAnswer(req.Schema, text.String())
		if err != nil {
			return res, p.badOutput(err, 1)
		}
		res.Choices[0].JSON = js
	}
	return res, nil
}

func usage(u oa.CompletionUsage) llm.Usage {
	return llm.Usage{PromptTokens: int(u.PromptTokens), CompletionTokens: int(u.CompletionTokens), TotalTokens: int(u.TotalTokens)}
}

// rejectsFormat reports a 400 about response_format: the endpoint does not
// support the structured-output mode we asked for.
func rejectsFormat(err error) bool {
	var ae *oa.Error
	if !errors.As(err, &ae) || (ae.StatusCode != 400 && ae.StatusCode != 422) {
		return false
	}
	s := strings.ToLower(ae.Message + " " + ae.Param + " " + ae.RawJSON())
	return strings.Contains(s, "response_format") || strings.Contains(s, "json_schema") || strings.Contains(s, "json_object")
}

func (p *Provider) badOutput(err error, attempts int) error {
	return apperr.Wrap(&llm.ProviderError{Provider: p.cfg.Label, BadOutput: true, Retryable: true, Attempts: attempts, Msg: err.Error()},
		apperr.Invalid, "%s", p.Name())
}

// fail turns a client error into an *apperr.Error around an
// *llm.ProviderError, with a message that names the setting to fix when
// there is one.
func (p *Provider) fail(err error, attempts int) error {
	pe := &llm.ProviderError{Provider: p.cfg.Label, Attempts: attempts, Err: err}
	var ae *oa.Error
	switch {
	case errors.As(err, &ae):
		pe.Status = ae.StatusCode
		pe.Msg = ae.Message
		pe.Err = nil
		if pe.Msg == "" {
			pe.Msg = http.StatusText(ae.StatusCode)
		}
		if ae.Response != nil {
			pe.RetryAfter = retryAfter(ae.Response.Header)
		}
		switch s := ae.StatusCode; {
		case s == 408 || s == 409 || s == 429 || s >= 500:
			pe.Retryable = true
			return apperr.Wrap(pe, apperr.Unavailable, "%s", p.Name())
		case s == 401 || s == 403:
			return apperr.Wrap(pe, apperr.Invalid, "%s rejected the API key: set CHORUS_LLM_API_KEY (or OPENAI_API_KEY) or llm.api_key", p.cfg.BaseURL)
		case s == 404:
			return apperr.Wrap(pe, apperr.Invalid, "%s does not know model %q or the path: check CHORUS_LLM_MODEL and CHORUS_LLM_BASE_URL (it usually ends in /v1)", p.cfg.BaseURL, p.cfg.Model)
		}
		return apperr.Wrap(pe, apperr.Invalid, "%s rejected the request", p.Name())
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		pe.Retryable = true
		pe.Msg = "timed out or cancelled"
		return apperr.Wrap(pe, apperr.Unavailable, "%s", p.Name())
	}
	pe.Retryable = true
	var ne net.Error
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		pe.Msg = "cannot connect"
		return apperr.Wrap(pe, apperr.Unavailable, "cannot reach llm.base_url %s: check CHORUS_LLM_BASE_URL (is the server running?)", p.cfg.BaseURL)
	}
	if errors.As(err, &ne) {
		pe.Msg = "network error"
		return apperr.Wrap(pe, apperr.Unavailable, "%s", p.Name())
	}
	// a body that does not parse: cut off or not JSON at all
	pe.Msg = "malformed response"
	return apperr.Wrap(pe, apperr.Unavailable, "%s", p.Name())
}

// retryAfter reads retry-after-ms (OpenAI) or Retry-After (seconds or an
// HTTP date).
func retryAfter(h http.Header) time.Duration {
	if v := h.Get("retry-after-ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, time.Until(t))
	}
	return 0
}
