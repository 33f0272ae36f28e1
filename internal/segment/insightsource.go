package segment

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/insight"
)

// InsightStore is what InsightSource reads; store.Store satisfies it.
type InsightStore interface {
	insight.Source
	GetCustomer(ctx context.Context, id string) (customer.Customer, error)
	Consents(ctx context.Context, customerID string) ([]customer.Consent, error)
}

// InsightSource is the RecordSource over the insight package: profile
// fields and consent from the store, metrics from insight.Compute over the
// same store.
//
// RFM scores and CLV are relative to the whole population (quantile edges,
// a fitted model), so RecordsFor computes the population too and then
// picks the requested customers: a customer's record after new events is
// exactly what a full rebuild would give it. (Other customers whose scores
// move only because the edges moved are picked up by Engine.Refresh.)
//
// With Incremental set, the source keeps the behaviour it loaded in memory
// and RecordsFor re-reads from the store only the touched customers'
// profile, consent and events, then recomputes in memory; this is what a
// long-running process (an import, the campaign worker) wants when it calls
// Engine.OnEvents batch after batch. Without it every call reads the store
// in full, which suits one-shot commands.
type InsightSource struct {
	Store InsightStore
	Opts  insight.Options
	// Now is the fallback analysis date when there are no events at all;
	// nil means time.Now.
	Now func() time.Time
	// Incremental keeps loaded behaviour between calls (see above).
	Incremental bool
	// Data, when set, gives the insight dataset of the store instead of
	// a fresh insight.Load per call: the process's one shared dataset
	// (insight.Service.Dataset), so that segments, profiles and metrics
	// of one command read the events once.
	Data func(context.Context) (*insight.Dataset, error)

	mu       sync.Mutex
	warnings []string
	warm     *behaviour
}

// behaviour is what Incremental keeps: everything insight.Compute needs,
// by customer, in the store's scan order.
type behaviour struct {
	profiles map[string]customer.Customer
	ledgers  map[string][]customer.Consent
	events   map[string][]event.Event // LoadedTypes events by customer
	// lastGuest is the latest event without a customer: it only moves the
	// default analysis date.
	lastGuest time.Time
}

// NewInsightSource returns a source over st with the given insight options.
func NewInsightSource(st InsightStore, opts insight.Options) *InsightSource {
	return &InsightSource{Store: st, Opts: opts}
}

// Warnings says what the last call could not compute, such as RFM on a
// store with too few purchases (metric fields are then zero and profile
// fields still work).
func (s *InsightSource) Warnings() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.warnings)
}

// Records returns the record of every customer known from the customer
// table or from events, in insight's customer order.
func (s *InsightSource) Records(ctx context.Context) ([]Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.warnings = nil
	if !s.Incremental {
		return s.coldRecords(ctx, nil)
	}
	b, err := s.loadAll(ctx)
	if err != nil {
		return nil, err
	}
	s.warm = b
	return s.warmRecords(ctx, b, nil)
}

// RecordsFor returns the records of ids; unknown ids are omitted.
func (s *InsightSource) RecordsFor(ctx context.Context, ids []string) ([]Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.warnings = nil
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	if !s.Incremental {
		return s.coldRecords(ctx, want)
	}
	if s.warm == nil {
		b, err := s.loadAll(ctx)
		if err != nil {
			return nil, err
		}
		s.warm = b
	} else if err := s.reload(ctx, s.warm, ids); err != nil {
		s.warm = nil // a half-applied reload must not be trusted
		return nil, err
	}
	return s.warmRecords(ctx, s.warm, want)
}

// Invalidate drops the behaviour Incremental keeps, after writes the
// source was not told about.
func (s *InsightSource) Invalidate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.warm = nil
}

// coldRecords reads everything from the store through insight.Load (or
// the shared dataset, see Data).
func (s *InsightSource) coldRecords(ctx context.Context, want map[string]bool) ([]Record, error) {
	load := s.Data
	if load == nil {
		load = func(ctx context.Context) (*insight.Dataset, error) { return insight.Load(ctx, s.Store) }
	}
	ds, err := load(ctx)
	if err != nil {
		return nil, err
	}
	profiles := make(map[string]customer.Customer)
	err = s.Store.ListCustomers(ctx, func(c customer.Customer) error {
		if want == nil || want[c.ID] {
			profiles[c.ID] = c
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ledgers := make(map[string][]customer.Consent)
	err = s.Store.ListConsents(ctx, func(c customer.Consent) error {
		if want == nil || want[c.CustomerID] {
			ledgers[c.CustomerID] = append(ledgers[c.CustomerID], c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.assemble(ds, profiles, ledgers, want)
}

// loadAll reads the behaviour Incremental keeps.
func (s *InsightSource) loadAll(ctx context.Context) (*behaviour, error) {
	b := &behaviour{profiles: map[string]customer.Customer{}, ledgers: map[string][]customer.Consent{},
		events: map[string][]event.Event{}}
	err := s.Store.ListCustomers(ctx, func(c customer.Customer) error {
		b.profiles[c.ID] = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.Store.ListConsents(ctx, func(c customer.Consent) error {
		b.ledgers[c.CustomerID] = append(b.ledgers[c.CustomerID], c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	n := 0
	err = s.Store.ScanEvents(ctx, event.Filter{Types: insight.LoadedTypes}, func(e event.Event) error {
		if e.CustomerID == "" {
			if e.OccurredAt.After(b.lastGuest) {
				b.lastGuest = e.OccurredAt
			}
		} else {
			e.Properties = nil // insight does not read them; keep the cache small
			b.events[e.CustomerID] = append(b.events[e.CustomerID], e)
		}
		if n++; n%8192 == 0 {
			return ctx.Err()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// reload re-reads the profile, consent ledger and events of ids.
func (s *InsightSource) reload(ctx context.Context, b *behaviour, ids []string) error {
	for _, id := range ids {
		c, err := s.Store.GetCustomer(ctx, id)
		switch {
		case err == nil:
			b.profiles[id] = c
		case apperr.Is(err, apperr.NotFound):
			delete(b.profiles, id) // known from events only, if at all
		default:
			return err
		}
		ledger, err := s.Store.Consents(ctx, id)
		if err != nil {
			return err
		}
		b.ledgers[id] = ledger
		var evs []event.Event
		err = s.Store.ScanEvents(ctx, event.Filter{CustomerID: id, Types: insight.LoadedTypes}, func(e event.Event) error {
			e.Properties = nil
			evs = append(evs, e)
			return nil
		})
		if err != nil {
			return err
		}
		if len(evs) == 0 {
			delete(b.events, id)
		} else {
			b.events[id] = evs
		}
	}
	return nil
}

// warmRecords computes from the kept behaviour. Customers and their
// events are fed in id order, each customer's events in scan order, so
// that the result does not depend on map iteration.
func (s *InsightSource) warmRecords(ctx context.Context, b *behaviour, want map[string]bool) ([]Record, error) {
	ps, err := s.Store.ListProducts(ctx)
	if err != nil {
		return nil, err
	}
	bl := insight.NewBuilder()
	for _, id := range slices.Sorted(maps.Keys(b.profiles)) {
		bl.AddCustomer(b.profiles[id])
	}
	for _, id := range slices.Sorted(maps.Keys(b.ledgers)) {
		for _, c := range b.ledgers[id] {
			bl.AddConsent(c)
		}
	}
	bl.AddProducts(ps)
	for _, id := range slices.Sorted(maps.Keys(b.events)) {
		for _, e := range b.events[id] {
			bl.AddEvent(e)
		}
	}
	if !b.lastGuest.IsZero() {
		bl.AddEvent(event.Event{Type: event.View, OccurredAt: b.lastGuest})
	}
	return s.assemble(bl.Dataset(), b.profiles, b.ledgers, want)
}

// assemble computes metrics over ds and builds the records of want (all
// when nil). Too little behaviour for metrics is not a reason to refuse a
// segment over profile fields and consent, nor one defined before the data
// arrives (OnEvents fills it later): the metric fields stay zero and
// Warnings says what is missing.
func (s *InsightSource) assemble(ds *insight.Dataset, profiles map[string]customer.Customer,
	ledgers map[string][]customer.Consent, want map[string]bool) ([]Record, error) {
	asOf := s.Opts.AsOf
	if asOf.IsZero() {
		asOf = ds.DefaultAsOf()
	}
	if asOf.IsZero() {
		asOf = time.Now().UTC()
		if s.Now != nil {
			asOf = s.Now().UTC()
		}
	}
	snap, err := insight.Compute(ds, s.Opts)
	switch {
	case err != nil && !apperr.Is(err, apperr.Invalid):
		return nil, err
	case err != nil && len(ds.Customers) == 0:
		s.warnings = append(s.warnings, "no customers yet: the segment starts empty and fills as data arrives")
		snap = nil
	case err != nil:
		s.warnings = append(s.warnings, err.Error()+"; metric fields (rfm, lifecycle, affinity, clv …) are zero")
		snap = nil
	default:
		asOf = snap.AsOf
	}
	n := len(ds.Customers)
	if want != nil {
		n = len(want)
	}
	out := make([]Record, 0, n)
	for _, id := range ds.Customers {
		if want != nil && !want[id] {
			continue
		}
		c, ok := profiles[id]
		if !ok {
			c = customer.Customer{ID: id} // known from events only
		}
		m := insight.Metrics{CustomerID: id}
		if snap != nil {
			m, _ = snap.Get(id)
		}
		out = append(out, FromMetrics(c, m, customer.CurrentConsent(ledgers[id]), asOf))
	}
	return out, nil
}
