package main

import (
	"context"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/httpapi"
	"github.com/chorusmkt/chorus/internal/queue"
	"github.com/chorusmkt/chorus/internal/store"
)

// apiDeps adds to d what the API and the operations routes use: the
// store's idempotency keys, customer search and counts, the queue (nil
// when the workers run elsewhere) and the readiness probes.
func apiDeps(d httpapi.Deps, st store.Store, q *queue.Queue) httpapi.Deps {
	d.Auth, d.Idempotency, d.Customers, d.Telemetry = d.App.Auth, st, st, st
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
	}
	if q != nil {
		d.Queue = q
		d.Probes = append(d.Probes, httpapi.Probe{Name: "queue", Check: func(ctx context.Context) error {
			_, err := q.Count(ctx, "")
			return err
		}})
	}
	return d
}
