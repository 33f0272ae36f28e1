// Package llmbench measures the model stack end to end against the
// llmtest fake: throughput under a request-per-minute limit, a cached
// re-run of the same batch, and a batch against a provider that fails a
// share of requests. `chorus bench llm` and the Go benchmarks print its
// figures.
package llmbench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/llm/llmtest"
	"github.com/chorusmkt/chorus/internal/llm/provider"
)

// Options shape a run; zero fields take the defaults in brackets.
type Options struct {
	Requests    int           `flag:"requests"`     // throughput batch [2000]
	RPM         int           `flag:"rpm"`          // limit enforced by the fake and the client [12000]
	Latency     time.Duration `flag:"latency"`      // fake latency per request [20ms]
	Concurrency int           `flag:"concurrency"`  // calls in flight [64]
	FaultItems  int           `flag:"fault-items"`  // items of the faulty batch [1000]
	FaultRate   float64       `flag:"fault-rate"`   // share of failing requests [0.30]
	MaxAttempts int           `flag:"max-attempts"` // per item in the faulty batch [4]
	// Prices for the fake model, USD per million tokens [0.15 / 0.60].
	Price config.ModelPrice
}

// DefaultOptions are `chorus bench llm`'s: the defaults in brackets, shown
// in the command's help.
func DefaultOptions() Options {
	return Options{Requests: 2000, RPM: 12000, Latency: 20 * time.Millisecond, Concurrency: 64, FaultItems: 1000, FaultRate: 0.30, MaxAttempts: 4}
}

func (o Options) withDefaults() Options {
	if o.Requests <= 0 {
		o.Requests = 2000
	}
	if o.RPM <= 0 {
		// 200 requests a second: well within what the real client and
		// the fake carry on a small shared machine, so the figure
		// measures the limiter, not the CPU (see --rpm for more)
		o.RPM = 12000
	}
	if o.Latency <= 0 {
		o.Latency = 20 * time.Millisecond
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 64
	}
	if o.FaultItems <= 0 {
		o.FaultItems = 1000
	}
	if o.FaultRate <= 0 {
		o.FaultRate = 0.30
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 4
	}
	if o.Price == (config.ModelPrice{}) {
		o.Price = config.ModelPrice{Prompt: 0.15, Completion: 0.60}
	}
	return o
}

// Run is the figures of one batch.
type Run struct {
	Label        string           `json:"label"`
	Items        int              `json:"items"`
	Succeeded    int              `json:"succeeded"`
	Failed       int              `json:"failed"`
	Lost         int              `json:"lost"`       // items never reported
	Duplicates   int              `json:"duplicates"` // items reported more than once
	HTTPRequests int64            `json:"http_requests"`
	Violations   int64            `json:"rate_limit_violations"`
	Elapsed      time.Duration    `json:"elapsed"`
	AchievedRPM  float64          `json:"achieved_rpm"`
	Usage        llm.UsageRecord  `json:"usage"`
	Reasons      map[string]int   `json:"failure_reasons,omitempty"`
	Faults       map[string]int64 `json:"faults_injected,omitempty"`
}

// Report is everything Measure found.
type Report struct {
	Options    Options `json:"options"`
	Throughput Run     `json:"throughput"`
	// PctOfRPM is achieved over configured RPM, in percent.
	PctOfRPM float64 `json:"pct_of_rpm"`
	// SteadyRPM leaves out the limiter's initial burst.
	SteadyRPM float64 `json:"steady_rpm"`
	Cached    Run     `json:"cached_rerun"`
	Faulty    Run     `json:"faulty"`
}

var schema = json.RawMessage(`{"type":"object","properties":{"headline":{"type":"string","minLength":1},"description":{"type":"string","minLength":1},"cta":{"type":"string","minLength":1}},"required":["headline","description","cta"],"additionalProperties":false}`)

// Requests is n distinct structured ad requests for campaign.
func Requests(n int, campaign string) []llm.Request {
	reqs := make([]llm.Request, n)
	for i := range reqs {
		reqs[i] = llm.Request{
			Messages: []llm.Message{{Role: llm.RoleSystem, Content: "You write e-commerce ads as JSON."},
				{Role: llm.RoleUser, Content: fmt.Sprintf("Write an ad for product #%d, a waterproof camera bag, for a reader who loves travel and photography.", i)}},
			Schema: schema, SchemaName: "ad", MaxTokens: 200, Campaign: campaign, Item: fmt.Sprintf("item-%05d", i)}
	}
	return reqs
}

// Batch runs reqs through stack and counts outcomes.
func Batch(ctx context.Context, label string, stack *provider.Stack, srv *llmtest.Server, reqs []llm.Request, concurrency int) (Run, error) {
	r := Run{Label: label, Items: len(reqs), Reasons: map[string]int{}}
	before, vBefore := srv.Requests(), srv.Violations()
	seen := make([]int, len(reqs))
	start := time.Now()
	err := llm.Batch(ctx, stack, reqs, concurrency, func(i int, _ llm.Result, err error) {
		seen[i]++
		if err != nil {
			r.Failed++
			r.Reasons[llm.Reason(err)]++
			return
		}
		r.Succeeded++
	})
	r.Elapsed = time.Since(start)
	if cerr := stack.Close(ctx); err == nil {
		err = cerr
	}
	for _, n := range seen {
		switch {
		case n == 0:
			r.Lost++
		case n > 1:
			r.Duplicates += n - 1
		}
	}
	r.HTTPRequests = srv.Requests() - before
	r.Violations = srv.Violations() - vBefore
	r.AchievedRPM = float64(r.HTTPRequests) / r.Elapsed.Minutes()
	r.Usage = stack.Summary()
	if len(r.Reasons) == 0 {
		r.Reasons = nil
	}
	return r, err
}

// Measure runs the three batches against fresh fakes; st keeps the cache
// between the first two (nil: in memory).
func Measure(ctx context.Context, o Options, st llm.Store) (Report, error) {
	o = o.withDefaults()
	rep := Report{Options: o}
	if st == nil {
		st = llm.NewMemoryStore()
	}
	prices := map[string]config.ModelPrice{"fake-gpt": o.Price}

	srv := llmtest.New(llmtest.Config{APIKey: "bench", RPM: o.RPM, Latency: o.Latency})
	defer srv.Close()
	cfg := config.LLM{Provider: "openai", BaseURL: srv.BaseURL(), APIKey: "bench", Model: "fake-gpt",
		Concurrency: o.Concurrency, RPM: o.RPM, Timeout: config.Duration(30 * time.Second), Prices: prices}
	reqs := Requests(o.Requests, "bench-throughput")
	stack, err := provider.New(ctx, cfg, st, provider.WithRun(provider.NewRunID()))
	if err != nil {
		return rep, err
	}
	if rep.Throughput, err = Batch(ctx, "throughput", stack, srv, reqs, o.Concurrency); err != nil {
		return rep, err
	}
	rep.PctOfRPM = 100 * rep.Throughput.AchievedRPM / float64(o.RPM)
	rep.SteadyRPM = rep.Throughput.AchievedRPM
	if burst := int64(llm.RPMBurst(o.RPM)); burst < rep.Throughput.HTTPRequests && rep.Throughput.Elapsed > o.Latency {
		rep.SteadyRPM = float64(rep.Throughput.HTTPRequests-burst) / (rep.Throughput.Elapsed - o.Latency).Minutes()
	}

	stack, err = provider.New(ctx, cfg, st, provider.WithRun(provider.NewRunID()))
	if err != nil {
		return rep, err
	}
	if rep.Cached, err = Batch(ctx, "cached re-run", stack, srv, reqs, o.Concurrency); err != nil {
		return rep, err
	}

	faulty := llmtest.New(llmtest.Config{APIKey: "bench", FaultRate: o.FaultRate, Seed: 1, RetryAfter: 20 * time.Millisecond,
		Faults: []llmtest.Fault{llmtest.RateLimited, llmtest.Internal, llmtest.Unavailable, llmtest.Hang, llmtest.Truncated, llmtest.Malformed, llmtest.WrongSchema}})
	defer faulty.Close()
	fcfg := cfg
	fcfg.BaseURL, fcfg.RPM = faulty.BaseURL(), 0
	stack, err = provider.New(ctx, fcfg, llm.NewMemoryStore(), provider.WithBreaker(50, time.Second),
		provider.WithRetry(llm.RetryPolicy{MaxAttempts: o.MaxAttempts, BaseDelay: 5 * time.Millisecond, MaxDelay: 50 * time.Millisecond, Timeout: time.Second}))
	if err != nil {
		return rep, err
	}
	if rep.Faulty, err = Batch(ctx, "faulty", stack, faulty, Requests(o.FaultItems, "bench-faulty"), 32); err != nil {
		return rep, err
	}
	rep.Faulty.Faults = map[string]int64{}
	for f, n := range faulty.Faults() {
		rep.Faulty.Faults[string(f)] = n
	}
	return rep, nil
}

// WriteText writes the report for a person.
func (rep Report) WriteText(w io.Writer) error {
	o := rep.Options
	t := rep.Throughput
	fmt.Fprintf(w, "throughput: %d requests, fake latency %s, limit %d RPM, concurrency %d\n", t.Items, o.Latency, o.RPM, o.Concurrency)
	fmt.Fprintf(w, "  elapsed %s, achieved %.0f RPM = %.1f%% of the limit (steady state without the initial burst: %.0f RPM)\n",
		t.Elapsed.Round(time.Millisecond), t.AchievedRPM, rep.PctOfRPM, rep.SteadyRPM)
	fmt.Fprintf(w, "  %d succeeded, %d failed, %d HTTP requests, %d over the limit (fake's count)\n", t.Succeeded, t.Failed, t.HTTPRequests, t.Violations)
	c := rep.Cached
	fmt.Fprintf(w, "cached re-run: %d requests in %s, %d provider calls, %d answered from the cache\n", c.Items, c.Elapsed.Round(time.Millisecond), c.HTTPRequests, c.Usage.Cached)
	f := rep.Faulty
	fmt.Fprintf(w, "faulty provider: %d items, %.0f%% of requests failing %s\n", f.Items, o.FaultRate*100, faultList(f.Faults))
	fmt.Fprintf(w, "  %d succeeded, %d failed with a reason, %d lost, %d duplicated; %d HTTP requests (%.2f per item; bound %d × %d = %d) in %s\n",
		f.Succeeded, f.Failed, f.Lost, f.Duplicates, f.HTTPRequests, float64(f.HTTPRequests)/float64(f.Items), o.MaxAttempts, f.Items, o.MaxAttempts*f.Items, f.Elapsed.Round(time.Millisecond))
	for _, r := range sortedReasons(f.Reasons) {
		fmt.Fprintf(w, "  failed: %4d × %s\n", f.Reasons[r], r)
	}
	fmt.Fprintf(w, "\ntokens and cost (fake-gpt at $%.2f / $%.2f per million prompt / completion tokens):\n", o.Price.Prompt, o.Price.Completion)
	var us []llm.UsageRecord
	for _, r := range []Run{t, c, f} {
		u := r.Usage
		u.Run = r.Label
		us = append(us, u)
	}
	return llm.WriteUsage(w, us)
}

func faultList(m map[string]int64) string {
	ks := make([]string, 0, len(m))
	for k, v := range m {
		ks = append(ks, fmt.Sprintf("%s:%d", k, v))
	}
	sort.Strings(ks)
	return "(" + strings.Join(ks, " ") + ")"
}

func sortedReasons(m map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return m[ks[i]] > m[ks[j]] || m[ks[i]] == m[ks[j]] && ks[i] < ks[j] })
	return ks
}
