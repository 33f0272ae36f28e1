package importer

import (
	"context"
	"time"

	"github.com/chorusmkt/chorus/internal/customer"
)

// writer is the storing half of an import. It owns the outcome counts of
// the summary (Imported, Updated, SkippedDuplicates and per entity).
type writer struct {
	st     Store
	sum    *Summary
	now    time.Time
	source string
}

// upsertChunk is the rows per upsert call: each call reads the stored
// records of its ids and writes the changed ones in one statement, and is
// committed on its own.
const upsertChunk = 500

func addCounts(dst **Counts, ins, upd, unch int) {
	if *dst == nil {
		*dst = &Counts{}
	}
	(*dst).Inserted += ins
	(*dst).Updated += upd
	(*dst).Unchanged += unch
}

func (w *writer) write(ctx context.Context, b *batch) error {
	rows := !b.final // a final batch holds records gathered from rows already counted
	for cs := b.customers; len(cs) > 0; cs = cs[min(len(cs), upsertChunk):] {
		c, err := w.st.UpsertCustomers(ctx, cs[:min(len(cs), upsertChunk)])
		if err != nil {
			return err
		}
		addCounts(&w.sum.Customers, c.Inserted, c.Updated, c.Unchanged)
		if rows {
			w.sum.Imported += c.Inserted
			w.sum.Updated += c.Updated
			w.sum.SkippedDuplicates += c.Unchanged
		}
	}
	if len(b.consents) > 0 {
		if err := w.writeConsents(ctx, b.consents); err != nil {
			return err
		}
	}
	for ps := b.products; len(ps) > 0; ps = ps[min(len(ps), upsertChunk):] {
		ins, upd, unch, err := w.st.UpsertProducts(ctx, ps[:min(len(ps), upsertChunk)])
		if err != nil {
			return err
		}
		addCounts(&w.sum.Products, ins, upd, unch)
		if rows {
			w.sum.Imported += ins
			w.sum.Updated += upd
			w.sum.SkippedDuplicates += unch
		}
	}
	// Customers named by events come first, so that a reader never sees
	// an event of a customer without her record. The upsert merges
	// non-empty fields only: a stored customer is left as she is.
	for cs := b.eventCustomers; len(cs) > 0; cs = cs[min(len(cs), upsertChunk):] {
		c, err := w.st.UpsertCustomers(ctx, cs[:min(len(cs), upsertChunk)])
		if err != nil {
			return err
		}
		addCounts(&w.sum.Customers, c.Inserted, c.Updated, c.Unchanged)
		w.sum.CustomersFromEvents += c.Inserted
	}
	if len(b.events) > 0 {
		c, err := w.st.InsertEvents(ctx, b.events)
		if err != nil {
			return err
		}
		addCounts(&w.sum.Events, c.Inserted, 0, c.Duplicates)
		w.sum.Imported += c.Inserted
		w.sum.SkippedDuplicates += c.Duplicates
	}
	return nil
}

// writeConsents appends a ledger entry only where the file's yes/no
// differs from the customer's current state, so that the ledger records
// changes and a re-import adds nothing.
func (w *writer) writeConsents(ctx context.Context, intents []consentIntent) error {
	state := map[string]customer.ConsentState{}
	var add []customer.Consent
	for _, in := range intents {
		st, ok := state[in.customerID]
		if !ok {
			ledger, err := w.st.Consents(ctx, in.customerID)
			if err != nil {
				return err
			}
			st = customer.CurrentConsent(ledger)
			state[in.customerID] = st
		}
		status := customer.Revoked
		if in.granted {
			status = customer.Granted
		}
		cur, known := st[customer.Key(in.channel, customer.PurposeMarketing)]
		if known && cur.Status == status {
			continue
		}
		c := customer.Consent{CustomerID: in.customerID, Channel: in.channel, Purpose: customer.PurposeMarketing,
			Status: status, LegalBasis: "consent", Source: w.source, At: w.now}
		st[customer.Key(in.channel, customer.PurposeMarketing)] = c
		add = append(add, c)
	}
	if len(add) == 0 {
		return nil
	}
	n, err := w.st.AddConsents(ctx, add)
	w.sum.ConsentsAdded += n
	return err
}
