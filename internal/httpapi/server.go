package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/idempotency"
	"github.com/chorusmkt/chorus/internal/support"
	"github.com/chorusmkt/chorus/internal/telemetry"
	"github.com/chorusmkt/chorus/internal/tracking"
	"github.com/chorusmkt/chorus/internal/web"
)

// A client may send a support message a second on average, with bursts
// of 20 (a person typing never comes near it; a script does).
const (
	chatPerSecond = 1
	chatBurst     = 20
)

// Deps are the services the routes call. Tracking is required; App is
// the application's services (internal/app) for the API and console
// routes that later streams add to routes.go.
type Deps struct {
	Tracking *tracking.Service
	App      *app.App
	// Consents reads the consent ledger for the unsubscribe page's
	// "already unsubscribed" (optional).
	Consents tracking.ConsentReader
	// Sessions is the auth service the console signs users in with
	// (nil: App.Auth); the console's routes are installed only when
	// there is one.
	Sessions Sessions
	// Support answers customers' messages and Inbox is its hand-off
	// queue (optional: without them the support routes answer 503).
	Support *support.Assistant
	Inbox   *support.Inbox
	Log     *slog.Logger
	// API (api.go): tokens and the audit log, idempotency keys, customer
	// search; the metrics' store counts and queue; readiness probes.
	Auth        Authenticator
	Idempotency idempotency.Store
	Customers   customer.Searcher
	Telemetry   telemetry.Source
	Queue       QueueCounter
	Probes      []Probe
	// Campaigns and Reports serve the campaign routes (nil: 503).
	// The console's campaign and report pages use them too.
	Campaigns *campaign.Service
	Reports   tracking.ReportStore
}

// Server is the HTTP server's handler and lifecycle.
type Server struct {
	deps     Deps
	log      *slog.Logger
	cfg      config.Server
	trusted  []netip.Prefix
	unsub    *ipLimiter
	chat     *ipLimiter
	handler  http.Handler
	unsubCfg config.UnsubscribeLimit
	console  *web.Console // nil without deps.Sessions
	// studio is the studio, campaign and report pages; nil without the
	// console or without deps.Campaigns and deps.Reports.
	studio *web.StudioPages
	// api are the /v1 routes as registered (for the OpenAPI document);
	// patterns every pattern registered on the mux.
	api      []apiRoute
	patterns []string
	metrics  *metrics
	// idem forgets idempotency keys after their retention (nil store:
	// no keys are kept, nothing to prune).
	idem *idempotency.Pruner
	// spec is the OpenAPI document, made on first request.
	specOnce sync.Once
	spec     []byte
	specErr  error
}

// New builds the server of cfg over deps. Errors are apperr.Invalid for a
// bad setting.
func New(cfg config.Config, deps Deps) (*Server, error) {
	if deps.Tracking == nil {
		return nil, apperr.New(apperr.Internal, "the HTTP server needs the tracking service")
	}
	log := deps.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{deps: deps, log: log, cfg: cfg.Server, unsubCfg: cfg.Tracking.Unsubscribe}
	for i, p := range cfg.Server.TrustedProxies {
		pre, err := netip.ParsePrefix(strings.TrimSpace(p))
		if err != nil {
			return nil, apperr.New(apperr.Invalid, "server.trusted_proxies[%d] %q is not a CIDR range", i, p)
		}
		s.trusted = append(s.trusted, pre.Masked())
	}
	s.unsub = newIPLimiter(cfg.Tracking.Unsubscribe.Rate/60, cfg.Tracking.Unsubscribe.Burst, deps.Tracking.Now)
	s.chat = newIPLimiter(chatPerSecond, chatBurst, deps.Tracking.Now)
	if deps.Sessions == nil && deps.App != nil && deps.App.Auth != nil {
		deps.Sessions = deps.App.Auth
		s.deps.Sessions = deps.App.Auth
	}
	if deps.Sessions != nil {
		c, err := web.New(web.Deps{App: deps.App, Audit: deps.Sessions})
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Internal, "console templates")
		}
		s.console = c
		if deps.Campaigns != nil && deps.Reports != nil {
			s.studio = &web.StudioPages{Console: c, App: deps.App, Campaigns: deps.Campaigns,
				Studio: deps.App.CampaignStudio(), Reports: deps.Reports, Audit: deps.Sessions}
		}
	}
	s.metrics = newMetrics(deps)
	s.idem = &idempotency.Pruner{Store: deps.Idempotency, Now: deps.Tracking.Now}
	mux := &recordingMux{ServeMux: http.NewServeMux()}
	s.routes(mux)
	s.patterns = mux.patterns
	s.handler = s.recoverer(strictPaths(s.observe(mux.ServeMux)))
	return s, nil
}

// recordingMux is the server's mux, keeping the patterns registered on
// it (the OpenAPI test checks that every /v1 one is documented).
type recordingMux struct {
	*http.ServeMux
	patterns []string
}

func (m *recordingMux) Handle(pattern string, h http.Handler) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.Handle(pattern, h)
}

// Patterns are the route patterns registered on the server, in order.
func (s *Server) Patterns() []string { return append([]string(nil), s.patterns...) }

// Handler is the server's root handler (for httptest and the bench).
func (s *Server) Handler() http.Handler { return s.handler }

// Serve answers requests on ln until ctx ends, then stops accepting and
// lets requests in flight finish for server.shutdown_timeout. It returns
// nil after a clean shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return apperr.Wrap(err, apperr.Unavailable, "HTTP server stopped")
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), max(s.cfg.ShutdownTimeout.Std(), time.Second))
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		_ = srv.Close()
		return apperr.Wrap(err, apperr.Unavailable, "HTTP server shutdown")
	}
	return nil
}

// recoverer turns a handler's panic into a logged 500 instead of a
// dropped connection.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.LogAttrs(r.Context(), slog.LevelError, "handler panic", slog.String("route", r.Pattern), slog.Any("panic", v))
				WriteError(w, r, s.log, apperr.New(apperr.Internal, "internal error"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// strictPaths answers 404 for a tracking path that is not clean (double
// slashes, dot segments) instead of letting the mux redirect it to its
// cleaned form: the tracking routes redirect only to destinations we
// signed.
func strictPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasPrefix(p, "/t/") || strings.HasPrefix(p, "/u/") || strings.HasPrefix(p, "/hooks/") {
			if p != path.Clean(p) {
				http.NotFound(w, r)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// clientAddr is the request's client: its peer address, or, when the peer
// is a trusted proxy, the last address in X-Forwarded-For that is not one.
func (s *Server) clientAddr(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	a := ap.Addr().Unmap()
	if !s.isTrusted(a) {
		return a
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return a
		}
		h = h.Unmap()
		if !s.isTrusted(h) {
			return h
		}
	}
	return a
}

func (s *Server) isTrusted(a netip.Addr) bool {
	for _, p := range s.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// client is what the tracking service may know of a request's origin.
func (s *Server) client(r *http.Request) tracking.Client {
	return tracking.Client{Addr: s.clientAddr(r), UserAgent: r.UserAgent(), Method: r.Method}
}
