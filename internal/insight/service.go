package insight

import (
	"context"
	"sync"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
)

// ServiceStore is what the insight service reads: the dataset's sources
// and one customer's record and consent ledger.
type ServiceStore interface {
	Source
	GetCustomer(ctx context.Context, id string) (customer.Customer, error)
	Consents(ctx context.Context, customerID string) ([]customer.Consent, error)
	CountEvents(ctx context.Context, f event.Filter) (int, error)
}

// Service answers the insight questions of every front end (the CLI, the
// HTTP API, the studio's profiles) over one store. It holds the process's
// one dataset, loaded on first use, and computes the configured snapshot
// once per dataset. A long-running process calls CatchUp to take in what
// was stored since (reading only the new events); Invalidate drops
// everything. It is safe for concurrent use.
type Service struct {
	store ServiceStore
	opts  Options

	mu   sync.Mutex
	b    *Builder // what ds was built from, kept for CatchUp
	ds   *Dataset
	snap *Snapshot
	err  error // of the configured snapshot
}

// NewService returns a service over st computing with opts by default.
func NewService(st ServiceStore, opts Options) *Service {
	return &Service{store: st, opts: opts}
}

// Options are the configured options (as of, map, CLV horizon).
func (s *Service) Options() Options { return s.opts }

// Dataset is the store's customers, products, consents and events, loaded
// on first use and shared until Invalidate.
func (s *Service) Dataset(ctx context.Context) (*Dataset, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dataset(ctx)
}

func (s *Service) dataset(ctx context.Context) (*Dataset, error) {
	if s.ds != nil {
		return s.ds, nil
	}
	b := NewBuilder()
	if err := b.load(ctx, s.store, 0); err != nil {
		return nil, err
	}
	s.b, s.ds = b, b.Dataset()
	return s.ds, nil
}

// Invalidate makes the next call reload the dataset in full.
func (s *Service) Invalidate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b, s.ds, s.snap, s.err = nil, nil, nil, nil
}

// CatchUp takes in what was stored since the dataset was loaded: the
// customers, consents and products again (they are few beside the events)
// and only the events stored after the last one it holds. Datasets handed
// out before stay as they were. When the store holds another number of
// events than the dataset would after catching up (an event committed out
// of id order by a concurrent writer), it reloads in full. Without a
// dataset yet there is nothing to catch up on (the first use loads one):
// it returns nil.
func (s *Service) CatchUp(ctx context.Context) (*Dataset, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.b == nil {
		return nil, nil
	}
	before := s.b.version
	if err := s.b.load(ctx, s.store, before.LastEventID); err != nil {
		s.b, s.ds = nil, nil // a half-applied catch-up must not be trusted
		return nil, err
	}
	n, err := s.store.CountEvents(ctx, event.Filter{Types: LoadedTypes})
	if err != nil {
		return nil, err
	}
	if n != s.b.version.Events {
		s.b, s.ds = nil, nil
		return s.dataset(ctx)
	}
	s.ds, s.snap, s.err = s.b.Dataset(), nil, nil
	return s.ds, nil
}

// Snapshot is the metrics of every customer with the configured options,
// computed once. It is Invalid when there is too little data (see
// Compute).
func (s *Service) Snapshot(ctx context.Context) (*Snapshot, *Dataset, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ds, err := s.dataset(ctx)
	if err != nil {
		return nil, nil, err
	}
	if s.snap == nil && s.err == nil {
		s.snap, s.err = Compute(ds, s.opts)
	}
	return s.snap, ds, s.err
}

// Compute is the metrics with opts instead of the configured options
// (another as-of date or map), over the shared dataset.
func (s *Service) Compute(ctx context.Context, opts Options) (*Snapshot, *Dataset, error) {
	ds, err := s.Dataset(ctx)
	if err != nil {
		return nil, nil, err
	}
	snap, err := Compute(ds, opts)
	return snap, ds, err
}

// FitCLV fits the CLV models on the shared dataset as of opts.AsOf.
func (s *Service) FitCLV(ctx context.Context, opts Options) (*CLVModel, []CLVInput, *Dataset, error) {
	ds, err := s.Dataset(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	m, in, err := FitCLV(ds, opts.AsOf)
	return m, in, ds, err
}

// Profile is customer id's profile with the configured options and no
// recommendations, as the studio's prompts use it (content.ProfileSource).
// With too little data for population metrics it holds the persona fields
// only. NotFound for a customer the store does not know.
func (s *Service) Profile(ctx context.Context, id string) (Profile, error) {
	p, _, err := s.Explain(ctx, id, ProfileRequest{Options: s.opts, configured: true})
	return p, err
}

// ProfileRequest shapes Explain.
type ProfileRequest struct {
	Options Options
	// Recs is how many recommendations to include, from Recommender (a
	// customer who revoked personalisation gets none).
	Recs        int
	Recommender Recommender
	// Language, when set, is the language Chorus writes to the customer
	// in (the shop's rule), which the profile's labels follow.
	Language func(customer.Customer) string

	configured bool // Options are the service's: use the cached snapshot
}

// Configured is req with the service's own options, so that Explain
// reads the snapshot computed once (Snapshot) instead of computing the
// population's metrics again: what a server answering many profiles
// wants.
func (s *Service) Configured(req ProfileRequest) ProfileRequest {
	req.Options, req.configured = s.opts, true
	return req
}

// Explain is customer id's profile (画像) and the notes a person should
// read with it: why metrics or recommendations are missing. A customer
// known only from events gets a profile of her behaviour.
func (s *Service) Explain(ctx context.Context, id string, req ProfileRequest) (Profile, []string, error) {
	var snap *Snapshot
	var ds *Dataset
	var err error
	if req.configured {
		snap, ds, err = s.Snapshot(ctx)
	} else {
		snap, ds, err = s.Compute(ctx, req.Options)
	}
	var notes []string
	m := Metrics{CustomerID: id}
	switch {
	case ds == nil:
		return Profile{}, nil, err
	case apperr.Is(err, apperr.Invalid):
		// too little data for population metrics: the persona fields
		// are still a profile; say what is missing
		notes = append(notes, err.Error())
	case err != nil:
		return Profile{}, nil, err
	default:
		m, _ = snap.Get(id)
		notes = append(notes, snap.Notes...)
	}
	c, err := s.store.GetCustomer(ctx, id)
	switch {
	case apperr.Is(err, apperr.NotFound) && ds.Index(id) >= 0:
		c = customer.Customer{ID: id} // known from events only
	case err != nil:
		return Profile{}, nil, err
	}
	ledger, err := s.store.Consents(ctx, id)
	if err != nil {
		return Profile{}, nil, err
	}
	consents := customer.CurrentConsent(ledger)
	var recs []ProductRec
	if req.Recs > 0 && req.Recommender != nil && !PersonalizationRevoked(consents) {
		// a profile without recommendations is still a profile
		if recs, err = req.Recommender.Recommend(ctx, id, req.Recs); err != nil {
			notes = append(notes, "no recommendations: "+err.Error())
			recs = nil
		}
	}
	p := BuildProfile(c, m, consents, ds, recs)
	if req.Language != nil {
		p.Language = req.Language(c)
	}
	return p, notes, nil
}

// With is o with an analysis date and a segment map as a person writes
// them (--as-of YYYY-MM-DD, --map NAME); "" keeps o's. Errors are
// apperr.Invalid.
func (o Options) With(asOf, mapName string) (Options, error) {
	if asOf != "" {
		t, err := time.Parse(time.DateOnly, asOf)
		if err != nil {
			return o, apperr.New(apperr.Invalid, "--as-of %q: want a date like 2011-12-10", asOf)
		}
		o.AsOf = t
	}
	if mapName != "" {
		o.Map = mapName
	}
	return o, nil
}
