// Package worker is the campaign send path on the job queue, wired as one
// reusable piece: `chorus worker` runs it until SIGTERM, `chorus serve`
// runs the same in-process, CLI commands that launch use its insert-only
// form, and tests and benchmarks build it over their own peers.
//
// Two job kinds run on River: campaign_send carries a batch of send ids
// (Deliver works it), and campaign_reconcile runs every Reconcile interval
// on the elected leader (and once at start), completing campaigns whose
// recipients are all terminal, starting due scheduled ones, and giving new
// jobs to pending recipients whose job is gone, so a crash never leaves a
// campaign running with nothing running.
package worker

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/delivery"
	"github.com/chorusmkt/chorus/internal/delivery/export"
	"github.com/chorusmkt/chorus/internal/delivery/smtp"
	"github.com/chorusmkt/chorus/internal/delivery/webhook"
	"github.com/chorusmkt/chorus/internal/experiment"
	"github.com/chorusmkt/chorus/internal/queue"
	"github.com/chorusmkt/chorus/internal/tracking"
	"github.com/chorusmkt/chorus/internal/tracking/token"
)

// SendArgs is a campaign_send job: one batch of a campaign's sends.
type SendArgs struct {
	CampaignID int64   `json:"campaign_id"`
	IDs        []int64 `json:"ids"`
}

// Kind is the job kind.
func (SendArgs) Kind() string { return "campaign_send" }

// ReconcileArgs is the periodic campaign_reconcile job.
type ReconcileArgs struct{}

// Kind is the job kind.
func (ReconcileArgs) Kind() string { return "campaign_reconcile" }

// Store is everything the send path reads and writes: the campaign
// store, the contact policy's (with its batch reads), content items,
// customers and products. store.Open's store implements it.
type Store interface {
	campaign.Store
	policy.Store
	policy.BatchStore
	campaign.Content
	campaign.Catalog
	// "test on X%, then send the winner": the plans, and the reports that
	// judge them
	campaign.TestStore
	tracking.ReportStore
}

// Options shape a Worker beyond the configuration.
type Options struct {
	// ID names the process among the workers; "" picks one.
	ID string
	// Logger gets River's warnings and the reconciler's notes.
	Logger *slog.Logger
	// Senders replace the configured senders per channel (tests and
	// benchmarks with their own peers); channels not named are built
	// from the configuration.
	Senders map[string]campaign.Channel
	// Limiter replaces the limiter configuration derived from the
	// delivery settings (tests with a peer that throttles at random).
	Limiter *delivery.LimiterConfig
	// Links replaces the configured tracking links.
	Links campaign.Linker
	// Reconcile is the reconciler's period (default 30 s).
	Reconcile time.Duration
	// InsertOnly makes a queue that enqueues (launch, resume) but works
	// nothing.
	InsertOnly bool
	// BatchSize is the recipients per job (default 500).
	BatchSize int
	// Retry overrides the retry schedule per channel.
	Retry map[string]delivery.Schedule
	// Now is the service's clock (tests).
	Now func() time.Time
}

// Worker is the campaign service over the queue, with the senders of
// every configured channel.
type Worker struct {
	Service *campaign.Service
	Queue   *queue.Queue
	log     *slog.Logger
	closers []func() error
}

// enqueuer inserts campaign_send jobs through the queue.
type enqueuer struct{ q *queue.Queue }

// EnqueueTx implements campaign.Enqueuer.
func (e enqueuer) EnqueueTx(ctx context.Context, tx *sql.Tx, batches []campaign.Batch) ([]int64, error) {
	jobs := make([]queue.Job, len(batches))
	for i, b := range batches {
		jobs[i] = queue.Job{Args: SendArgs{CampaignID: b.CampaignID, IDs: b.IDs}, At: b.At, MaxAttempts: 25}
	}
	return e.q.InsertTxIDs(ctx, tx, jobs)
}

type sendWorker struct {
	river.WorkerDefaults[SendArgs]
	svc *campaign.Service
}

func (w *sendWorker) Work(ctx context.Context, j *river.Job[SendArgs]) error {
	return w.svc.Deliver(ctx, j.ID, j.Args.CampaignID, j.Args.IDs, func(tx *sql.Tx) error {
		return queue.CompleteTx(ctx, tx, j)
	})
}

type reconcileWorker struct {
	river.WorkerDefaults[ReconcileArgs]
	svc *campaign.Service
	log *slog.Logger
}

func (w *reconcileWorker) Work(ctx context.Context, _ *river.Job[ReconcileArgs]) error {
	note, err := w.svc.Reconcile(ctx)
	if note != "" {
		w.log.Info("campaign reconciler", "done", note)
	}
	return err
}

// New builds the send path for cfg over st (the store's DSN is cfg.DB):
// the queue with both job kinds (or insert-only), a sender per configured
// channel behind a Guard (the channel's rate limit per domain or
// endpoint, and a circuit breaker), the tracking links and the contact
// gate. A channel without configuration has no sender: its sends fail
// with no_sender. Errors: Invalid naming a bad setting, Unavailable when
// the queue's database cannot be reached.
func New(ctx context.Context, cfg config.Config, st Store, opts Options) (w *Worker, err error) {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	gate, err := policy.New(cfg.Compliance.Contact, st)
	if err != nil {
		return nil, err
	}
	svc := &campaign.Service{Store: st, Content: st, Customers: st, Gate: gate, Catalog: st, Suppressor: st,
		Senders: map[string]campaign.Channel{}, Log: log, BatchSize: opts.BatchSize, Retry: opts.Retry, Now: opts.Now,
		Tests: st, Judge: tracking.TestJudge{Store: st, Rule: tracking.RuleFromConfig(cfg.Tracking.Attribution),
			Options: experiment.OptionsFromConfig(cfg.Experiment)}}
	w = &Worker{Service: svc, log: log}
	made := w // a failed return sets w to nil before this runs
	defer func() {
		if err != nil {
			made.close()
		}
	}()
	if !opts.InsertOnly {
		if err := w.senders(cfg, opts); err != nil {
			return nil, err
		}
		switch {
		case opts.Links != nil:
			svc.Links = opts.Links
		case cfg.Tracking.Secret != "":
			l, err := token.FromConfig(cfg.Tracking)
			if err != nil {
				return nil, err
			}
			svc.Links = l
		}
	}
	qo := queue.Options{ID: opts.ID, Logger: log}
	if !opts.InsertOnly {
		ws := queue.NewWorkers()
		queue.AddWorker(ws, &sendWorker{svc: svc})
		queue.AddWorker(ws, &reconcileWorker{svc: svc, log: log})
		qo.Workers = ws
		every := opts.Reconcile
		if every <= 0 {
			every = 30 * time.Second
		}
		qo.Periodic = []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(every),
			func() (river.JobArgs, *river.InsertOpts) {
				return ReconcileArgs{}, &river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: every}}
			}, &river.PeriodicJobOpts{RunOnStart: true})}
	}
	q, err := queue.Open(ctx, cfg.DB, cfg.Queue, qo)
	if err != nil {
		return nil, err
	}
	w.Queue = q
	svc.Queue = enqueuer{q}
	return w, nil
}

// senders builds each channel's sender from the configuration unless
// opts names one.
func (w *Worker) senders(cfg config.Config, opts Options) error {
	svc := w.Service
	lc := delivery.LimiterConfigFrom(cfg.Delivery)
	if opts.Limiter != nil {
		lc = *opts.Limiter
	}
	limiter := delivery.NewLimiter(lc)
	for ch, sc := range opts.Senders {
		svc.Senders[ch] = sc
	}
	if _, ok := svc.Senders[delivery.Email]; !ok && cfg.Delivery.Email.SMTP != "" {
		s, err := smtp.FromConfig(cfg.Delivery.Email)
		if err != nil {
			return err
		}
		w.closers = append(w.closers, s.Close)
		conns := cfg.Delivery.Email.Connections
		if conns <= 0 {
			conns = 4
		}
		svc.Senders[delivery.Email] = campaign.Channel{
			Sender:   delivery.NewGuard(s, limiter, delivery.NewBreaker("email", delivery.BreakerConfig{})),
			Schedule: delivery.EmailScheduleFrom(cfg.Delivery), Concurrency: 2 * conns}
	}
	if _, ok := svc.Senders[delivery.Ad]; !ok && cfg.Delivery.Export.Dir != "" {
		// ad audiences are files in the export folder, one per chunk of sends
		s, err := export.NewAudienceSender(cfg.Delivery.Export)
		if err != nil {
			return err
		}
		svc.Senders[delivery.Ad] = campaign.Channel{Sender: s, Schedule: delivery.EmailScheduleFrom(cfg.Delivery), Concurrency: 1}
	}
	for ch, wc := range cfg.Delivery.Webhooks {
		if _, ok := svc.Senders[ch]; ok || wc.URL == "" {
			continue
		}
		s, err := webhook.FromConfig(ch, wc)
		if err != nil {
			return err
		}
		svc.Senders[ch] = campaign.Channel{
			Sender:   delivery.NewGuard(s, limiter, delivery.NewBreaker(ch, delivery.BreakerConfig{})),
			Schedule: s.Schedule(), Concurrency: 16}
	}
	return nil
}

// Start works jobs until Stop or ctx ends.
func (w *Worker) Start(ctx context.Context) error {
	if w.Queue == nil {
		return apperr.New(apperr.Internal, "campaign worker: no queue")
	}
	return w.Queue.Start(ctx)
}

// Stop stops fetching jobs, lets the batches in flight finish (their
// outcomes are recorded) for the queue's drain timeout, and closes the
// queue and the senders. A second Stop is a no-op.
func (w *Worker) Stop() error {
	var err error
	if w.Queue != nil {
		err = w.Queue.Stop()
	}
	w.close()
	return err
}

func (w *Worker) close() {
	for _, c := range w.closers {
		_ = c()
	}
	w.closers = nil
}
