package llm_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/llm"
)

// scripted is a Model whose answers come from a function of the call number.
type scripted struct {
	calls atomic.Int64
	fn    func(n int64, req llm.Request) (llm.Result, error)
}

func (s *scripted) Name() string { return "fake/m" }
func (s *scripted) Generate(ctx context.Context, req llm.Request) (llm.Result, error) {
	return s.fn(s.calls.Add(1), req)
}
func (s *scripted) Stream(ctx context.Context, req llm.Request, on func(string) error) (llm.Result, error) {
	r, err := s.Generate(ctx, req)
	if err == nil {
		err = on(r.Text())
	}
	return r, err
}

func ok(text string) llm.Result {
	return llm.Result{Provider: "fake", Model: "m", Attempts: 1, Choices: []llm.Choice{{Text: text}},
		Usage: llm.Usage{PromptTokens: 10, CompletionTokens: 20, TotalTokens: 30}}
}

func transient(status int, after time.Duration) error {
	return apperr.Wrap(&llm.ProviderError{Status: status, Retryable: true, RetryAfter: after, Msg: "busy"}, apperr.Unavailable, "fake")
}

func req(i int) llm.Request {
	return llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: fmt.Sprintf("prompt %d", i)}}, Campaign: "c", Item: fmt.Sprint(i)}
}

func TestRetryHonoursRetryAfterAndBudget(t *testing.T) {
	// fake time (testing/synctest): waits are exact and take no time
	synctest.Test(t, func(t *testing.T) {
		m := &scripted{fn: func(n int64, _ llm.Request) (llm.Result, error) {
			if n < 3 {
				return llm.Result{}, transient(429, 30*time.Millisecond)
			}
			return ok("done"), nil
		}}
		r := llm.NewRetry(m, llm.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond})
		start := time.Now()
		res, err := r.Generate(context.Background(), req(1))
		if err != nil || res.Attempts != 3 {
			t.Fatalf("%v attempts %d", err, res.Attempts)
		}
		// two waits of at least the 30 ms the provider asked for
		if el := time.Since(start); el < 60*time.Millisecond {
			t.Fatalf("Retry-After not honoured: %s", el)
		}
		// a provider that never recovers: exactly MaxAttempts calls
		m2 := &scripted{fn: func(int64, llm.Request) (llm.Result, error) { return llm.Result{}, transient(503, 0) }}
		_, err = llm.NewRetry(m2, llm.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond}).Generate(context.Background(), req(1))
		if m2.calls.Load() != 3 || !apperr.Is(err, apperr.Unavailable) || !strings.Contains(err.Error(), "3 attempts") {
			t.Fatalf("calls %d err %v", m2.calls.Load(), err)
		}
		// not retryable (400): one call
		m3 := &scripted{fn: func(int64, llm.Request) (llm.Result, error) {
			return llm.Result{}, apperr.Wrap(&llm.ProviderError{Status: 400, Msg: "bad"}, apperr.Invalid, "fake")
		}}
		_, err = llm.NewRetry(m3, llm.RetryPolicy{}).Generate(context.Background(), req(1))
		if m3.calls.Load() != 1 || !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("calls %d err %v", m3.calls.Load(), err)
		}
		// a provider asking to wait longer than allowed fails at once with the reason
		m4 := &scripted{fn: func(int64, llm.Request) (llm.Result, error) { return llm.Result{}, transient(429, time.Hour) }}
		_, err = llm.NewRetry(m4, llm.RetryPolicy{MaxRetryAfter: time.Second}).Generate(context.Background(), req(1))
		if m4.calls.Load() != 1 || !strings.Contains(err.Error(), "asked to wait") {
			t.Fatalf("calls %d err %v", m4.calls.Load(), err)
		}
	})
}

func TestRetryStopsOnCancel(t *testing.T) {
	// fake time (testing/synctest): waits are exact and take no time
	synctest.Test(t, func(t *testing.T) {
		m := &scripted{fn: func(int64, llm.Request) (llm.Result, error) { return llm.Result{}, transient(500, 0) }}
		r := llm.NewRetry(m, llm.RetryPolicy{MaxAttempts: 100, BaseDelay: time.Hour})
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		done := make(chan error)
		go func() { _, err := r.Generate(ctx, req(1)); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, context.DeadlineExceeded) || m.calls.Load() != 1 {
				t.Fatalf("err %v after %d calls", err, m.calls.Load())
			}
		case <-time.After(5 * time.Second):
			t.Fatal("cancellation did not stop the backoff")
		}
	})
}

func TestBreakerOpensAndRecovers(t *testing.T) {
	// fake time (testing/synctest): waits are exact and take no time
	synctest.Test(t, func(t *testing.T) {
		var healthy atomic.Bool
		m := &scripted{fn: func(int64, llm.Request) (llm.Result, error) {
			if healthy.Load() {
				return ok("fine"), nil
			}
			return llm.Result{}, transient(503, 0)
		}}
		b := llm.NewBreaker(m, 3, 30*time.Millisecond)
		for range 3 {
			_, _ = b.Generate(context.Background(), req(1))
		}
		if b.State() != "open" {
			t.Fatalf("state %s", b.State())
		}
		_, err := b.Generate(context.Background(), req(1))
		if m.calls.Load() != 3 || !strings.Contains(err.Error(), "circuit open") || !apperr.Is(err, apperr.Unavailable) {
			t.Fatalf("calls %d, err %v", m.calls.Load(), err)
		}
		time.Sleep(40 * time.Millisecond)
		healthy.Store(true)
		if _, err := b.Generate(context.Background(), req(1)); err != nil || b.State() != "closed" {
			t.Fatalf("probe: %v, state %s", err, b.State())
		}
		// invalid answers say nothing about the provider's health
		bad := &scripted{fn: func(int64, llm.Request) (llm.Result, error) {
			return llm.Result{}, apperr.Wrap(&llm.ProviderError{BadOutput: true, Msg: "x"}, apperr.Invalid, "fake")
		}}
		b2 := llm.NewBreaker(bad, 2, time.Minute)
		for range 5 {
			_, _ = b2.Generate(context.Background(), req(1))
		}
		if b2.State() != "closed" {
			t.Fatal("bad output opened the breaker")
		}
	})
}

func TestLimiterConcurrencyAndTokens(t *testing.T) {
	// fake time (testing/synctest): waits are exact and take no time
	synctest.Test(t, func(t *testing.T) {
		var inFlight, peak atomic.Int64
		m := &scripted{fn: func(int64, llm.Request) (llm.Result, error) {
			n := inFlight.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(5 * time.Millisecond)
			inFlight.Add(-1)
			return ok("x"), nil
		}}
		l := llm.NewLimiter(m, llm.Limits{Concurrency: 3})
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Add(1)
			go func() { defer wg.Done(); _, _ = l.Generate(context.Background(), req(i)) }()
		}
		wg.Wait()
		if peak.Load() > 3 || peak.Load() < 2 {
			t.Fatalf("peak in flight %d", peak.Load())
		}
		// a token budget far below the estimate makes the call wait; cancelling stops it
		tl := llm.NewLimiter(m, llm.Limits{Concurrency: 1, TPM: 600}) // 10 tokens a second
		big := req(1)
		big.MaxTokens = 5000
		_, _ = tl.Generate(context.Background(), big) // drains the bucket
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		defer cancel()
		if _, err := tl.Generate(ctx, big); !apperr.Is(err, apperr.Unavailable) {
			t.Fatalf("over budget: %v", err)
		}
	})
}

func TestBatchReportsEveryItemOnce(t *testing.T) {
	m := &scripted{fn: func(n int64, r llm.Request) (llm.Result, error) {
		if strings.HasSuffix(r.Item, "7") {
			return llm.Result{}, transient(500, 0)
		}
		return ok(r.Item), nil
	}}
	reqs := make([]llm.Request, 500)
	for i := range reqs {
		reqs[i] = req(i)
	}
	seen := make([]int, len(reqs))
	failed := 0
	err := llm.Batch(context.Background(), m, reqs, 16, func(i int, r llm.Result, err error) {
		seen[i]++
		if err != nil {
			failed++
		} else if r.Text() != reqs[i].Item {
			t.Errorf("item %d got %q", i, r.Text())
		}
	})
	if err != nil || failed != 50 {
		t.Fatalf("%v, %d failed", err, failed)
	}
	for i, n := range seen {
		if n != 1 {
			t.Fatalf("item %d reported %d times", i, n)
		}
	}
	// cancelled mid-way: the rest are reported with the cancellation
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int64
	slow := &scripted{fn: func(n int64, r llm.Request) (llm.Result, error) {
		if calls.Add(1) == 10 {
			cancel()
		}
		return ok("x"), nil
	}}
	seen = make([]int, len(reqs))
	cancelled := 0
	err = llm.Batch(ctx, slow, reqs, 4, func(i int, r llm.Result, err error) {
		seen[i]++
		if errors.Is(err, context.Canceled) {
			cancelled++
		}
	})
	if !errors.Is(err, context.Canceled) || cancelled < 400 {
		t.Fatalf("%v, %d cancelled", err, cancelled)
	}
	for i, n := range seen {
		if n != 1 {
			t.Fatalf("after cancel, item %d reported %d times", i, n)
		}
	}
}

func TestCacheSharesInFlightAndPersists(t *testing.T) {
	// fake time (testing/synctest): waits are exact and take no time
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		m := &scripted{fn: func(int64, llm.Request) (llm.Result, error) { <-release; return ok("answer"), nil }}
		st := llm.NewMemoryStore()
		c := llm.NewCache(m, st, nil, nil)
		var wg sync.WaitGroup
		results := make([]llm.Result, 5)
		for i := range results {
			wg.Add(1)
			go func() { defer wg.Done(); results[i], _ = c.Generate(context.Background(), req(1)) }()
		}
		synctest.Wait() // the five callers wait on the one provider call
		close(release)
		wg.Wait()
		if m.calls.Load() != 1 {
			t.Fatalf("%d provider calls for 5 identical requests", m.calls.Load())
		}
		cached := 0
		for _, r := range results {
			if r.Text() != "answer" {
				t.Fatalf("result %+v", r)
			}
			if r.Cached {
				cached++
			}
		}
		if cached != 4 {
			t.Fatalf("%d marked cached", cached)
		}
		// a new cache over the same store answers without calling
		c2 := llm.NewCache(m, st, nil, nil)
		r, err := c2.Generate(context.Background(), req(1))
		if err != nil || !r.Cached || r.Attempts != 0 || m.calls.Load() != 1 {
			t.Fatalf("%v %+v calls %d", err, r, m.calls.Load())
		}
		// campaign and item are not part of the key; the schema is
		other := req(1)
		other.Campaign, other.Item = "another", "x"
		if llm.CacheKey("p", "m", other) != llm.CacheKey("p", "m", req(1)) {
			t.Fatal("campaign changed the key")
		}
		other.Schema = json.RawMessage(`{"type":"object"}`)
		if llm.CacheKey("p", "m", other) == llm.CacheKey("p", "m", req(1)) {
			t.Fatal("schema did not change the key")
		}
		if llm.CacheKey("p", "m2", req(1)) == llm.CacheKey("p", "m", req(1)) {
			t.Fatal("model did not change the key")
		}
	})
}

func TestAccountingAndRecorder(t *testing.T) {
	st := llm.NewMemoryStore()
	rec := llm.NewRecorder(st, time.Hour, nil)
	m := &scripted{fn: func(n int64, r llm.Request) (llm.Result, error) {
		if n == 3 {
			return llm.Result{}, transient(500, 0)
		}
		return ok("x"), nil
	}}
	cache := llm.NewCache(m, st, rec, nil)
	acct := llm.NewAccountant(llm.NewRequestLog(cache, "run1", rec, cache.Key), "run1",
		map[string]config.ModelPrice{"m": {Prompt: 1, Completion: 2}}, rec)
	for _, i := range []int{1, 2, 3, 1} { // the last is a cache hit
		_, _ = acct.Generate(context.Background(), req(i))
	}
	tot := acct.Total()
	if tot.Calls != 4 || tot.Cached != 1 || tot.Failed != 1 || tot.PromptTokens != 20 || tot.CompletionTokens != 40 || tot.SavedTokens != 30 {
		t.Fatalf("totals %+v", tot)
	}
	if want := (20*1.0 + 40*2.0) / 1e6; tot.CostUSD < want*0.999 || tot.CostUSD > want*1.001 {
		t.Fatalf("cost %g want %g", tot.CostUSD, want)
	}
	if err := rec.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	us, _ := st.LLMUsage(context.Background(), llm.UsageFilter{Run: "run1"})
	logs, _ := st.ListLLMLog(context.Background(), llm.LogFilter{Run: "run1"})
	if len(us) != 1 || us[0].Calls != 4 || len(logs) != 4 || logs[0].Status != llm.StatusCached || logs[1].Status != llm.StatusError {
		t.Fatalf("usage %+v logs %d", us, len(logs))
	}
	if _, err := st.GetLLMCache(context.Background(), cache.Key(req(2))); err != nil {
		t.Fatalf("cache not flushed: %v", err)
	}
}

func TestValidateAnswer(t *testing.T) {
	schema := json.RawMessage(`{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}`)
	for _, in := range []string{`{"a":"x"}`, "```json\n{\"a\": \"x\"}\n```", `Sure! Here it is: {"a":"x"} Hope it helps.`} {
		if js, err := llm.ValidateAnswer(schema, in); err != nil || string(js) != `{"a":"x"}` {
			t.Errorf("%q: %s %v", in, js, err)
		}
	}
	for _, in := range []string{`{"a":`, `{"b":"x"}`, `not json`} {
		if _, err := llm.ValidateAnswer(schema, in); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%q: %v", in, err)
		}
	}
}
