// Package llmtest is an in-process fake of an OpenAI-compatible Chat
// Completions server for tests and benchmarks. It speaks the real protocol
// — POST /v1/chat/completions with JSON or SSE streaming answers, usage
// fields, response_format json_schema / json_object, GET /v1/models — and
// injects the faults real providers produce: latency, 429 with Retry-After,
// 500/503, hung requests, cut-off bodies, malformed JSON and JSON that
// breaks the schema. It enforces an optional request-per-minute limit and
// counts every request that arrives over it.
package llmtest

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"golang.org/x/time/rate"
)

// Fault is what the server does to one request instead of answering well.
type Fault string

// The faults the server can inject.
const (
	None        Fault = ""
	RateLimited Fault = "429"          // 429 with Retry-After and retry-after-ms
	Internal    Fault = "500"          // 500 with an error body
	Unavailable Fault = "503"          // 503 with an error body
	Hang        Fault = "timeout"      // no answer until the client gives up
	Truncated   Fault = "truncated"    // 200 whose body is cut off mid-JSON
	Malformed   Fault = "malformed"    // a well-formed envelope whose content is broken JSON
	WrongSchema Fault = "wrong_schema" // content is JSON but not the schema asked for
)

// Config shapes the fake. The zero value answers every request at once.
type Config struct {
	// Model is reported in answers (default "fake-gpt").
	Model string
	// APIKey, when set, is required as a Bearer token.
	APIKey string
	// Latency is added to every request (before faults other than Hang).
	Latency time.Duration
	// RPM enforces a request-per-minute limit as a token bucket of burst
	// RPMBurst; requests over it get a 429 and are counted as violations.
	// The default burst is one second's allowance, the way OpenAI
	// documents enforcement ("60,000 requests/minute may be enforced as
	// 1,000 requests/second"): stricter than a per-minute window, and a
	// client without pacing exceeds it within the first second.
	RPM, RPMBurst int
	// FaultRate is the share of requests that get one of Faults, drawn
	// with a generator seeded by Seed. FaultFunc, when set, decides instead.
	FaultRate float64
	Faults    []Fault
	Seed      uint64
	FaultFunc func(n int64, req *ChatRequest) Fault
	// RetryAfter is what a 429 asks for (default 50 ms; sent as
	// retry-after-ms and, rounded up to seconds, as Retry-After).
	RetryAfter time.Duration
	// NoJSONSchema / NoJSONObject make the server reject those
	// response_format types with a 400, like many local servers.
	NoJSONSchema, NoJSONObject bool
	// Answer, when set, scripts the content of every good answer.
	Answer func(req *ChatRequest) string
	// Reasoning adds a vendor reasoning_content field to messages.
	Reasoning bool
	// Tools, when set, scripts tool calling: it returns the tool calls of
	// the answer to req, or none to answer with content (see Script).
	Tools func(req *ChatRequest) []ScriptedCall
}

// ScriptedCall is a tool call the fake makes.
type ScriptedCall struct {
	Name      string
	Arguments string // JSON text
}

// Step is one answer of a script: tool calls, or (when Calls is empty)
// content, which Answer computes from the request when set (to quote a
// tool result, or to invent a price on purpose).
type Step struct {
	Calls  []ScriptedCall
	Answer func(req *ChatRequest) string
}

// Script answers the k-th request of a conversation with steps[k], k
// being the number of tool rounds the request already carries (assistant
// messages with tool calls). Past the last step it answers with the last
// step's content. Put Tools: s.Tools and Answer: s.Answer in the Config.
type Script []Step

func (s Script) step(req *ChatRequest) Step {
	k := 0
	for _, m := range req.Messages {
		if m.Role == "assistant" && len(m.ToolCalls) > 0 {
			k++
		}
	}
	if k >= len(s) {
		k = len(s) - 1
	}
	return s[k]
}

// Tools is the script's tool calls for req.
func (s Script) Tools(req *ChatRequest) []ScriptedCall { return s.step(req).Calls }

// Answer is the script's content for req.
func (s Script) Answer(req *ChatRequest) string {
	if st := s.step(req); st.Answer != nil {
		return st.Answer(req)
	}
	return ""
}

// Server is a running fake. Counters are safe to read at any time.
type Server struct {
	*httptest.Server
	cfg Config
	rl  *rate.Limiter

	mu      sync.Mutex
	rnd     *rand.Rand
	good    map[string]int
	faults  map[Fault]int64
	formats map[string]int64

	requests   atomic.Int64
	violations atomic.Int64
	streams    atomic.Int64
}

// New starts a fake; Close it when done.
func New(cfg Config) *Server {
	if cfg.Model == "" {
		cfg.Model = "fake-gpt"
	}
	if cfg.RetryAfter <= 0 {
		cfg.RetryAfter = 50 * time.Millisecond
	}
	s := &Server{cfg: cfg, rnd: rand.New(rand.NewPCG(cfg.Seed, 0x5eed)),
		good: map[string]int{}, faults: map[Fault]int64{}, formats: map[string]int64{}}
	if cfg.RPM > 0 {
		b := cfg.RPMBurst
		if b <= 0 {
			b = max(1, int(math.Ceil(float64(cfg.RPM)/60)))
		}
		s.rl = rate.NewLimiter(rate.Limit(float64(cfg.RPM)/60), b)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.chat)
	mux.HandleFunc("GET /v1/models", s.models)
	s.Server = httptest.NewServer(mux)
	return s
}

// Start starts a fake that closes when t ends.
func Start(t testing.TB, cfg Config) *Server {
	s := New(cfg)
	t.Cleanup(s.Close)
	return s
}

// BaseURL is the OpenAI-style base URL, ending in /v1.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Requests is the number of chat requests received.
func (s *Server) Requests() int64 { return s.requests.Load() }

// Violations is the number of requests that arrived over the RPM limit.
func (s *Server) Violations() int64 { return s.violations.Load() }

// Faults returns how many requests got each fault.
func (s *Server) Faults() map[Fault]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[Fault]int64, len(s.faults))
	for k, v := range s.faults {
		out[k] = v
	}
	return out
}

// Formats counts requests by response_format type ("" for none).
func (s *Server) Formats() map[string]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int64, len(s.formats))
	for k, v := range s.formats {
		out[k] = v
	}
	return out
}

// GoodAnswers returns, per prompt (the last user message), how many good
// answers the server delivered: a client that never does work twice sees
// at most one per prompt.
func (s *Server) GoodAnswers() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.good))
	for k, v := range s.good {
		out[k] = v
	}
	return out
}

// ChatRequest is the request body as the server parsed it.
type ChatRequest struct {
	Model               string          `json:"model"`
	Messages            []ChatMessage   `json:"messages"`
	Temperature         *float64        `json:"temperature"`
	MaxTokens           int             `json:"max_tokens"`
	MaxCompletionTokens int             `json:"max_completion_tokens"`
	N                   int             `json:"n"`
	Seed                *int64          `json:"seed"`
	Stop                json.RawMessage `json:"stop"`
	Stream              bool            `json:"stream"`
	StreamOptions       *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
	Tools []struct {
		Type     string `json:"type"`
		Function struct {
			Name        string          `json:"name"`
			Description string          `json:"description"`
			Parameters  json.RawMessage `json:"parameters"`
		} `json:"function"`
	} `json:"tools"`
	ToolChoice     json.RawMessage `json:"tool_choice"`
	ResponseFormat *struct {
		Type       string `json:"type"`
		JSONSchema *struct {
			Name   string          `json:"name"`
			Schema json.RawMessage `json:"schema"`
			Strict bool            `json:"strict"`
		} `json:"json_schema"`
	} `json:"response_format"`
}

// ChatMessage is one message; Content is a string or an array of parts.
type ChatMessage struct {
	Role       string          `json:"role"`
	Content    json.RawMessage `json:"content"`
	ToolCallID string          `json:"tool_call_id"`
	ToolCalls  []struct {
		ID       string `json:"id"`
		Type     string `json:"type"`
		Function struct {
			Name      string `json:"name"`
			Arguments string `json:"arguments"`
		} `json:"function"`
	} `json:"tool_calls"`
}

// ToolNames are the names of the tools the request offers.
func (r *ChatRequest) ToolNames() []string {
	var out []string
	for _, t := range r.Tools {
		out = append(out, t.Function.Name)
	}
	return out
}

// ToolResults are the contents of the tool messages, in order.
func (r *ChatRequest) ToolResults() []string {
	var out []string
	for _, m := range r.Messages {
		if m.Role == "tool" {
			out = append(out, m.Text())
		}
	}
	return out
}

// Text is the message's text, whichever form it was sent in.
func (m ChatMessage) Text() string {
	var s string
	if json.Unmarshal(m.Content, &s) == nil {
		return s
	}
	var parts []struct {
		Text string `json:"text"`
	}
	_ = json.Unmarshal(m.Content, &parts)
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	return b.String()
}

// Prompt is the last user message.
func (r *ChatRequest) Prompt() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "user" {
			return r.Messages[i].Text()
		}
	}
	return ""
}

// Format is the response_format type, "" when none.
func (r *ChatRequest) Format() string {
	if r.ResponseFormat == nil {
		return ""
	}
	return r.ResponseFormat.Type
}

func apiError(w http.ResponseWriter, status int, typ, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": typ, "code": code, "param": nil}})
}

func (s *Server) models(w http.ResponseWriter, r *http.Request) {
	if !s.authorised(w, r) {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": []any{map[string]any{"id": s.cfg.Model, "object": "model", "owned_by": "llmtest"}}})
}

func (s *Server) authorised(w http.ResponseWriter, r *http.Request) bool {
	if s.cfg.APIKey != "" && r.Header.Get("Authorization") != "Bearer "+s.cfg.APIKey {
		apiError(w, 401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.")
		return false
	}
	return true
}

func (s *Server) pickFault(n int64, req *ChatRequest) Fault {
	if s.cfg.FaultFunc != nil {
		return s.cfg.FaultFunc(n, req)
	}
	if s.cfg.FaultRate <= 0 || len(s.cfg.Faults) == 0 {
		return None
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rnd.Float64() >= s.cfg.FaultRate {
		return None
	}
	return s.cfg.Faults[s.rnd.IntN(len(s.cfg.Faults))]
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	n := s.requests.Add(1)
	if s.rl != nil && !s.rl.Allow() {
		s.violations.Add(1)
		s.rateLimited(w)
		return
	}
	if !s.authorised(w, r) {
		return
	}
	var req ChatRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		apiError(w, 400, "invalid_request_error", "", "could not parse the JSON body: "+err.Error())
		return
	}
	s.mu.Lock()
	s.formats[req.Format()]++
	s.mu.Unlock()
	if req.Model == "" || len(req.Messages) == 0 {
		apiError(w, 400, "invalid_request_error", "", "model and messages are required")
		return
	}
	switch req.Format() {
	case "json_schema":
		if s.cfg.NoJSONSchema {
			apiError(w, 400, "invalid_request_error", "", "response_format type json_schema is not supported by this model")
			return
		}
	case "json_object":
		if s.cfg.NoJSONObject {
			apiError(w, 400, "invalid_request_error", "", "response_format type json_object is not supported by this model")
			return
		}
	}
	fault := s.pickFault(n, &req)
	if fault != None {
		s.mu.Lock()
		s.faults[fault]++
		s.mu.Unlock()
	}
	if fault == Hang {
		<-r.Context().Done()
		return
	}
	if s.cfg.Latency > 0 {
		t := time.NewTimer(s.cfg.Latency)
		select {
		case <-r.Context().Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
	switch fault {
	case RateLimited:
		s.rateLimited(w)
		return
	case Internal:
		apiError(w, 500, "server_error", "", "The server had an error while processing your request.")
		return
	case Unavailable:
		apiError(w, 503, "server_error", "", "The engine is currently overloaded, please try again later.")
		return
	}
	var calls []ScriptedCall
	if s.cfg.Tools != nil && len(req.Tools) > 0 && fault == None {
		calls = s.cfg.Tools(&req)
	}
	variants := max(1, req.N)
	contents := make([]string, variants)
	for i := range contents {
		if len(calls) == 0 {
			contents[i] = s.answer(&req, i, fault)
		}
	}
	if fault == None {
		s.mu.Lock()
		s.good[req.Prompt()]++
		s.mu.Unlock()
	}
	prompt := 0
	for _, m := range req.Messages {
		prompt += 4 + tokens(m.Text())
	}
	completion := 0
	for _, c := range contents {
		completion += tokens(c)
	}
	for _, c := range calls {
		completion += tokens(c.Name + c.Arguments)
	}
	if req.Stream {
		s.streams.Add(1)
		s.stream(w, &req, contents[0], calls, n, prompt, completion, fault == Truncated)
		return
	}
	choices := make([]map[string]any, variants)
	for i, c := range contents {
		msg := map[string]any{"role": "assistant", "content": c, "refusal": nil}
		finish := "stop"
		if len(calls) > 0 {
			msg["content"] = nil
			msg["tool_calls"] = wireCalls(calls, n)
			finish = "tool_calls"
		}
		if s.cfg.Reasoning {
			msg["reasoning_content"] = "The user wants copy; I will answer in the requested form."
		}
		choices[i] = map[string]any{"index": i, "message": msg, "finish_reason": finish, "logprobs": nil}
	}
	body, _ := json.Marshal(map[string]any{
		"id": fmt.Sprintf("chatcmpl-%d", n), "object": "chat.completion", "created": time.Now().Unix(),
		"model": s.cfg.Model, "choices": choices, "system_fingerprint": "fp_llmtest",
		"usage": map[string]any{"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
	})
	w.Header().Set("Content-Type", "application/json")
	if fault == Truncated {
		body = body[:len(body)/2]
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	}
	_, _ = w.Write(body)
}

func (s *Server) rateLimited(w http.ResponseWriter) {
	ra := s.cfg.RetryAfter
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(ra.Seconds()))))
	w.Header().Set("retry-after-ms", strconv.FormatInt(ra.Milliseconds(), 10))
	w.Header().Set("x-ratelimit-limit-requests", strconv.Itoa(s.cfg.RPM))
	apiError(w, 429, "requests", "rate_limit_exceeded", "Rate limit reached for requests. Please try again later.")
}

// wireCalls are the tool calls as the API sends them, with ids unique
// per request n.
func wireCalls(calls []ScriptedCall, n int64) []map[string]any {
	out := make([]map[string]any, len(calls))
	for i, c := range calls {
		out[i] = map[string]any{"id": fmt.Sprintf("call_%d_%d", n, i+1), "type": "function",
			"function": map[string]any{"name": c.Name, "arguments": c.Arguments}}
	}
	return out
}

func (s *Server) stream(w http.ResponseWriter, req *ChatRequest, content string, calls []ScriptedCall, n int64, prompt, completion int, cut bool) {
	fl, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	id := fmt.Sprintf("chatcmpl-s%d", s.streams.Load())
	send := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if fl != nil {
			fl.Flush()
		}
	}
	chunk := func(delta map[string]any, finish any) map[string]any {
		return map[string]any{"id": id, "object": "chat.completion.chunk", "created": time.Now().Unix(), "model": s.cfg.Model,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": nil}}}
	}
	send(chunk(map[string]any{"role": "assistant", "content": ""}, nil))
	if s.cfg.Reasoning {
		send(chunk(map[string]any{"reasoning_content": "Thinking about the copy."}, nil))
	}
	if len(calls) > 0 {
		// the id and name first, then the arguments in pieces, as the API does
		for i, c := range wireCalls(calls, n) {
			fn := c["function"].(map[string]any)
			send(chunk(map[string]any{"tool_calls": []any{map[string]any{"index": i, "id": c["id"], "type": "function",
				"function": map[string]any{"name": fn["name"], "arguments": ""}}}}, nil))
			args := []rune(fn["arguments"].(string))
			for k := 0; k < len(args); k += 10 {
				send(chunk(map[string]any{"tool_calls": []any{map[string]any{"index": i,
					"function": map[string]any{"arguments": string(args[k:min(k+10, len(args))])}}}}, nil))
			}
		}
		send(chunk(map[string]any{}, "tool_calls"))
		fmt.Fprint(w, "data: [DONE]\n\n")
		if fl != nil {
			fl.Flush()
		}
		return
	}
	rs := []rune(content)
	for i := 0; i < len(rs); i += 8 {
		if cut && i >= len(rs)/2 {
			return // connection ends mid-stream, no finish, no [DONE]
		}
		send(chunk(map[string]any{"content": string(rs[i:min(i+8, len(rs))])}, nil))
	}
	send(chunk(map[string]any{}, "stop"))
	if req.StreamOptions != nil && req.StreamOptions.IncludeUsage {
		send(map[string]any{"id": id, "object": "chat.completion.chunk", "created": time.Now().Unix(), "model": s.cfg.Model, "choices": []any{},
			"usage": map[string]any{"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}})
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
	if fl != nil {
		fl.Flush()
	}
}

// answer is the content of choice i: scripted, an instance of the schema
// asked for (in response_format or, for json_object, in the prompt), or
// plain text; broken on purpose for the Malformed and WrongSchema faults.
func (s *Server) answer(req *ChatRequest, i int, fault Fault) string {
	switch fault {
	case Malformed:
		return `{"headline": "Light, waterproof and ready for the road", "description": "Pack your camera`
	case WrongSchema:
		return `{"unexpected": "this is not the object you asked for", "count": 3}`
	}
	if s.cfg.Answer != nil {
		return s.cfg.Answer(req)
	}
	var schema json.RawMessage
	switch req.Format() {
	case "json_schema":
		if req.ResponseFormat.JSONSchema != nil {
			schema = req.ResponseFormat.JSONSchema.Schema
		}
	case "json_object":
		schema = SchemaInPrompt(req)
	}
	if schema == nil && req.Format() == "" {
		schema = SchemaInPrompt(req) // plain-text mode still carries the schema
	}
	if schema != nil {
		var sch map[string]any
		if json.Unmarshal(schema, &sch) == nil {
			b, _ := json.Marshal(Instance(sch, fmt.Sprintf("v%d", i+1)))
			return string(b)
		}
	}
	if req.Format() == "json_object" {
		return fmt.Sprintf(`{"text": "answer %d"}`, i+1)
	}
	p := []rune(req.Prompt())
	return fmt.Sprintf("Variant %d. You asked: %s", i+1, string(p[:min(60, len(p))]))
}

// SchemaMarker introduces the schema in prompts that cannot carry it in
// response_format; providers put the schema right after it.
const SchemaMarker = "JSON Schema:"

// SchemaInPrompt finds a JSON schema given after SchemaMarker in any message.
func SchemaInPrompt(req *ChatRequest) json.RawMessage {
	for _, m := range req.Messages {
		t := m.Text()
		i := strings.Index(t, SchemaMarker)
		if i < 0 {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(t[i+len(SchemaMarker):]))
		var raw json.RawMessage
		if dec.Decode(&raw) == nil {
			return raw
		}
	}
	return nil
}

// Instance builds a value satisfying the common subset of JSON Schema that
// structured output uses (object, properties, required, array, string with
// maxLength/minLength/enum, number, integer, boolean).
func Instance(schema map[string]any, tag string) any {
	if e, ok := schema["enum"].([]any); ok && len(e) > 0 {
		return e[0]
	}
	if c, ok := schema["const"]; ok {
		return c
	}
	typ, _ := schema["type"].(string)
	if ts, ok := schema["type"].([]any); ok && len(ts) > 0 {
		typ, _ = ts[0].(string)
	}
	switch typ {
	case "object", "":
		props, _ := schema["properties"].(map[string]any)
		out := map[string]any{}
		for name, p := range props {
			ps, _ := p.(map[string]any)
			out[name] = instanceNamed(ps, name, tag)
		}
		return out
	case "array":
		items, _ := schema["items"].(map[string]any)
		n := 2
		if mi, ok := schema["minItems"].(float64); ok && int(mi) > n {
			n = int(mi)
		}
		if ma, ok := schema["maxItems"].(float64); ok && int(ma) < n {
			n = int(ma)
		}
		out := make([]any, n)
		for i := range out {
			out[i] = instanceNamed(items, fmt.Sprintf("item%d", i+1), tag)
		}
		return out
	case "integer":
		return 1
	case "number":
		return 1.5
	case "boolean":
		return true
	case "null":
		return nil
	}
	return "sample " + tag
}

func instanceNamed(schema map[string]any, name, tag string) any {
	if schema == nil {
		return name + " " + tag
	}
	if t, _ := schema["type"].(string); t == "string" {
		if _, ok := schema["enum"]; !ok {
			s := name + " " + tag
			if ml, ok := schema["maxLength"].(float64); ok && len([]rune(s)) > int(ml) {
				s = string([]rune(s)[:int(ml)])
			}
			for mn, _ := schema["minLength"].(float64); len([]rune(s)) < int(mn); {
				s += "."
			}
			return s
		}
	}
	return Instance(schema, tag)
}

// tokens approximates a tokenizer: one token per CJK character, one per
// four other characters.
func tokens(s string) int {
	cjk, other := 0, 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			cjk++
		} else {
			other++
		}
	}
	return cjk + (other+3)/4
}
