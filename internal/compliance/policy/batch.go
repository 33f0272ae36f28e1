package policy

import (
	"context"
	"slices"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/customer"
)

// CodeUnknownCustomer skips a message whose customer no longer exists
// (AdmitBatch; Admit returns a NotFound error instead).
const CodeUnknownCustomer = "unknown_customer"

// BatchStore is what AdmitBatch needs beyond Store: reads of many
// customers at once, and one transaction that locks every customer of a
// batch, reads their sends and logs the batch's sends and skips.
// store/sqlstore implements it; a Store without it is admitted message by
// message.
type BatchStore interface {
	// CustomersByID returns the customers of ids that exist.
	CustomersByID(ctx context.Context, ids []string) (map[string]customer.Customer, error)
	// ConsentsByCustomer returns the consent ledgers of ids.
	ConsentsByCustomer(ctx context.Context, ids []string) (map[string][]customer.Consent, error)
	// RecordSendBatch takes the per-customer lock of every customer in
	// customers (in a fixed order, so two batches cannot deadlock), reads
	// each one's sends after since, and calls decide with them; it logs
	// the sends decide returns (a send whose Key is already logged is not
	// logged again) and the skips, all in one transaction. decide's error
	// is returned unchanged.
	RecordSendBatch(ctx context.Context, customers []string, since time.Time, decide func(prior map[string][]Send) ([]Send, []Skip, error)) error
}

// AdmitBatch is Admit for many messages at once, with one read of the
// customers, consents and suppressions and one write transaction for the
// whole batch: decisions[i] is msgs[i]'s. Messages are judged in order, so
// a cap filled by an earlier message of the batch stops a later one. A
// message with a Key that was admitted before (a retried batch) is allowed
// again without being logged twice or counted against itself; its
// consent, suppression and quiet hours are judged afresh. An unknown
// customer is a skip (unknown_customer), not an error. Errors are the
// store's, and Invalid for a malformed message.
func (g *Gate) AdmitBatch(ctx context.Context, msgs []Message) (ds []Decision, err error) {
	ds, _, err = g.AdmitBatchCustomers(ctx, msgs)
	return ds, err
}

// AdmitBatchCustomers is AdmitBatch that also returns the customers it
// judged, by id, as read for the decisions: a sender addresses the
// admitted messages from them instead of reading them again. The map is
// nil for a Store without BatchStore (messages admitted one by one).
func (g *Gate) AdmitBatchCustomers(ctx context.Context, msgs []Message) (ds []Decision, cs map[string]customer.Customer, err error) {
	defer apperr.Wrapf(&err, "policy.AdmitBatch(%d)", len(msgs))
	bs, ok := g.st.(BatchStore)
	if !ok {
		ds = make([]Decision, len(msgs))
		for i, m := range msgs {
			if ds[i], err = g.Admit(ctx, m); err != nil {
				return nil, nil, err
			}
		}
		return ds, nil, nil
	}
	ms := make([]Message, len(msgs))
	var ids []string
	seen := map[string]bool{}
	for i, m := range msgs {
		if ms[i], err = g.normalize(m); err != nil {
			return nil, nil, err
		}
		if !seen[ms[i].CustomerID] {
			seen[ms[i].CustomerID] = true
			ids = append(ids, ms[i].CustomerID)
		}
	}
	cs, err = bs.CustomersByID(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	ledgers, err := bs.ConsentsByCustomer(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	var keys []SuppressionKey
	keySeen := map[SuppressionKey]bool{}
	msgKeys := make([][]SuppressionKey, len(ms))
	for i, m := range ms {
		c, ok := cs[m.CustomerID]
		if !ok {
			continue
		}
		msgKeys[i] = suppressionKeys(c, m.Channel)
		for _, k := range msgKeys[i] {
			if !keySeen[k] {
				keySeen[k] = true
				keys = append(keys, k)
			}
		}
	}
	byKey := map[SuppressionKey]Suppression{}
	for start := 0; start < len(keys); start += 200 {
		hits, err := g.st.MatchSuppressions(ctx, keys[start:min(start+200, len(keys))])
		if err != nil {
			return nil, nil, err
		}
		for _, h := range hits {
			byKey[h.SuppressionKey] = h
		}
	}
	decided := g.now().UTC()
	ds = make([]Decision, len(ms))
	var lockIDs []string
	earliest := time.Time{}
	for i, m := range ms {
		c, ok := cs[m.CustomerID]
		if !ok {
			ds[i] = skip(Decision{At: m.At}, CodeUnknownCustomer, "the customer no longer exists", time.Time{})
			continue
		}
		var hits []Suppression
		for _, k := range msgKeys[i] {
			if h, ok := byKey[k]; ok {
				hits = append(hits, h)
			}
		}
		ds[i] = g.judge(m, c, ledgers[m.CustomerID], hits)
		if ds[i].Allow {
			lockIDs = append(lockIDs, m.CustomerID)
			if since := m.At.Add(-g.maxWin); earliest.IsZero() || since.Before(earliest) {
				earliest = since
			}
		}
	}
	slices.Sort(lockIDs)
	lockIDs = slices.Compact(lockIDs)
	var final []Decision
	err = bs.RecordSendBatch(ctx, lockIDs, earliest, func(prior map[string][]Send) ([]Send, []Skip, error) {
		final = slices.Clone(ds)
		var sends []Send
		var skips []Skip
		added := map[string][]Send{} // sends of this batch so far, per customer
		for i, m := range ms {
			d := final[i]
			if d.Allow {
				own := false
				var counted []Send
				for _, p := range prior[m.CustomerID] {
					if m.Key != "" && p.Key == m.Key {
						own = true
						continue
					}
					counted = append(counted, p)
				}
				counted = append(counted, added[m.CustomerID]...)
				if s, ok := g.checkCaps(m, counted); !ok && !own {
					d = skip(d, s.Code, s.Reason, s.NextAt)
				} else if !own {
					sd := Send{CustomerID: m.CustomerID, Channel: m.Channel, Purpose: m.Purpose, Campaign: m.Campaign, SentAt: m.At.UTC(), Key: m.Key}
					sends = append(sends, sd)
					added[m.CustomerID] = append(added[m.CustomerID], sd)
				}
				final[i] = d
			}
			if !d.Allow {
				skips = append(skips, Skip{Campaign: m.Campaign, CustomerID: m.CustomerID, Channel: m.Channel, Purpose: m.Purpose,
					PlannedAt: m.At, Code: d.Code, Reason: d.Reason, NextAt: d.NextAt, DecidedAt: decided})
			}
		}
		return sends, skips, nil
	})
	if err != nil {
		return nil, nil, err
	}
	if len(ms) > 0 {
		g.autoPrune(ctx, ms[len(ms)-1].At)
	}
	return final, cs, nil
}

// DecideBatch judges messages read-only with one read of the customers,
// consents and suppressions, without the caps and, with quietHours false,
// without the send windows: what a campaign's launch needs to route each
// person to a channel she allows (consent, address, suppression) before
// the send-time Admit decides the rest. It falls back to Decide for a
// store without BatchStore.
func (g *Gate) DecideBatch(ctx context.Context, msgs []Message, quietHours bool) (ds []Decision, err error) {
	defer apperr.Wrapf(&err, "policy.DecideBatch(%d)", len(msgs))
	bs, ok := g.st.(BatchStore)
	ds = make([]Decision, len(msgs))
	if !ok {
		for i, m := range msgs {
			if ds[i], err = g.Decide(ctx, m); err != nil {
				return nil, err
			}
		}
		return ds, nil
	}
	ms := make([]Message, len(msgs))
	var ids []string
	seen := map[string]bool{}
	for i, m := range msgs {
		if ms[i], err = g.normalize(m); err != nil {
			return nil, err
		}
		if !seen[ms[i].CustomerID] {
			seen[ms[i].CustomerID] = true
			ids = append(ids, ms[i].CustomerID)
		}
	}
	cs, err := bs.CustomersByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	ledgers, err := bs.ConsentsByCustomer(ctx, ids)
	if err != nil {
		return nil, err
	}
	var keys []SuppressionKey
	keySeen := map[SuppressionKey]bool{}
	for _, m := range ms {
		if c, ok := cs[m.CustomerID]; ok {
			for _, k := range suppressionKeys(c, m.Channel) {
				if !keySeen[k] {
					keySeen[k] = true
					keys = append(keys, k)
				}
			}
		}
	}
	byKey := map[SuppressionKey]Suppression{}
	for start := 0; start < len(keys); start += 200 {
		hits, err := g.st.MatchSuppressions(ctx, keys[start:min(start+200, len(keys))])
		if err != nil {
			return nil, err
		}
		for _, h := range hits {
			byKey[h.SuppressionKey] = h
		}
	}
	judge := g.judge
	if !quietHours {
		noWindows := &Gate{cfg: g.cfg, defTZ: g.defTZ, now: g.now}
		judge = noWindows.judge
	}
	for i, m := range ms {
		c, ok := cs[m.CustomerID]
		if !ok {
			ds[i] = skip(Decision{At: m.At}, CodeUnknownCustomer, "the customer no longer exists", time.Time{})
			continue
		}
		var hits []Suppression
		for _, k := range suppressionKeys(c, m.Channel) {
			if h, ok := byKey[k]; ok {
				hits = append(hits, h)
			}
		}
		ds[i] = judge(m, c, ledgers[m.CustomerID], hits)
	}
	return ds, nil
}
