package main

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign/worker"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/httpapi"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/tracking"
)

func (a *app) serveCmd() *cobra.Command {
	o := &struct {
		Addr      string `flag:"addr"`
		NoWorkers bool   `flag:"no-workers"`
	}{}
	return a.command("", cmdSpec{Use: "serve", Args: cobra.NoArgs, Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		if cmd.Flags().Changed("addr") {
			a.cfg.Server.Addr = o.Addr
			if err := a.cfg.Validate(); err != nil {
				return err
			}
		}
		a.defaultBaseURL()
		return a.withStore(cmd.Context(), func(st store.Store) error {
			return a.serve(cmd.Context(), st, !o.NoWorkers)
		})
	}})
}

// defaultBaseURL points tracking links at the server's own address when
// tracking.base_url is not set (a local trial), and says so: a shop's
// mail must link to its public address.
func (a *app) defaultBaseURL() {
	host, port, err := net.SplitHostPort(a.cfg.Server.Addr)
	if a.cfg.Tracking.BaseURL != "" || err != nil || port == "0" {
		return
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	a.cfg.Tracking.BaseURL = "http://" + net.JoinHostPort(host, port)
	fmt.Fprintf(a.stderr, "chorus serve: tracking.base_url is not set; links point at %s (set CHORUS_TRACKING_BASE_URL to the shop's public address)\n", a.cfg.Tracking.BaseURL)
}

// serve wires the tracking service, the workers and the HTTP server over
// st and runs them until ctx ends, then shuts them down in order: the
// server (requests in flight finish), the hit recorder (what it holds is
// written), the workers (batches in flight finish).
func (a *app) serve(ctx context.Context, st store.Store, workers bool) (err error) {
	log := slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	svc, err := tracking.FromConfig(a.cfg, st, tracking.Options{Log: log})
	if err != nil {
		return err
	}
	ap, err := chorusapp.New(ctx, a.cfg, st, chorusapp.Options{Log: a.stderr})
	if err != nil {
		return err
	}
	defer func() {
		if cerr := ap.Close(context.WithoutCancel(ctx)); err == nil && cerr != nil {
			err = cerr
		}
	}()
	as, closeSupport, err := ap.Support(ctx, nil) // the server's one App: one dataset and model stack
	if err != nil {
		return err
	}
	defer closeSupport()
	ln, err := net.Listen("tcp", a.cfg.Server.Addr)
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "cannot listen on %s (server.addr, --addr)", a.cfg.Server.Addr)
	}
	defer ln.Close()
	bg := context.WithoutCancel(ctx) // the parts drain after ctx ends
	rec := svc.Recorder()
	if err := rec.Start(bg); err != nil {
		return err
	}
	defer func() {
		if serr := rec.Stop(); err == nil && serr != nil {
			err = apperr.Wrap(serr, apperr.Unavailable, "writing the last hits at shutdown")
		}
	}()
	var wk *worker.Worker // nil: the workers run elsewhere
	if workers {
		if wk, err = a.startWorkers(ctx, bg, st, log); err != nil {
			return err
		}
		defer func() {
			if serr := wk.Stop(); err == nil && serr != nil {
				err = serr
			}
		}()
	}
	deps, stopAPI, err := a.apiDeps(ctx, httpapi.Deps{Tracking: svc, App: ap, Consents: st, Support: as, Inbox: ap.Inbox, Log: log}, st, wk)
	if err != nil {
		return err
	}
	defer stopAPI()
	srv, err := httpapi.New(a.cfg, deps)
	if err != nil {
		return err
	}
	a.announce(ln.Addr(), log)
	err = srv.Serve(ctx, ln)
	log.Info("stopping: writing the last hits and draining the workers")
	return err
}

func hooksOf(cfg config.Config) string {
	h, err := tracking.NewHooks(cfg)
	if err != nil {
		return ""
	}
	return strings.Join(h.Channels(), ",")
}

// startWorkers starts the queue workers under bg (the caller stops them).
func (a *app) startWorkers(ctx, bg context.Context, st store.Store, log *slog.Logger) (*worker.Worker, error) {
	w, err := worker.New(ctx, a.cfg, st, worker.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	if err := w.Start(bg); err != nil {
		w.Stop()
		return nil, err
	}
	chans := slices.Sorted(maps.Keys(w.Service.Senders))
	log.Info("workers running", "engine", w.Queue.Engine(), "channels", strings.Join(chans, ","))
	return w, nil
}

// announce says where the server listens and what it is not set up for.
func (a *app) announce(addr net.Addr, log *slog.Logger) {
	fmt.Fprintf(a.stdout, "chorus serve: listening on http://%s\n", addr)
	log.Info("API at /v1/ (Authorization: Bearer TOKEN from chorus token create), spec at /v1/openapi.json, metrics at /metrics, readiness at /readyz")
	if a.cfg.Tracking.BaseURL == "" {
		log.Warn("tracking.base_url is not set: campaigns sign no tracking links until it points at this server")
	}
	if hs := hooksOf(a.cfg); hs != "" {
		log.Info("receipts accepted", "channels", hs)
	}
}
