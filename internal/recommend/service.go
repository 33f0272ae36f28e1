package recommend

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Service is the recommendation model of one store for every front end
// (the CLI, the HTTP API, the studio, profiles): the saved model while the
// data and the options hold (LoadOrTrain), got once and shared until
// Invalidate. It is safe for concurrent use.
type Service struct {
	store Store
	opts  Options
	// Trace, when set, is told about a training (see LoadOrTrain).
	Trace *Trace
	// Data, when set, is the process's one dataset (insight.Service) that
	// a training reads, current with the store; nil loads one per training.
	Data DatasetFunc

	mu     sync.Mutex
	model  *Model
	origin Origin
	err    error
}

// NewService returns the service of st with opts.
func NewService(st Store, opts Options) *Service { return &Service{store: st, opts: opts} }

// Options are the training options.
func (s *Service) Options() Options { return s.opts }

// Model is the current model and where it came from. With force it
// trains even when the saved model is current. A failure is kept (and
// returned again) until Invalidate, so a command asking for many
// customers trains at most once.
func (s *Service) Model(ctx context.Context, force bool) (*Model, Origin, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if force || (s.model == nil && s.err == nil) {
		s.model, s.origin, s.err = loadOrTrain(ctx, s.store, s.Data, s.opts, force, s.Trace)
	}
	return s.model, s.origin, s.err
}

// Invalidate makes the next call check the store's fingerprint again.
func (s *Service) Invalidate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.model, s.err = nil, nil
}

// Recommend is customer id's top n items (content.Recommender). A customer
// the model cannot serve, or a store it cannot be trained on, is NotFound
// with the reason, so that callers writing for many customers skip her.
func (s *Service) Recommend(ctx context.Context, id string, n int) ([]Item, error) {
	m, _, err := s.Model(ctx, false)
	if err != nil {
		if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.NotFound) {
			return nil, apperr.Wrap(err, apperr.NotFound, "no recommendations for %s", id)
		}
		return nil, err
	}
	items, err := m.Recommend(id, n)
	if err == nil && len(items) == 0 {
		err = apperr.New(apperr.NotFound, "no recommendations for %s", id)
	}
	return items, err
}

// String says where the model came from, for a person: reused (when it
// was trained, how long that took) or trained now.
func (o Origin) String() string {
	// the origin that comes with an error has no fingerprint
	fp := o.Fingerprint[:min(12, len(o.Fingerprint))]
	if o.Reused {
		return fmt.Sprintf("reused the model trained %s (%.1fs then; data and settings unchanged, fingerprint %s) in %.2fs",
			o.TrainedAt.Local().Format(time.DateTime), o.TrainSeconds, fp, o.Seconds)
	}
	return fmt.Sprintf("trained on %d events in %.1fs (fingerprint %s)", o.Events, o.Seconds, fp)
}
