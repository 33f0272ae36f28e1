// Package app is Chorus's composition root: it wires every domain service
// over one store and one configuration, so that the CLI (cmd/chorus), the
// HTTP API (internal/httpapi) and the workers call the same service
// methods, and tests of any package can wire the real thing in one call:
//
//	a, err := app.New(ctx, cfg, st, app.Options{})
//	defer a.Close(ctx)
//	prof, err := a.Insight.Profile(ctx, "C000001")
//
// app holds no rule of its own. Where two areas meet without knowing each
// other (the studio and the ad-law checker, profiles and the recommender),
// the adapter between them lives here, in the wiring.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/compliance/adlaw"
	"github.com/chorusmkt/chorus/internal/compliance/pii"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/llm/provider"
	"github.com/chorusmkt/chorus/internal/recommend"
	"github.com/chorusmkt/chorus/internal/segment"
	"github.com/chorusmkt/chorus/internal/shop"
	"github.com/chorusmkt/chorus/internal/support"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// Store is what the application's services read and write: the union of
// the interfaces the domain packages declare. Both engines' store
// (store.Open) implement it; each service sees only its own part.
type Store interface {
	customer.Store
	catalog.Store
	event.Store
	segment.Store
	content.Store
	llm.Store
	policy.Store
	recommend.Store
	shop.Inferrer
	segment.ContactLog
	support.Store
	tracking.ActivityStore
	auth.Store
	customer.Searcher
	customer.WindowSearcher
	support.InboxStore
	// BulkLoad runs fn as one long run of writes (an import, the demo).
	BulkLoad(ctx context.Context, fn func(context.Context) error) error
}

// Options shape the wiring beyond the configuration.
type Options struct {
	// Log receives the notes a person should read while work runs
	// (a model being trained, a compliance checker that could not load);
	// nil discards them.
	Log io.Writer
	// Auth shapes the access service (a test's clock, cheaper password
	// hashing); the zero value takes its defaults.
	Auth auth.Options
	// Model options for the model stack (provider.WithRun, a test's HTTP
	// client); they come after the PII redactor, which they may replace.
	Model []provider.Option
}

// App is every service over one store. Its fields are set by New and not
// changed after; the services are safe for concurrent use.
type App struct {
	Config config.Config
	Store  Store

	Insight  *insight.Service
	Segments *segment.Engine
	Records  *segment.InsightSource // the segment engine's customer records
	// Previews is the segment engine for read-only live counts (the
	// console's editor and segment pages): its records are kept for
	// PreviewTTL. Creating and changing segments goes through Segments.
	Previews  *segment.Engine
	previews  *recordCache
	Recommend *recommend.Service
	Gate      *policy.Gate
	// AdLaw is the advertising-law checker; nil when the configured
	// lexicon could not be loaded (AdLawErr says why).
	AdLaw    *adlaw.Checker
	AdLawErr error
	Labeler  policy.Labeler
	// Auth issues and checks tokens, users and sessions and keeps the
	// audit log.
	Auth *auth.Service
	// Inbox is the support hand-off queue people work (the CLI's
	// chorus support queue, the API and the console's support inbox).
	Inbox *support.Inbox

	log       io.Writer
	modelOpts []provider.Option

	mu     sync.Mutex
	stack  *provider.Stack
	closed bool
}

// New wires the services over st with cfg (validated by the caller). It
// reads only the shop's settings and makes no model call: the model stack
// is built on first use (Model, Studio). The caller closes the App before
// the store.
func New(ctx context.Context, cfg config.Config, st Store, opts Options) (*App, error) {
	if st == nil {
		return nil, errors.New("app.New: nil store")
	}
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	a := &App{Config: cfg, Store: st, log: log, modelOpts: opts.Model, Labeler: policy.NewLabeler(cfg.Compliance.AILabel)}
	a.Auth = auth.New(st, opts.Auth)
	a.Inbox = support.NewInbox(st, support.InboxOptions{PII: pii.NewScanner(cfg.Compliance.PII.AllowValues)})
	a.Insight = insight.NewService(st, insight.OptionsFromConfig(cfg.Insight))
	a.Records = segment.NewInsightSource(st, insight.OptionsFromConfig(cfg.Insight))
	a.Records.Data = a.Insight.Dataset // one dataset for insight and segments
	a.Segments = segment.NewEngine(st, a.Records)
	a.previews = &recordCache{src: a.Records, now: time.Now}
	a.Previews = segment.NewEngine(st, a.previews)
	a.Recommend = recommend.NewService(st, a.recommendOptions())
	a.Recommend.Trace = a.recommendTrace()
	a.Recommend.Data = a.currentDataset // the recommender trains on the same dataset
	g, err := policy.New(cfg.Compliance.Contact, st)
	if err != nil {
		return nil, err
	}
	a.Gate = g
	if _, err := a.Shop(ctx); err != nil { // the gate judges quiet hours in the shop's zone
		return nil, err
	}
	a.AdLaw, a.AdLawErr = adlaw.FromConfig(cfg.Compliance.AdLaw)
	return a, nil
}

// Known is nil when Chorus knows customer id (a record, or events of
// hers), else NotFound: an unknown id is a typo, not a cold start.
func (a *App) Known(ctx context.Context, id string) error {
	_, err := a.Store.GetCustomer(ctx, id)
	if !apperr.Is(err, apperr.NotFound) {
		return err
	}
	n, cerr := a.Store.CountEvents(ctx, event.Filter{CustomerID: id})
	if cerr != nil {
		return cerr
	}
	if n == 0 {
		return err
	}
	return nil
}

// Contacts is what a contact export reads: the customer records and the
// contact policy's reachability (segment.ContactSource).
func (a *App) Contacts() segment.ContactSource { return contacts{a} }

type contacts struct{ a *App }

func (c contacts) GetCustomer(ctx context.Context, id string) (customer.Customer, error) {
	return c.a.Store.GetCustomer(ctx, id)
}

func (c contacts) Reachable(ctx context.Context, id, channel string) (bool, error) {
	return c.a.Gate.Reachable(ctx, id, channel)
}

// Shop is the shop's effective settings (the configuration's shop.* over
// what the store holds), read again at each call; the gate is told them.
func (a *App) Shop(ctx context.Context) (shop.Resolved, error) {
	r, err := shop.LoadConfigured(ctx, a.Store, a.Config.Shop)
	if err != nil {
		return r, err
	}
	a.Gate.UseShop(r.Settings)
	return r, nil
}

// Invalidate drops what the services loaded from the store: the next call
// reads it again in full.
func (a *App) Invalidate() {
	a.Insight.Invalidate()
	a.Records.Invalidate()
	a.previews.invalidate()
	a.Recommend.Invalidate()
}

// CatchUp makes the services see what was written since they loaded (an
// import, another process's writes): the one dataset takes in only the new
// events (insight.Service.CatchUp), the recommender checks its fingerprint
// again on next use. A long-running process (chorus serve, the workers)
// calls it after writes it did not make itself.
func (a *App) CatchUp(ctx context.Context) error {
	a.Records.Invalidate()
	a.previews.invalidate()
	a.Recommend.Invalidate()
	_, err := a.Insight.CatchUp(ctx)
	return err
}

// Model is the configured model stack over the store (cache, request log,
// accounting, PII redaction), built once. Close closes it.
func (a *App) Model(ctx context.Context) (*provider.Stack, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return nil, errors.New("app: Model after Close")
	}
	if a.stack == nil {
		s, err := ModelStack(ctx, a.Config, a.Store, a.modelOpts...)
		if err != nil {
			return nil, err
		}
		a.stack = s
	}
	return a.stack, nil
}

// Close writes what the model stack holds (request log, cache, usage)
// even when ctx is cancelled. Closing twice is harmless.
func (a *App) Close(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.closed = true
	if a.stack == nil {
		return nil
	}
	s := a.stack
	a.stack = nil
	return s.Close(context.WithoutCancel(ctx))
}

// ModelStack builds the configured model stack over st (nil: in memory).
// Every front end that generates text uses it, so they share the cache,
// the request log and the accounting. Prompts are PII-redacted (the
// request log and the cache hold only tokens) unless the provider is
// marked local and compliance.pii.exempt_local lets it see them. opts
// come after the redactor and may replace it. The caller closes the stack.
func ModelStack(ctx context.Context, cfg config.Config, st llm.Store, opts ...provider.Option) (*provider.Stack, error) {
	if !cfg.Compliance.PIIExempt(cfg.LLM) {
		opts = append([]provider.Option{provider.WithRedactor(pii.Wrap(cfg.Compliance.PII))}, opts...)
	}
	return provider.New(ctx, cfg.LLM, st, opts...)
}

// currentDataset is the one dataset caught up with the store: a training
// is keyed by the store's version as it is now, so it must not learn from
// a dataset loaded before the latest writes.
func (a *App) currentDataset(ctx context.Context) (*insight.Dataset, error) {
	ds, err := a.Insight.CatchUp(ctx)
	if ds != nil || err != nil {
		return ds, err
	}
	return a.Insight.Dataset(ctx) // none loaded yet: load it
}

// recommendOptions are the configured training options, telling each
// training step's time in the log.
func (a *App) recommendOptions() recommend.Options {
	opts := recommend.FromConfig(a.Config.Recommend)
	opts.Progress = func(step string, took time.Duration) {
		a.warnf("  %-24s %6.2fs", step, took.Seconds())
	}
	return opts
}

// recommendTrace tells a training's progress in the log.
func (a *App) recommendTrace() *recommend.Trace {
	return &recommend.Trace{
		Training: func(stale error) {
			if stale != nil {
				a.warnf("note: retraining: %v", stale)
			}
			a.warnf("training the recommenders (saved for reuse until the data or the recommend settings change)…")
		},
		Loaded: func(ds *recommend.Data, elapsed time.Duration) {
			a.warnf("  loaded %d events, %d customers, %d items in %.1fs", len(ds.Events), ds.NumCustomers(), ds.NumItems(), elapsed.Seconds())
		},
		Trained: func(elapsed time.Duration) { a.warnf("  trained in %.1fs", elapsed.Seconds()) },
		Saved:   func(bytes int) { a.warnf("  saved the model (%.1f MB)", float64(bytes)/1e6) },
	}
}

// warnf writes a note for the person running the work.
func (a *App) warnf(format string, args ...any) { fmt.Fprintf(a.log, format+"\n", args...) }

// PingModel calls the configured model once, outside the cache and the
// store, and closes it.
func PingModel(ctx context.Context, cfg config.Config) (provider.PingReport, error) {
	stack, err := ModelStack(ctx, cfg, nil, provider.WithPing(), provider.WithoutCache())
	if err != nil {
		return provider.PingReport{}, err
	}
	defer stack.Close(context.WithoutCancel(ctx))
	return stack.PingReport(ctx)
}

// EvaluateRecommenders measures every recommender offline on opts' split
// of the shared dataset, trained with the recommend settings; the time to
// load the data is reported as the "load" step.
func (a *App) EvaluateRecommenders(ctx context.Context, opts recommend.EvalOptions) (*recommend.EvalReport, error) {
	t0 := time.Now()
	all, err := a.Insight.Dataset(ctx)
	if err != nil {
		return nil, err
	}
	ds, err := recommend.FromDataset(all)
	if err != nil {
		return nil, err
	}
	load := time.Since(t0)
	opts.Train = recommend.FromConfig(a.Config.Recommend)
	rep, err := recommend.Evaluate(ctx, ds, opts)
	if err != nil {
		return nil, err
	}
	rep.TrainSeconds["load"] = load.Seconds()
	return rep, nil
}
