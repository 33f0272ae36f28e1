// Package provider builds the whole model stack from configuration: the
// provider (offline writer or an OpenAI-compatible endpoint) wrapped, from
// the inside out, in the rate limiter, retries, circuit breaker, response
// cache, request log and accounting. It lives apart from package llm so
// that llm stays free of the providers that implement it.
//
//	Accountant → [redactor] → RequestLog → Cache → Breaker → Retry → Limiter → provider
//
// The limiter sits innermost so that every HTTP attempt, retries included,
// spends rate budget; the cache sits outside the breaker so cached answers
// are served even while a provider is down.
package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/llm/offline"
	"github.com/chorusmkt/chorus/internal/llm/openai"
)

// Option adjusts New.
type Option func(*options)

type options struct {
	run        string
	httpClient *http.Client
	retry      *llm.RetryPolicy
	threshold  int
	cooldown   time.Duration
	noCache    bool
	ping       bool
	logger     *slog.Logger
	redact     func(llm.Model) llm.Model
	flushEvery time.Duration
}

// WithRun labels usage and log rows with run (default: a fresh id).
func WithRun(run string) Option { return func(o *options) { o.run = run } }

// WithHTTPClient sets the HTTP client of a network provider.
func WithHTTPClient(c *http.Client) Option { return func(o *options) { o.httpClient = c } }

// WithRetry replaces the retry policy derived from config.
func WithRetry(p llm.RetryPolicy) Option { return func(o *options) { o.retry = &p } }

// WithBreaker sets the circuit breaker's threshold and cooldown.
func WithBreaker(threshold int, cooldown time.Duration) Option {
	return func(o *options) { o.threshold, o.cooldown = threshold, cooldown }
}

// WithoutCache turns the response cache off (the request log and
// accounting stay on).
func WithoutCache() Option { return func(o *options) { o.noCache = true } }

// WithPing makes New call the endpoint once, so a wrong key, model or base
// URL fails at start rather than on the first item.
func WithPing() Option { return func(o *options) { o.ping = true } }

// WithLogger sets the logger for cache and recorder warnings.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithRedactor inserts a decorator (PII redaction) outside the request log
// and the cache, so neither ever sees what it removes.
func WithRedactor(wrap func(llm.Model) llm.Model) Option { return func(o *options) { o.redact = wrap } }

// WithFlushInterval sets how often log, cache and usage rows are written.
func WithFlushInterval(d time.Duration) Option { return func(o *options) { o.flushEvery = d } }

// Stack is the assembled model: use it as an llm.Model, then Close it to
// write pending log, cache and usage rows.
type Stack struct {
	llm.Model
	// Base is the bare provider.
	Base       llm.Model
	Accountant *llm.Accountant
	Breaker    *llm.Breaker
	Cache      *llm.Cache // nil WithoutCache
	Recorder   *llm.Recorder
	// Config is the resolved configuration (API key included: never print it).
	Config config.LLM
	// Ping is set when WithPing ran against a network provider.
	Ping *openai.PingResult
}

// Run is the run label of usage and log rows.
func (s *Stack) Run() string { return s.Accountant.Run() }

// Summary is this run's calls, tokens and cost so far.
func (s *Stack) Summary() llm.UsageRecord { return s.Accountant.Total() }

// Close flushes pending rows. Closing twice is harmless.
func (s *Stack) Close(ctx context.Context) error { return s.Recorder.Close(ctx) }

// New builds the stack for cfg. st keeps the cache, log and usage; nil
// keeps them in memory for the life of the process. Errors are Invalid and
// name the setting to fix: an unknown provider, a missing API key for a
// hosted endpoint, a malformed base URL, or (WithPing) an endpoint that
// cannot be reached or rejects the key or model.
func New(ctx context.Context, cfg config.LLM, st llm.Store, opts ...Option) (*Stack, error) {
	o := options{logger: slog.Default()}
	for _, f := range opts {
		f(&o)
	}
	r, err := cfg.Resolved()
	if err != nil {
		return nil, err
	}
	if o.run == "" {
		o.run = NewRunID()
	}
	if st == nil {
		st = llm.NewMemoryStore()
	}
	s := &Stack{Config: r}
	switch r.Provider {
	case "offline":
		s.Base = offline.New()
	case "openai":
		p, err := newOpenAI(r, o.httpClient)
		if err != nil {
			return nil, err
		}
		s.Base = p
		if o.ping {
			pctx := ctx
			if r.Timeout > 0 {
				var cancel context.CancelFunc
				pctx, cancel = context.WithTimeout(ctx, time.Duration(r.Timeout))
				defer cancel()
			}
			res, err := p.Ping(pctx)
			if err != nil {
				return nil, err
			}
			s.Ping = &res
		}
	default:
		return nil, apperr.New(apperr.Invalid, "unknown llm provider %q: set CHORUS_LLM_PROVIDER or llm.provider to offline or openai", r.Provider)
	}
	policy := llm.RetryPolicy{MaxAttempts: r.MaxAttempts, Timeout: time.Duration(r.Timeout)}
	if o.retry != nil {
		policy = *o.retry
	}
	s.Recorder = llm.NewRecorder(st, o.flushEvery, o.logger)
	_ = s.Recorder.Start(ctx) // stopped by Stack.Close
	var m llm.Model = llm.NewLimiter(s.Base, llm.Limits{Concurrency: r.Concurrency, RPM: r.RPM, TPM: r.TPM})
	m = llm.NewRetry(m, policy)
	s.Breaker = llm.NewBreaker(m, o.threshold, o.cooldown)
	m = s.Breaker
	var key func(llm.Request) string
	if !o.noCache {
		s.Cache = llm.NewCache(m, st, s.Recorder, o.logger)
		m = s.Cache
		key = s.Cache.Key
	}
	m = llm.NewRequestLog(m, o.run, s.Recorder, key)
	if o.redact != nil {
		m = o.redact(m)
	}
	s.Accountant = llm.NewAccountant(m, o.run, r.Prices, s.Recorder)
	s.Model = s.Accountant
	return s, nil
}

func newOpenAI(r config.LLM, hc *http.Client) (*openai.Provider, error) {
	mode, err := openai.ParseMode(r.StructuredOutput)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "llm.structured_output (CHORUS_LLM_STRUCTURED_OUTPUT)")
	}
	if r.Model == "" {
		return nil, apperr.New(apperr.Invalid, "llm provider openai needs a model: set CHORUS_LLM_MODEL or llm.model")
	}
	base := r.BaseURL
	if base == "" {
		base = openai.DefaultBaseURL
	}
	if r.APIKey == "" && !r.Local && !isLocal(base) {
		return nil, apperr.New(apperr.Invalid, "no API key for %s: set CHORUS_LLM_API_KEY (or OPENAI_API_KEY) or llm.api_key; for a local server set CHORUS_LLM_LOCAL=true", base)
	}
	label := "openai"
	return openai.New(openai.Config{Label: label, BaseURL: base, APIKey: r.APIKey, Model: r.Model, Headers: r.Headers, Mode: mode, HTTPClient: hc})
}

// isLocal reports a base URL on this machine or a private network, where
// servers such as Ollama and vLLM usually need no key.
func isLocal(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" || strings.HasSuffix(h, ".local") || h == "host.docker.internal" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && (ip.IsLoopback() || ip.IsPrivate())
}

// NewRunID returns a sortable, unique run label such as
// run-20261128T181500-1a2b3c.
func NewRunID() string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return "run-" + time.Now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b[:])
}
