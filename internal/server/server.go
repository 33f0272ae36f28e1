// Package server runs `chorus serve`: the HTTP API, the console, tracking
// and (unless they run elsewhere) the queue workers, wired over one store
// and one application (internal/app), with one lifecycle. The command
// gives it the configuration and the store; Run does the rest.
//
//	s := server.New(cfg, st, server.Options{Workers: true, Out: os.Stdout, Log: os.Stderr})
//	err := s.Run(ctx) // until ctx ends, then drains
package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"slices"
	"strings"
	"sync"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign/worker"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/httpapi"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// Options shape a server beyond the configuration.
type Options struct {
	// Workers runs the queue workers in the server; false leaves them to
	// `chorus worker` (the server then only inserts jobs).
	Workers bool
	// Out receives the one line that says where the server listens (a
	// script waits for it); Log the server's log. nil discards them.
	Out, Log io.Writer
	// Listener, when set, is served instead of listening on server.addr,
	// and closed by Stop (or a failed Start): a caller that must know the address before the
	// configuration is written (the tracking base URL) holds the port
	// from then on, so no other process can take it in between.
	Listener net.Listener
}

// Server is one `chorus serve`: Start brings its parts up, Stop takes
// them down in order. It is not reusable after Stop.
type Server struct {
	cfg  config.Config
	st   store.Store
	opts Options
	log  *slog.Logger

	ln      net.Listener
	cancel  context.CancelFunc
	served  chan error // the HTTP server's result, once
	stops   []func() error
	stopErr error
	once    sync.Once
}

// New prepares a server over st with cfg (validated by the caller). It
// starts nothing.
func New(cfg config.Config, st store.Store, opts Options) *Server {
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	log := slog.New(slog.NewTextHandler(opts.Log, &slog.HandlerOptions{Level: slog.LevelInfo}))
	return &Server{cfg: cfg, st: st, opts: opts, log: log}
}

// DefaultBaseURL points tracking links at the server's own address when
// tracking.base_url is not set (a local trial) and returns the note that
// says so, "" when cfg is left as it is: a shop's mail must link to its
// public address.
func DefaultBaseURL(cfg *config.Config) (note string) {
	host, port, err := net.SplitHostPort(cfg.Server.Addr)
	if cfg.Tracking.BaseURL != "" || err != nil || port == "0" {
		return ""
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	cfg.Tracking.BaseURL = "http://" + net.JoinHostPort(host, port)
	return fmt.Sprintf("chorus serve: tracking.base_url is not set; links point at %s (set CHORUS_TRACKING_BASE_URL to the shop's public address)", cfg.Tracking.BaseURL)
}

// Run starts the server, serves until ctx ends (or the HTTP server fails)
// and stops it: the error of serving, else the first error of stopping.
func (s *Server) Run(ctx context.Context) error {
	if err := s.Start(ctx); err != nil {
		return err
	}
	var err error
	select {
	case err = <-s.served:
		s.served <- err // Stop reads it again
	case <-ctx.Done():
	}
	s.log.Info("stopping: writing the last hits and draining the workers")
	if serr := s.Stop(); err == nil {
		err = serr
	}
	return err
}

// Start checks that the store's migrations are applied, wires the
// tracking service, the application and its support assistant, listens on
// server.addr, starts the workers and the hit recorder and returns once
// requests are answered. The parts outlive ctx's cancellation until Stop:
// they drain then. A failed Start has stopped what it started.
func (s *Server) Start(ctx context.Context) (err error) {
	defer func() {
		if err != nil {
			_ = s.Stop()
		}
	}()
	if l := s.opts.Listener; l != nil {
		s.stops = append(s.stops, func() error { l.Close(); return nil }) // a failed Start lets it go too
	}
	if err := store.CheckMigrations(ctx, s.st); err != nil {
		return err
	}
	d, err := s.services(ctx)
	if err != nil {
		return err
	}
	if s.ln = s.opts.Listener; s.ln == nil {
		if s.ln, err = net.Listen("tcp", s.cfg.Server.Addr); err != nil {
			return apperr.Wrap(err, apperr.Unavailable, "cannot listen on %s (server.addr, --addr)", s.cfg.Server.Addr)
		}
	}
	s.stops = append(s.stops, func() error { s.ln.Close(); return nil })
	bg := context.WithoutCancel(ctx) // the parts drain after ctx ends
	srv, err := s.start(ctx, bg, d)
	if err != nil {
		return err
	}
	sctx, cancel := context.WithCancel(bg)
	s.cancel, s.served = cancel, make(chan error, 1)
	go func() { s.served <- srv.Serve(sctx, s.ln) }()
	s.announce(s.ln.Addr())
	return nil
}

// Addr is where the server listens (nil before Start).
func (s *Server) Addr() net.Addr {
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Stop shuts the parts down in order: the HTTP server (requests in flight
// finish), the workers (batches in flight finish), the hit recorder (what
// it holds is written), the application (the model stack's log and cache
// are written). It returns the first error; a second Stop returns
// the same and does nothing.
func (s *Server) Stop() error {
	s.once.Do(func() {
		if s.cancel != nil {
			s.cancel()
			if err := <-s.served; err != nil {
				s.stopErr = err
			}
		}
		for i := len(s.stops) - 1; i >= 0; i-- {
			if err := s.stops[i](); err != nil && s.stopErr == nil {
				s.stopErr = err
			}
		}
	})
	return s.stopErr
}

// services wires the tracking service, the application and the support
// assistant over the store: what the routes call.
func (s *Server) services(ctx context.Context) (httpapi.Deps, error) {
	svc, err := tracking.FromConfig(s.cfg, s.st, tracking.Options{Log: s.log})
	if err != nil {
		return httpapi.Deps{}, err
	}
	ap, err := chorusapp.New(ctx, s.cfg, s.st, chorusapp.Options{Log: s.opts.Log})
	if err != nil {
		return httpapi.Deps{}, err
	}
	s.stops = append(s.stops, func() error { return ap.Close(context.WithoutCancel(ctx)) })
	as, closeSupport, err := ap.Support(ctx, nil) // the server's one App: one dataset and model stack
	if err != nil {
		return httpapi.Deps{}, err
	}
	s.stops = append(s.stops, func() error { closeSupport(); return nil })
	return httpapi.Deps{Tracking: svc, App: ap, Consents: s.st, Support: as, Inbox: ap.Inbox, Log: s.log,
		Auth: ap.Auth, Idempotency: s.st, Customers: s.st, Telemetry: s.st, Reports: s.st}, nil
}

// start starts the hit recorder and the workers under bg (each one's stop
// pushed on s.stops) and builds the HTTP server over d and them.
func (s *Server) start(ctx, bg context.Context, d httpapi.Deps) (*httpapi.Server, error) {
	rec := d.Tracking.Recorder()
	if err := rec.Start(bg); err != nil {
		return nil, err
	}
	s.stops = append(s.stops, func() error {
		return apperr.Wrap(rec.Stop(), apperr.Unavailable, "writing the last hits at shutdown")
	})
	wk, err := s.startWorkers(ctx, bg)
	if err != nil {
		return nil, err
	}
	// The studio is rebuilt on each use (app.CampaignStudio), so a launch
	// writes with the model settings of its time.
	wk.Service.Studio, wk.Service.Audience = d.App.CampaignStudio(), d.App.Segments
	d.Campaigns, d.Queue, d.Probes = wk.Service, wk.Queue, s.probes(wk)
	return httpapi.New(s.cfg, d)
}

// startWorkers starts the queue workers under bg, or with Workers false
// an insert-only queue the campaign service enqueues on (the workers run
// elsewhere).
func (s *Server) startWorkers(ctx, bg context.Context) (*worker.Worker, error) {
	w, err := worker.New(ctx, s.cfg, s.st, worker.Options{InsertOnly: !s.opts.Workers, Logger: s.log})
	if err != nil {
		return nil, err
	}
	s.stops = append(s.stops, w.Stop)
	if !s.opts.Workers {
		return w, nil
	}
	if err := w.Start(bg); err != nil {
		return nil, err
	}
	chans := slices.Sorted(maps.Keys(w.Service.Senders))
	s.log.Info("workers running", "engine", w.Queue.Engine(), "channels", strings.Join(chans, ","))
	return w, nil
}

// probes are the readiness checks: the store answers, its migrations are
// applied, the queue answers.
func (s *Server) probes(wk *worker.Worker) []httpapi.Probe {
	return []httpapi.Probe{
		{Name: "store", Check: func(ctx context.Context) error {
			return apperr.Wrap(s.st.Ping(ctx), apperr.Unavailable, "the database does not answer")
		}},
		{Name: "migrations", Check: func(ctx context.Context) error { return store.CheckMigrations(ctx, s.st) }},
		{Name: "queue", Check: func(ctx context.Context) error {
			_, err := wk.Queue.Count(ctx, "")
			return err
		}},
	}
}

// announce says where the server listens and what it is not set up for.
func (s *Server) announce(addr net.Addr) {
	fmt.Fprintf(s.opts.Out, "chorus serve: listening on http://%s\n", addr)
	s.log.Info("API at /v1/ (Authorization: Bearer TOKEN from chorus token create), spec at /v1/openapi.json, metrics at /metrics, readiness at /readyz")
	if s.cfg.Tracking.BaseURL == "" {
		s.log.Warn("tracking.base_url is not set: campaigns sign no tracking links until it points at this server")
	}
	if h, err := tracking.NewHooks(s.cfg); err == nil {
		if hs := strings.Join(h.Channels(), ","); hs != "" {
			s.log.Info("receipts accepted", "channels", hs)
		}
	}
}
