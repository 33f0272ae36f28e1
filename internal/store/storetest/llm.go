package storetest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/llm"
)

// RunLLM is the conformance suite of the model layer's tables: response
// cache, request log and usage accounting.
//
// It is typed by the interface the model layer declares (llm.Store), so
// that the in-memory llm.MemoryStore, used in production when there is no
// database, passes the same suite as both engines.
func RunLLM(t *testing.T, open func(*testing.T) llm.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s llm.Store)
	}{
		{"CacheRoundTrip", testLLMCache},
		{"CacheBatchAndExpiry", testLLMCacheBatch},
		{"LogAppendList", testLLMLog},
		{"UsageAccumulates", testLLMUsage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

func testLLMCache(t *testing.T, s llm.Store) {
	_, err := s.GetLLMCache(ctx, "missing")
	if !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("missing key: %v", err)
	}
	res := llm.Result{Provider: "openai", Model: "gpt-x", Usage: llm.Usage{PromptTokens: 12, CompletionTokens: 30, TotalTokens: 42},
		Choices: []llm.Choice{{Text: `{"headline":"防水又防震"}`, JSON: json.RawMessage(`{"headline":"防水又防震"}`), FinishReason: "stop"}}}
	at := time.Date(2026, 11, 1, 8, 0, 0, 123000, time.UTC)
	if err := s.PutLLMCache(ctx, []llm.CacheEntry{{Key: "k1", Provider: "openai", Model: "gpt-x", Result: res, CreatedAt: at}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetLLMCache(ctx, "k1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Provider != "openai" || got.Model != "gpt-x" || !got.CreatedAt.Equal(at) || got.Result.Text() != res.Text() ||
		got.Result.Usage != res.Usage || string(got.Result.JSON()) != `{"headline":"防水又防震"}` && string(got.Result.JSON()) != `{"headline": "防水又防震"}` {
		t.Fatalf("round trip: %+v", got)
	}
	// replacing a key keeps one row with the new answer
	res.Choices[0].Text = "second"
	if err := s.PutLLMCache(ctx, []llm.CacheEntry{{Key: "k1", Provider: "openai", Model: "gpt-x", Result: res, CreatedAt: at}}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.GetLLMCache(ctx, "k1")
	if got.Result.Text() != "second" {
		t.Fatalf("replace: %q", got.Result.Text())
	}
}

func testLLMCacheBatch(t *testing.T, s llm.Store) {
	old := time.Now().Add(-48 * time.Hour)
	var es []llm.CacheEntry
	for i := range 450 {
		at := time.Now()
		if i%3 == 0 {
			at = old
		}
		es = append(es, llm.CacheEntry{Key: fmt.Sprintf("key-%03d", i), Provider: "offline", Model: "w", CreatedAt: at,
			Result: llm.Result{Choices: []llm.Choice{{Text: fmt.Sprint(i)}}}})
	}
	es = append(es, es[1]) // a duplicate key in one batch is tolerated
	if err := s.PutLLMCache(ctx, es); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetLLMCache(ctx, "key-449"); err != nil || got.Result.Text() != "449" {
		t.Fatalf("key-449: %v %+v", err, got)
	}
	n, err := s.DeleteLLMCache(ctx, time.Now().Add(-24*time.Hour))
	if err != nil || n != 150 {
		t.Fatalf("expired %d (%v), want 150", n, err)
	}
	if _, err := s.GetLLMCache(ctx, "key-000"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("expired entry still there: %v", err)
	}
}

func testLLMLog(t *testing.T, s llm.Store) {
	var es []llm.LogEntry
	for i := range 250 {
		e := llm.LogEntry{At: time.Now().UTC(), Run: "r1", Campaign: "c1", Item: fmt.Sprintf("item-%d", i), Provider: "openai", Model: "m",
			CacheKey: "k", Status: llm.StatusOK, Attempts: 1, Usage: llm.Usage{PromptTokens: 10, CompletionTokens: 5}, LatencyMS: 20,
			Request:  json.RawMessage(`{"messages":[{"role":"user","content":"写一条文案"}]}`),
			Response: json.RawMessage(`[{"text":"好文案"}]`)}
		if i%10 == 0 {
			e.Status, e.Error, e.Response = llm.StatusError, "rate limited (HTTP 429)", nil
		}
		if i >= 200 {
			e.Run, e.Status = "r2", llm.StatusCached
		}
		es = append(es, e)
	}
	if err := s.AppendLLMLog(ctx, es); err != nil {
		t.Fatal(err)
	}
	all, err := s.ListLLMLog(ctx, llm.LogFilter{Run: "r1", Limit: 1000})
	if err != nil || len(all) != 200 {
		t.Fatalf("run r1: %d entries (%v)", len(all), err)
	}
	if all[0].ID <= all[1].ID || all[0].Item != "item-199" {
		t.Fatalf("not newest first: %+v", all[0])
	}
	errs, _ := s.ListLLMLog(ctx, llm.LogFilter{Run: "r1", Status: llm.StatusError, Limit: 1000})
	if len(errs) != 20 || errs[0].Error == "" || errs[0].Response != nil {
		t.Fatalf("errors: %d %+v", len(errs), errs[0])
	}
	one, _ := s.ListLLMLog(ctx, llm.LogFilter{Item: "item-5"})
	if len(one) != 1 || one[0].Usage.TotalTokens != 15 || !json.Valid(one[0].Request) || !json.Valid(one[0].Response) {
		t.Fatalf("item-5: %+v", one)
	}
	var req struct{ Messages []llm.Message }
	if err := json.Unmarshal(one[0].Request, &req); err != nil || req.Messages[0].Content != "写一条文案" {
		t.Fatalf("request round trip: %s", one[0].Request)
	}
	if err := s.AppendLLMLog(ctx, []llm.LogEntry{{Status: "weird", Request: json.RawMessage(`{}`)}}); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("bad status: %v", err)
	}
}

func testLLMUsage(t *testing.T, s llm.Store) {
	d := llm.UsageRecord{Run: "r1", Campaign: "spring", Provider: "openai", Model: "gpt-x", Calls: 10, Cached: 2, Failed: 1, Attempts: 12,
		PromptTokens: 1000, CompletionTokens: 500, SavedTokens: 300, CostUSD: 0.25, SavedUSD: 0.05, UpdatedAt: time.Now()}
	if err := s.AddLLMUsage(ctx, []llm.UsageRecord{d, d, {Run: "r2", Campaign: "spring", Provider: "openai", Model: "gpt-x", Calls: 1}}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddLLMUsage(ctx, []llm.UsageRecord{d}); err != nil {
		t.Fatal(err)
	}
	got, err := s.LLMUsage(ctx, llm.UsageFilter{Run: "r1"})
	if err != nil || len(got) != 1 {
		t.Fatalf("r1: %v %+v", err, got)
	}
	u := got[0]
	if u.Calls != 30 || u.Cached != 6 || u.Failed != 3 || u.Attempts != 36 || u.PromptTokens != 3000 || u.CompletionTokens != 1500 ||
		u.SavedTokens != 900 || u.CostUSD < 0.7499 || u.CostUSD > 0.7501 || u.SavedUSD < 0.1499 {
		t.Fatalf("totals %+v", u)
	}
	camp, _ := s.LLMUsage(ctx, llm.UsageFilter{Campaign: "spring"})
	if len(camp) != 2 || camp[0].Run != "r1" || camp[1].Run != "r2" {
		t.Fatalf("campaign: %+v", camp)
	}
}
