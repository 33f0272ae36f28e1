package llm

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/chorusmkt/chorus/internal/config"
)

// Accountant counts calls, tokens and cost per run and per campaign, prices
// per model from config (USD per million tokens). Tokens of cached answers
// are counted as saved, not spent. Totals are kept in memory for the run's
// summary and, with a Recorder, added to the stored totals.
type Accountant struct {
	inner  Model
	run    string
	prices map[string]config.ModelPrice
	rec    *Recorder

	mu     sync.Mutex
	totals map[string]*UsageRecord // by campaign
}

// NewAccountant wraps m for run. rec may be nil.
func NewAccountant(m Model, run string, prices map[string]config.ModelPrice, rec *Recorder) *Accountant {
	return &Accountant{inner: m, run: run, prices: prices, rec: rec, totals: map[string]*UsageRecord{}}
}

// Name is the inner model's name.
func (a *Accountant) Name() string { return a.inner.Name() }

// Run is the run label of this accountant.
func (a *Accountant) Run() string { return a.run }

// Price returns the price of model: an exact match, then "provider/model",
// then the part after the last slash; zero when unpriced.
func Price(prices map[string]config.ModelPrice, provider, model string) config.ModelPrice {
	if p, ok := prices[model]; ok {
		return p
	}
	if p, ok := prices[provider+"/"+model]; ok {
		return p
	}
	for i := len(model) - 1; i >= 0; i-- {
		if model[i] == '/' {
			return prices[model[i+1:]]
		}
	}
	return config.ModelPrice{}
}

// Cost is the USD cost of u at price p.
func Cost(p config.ModelPrice, u Usage) float64 {
	return (float64(u.PromptTokens)*p.Prompt + float64(u.CompletionTokens)*p.Completion) / 1e6
}

func (a *Accountant) record(req Request, res Result, err error) {
	provider, model := SplitName(a.inner.Name())
	if res.Provider != "" {
		provider = res.Provider
	}
	if res.Model != "" {
		model = res.Model
	}
	d := UsageRecord{Run: a.run, Campaign: req.Campaign, Provider: provider, Model: model,
		Calls: 1, Attempts: int64(res.Attempts), UpdatedAt: time.Now().UTC()}
	cost := Cost(Price(a.prices, provider, model), res.Usage)
	switch {
	case err != nil:
		d.Failed = 1
		d.PromptTokens, d.CompletionTokens = int64(res.Usage.PromptTokens), int64(res.Usage.CompletionTokens)
		d.CostUSD = cost
	case res.Cached:
		d.Cached = 1
		d.SavedTokens = int64(res.Usage.PromptTokens + res.Usage.CompletionTokens)
		d.SavedUSD = cost
	default:
		d.PromptTokens, d.CompletionTokens = int64(res.Usage.PromptTokens), int64(res.Usage.CompletionTokens)
		d.CostUSD = cost
	}
	a.mu.Lock()
	t := a.totals[req.Campaign]
	if t == nil {
		t = &UsageRecord{Run: a.run, Campaign: req.Campaign, Provider: provider, Model: model}
		a.totals[req.Campaign] = t
	}
	t.Add(d)
	a.mu.Unlock()
	if a.rec != nil {
		a.rec.Usage(d)
	}
}

// Generate calls the inner model and counts the outcome.
func (a *Accountant) Generate(ctx context.Context, req Request) (Result, error) {
	res, err := a.inner.Generate(ctx, req)
	a.record(req, res, err)
	return res, err
}

// Stream streams from the inner model and counts the outcome.
func (a *Accountant) Stream(ctx context.Context, req Request, onDelta func(string) error) (Result, error) {
	res, err := a.inner.Stream(ctx, req, onDelta)
	a.record(req, res, err)
	return res, err
}

// ByCampaign returns this run's totals per campaign, sorted by campaign.
func (a *Accountant) ByCampaign() []UsageRecord {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]UsageRecord, 0, len(a.totals))
	for _, t := range a.totals {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Campaign < out[j].Campaign })
	return out
}

// Total is this run's totals over all campaigns.
func (a *Accountant) Total() UsageRecord {
	t := UsageRecord{Run: a.run}
	for _, c := range a.ByCampaign() {
		t.Provider, t.Model = c.Provider, c.Model
		t.Add(c)
	}
	return t
}
