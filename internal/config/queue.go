package config

import (
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Queue configures the durable job queue (River) that campaign sends run
// on, in `chorus serve` and `chorus worker`.
type Queue struct {
	// Workers is how many jobs one process works at once.
	Workers int `yaml:"workers"`
	// JobTimeout cancels a job that runs longer.
	JobTimeout Duration `yaml:"job_timeout"`
	// RescueAfter is how long a job may stay running before another
	// process takes it over (its worker was killed). It must exceed
	// JobTimeout, or a slow job would be run twice.
	RescueAfter Duration `yaml:"rescue_after"`
	// PollInterval is how often an idle worker looks for jobs when it
	// cannot be notified (SQLite, or several processes on one file).
	PollInterval Duration `yaml:"poll_interval"`
	// DrainTimeout is how long a stopping worker lets running jobs finish
	// before it cancels them (they are retried elsewhere).
	DrainTimeout Duration `yaml:"drain_timeout"`
}

func defaultQueue() Queue {
	return Queue{
		Workers:      8,
		JobTimeout:   Duration(5 * time.Minute),
		RescueAfter:  Duration(6 * time.Minute),
		PollInterval: Duration(500 * time.Millisecond),
		DrainTimeout: Duration(30 * time.Second),
	}
}

func (q *Queue) applyEnv(env Lookup) error {
	if err := envInt(env, &q.Workers, "CHORUS_QUEUE_WORKERS"); err != nil {
		return err
	}
	for key, dst := range map[string]*Duration{
		"CHORUS_QUEUE_JOB_TIMEOUT":   &q.JobTimeout,
		"CHORUS_QUEUE_RESCUE_AFTER":  &q.RescueAfter,
		"CHORUS_QUEUE_POLL_INTERVAL": &q.PollInterval,
		"CHORUS_QUEUE_DRAIN_TIMEOUT": &q.DrainTimeout,
	} {
		if err := envDuration(env, dst, key); err != nil {
			return err
		}
	}
	return nil
}

func (q Queue) validate() error {
	switch {
	case q.Workers < 1 || q.Workers > 1000:
		return apperr.New(apperr.Invalid, "queue.workers=%d: use 1 to 1000", q.Workers)
	case q.JobTimeout.Std() < time.Second:
		return apperr.New(apperr.Invalid, "queue.job_timeout=%s: use at least 1s", q.JobTimeout.Std())
	case q.RescueAfter.Std() <= q.JobTimeout.Std():
		return apperr.New(apperr.Invalid, "queue.rescue_after=%s must be longer than queue.job_timeout=%s, or a running job would be taken over", q.RescueAfter.Std(), q.JobTimeout.Std())
	case q.PollInterval.Std() < 10*time.Millisecond || q.PollInterval.Std() > time.Minute:
		return apperr.New(apperr.Invalid, "queue.poll_interval=%s: use 10ms to 1m", q.PollInterval.Std())
	case q.DrainTimeout.Std() < 0:
		return apperr.New(apperr.Invalid, "queue.drain_timeout=%s is negative", q.DrainTimeout.Std())
	}
	return nil
}
