package main

import (
	"context"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign/worker"
	"github.com/chorusmkt/chorus/internal/httpapi"
	"github.com/chorusmkt/chorus/internal/store"
)

// apiDeps adds to d what the API and the operations routes use: the auth
// service, the store's idempotency keys, customer search, counts and
// reports, the campaign service with the studio and the audience (on the
// workers' queue, or an insert-only one when the workers run elsewhere),
// the queue's depth and the readiness probes. stop releases what it made.
func (a *app) apiDeps(ctx context.Context, d httpapi.Deps, st store.Store, wk *worker.Worker) (httpapi.Deps, func(), error) {
	d.Auth, d.Idempotency, d.Customers, d.Telemetry, d.Reports = d.App.Auth, st, st, st, st
	stop := func() {}
	if wk == nil {
		w, err := worker.New(ctx, a.cfg, st, worker.Options{InsertOnly: true, Logger: d.Log})
		if err != nil {
			return d, stop, err
		}
		wk, stop = w, func() { _ = w.Stop() }
	}
	// The studio is rebuilt on each use (app.CampaignStudio), so a launch
	// writes with the model settings of its time.
	wk.Service.Studio, wk.Service.Audience = d.App.CampaignStudio(), d.App.Segments
	d.Campaigns, d.Queue = wk.Service, wk.Queue
	d.Probes = []httpapi.Probe{
		{Name: "store", Check: func(ctx context.Context) error {
			return apperr.Wrap(st.Ping(ctx), apperr.Unavailable, "the database does not answer")
		}},
		{Name: "migrations", Check: func(ctx context.Context) error {
			pending, err := store.PendingMigrations(ctx, st)
			if err != nil {
				return err
			}
			if len(pending) > 0 {
				return apperr.New(apperr.Unavailable, "migrations not applied: %s (chorus migrate)", strings.Join(pending, ", "))
			}
			return nil
		}},
		{Name: "queue", Check: func(ctx context.Context) error {
			_, err := wk.Queue.Count(ctx, "")
			return err
		}},
	}
	return d, stop, nil
}
