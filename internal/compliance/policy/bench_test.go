package policy_test

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// memStore is an in-memory policy.Store, to time the gate's own logic
// apart from SQL. It passes the engines' conformance suite
// (TestMemStoreConformance): orders, exclusive bounds, replaced skips.
type memStore struct {
	mu       sync.Mutex
	cust     map[string]customer.Customer
	consents map[string][]customer.Consent
	supp     map[policy.SuppressionKey]policy.Suppression
	sends    map[string][]policy.Send
	skips    []policy.Skip
}

func newMemStore() *memStore {
	return &memStore{cust: map[string]customer.Customer{}, consents: map[string][]customer.Consent{},
		supp: map[policy.SuppressionKey]policy.Suppression{}, sends: map[string][]policy.Send{}}
}

func (m *memStore) GetCustomer(_ context.Context, id string) (customer.Customer, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.cust[id]
	if !ok {
		return c, apperr.New(apperr.NotFound, "customer %q not found", id)
	}
	return c, nil
}

func (m *memStore) Consents(_ context.Context, id string) ([]customer.Consent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.consents[id], nil
}

func (m *memStore) AddSuppressions(_ context.Context, ss []policy.Suppression) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, s := range ss {
		if _, ok := m.supp[s.SuppressionKey]; !ok {
			n++
		}
		m.supp[s.SuppressionKey] = s
	}
	return n, nil
}

func (m *memStore) RemoveSuppression(_ context.Context, k policy.SuppressionKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.supp[k]; !ok {
		return apperr.New(apperr.NotFound, "no suppression")
	}
	delete(m.supp, k)
	return nil
}

func (m *memStore) ListSuppressions(_ context.Context, fn func(policy.Suppression) error) error {
	m.mu.Lock()
	all := slices.Collect(maps.Values(m.supp))
	m.mu.Unlock()
	slices.SortFunc(all, func(a, b policy.Suppression) int { // newest first, then kind and value
		return cmp.Or(b.At.Compare(a.At), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Value, b.Value))
	})
	for _, s := range all {
		if err := fn(s); err != nil {
			return err
		}
	}
	return nil
}

func (m *memStore) MatchSuppressions(_ context.Context, keys []policy.SuppressionKey) (out []policy.Suppression, _ error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range keys {
		if s, ok := m.supp[k]; ok {
			out = append(out, s)
		}
	}
	return out, nil
}

// since is id's sends after t (exclusive), oldest first.
func (m *memStore) since(id string, t time.Time) (out []policy.Send) {
	for _, s := range m.sends[id] {
		if s.SentAt.After(t) {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b policy.Send) int { return a.SentAt.Compare(b.SentAt) })
	return out
}

func (m *memStore) SendsSince(_ context.Context, id string, t time.Time) ([]policy.Send, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.since(id, t), nil
}

func (m *memStore) RecordSend(_ context.Context, s policy.Send, t time.Time, check func([]policy.Send) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := check(m.since(s.CustomerID, t)); err != nil {
		return err
	}
	m.sends[s.CustomerID] = append(m.sends[s.CustomerID], s)
	return nil
}

func (m *memStore) AddSends(_ context.Context, ss []policy.Send) (int, error) {
	for _, s := range ss {
		if s.SentAt.IsZero() {
			return 0, apperr.New(apperr.Invalid, "send to %s without a time", s.CustomerID)
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range ss {
		m.sends[s.CustomerID] = append(m.sends[s.CustomerID], s)
	}
	return len(ss), nil
}

func (m *memStore) CountSends(_ context.Context, cutoff time.Time) (n int64, _ error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, ss := range m.sends {
		for _, s := range ss {
			if s.SentAt.Before(cutoff) {
				n++
			}
		}
	}
	return n, nil
}

// DeleteSends deletes the sends before cutoff, at most limit (0: all),
// oldest first.
func (m *memStore) DeleteSends(_ context.Context, cutoff time.Time, limit int) (n int64, _ error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var old []time.Time
	for _, ss := range m.sends {
		for _, s := range ss {
			if s.SentAt.Before(cutoff) {
				old = append(old, s.SentAt)
			}
		}
	}
	slices.SortFunc(old, time.Time.Compare)
	if limit > 0 && len(old) > limit {
		old = old[:limit]
	}
	if len(old) == 0 {
		return 0, nil
	}
	// delete every send before the last deleted instant, and as many at
	// that instant as the limit leaves
	last := old[len(old)-1]
	atLast := 0
	for _, t := range old {
		if t.Equal(last) {
			atLast++
		}
	}
	for id, ss := range m.sends {
		kept := ss[:0]
		for _, s := range ss {
			if s.SentAt.Before(last) || (s.SentAt.Equal(last) && atLast > 0) {
				if s.SentAt.Equal(last) {
					atLast--
				}
				n++
				continue
			}
			kept = append(kept, s)
		}
		m.sends[id] = kept
	}
	return n, nil
}

func (m *memStore) CountSkips(_ context.Context, cutoff time.Time) (n int64, _ error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range m.skips {
		if s.DecidedAt.Before(cutoff) {
			n++
		}
	}
	return n, nil
}

// DeleteSkips deletes the skips decided before cutoff, at most limit (0:
// all), oldest first.
func (m *memStore) DeleteSkips(_ context.Context, cutoff time.Time, limit int) (n int64, _ error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	slices.SortStableFunc(m.skips, func(a, b policy.Skip) int { return a.DecidedAt.Compare(b.DecidedAt) })
	kept := m.skips[:0]
	for _, s := range m.skips {
		if s.DecidedAt.Before(cutoff) && (limit <= 0 || n < int64(limit)) {
			n++
			continue
		}
		kept = append(kept, s)
	}
	m.skips = kept
	return n, nil
}

// RecordSkip replaces the skip of the same planned message (campaign,
// customer, channel, purpose and planned time).
func (m *memStore) RecordSkip(_ context.Context, sk policy.Skip) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, o := range m.skips {
		if o.Campaign == sk.Campaign && o.CustomerID == sk.CustomerID && o.Channel == sk.Channel && o.Purpose == sk.Purpose && o.PlannedAt.Equal(sk.PlannedAt) {
			m.skips = append(m.skips[:i], m.skips[i+1:]...)
			break
		}
	}
	m.skips = append(m.skips, sk)
	return nil
}

func (m *memStore) ListSkips(_ context.Context, campaign string) (out []policy.Skip, _ error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range m.skips {
		if s.Campaign == campaign {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b policy.Skip) int { return a.DecidedAt.Compare(b.DecidedAt) })
	return out, nil
}

// benchPeople is the population both benchmarks decide over: each customer
// has a ledger of eight entries and three sends in the last week.
const benchPeople = 1000

type seeder interface {
	policy.Store
	UpsertCustomers(context.Context, []customer.Customer) (customer.UpsertCounts, error)
	AddConsents(context.Context, []customer.Consent) (int, error)
}

func (m *memStore) UpsertCustomers(_ context.Context, cs []customer.Customer) (customer.UpsertCounts, error) {
	for _, c := range cs {
		m.cust[c.ID] = c
	}
	return customer.UpsertCounts{Inserted: len(cs)}, nil
}

func (m *memStore) AddConsents(_ context.Context, cs []customer.Consent) (int, error) {
	for _, c := range cs {
		m.consents[c.CustomerID] = append(m.consents[c.CustomerID], c)
	}
	return len(cs), nil
}

func seed(b *testing.B, s seeder) []string {
	b.Helper()
	var cs []customer.Customer
	var ledger []customer.Consent
	ids := make([]string, benchPeople)
	for i := range ids {
		id := fmt.Sprintf("b%05d", i)
		ids[i] = id
		cs = append(cs, person(id, []string{"Asia/Shanghai", "America/New_York", "Europe/London", ""}[i%4]))
		for j, ch := range []string{"email", "sms", "push", "wechat"} {
			ledger = append(ledger, customer.Consent{CustomerID: id, Channel: ch, Purpose: policy.Marketing, Status: customer.Granted,
				At: noon.Add(-time.Duration(400+j) * time.Hour)})
			status := customer.Granted
			if i%7 == j {
				status = customer.Revoked
			}
			ledger = append(ledger, customer.Consent{CustomerID: id, Channel: ch, Purpose: policy.Marketing, Status: status,
				At: noon.Add(-time.Duration(100+j) * time.Hour)})
		}
	}
	if _, err := s.UpsertCustomers(ctx, cs); err != nil {
		b.Fatal(err)
	}
	if _, err := s.AddConsents(ctx, ledger); err != nil {
		b.Fatal(err)
	}
	for i, id := range ids {
		for j, ch := range []string{"email", "push", "wechat"} {
			at := noon.Add(-time.Duration([]int{30, 70, 200}[j]+i%20) * time.Hour)
			if err := s.RecordSend(ctx, policy.Send{CustomerID: id, Channel: ch, Purpose: policy.Marketing, SentAt: at}, at,
				func([]policy.Send) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
	}
	return ids
}

// BenchmarkDecide times one decision (customer, ledger, suppression and
// sends look-ups plus the rules) on SQLite, on PostgreSQL (when
// CHORUS_TEST_POSTGRES_DSN is set) and on an in-memory store.
func BenchmarkDecide(b *testing.B) {
	for _, eng := range []struct {
		name string
		open func(b *testing.B) seeder
	}{
		{"sqlite", func(b *testing.B) seeder { return storetest.OpenSQLite(b) }},
		{"postgres", func(b *testing.B) seeder { return storetest.OpenPostgres(b) }},
		{"memory", func(b *testing.B) seeder { return newMemStore() }},
	} {
		b.Run(eng.name, func(b *testing.B) {
			s := eng.open(b)
			ids := seed(b, s)
			g, err := policy.New(contact(), s)
			if err != nil {
				b.Fatal(err)
			}
			chans := []string{"sms", "email", "push", "wechat"}
			allowed, i := 0, 0
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				d, err := g.Decide(ctx, policy.Message{CustomerID: ids[i%len(ids)], Channel: chans[i%len(chans)], At: noon})
				if err != nil {
					b.Fatal(err)
				}
				if d.Allow {
					allowed++
				}
				i++
			}
			b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "decisions/s")
			b.ReportMetric(float64(allowed)/float64(i), "allowed/op")
		})
	}
}
