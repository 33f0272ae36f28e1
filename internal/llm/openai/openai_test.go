package openai_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/llm/llmtest"
	"github.com/chorusmkt/chorus/internal/llm/openai"
)

var adSchema = json.RawMessage(`{"type":"object","properties":{"headline":{"type":"string","maxLength":40},"cta":{"type":"string"}},"required":["headline","cta"],"additionalProperties":false}`)

func newProvider(t *testing.T, srv *llmtest.Server) *openai.Provider {
	t.Helper()
	p, err := openai.New(openai.Config{BaseURL: srv.BaseURL(), APIKey: "sk-test", Model: "fake-gpt", Headers: map[string]string{"X-Team": "chorus"}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func adRequest() llm.Request {
	return llm.Request{Messages: []llm.Message{{Role: llm.RoleSystem, Content: "You write ads."}, {Role: llm.RoleUser, Content: "Write an ad for a camera bag."}},
		Schema: adSchema, SchemaName: "ad"}
}

func TestStructuredModes(t *testing.T) {
	for _, tc := range []struct {
		name         string
		cfg          llmtest.Config
		want         openai.Mode
		wantRequests int64
	}{
		{"json_schema", llmtest.Config{APIKey: "sk-test"}, openai.ModeJSONSchema, 1},
		{"falls back to json_object", llmtest.Config{APIKey: "sk-test", NoJSONSchema: true}, openai.ModeJSONObject, 2},
		{"falls back to text", llmtest.Config{APIKey: "sk-test", NoJSONSchema: true, NoJSONObject: true}, openai.ModeText, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := llmtest.Start(t, tc.cfg)
			p := newProvider(t, srv)
			res, err := p.Generate(llm.WithAttemptBudget(context.Background(), 4), adRequest())
			if err != nil {
				t.Fatal(err)
			}
			var ad struct{ Headline, CTA string }
			if err := json.Unmarshal(res.JSON(), &ad); err != nil || ad.Headline == "" || ad.CTA == "" {
				t.Fatalf("JSON = %s (%v)", res.JSON(), err)
			}
			if p.Mode() != tc.want || srv.Requests() != tc.wantRequests || res.Attempts != int(tc.wantRequests) {
				t.Fatalf("mode %v after %d requests (attempts %d), want %v after %d", p.Mode(), srv.Requests(), res.Attempts, tc.want, tc.wantRequests)
			}
			if res.Provider != "openai" || res.Usage.TotalTokens == 0 {
				t.Fatalf("result %+v", res)
			}
			// the downgrade sticks: the next call goes straight to the working mode
			if _, err := p.Generate(context.Background(), adRequest()); err != nil {
				t.Fatal(err)
			}
			if srv.Requests() != tc.wantRequests+1 {
				t.Fatalf("second call made %d requests", srv.Requests()-tc.wantRequests)
			}
		})
	}
}

func TestRepairRoundTrip(t *testing.T) {
	for _, f := range []llmtest.Fault{llmtest.Malformed, llmtest.WrongSchema} {
		t.Run(string(f), func(t *testing.T) {
			srv := llmtest.Start(t, llmtest.Config{Reasoning: true, FaultFunc: func(n int64, _ *llmtest.ChatRequest) llmtest.Fault {
				if n == 1 {
					return f
				}
				return llmtest.None
			}})
			p := newProvider(t, srv)
			res, err := p.Generate(context.Background(), adRequest())
			if err != nil {
				t.Fatal(err)
			}
			if res.Attempts != 2 || srv.Requests() != 2 || len(res.JSON()) == 0 {
				t.Fatalf("attempts %d, requests %d, json %s", res.Attempts, srv.Requests(), res.JSON())
			}
		})
	}
}

func TestInvalidAfterRepairIsReported(t *testing.T) {
	srv := llmtest.Start(t, llmtest.Config{FaultFunc: func(int64, *llmtest.ChatRequest) llmtest.Fault { return llmtest.WrongSchema }})
	p := newProvider(t, srv)
	_, err := p.Generate(context.Background(), adRequest())
	pe, ok := llm.AsProviderError(err)
	if !apperr.Is(err, apperr.Invalid) || !ok || !pe.BadOutput || pe.Attempts != 2 {
		t.Fatalf("err = %v (%+v)", err, pe)
	}
	if !strings.Contains(llm.Reason(err), "schema") {
		t.Fatalf("reason %q", llm.Reason(err))
	}
}

func TestErrorsNameTheSetting(t *testing.T) {
	srv := llmtest.Start(t, llmtest.Config{APIKey: "right"})
	p, _ := openai.New(openai.Config{BaseURL: srv.BaseURL(), APIKey: "wrong", Model: "m"})
	_, err := p.Generate(context.Background(), adRequest())
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "CHORUS_LLM_API_KEY") {
		t.Fatalf("bad key: %v", err)
	}
	p, _ = openai.New(openai.Config{BaseURL: "http://127.0.0.1:1/v1", Model: "m"})
	_, err = p.Generate(context.Background(), adRequest())
	if !apperr.Is(err, apperr.Unavailable) || !strings.Contains(err.Error(), "CHORUS_LLM_BASE_URL") {
		t.Fatalf("unreachable: %v", err)
	}
	if _, err := openai.New(openai.Config{BaseURL: "localhost:11434", Model: "m"}); err == nil || !strings.Contains(err.Error(), "CHORUS_LLM_BASE_URL") {
		t.Fatalf("bad URL: %v", err)
	}
}

func TestRateLimitCarriesRetryAfter(t *testing.T) {
	srv := llmtest.Start(t, llmtest.Config{FaultFunc: func(int64, *llmtest.ChatRequest) llmtest.Fault { return llmtest.RateLimited }})
	p := newProvider(t, srv)
	_, err := p.Generate(context.Background(), adRequest())
	pe, ok := llm.AsProviderError(err)
	if !ok || pe.Status != 429 || !pe.Retryable || pe.RetryAfter.Milliseconds() != 50 {
		t.Fatalf("err = %v (%+v)", err, pe)
	}
}

func TestStream(t *testing.T) {
	srv := llmtest.Start(t, llmtest.Config{Reasoning: true})
	p := newProvider(t, srv)
	var parts []string
	req := llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: "Say something long enough to be split into several chunks."}}}
	res, err := p.Stream(context.Background(), req, func(s string) error { parts = append(parts, s); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) < 3 || strings.Join(parts, "") != res.Text() || res.Usage.TotalTokens == 0 || res.Choices[0].FinishReason != "stop" {
		t.Fatalf("parts %q, result %+v", parts, res)
	}
	// a stream cut off mid-answer is an error, not a short answer
	cut := llmtest.Start(t, llmtest.Config{FaultFunc: func(int64, *llmtest.ChatRequest) llmtest.Fault { return llmtest.Truncated }})
	_, err = newProvider(t, cut).Stream(context.Background(), req, func(string) error { return nil })
	if pe, ok := llm.AsProviderError(err); !ok || !pe.Retryable {
		t.Fatalf("cut stream: %v", err)
	}
}

func TestPing(t *testing.T) {
	srv := llmtest.Start(t, llmtest.Config{APIKey: "sk-test", NoJSONSchema: true})
	p := newProvider(t, srv)
	r, err := p.Ping(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r.Structured != "json_object" || !r.Valid || r.Model != "fake-gpt" {
		t.Fatalf("%+v", r)
	}
}
