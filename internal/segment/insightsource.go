package segment

import (
	"context"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/insight"
)

// InsightSource is the RecordSource over the insight package: profile
// fields and consent from the store, metrics from insight.Load and
// insight.Compute over the same store.
//
// RFM scores are quantiles of the whole population, so RecordsFor computes
// the population too and then picks the requested customers: a customer's
// record after new events is exactly what a full rebuild would give it.
// (Other customers whose scores move only because the quantile edges moved
// are picked up by the next Engine.Refresh.)
type InsightSource struct {
	Store insight.Source
	Opts  insight.Options
	// Now is the fallback analysis date when there are no events at all;
	// nil means time.Now.
	Now func() time.Time

	warnings []string
}

// NewInsightSource returns a source over st with the given insight options.
func NewInsightSource(st insight.Source, opts insight.Options) *InsightSource {
	return &InsightSource{Store: st, Opts: opts}
}

// Warnings says what the last call could not compute, such as RFM on a
// store with too few purchases (metric fields are then zero and profile
// fields still work).
func (s *InsightSource) Warnings() []string { return s.warnings }

// Records returns the record of every customer known from the customer
// table or from events, in insight's customer order.
func (s *InsightSource) Records(ctx context.Context) ([]Record, error) {
	return s.records(ctx, nil)
}

// RecordsFor returns the records of ids; unknown ids are omitted.
func (s *InsightSource) RecordsFor(ctx context.Context, ids []string) ([]Record, error) {
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	return s.records(ctx, want)
}

func (s *InsightSource) records(ctx context.Context, want map[string]bool) ([]Record, error) {
	s.warnings = nil
	ds, err := insight.Load(ctx, s.Store)
	if err != nil {
		return nil, err
	}
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
	case apperr.Is(err, apperr.Invalid):
		// Too little behaviour for metrics is not a reason to refuse a
		// segment over profile fields and consent, nor one defined before
		// the data arrives (OnEvents fills it later); say what is missing.
		if len(ds.Customers) == 0 {
			s.warnings = append(s.warnings, "no customers yet: the segment starts empty and fills as data arrives")
		} else {
			s.warnings = append(s.warnings, err.Error()+"; metric fields (rfm, lifecycle, affinity, …) are zero")
		}
		snap = nil
	case err != nil:
		return nil, err
	default:
		asOf = snap.AsOf
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
