package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/llm/llmtest"
	"github.com/chorusmkt/chorus/internal/llm/provider"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

var copySchema = json.RawMessage(`{"type":"object","properties":{"headline":{"type":"string","minLength":1},"description":{"type":"string","minLength":1},"cta":{"type":"string","minLength":1}},"required":["headline","description","cta"],"additionalProperties":false}`)

// batch is n distinct structured requests, labelled with campaign and item.
func batch(n int, campaign string) []llm.Request {
	reqs := make([]llm.Request, n)
	for i := range reqs {
		reqs[i] = llm.Request{
			Messages: []llm.Message{{Role: llm.RoleSystem, Content: "You write e-commerce ads."},
				{Role: llm.RoleUser, Content: fmt.Sprintf("Write an ad for product #%d, a camera bag, for a designer who loves travel.", i)}},
			Schema: copySchema, SchemaName: "ad", MaxTokens: 200, Campaign: campaign, Item: fmt.Sprintf("item-%04d", i)}
	}
	return reqs
}

func fakeConfig(srv *llmtest.Server) config.LLM {
	return config.LLM{Provider: "openai", BaseURL: srv.BaseURL(), APIKey: "sk-test", Model: "fake-gpt", Concurrency: 32,
		Timeout: config.Duration(30 * time.Second), Prices: map[string]config.ModelPrice{"fake-gpt": {Prompt: 0.15, Completion: 0.60}}}
}

// TestFaultyBatch: with 30% of requests failing in every way a provider
// fails, each of 1,000 items ends succeeded or failed with a reason, none
// is lost or done twice, and HTTP requests stay within attempts × items.
func TestFaultyBatch(t *testing.T) {
	const items, maxAttempts = 1000, 4
	srv := llmtest.Start(t, llmtest.Config{APIKey: "sk-test", FaultRate: 0.30, Seed: 7, RetryAfter: 20 * time.Millisecond,
		Faults: []llmtest.Fault{llmtest.RateLimited, llmtest.Internal, llmtest.Unavailable, llmtest.Hang, llmtest.Truncated, llmtest.Malformed, llmtest.WrongSchema}})
	st := storetest.OpenSQLite(t)
	stack, err := provider.New(context.Background(), fakeConfig(srv), st,
		provider.WithRetry(llm.RetryPolicy{MaxAttempts: maxAttempts, BaseDelay: 5 * time.Millisecond, MaxDelay: 50 * time.Millisecond, Timeout: time.Second}),
		provider.WithBreaker(50, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stack.Close(context.Background()) }) // before the store closes
	reqs := batch(items, "spring")
	done := make([]int, items)
	var ok, failed int
	reasons := map[string]int{}
	err = llm.Batch(context.Background(), stack, reqs, 32, func(i int, r llm.Result, err error) {
		done[i]++
		if err != nil {
			failed++
			reason := llm.Reason(err)
			if reason == "" {
				t.Errorf("item %d failed without a reason: %v", i, err)
			}
			reasons[reason]++
			return
		}
		ok++
		if len(r.JSON()) == 0 || r.Attempts < 1 || r.Attempts > maxAttempts {
			t.Errorf("item %d: result %+v", i, r)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range done {
		if n != 1 {
			t.Fatalf("item %d reported %d times", i, n)
		}
	}
	if ok+failed != items {
		t.Fatalf("%d succeeded + %d failed != %d", ok, failed, items)
	}
	if srv.Requests() > maxAttempts*items {
		t.Fatalf("%d HTTP requests > %d attempts × %d items", srv.Requests(), maxAttempts, items)
	}
	// Server side, an item is only answered well twice when the client gave
	// up on an attempt whose answer then arrived (a timeout on a loaded
	// machine); that costs tokens but never a second result, and is counted.
	good := srv.GoodAnswers()
	wasted := 0
	for _, r := range reqs {
		if n := good[r.Messages[1].Content]; n > 1 {
			wasted += n - 1
		}
	}
	if ok < items*95/100 {
		t.Fatalf("only %d of %d succeeded", ok, items)
	}
	if err := stack.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	sum := stack.Summary()
	if sum.Calls != items || int(sum.Failed) != failed || sum.Attempts > int64(maxAttempts*items) {
		t.Fatalf("summary %+v", sum)
	}
	stored, _ := st.LLMUsage(context.Background(), llm.UsageFilter{Campaign: "spring"})
	if len(stored) != 1 || stored[0].Calls != items {
		t.Fatalf("stored usage %+v", stored)
	}
	t.Logf("1000 items, 30%% faults %v: %d succeeded, %d failed %v; %d HTTP requests (%.2f per item, bound %d); %d answers wasted on client timeouts; %d prompt + %d completion tokens, $%.4f",
		srv.Faults(), ok, failed, reasons, srv.Requests(), float64(srv.Requests())/items, maxAttempts*items, wasted, sum.PromptTokens, sum.CompletionTokens, sum.CostUSD)
}

// TestSecondRunFromCache: re-running a batch makes no provider calls and
// the summaries show tokens and cost for both runs.
func TestSecondRunFromCache(t *testing.T) {
	srv := llmtest.Start(t, llmtest.Config{APIKey: "sk-test"})
	st := storetest.OpenSQLite(t)
	reqs := batch(200, "autumn")
	run := func(label string) llm.UsageRecord {
		stack, err := provider.New(context.Background(), fakeConfig(srv), st, provider.WithRun(label))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { stack.Close(context.Background()) })
		failed := 0
		_ = llm.Batch(context.Background(), stack, reqs, 16, func(i int, r llm.Result, err error) {
			if err != nil {
				failed++
			}
		})
		if failed > 0 {
			t.Fatalf("%s: %d failed", label, failed)
		}
		if err := stack.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		return stack.Summary()
	}
	first := run("first")
	calls := srv.Requests()
	second := run("second")
	if srv.Requests() != calls {
		t.Fatalf("second run made %d provider calls", srv.Requests()-calls)
	}
	if first.Calls != 200 || first.Cached != 0 || first.PromptTokens == 0 || first.CostUSD <= 0 {
		t.Fatalf("first run %+v", first)
	}
	if second.Cached != 200 || second.PromptTokens != 0 || second.CompletionTokens != 0 || second.CostUSD != 0 ||
		second.SavedTokens != first.PromptTokens+first.CompletionTokens || fmt.Sprintf("%.9f", second.SavedUSD) != fmt.Sprintf("%.9f", first.CostUSD) {
		t.Fatalf("second run %+v vs first %+v", second, first)
	}
	stored, _ := st.LLMUsage(context.Background(), llm.UsageFilter{Campaign: "autumn"})
	if len(stored) != 2 {
		t.Fatalf("stored usage rows %+v", stored)
	}
	logged, _ := st.ListLLMLog(context.Background(), llm.LogFilter{Run: "second", Status: llm.StatusCached, Limit: 500})
	if len(logged) != 200 {
		t.Fatalf("%d cached log rows", len(logged))
	}
	t.Logf("run 1: %d calls, %d+%d tokens, $%.5f; run 2: %d calls, %d cached, 0 tokens, $0 (saved %d tokens, $%.5f); provider calls in run 2: 0",
		first.Calls, first.PromptTokens, first.CompletionTokens, first.CostUSD, second.Calls, second.Cached, second.SavedTokens, second.SavedUSD)
}

// TestRateLimitRespected: a batch paced by the limiter never arrives over
// the fake's request-per-minute limit.
func TestRateLimitRespected(t *testing.T) {
	const rpm = 60000
	srv := llmtest.Start(t, llmtest.Config{APIKey: "sk-test", RPM: rpm, Latency: 5 * time.Millisecond})
	cfg := fakeConfig(srv)
	cfg.RPM, cfg.Concurrency = rpm, 64
	stack, err := provider.New(context.Background(), cfg, nil, provider.WithoutCache())
	if err != nil {
		t.Fatal(err)
	}
	defer stack.Close(context.Background())
	failed := 0
	_ = llm.Batch(context.Background(), stack, batch(400, "")[:400], 64, func(i int, r llm.Result, err error) {
		if err != nil || r.Attempts != 1 {
			failed++
		}
	})
	if srv.Violations() != 0 || failed != 0 {
		t.Fatalf("%d violations, %d failed or retried", srv.Violations(), failed)
	}
}

func TestStartErrorsNameTheSetting(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		cfg  config.LLM
		want string
	}{
		{"unknown provider", config.LLM{Provider: "anthropic", Concurrency: 1}, "CHORUS_LLM_PROVIDER"},
		{"missing key", config.LLM{Provider: "openai", Model: "gpt-4o-mini", Concurrency: 1}, "CHORUS_LLM_API_KEY"},
		{"missing model", config.LLM{Provider: "openai", APIKey: "k", Concurrency: 1}, "CHORUS_LLM_MODEL"},
		{"bad base URL", config.LLM{Provider: "openai", BaseURL: "api.deepseek.com", APIKey: "k", Model: "m", Concurrency: 1}, "CHORUS_LLM_BASE_URL"},
		{"unreachable", config.LLM{Provider: "openai", BaseURL: "http://127.0.0.1:1/v1", Model: "m", Concurrency: 1}, "CHORUS_LLM_BASE_URL"},
		{"bad profile", config.LLM{Profile: "nope", Concurrency: 1}, "llm.profile"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := provider.New(ctx, tc.cfg, nil, provider.WithPing())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to name %s", err, tc.want)
			}
		})
	}
	srv := llmtest.Start(t, llmtest.Config{APIKey: "right"})
	cfg := fakeConfig(srv)
	cfg.APIKey = "wrong"
	if _, err := provider.New(ctx, cfg, nil, provider.WithPing()); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "CHORUS_LLM_API_KEY") {
		t.Fatalf("wrong key: %v", err)
	}
}

func TestOfflineIsTheDefault(t *testing.T) {
	stack, err := provider.New(context.Background(), config.LLM{Concurrency: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer stack.Close(context.Background())
	res, err := stack.Generate(context.Background(), llm.Request{Hints: &llm.Hints{Language: "en", Channel: "push",
		Product: &llm.ProductFacts{Title: "Trail Camera Bag", SellingPoints: []string{"waterproof", "lightweight"}}}})
	if err != nil || res.Provider != "offline" || stack.Name() != "offline/chorus-writer-2" || stack.Summary().Provider != "offline" {
		t.Fatalf("%v %+v %s", err, res, stack.Name())
	}
}

func TestProfiles(t *testing.T) {
	srv := llmtest.Start(t, llmtest.Config{APIKey: "sk-test", NoJSONSchema: true})
	cfg := config.LLM{Concurrency: 4, Profile: "fake", Profiles: map[string]config.LLMProfile{
		"fake": {Provider: "openai", BaseURL: srv.BaseURL(), APIKey: "sk-test", Model: "fake-gpt", StructuredOutput: "json_schema"}}}
	stack, err := provider.New(context.Background(), cfg, nil, provider.WithPing())
	if err != nil {
		t.Fatal(err)
	}
	defer stack.Close(context.Background())
	if stack.Ping == nil || stack.Ping.Structured != "json_object" || stack.Name() != "openai/fake-gpt" {
		t.Fatalf("ping %+v name %s", stack.Ping, stack.Name())
	}
}

// New wires the whole stack from configuration; with no provider set it is
// the offline writer, so this runs with no network and no key.
func ExampleNew() {
	ctx := context.Background()
	stack, err := provider.New(ctx, config.LLM{Concurrency: 4}, nil, provider.WithRun("example"))
	if err != nil {
		panic(err)
	}
	defer stack.Close(ctx)
	res, err := stack.Generate(ctx, llm.Request{N: 2, Hints: &llm.Hints{Channel: "push", Language: "zh", Fields: []string{"title", "body"},
		Product: &llm.ProductFacts{Title: "时尚相机包", SellingPoints: []string{"防水", "防震", "轻便"}},
		Persona: &llm.PersonaFacts{Interests: []string{"旅行", "摄影"}}}})
	if err != nil {
		panic(err)
	}
	fmt.Println(stack.Name(), res.Provider, len(res.Choices), res.Choices[0].Text != res.Choices[1].Text)
	// Output: offline/chorus-writer-2 offline 2 true
}
