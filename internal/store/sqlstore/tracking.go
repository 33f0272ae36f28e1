package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// hitCols are the columns of tracking_hits a hit writes, in order.
const hitCols = `hit_key, send_id, customer_id, campaign, channel, variant, kind, machine, machine_reason, link, url, code, detail, occurred_at, recorded_at`

const hitColCount = 15

// hitBatch is the rows per multi-row INSERT of hits (15 parameters each).
const hitBatch = 200

func hitArgs(args []any, h tracking.Hit, recorded int64) []any {
	key := h.Key
	if !h.Deduplicated() {
		key = 0
	}
	return append(args, key, h.SendID, h.CustomerID, h.Campaign, h.Channel, h.Variant, h.Kind, h.Machine,
		h.MachineReason, h.Link, h.URL, h.Code, h.Detail, Micros(h.At), recorded)
}

// sendRefSelect reads tracking.SendRefs from the campaign's send table.
const sendRefSelect = `SELECT s.id, s.campaign_id, c.name, s.customer_id, s.channel, s.variant, s.state, s.planned_at, s.sent_at
	FROM campaign_sends s JOIN campaigns c ON c.id = s.campaign_id`

func scanSendRef(sc interface{ Scan(...any) error }) (tracking.SendRef, error) {
	var r tracking.SendRef
	var planned, sent int64
	if err := sc.Scan(&r.ID, &r.CampaignID, &r.Campaign, &r.CustomerID, &r.Channel, &r.Variant, &r.State, &planned, &sent); err != nil {
		return r, err
	}
	r.PlannedAt, r.SentAt = FromMicros(planned), FromMicros(sent)
	return r, nil
}

// Sends returns the rows of the send table named by ids; unknown ids are
// left out.
func (s *Store) Sends(ctx context.Context, ids []int64) (out map[int64]tracking.SendRef, err error) {
	defer apperr.Wrapf(&err, "Sends(%d)", len(ids))
	out = make(map[int64]tracking.SendRef, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		rows, err := s.db.QueryContext(ctx, sendRefSelect+` WHERE s.id IN (`+s.valueList(n)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			r, err := scanSendRef(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[r.ID] = r
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

// SendByKey returns the send whose idempotency key is key, or a NotFound
// error.
func (s *Store) SendByKey(ctx context.Context, key string) (r tracking.SendRef, err error) {
	defer apperr.Wrapf(&err, "SendByKey")
	r, err = scanSendRef(s.db.QueryRowContext(ctx, sendRefSelect+` WHERE s.send_key = $1`, key))
	if errors.Is(err, sql.ErrNoRows) {
		return r, apperr.New(apperr.NotFound, "no message has this id")
	}
	return r, err
}

// InsertHits stores hits and the events they become in one transaction,
// skipping hits whose key is stored, and reports how many were new.
func (s *Store) InsertHits(ctx context.Context, hits []tracking.Hit) (inserted int, err error) {
	defer apperr.Wrapf(&err, "InsertHits(%d)", len(hits))
	if len(hits) == 0 {
		return 0, nil
	}
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		inserted = 0
		w := newHitWriter(s, tx)
		defer w.close()
		n, err := w.write(ctx, hits)
		inserted = n
		return err
	})
	return inserted, err
}

// hitWriter writes hits and their events in one transaction, reusing
// prepared statements per batch size.
type hitWriter struct {
	s        *Store
	tx       *sql.Tx
	prepared map[string]*sql.Stmt
	args     []any
	boxes    textBoxes
}

// exec runs query (prepared once) with vals and returns the rows it
// changed.
func (w *hitWriter) exec(ctx context.Context, query string, vals []Value) (int64, error) {
	st, err := w.stmt(ctx, query)
	if err != nil {
		return 0, err
	}
	w.args = w.boxes.args(w.args[:0], vals)
	res, err := st.ExecContext(ctx, w.args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func newHitWriter(s *Store, tx *sql.Tx) *hitWriter {
	return &hitWriter{s: s, tx: tx, prepared: map[string]*sql.Stmt{}}
}

func (w *hitWriter) close() {
	for _, st := range w.prepared {
		st.Close()
	}
}

func (w *hitWriter) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st := w.prepared[q]; st != nil {
		return st, nil
	}
	st, err := w.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	w.prepared[q] = st
	return st, nil
}

// write stores hits, then the events of the new ones, and reports how
// many hits were new. Opens and clicks (tracking.Hit.Deduplicated false)
// are stored with hit_key 0 and never skipped; the others are skipped
// when their key is stored.
func (w *hitWriter) write(ctx context.Context, hits []tracking.Hit) (int, error) {
	recorded := Micros(time.Now())
	fresh := map[int64]bool{}
	newHits := 0
	for rest := hits; len(rest) > 0; {
		n := min(len(rest), hitBatch)
		chunk := rest[:n]
		rest = rest[n:]
		dedup := false
		for _, h := range chunk {
			dedup = dedup || h.Deduplicated()
		}
		q := `INSERT INTO tracking_hits (` + hitCols + `) VALUES ` + w.s.rowValues(n, hitColCount)
		if dedup {
			q += ` ON CONFLICT (hit_key) WHERE hit_key <> 0 DO NOTHING RETURNING hit_key`
		}
		st, err := w.stmt(ctx, q)
		if err != nil {
			return 0, err
		}
		w.args = w.args[:0]
		for _, h := range chunk {
			w.args = hitArgs(w.args, h, recorded)
		}
		if !dedup {
			if _, err := st.ExecContext(ctx, w.args...); err != nil {
				return 0, err
			}
			newHits += n
			continue
		}
		rows, err := st.QueryContext(ctx, w.args...)
		if err != nil {
			return 0, err
		}
		got := 0
		for rows.Next() {
			var k int64
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return 0, err
			}
			if k != 0 {
				fresh[k] = true
			}
			got++
		}
		if err := rows.Close(); err != nil {
			return 0, err
		}
		if err := rows.Err(); err != nil {
			return 0, err
		}
		newHits += got
	}
	evs := make([]event.Event, 0, len(hits))
	for _, h := range hits {
		if h.Deduplicated() {
			if !fresh[h.Key] {
				continue
			}
			fresh[h.Key] = false // a key repeated inside the batch makes one event
		}
		if e, ok := h.Event(); ok {
			evs = append(evs, e)
		}
	}
	// the event path of imports: columns every row leaves at their
	// default are not bound, texts are boxed once
	if _, err := w.s.writeEventRows(ctx, evs, w.exec, nil); err != nil {
		return 0, err
	}
	return newHits, nil
}

// ApplyEffect writes a synchronous hit with its revocations and
// suppressions in one transaction (see tracking.Effect).
func (s *Store) ApplyEffect(ctx context.Context, e tracking.Effect) (res tracking.EffectResult, err error) {
	defer apperr.Wrapf(&err, "ApplyEffect(%s)", e.Hit.Kind)
	for _, c := range e.Revoke {
		if c.CustomerID == "" || c.Channel == "" || c.Status != customer.Revoked {
			return res, apperr.New(apperr.Invalid, "a revocation needs a customer and a channel")
		}
	}
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		res = tracking.EffectResult{}
		w := newHitWriter(s, tx)
		defer w.close()
		n, err := w.write(ctx, []tracking.Hit{e.Hit})
		if err != nil {
			return err
		}
		res.New = n == 1
		for _, c := range e.Revoke {
			purpose := c.Purpose
			if purpose == "" {
				purpose = customer.PurposeMarketing
			}
			var status string
			err := tx.QueryRowContext(ctx, `SELECT status FROM consents WHERE customer_id = $1 AND channel = $2 AND purpose = $3
				ORDER BY at DESC, status DESC LIMIT 1`, c.CustomerID, c.Channel, purpose).Scan(&status)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if status == customer.Revoked {
				continue
			}
			r, err := tx.ExecContext(ctx, `INSERT INTO consents (customer_id, channel, purpose, status, legal_basis, source, at)
				VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (customer_id, channel, purpose, status, at) DO NOTHING`,
				c.CustomerID, c.Channel, purpose, c.Status, c.LegalBasis, c.Source, Micros(c.At))
			if err != nil {
				return err
			}
			k, _ := r.RowsAffected()
			res.Revoked += int(k)
		}
		for _, sp := range e.Suppress {
			r, err := tx.ExecContext(ctx, `INSERT INTO policy_suppressions (`+suppressionCols+`) VALUES ($1,$2,$3,$4,$5,$6,$7)
				ON CONFLICT (kind, value) DO NOTHING`,
				sp.Kind, sp.Value, sp.Reason, sp.MarketingOnly, sp.Note, sp.Source, Micros(sp.At))
			if err != nil {
				return err
			}
			k, _ := r.RowsAffected()
			res.Suppressed += int(k)
		}
		return nil
	})
	return res, err
}

// hitSelect reads stored hits.
const hitSelect = `SELECT hit_key, send_id, customer_id, campaign, channel, variant, kind, machine, machine_reason, link, url, code, detail, occurred_at FROM tracking_hits`

func scanHit(sc interface{ Scan(...any) error }) (tracking.Hit, error) {
	var h tracking.Hit
	var at int64
	err := sc.Scan(&h.Key, &h.SendID, &h.CustomerID, &h.Campaign, &h.Channel, &h.Variant, &h.Kind, &h.Machine,
		&h.MachineReason, &h.Link, &h.URL, &h.Code, &h.Detail, &at)
	h.At = FromMicros(at)
	return h, err
}

// HitsOfSends visits the stored hits of the given sends in id order.
func (s *Store) HitsOfSends(ctx context.Context, ids []int64, fn func(tracking.Hit) error) (err error) {
	defer apperr.Wrapf(&err, "HitsOfSends(%d)", len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		if err := s.eachHit(ctx, hitSelect+` WHERE send_id IN (`+s.valueList(n)+`) ORDER BY id`, args, fn); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

func (s *Store) eachHit(ctx context.Context, q string, args []any, fn func(tracking.Hit) error) error {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		h, err := scanHit(rows)
		if err != nil {
			return err
		}
		if err := fn(h); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CountHits reports the stored hits of kind ("" for all).
func (s *Store) CountHits(ctx context.Context, kind string) (n int64, err error) {
	defer apperr.Wrapf(&err, "CountHits")
	q, args := `SELECT COUNT(*) FROM tracking_hits`, []any{}
	if kind != "" {
		q, args = q+` WHERE kind = $1`, []any{kind}
	}
	err = s.db.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, err
}

// CampaignHits visits the hits of a campaign's sends, in id order.
func (s *Store) CampaignHits(ctx context.Context, campaignID int64, fn func(tracking.Hit) error) (err error) {
	defer apperr.Wrapf(&err, "CampaignHits(%d)", campaignID)
	return s.eachHit(ctx, hitSelect+` WHERE send_id IN (SELECT id FROM campaign_sends WHERE campaign_id = $1) ORDER BY id`,
		[]any{campaignID}, fn)
}

// RecipientTouches visits the human clicks and opens, on any campaign, of
// a campaign's recipients at or after since.
func (s *Store) RecipientTouches(ctx context.Context, campaignID int64, since time.Time, fn func(tracking.Touch) error) (err error) {
	defer apperr.Wrapf(&err, "RecipientTouches(%d)", campaignID)
	rows, err := s.db.QueryContext(ctx, `SELECT customer_id, send_id, kind, occurred_at FROM tracking_hits
		WHERE kind IN ('click', 'open') AND NOT machine AND occurred_at >= $2
		AND customer_id IN (SELECT customer_id FROM campaign_sends WHERE campaign_id = $1)`, campaignID, Micros(since))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var t tracking.Touch
		var at int64
		if err := rows.Scan(&t.CustomerID, &t.SendID, &t.Kind, &at); err != nil {
			return err
		}
		t.At = FromMicros(at)
		if err := fn(t); err != nil {
			return err
		}
	}
	return rows.Err()
}

// RecipientOrders visits the purchase and refund events of a campaign's
// recipients, grouped by customer, in time order.
func (s *Store) RecipientOrders(ctx context.Context, campaignID int64, fn func(event.Event) error) (err error) {
	defer apperr.Wrapf(&err, "RecipientOrders(%d)", campaignID)
	rows, err := s.db.QueryContext(ctx, `SELECT customer_id, type, sku, quantity, amount, currency, order_id, occurred_at FROM events
		WHERE type IN ('purchase', 'refund')
		AND customer_id IN (SELECT customer_id FROM campaign_sends WHERE campaign_id = $1)
		ORDER BY customer_id, occurred_at, id`, campaignID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e event.Event
		var at int64
		if err := rows.Scan(&e.CustomerID, &e.Type, &e.SKU, &e.Quantity, &e.Amount, &e.Currency, &e.OrderID, &at); err != nil {
			return err
		}
		e.OccurredAt = FromMicros(at)
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// activityDirect is Activity computed from the rows: one grouped scan
// per table over the window, bucketed by integer division of the stored
// microseconds (the same arithmetic on both engines). The scans use the
// time indexes of events (events_time) and of sends and hits (0066).
func (s *Store) activityDirect(ctx context.Context, q querier, from time.Time, step time.Duration, n int) ([]tracking.Bucket, error) {
	out := make([]tracking.Bucket, n)
	for i := range out {
		out[i].Start = from.Add(time.Duration(i) * step).UTC()
	}
	lo, w := Micros(from), step.Microseconds()
	hi := lo + w*int64(n)
	type query struct {
		sql  string
		dest func(b *tracking.Bucket) []any
	}
	for _, aq := range []query{
		{`SELECT (sent_at - $1) / $3, COUNT(*) FROM campaign_sends
			WHERE state = 'sent' AND sent_at >= $1 AND sent_at < $2 GROUP BY 1`,
			func(b *tracking.Bucket) []any { return []any{&b.Sends} }},
		{`SELECT (occurred_at - $1) / $3, COUNT(*) FROM tracking_hits
			WHERE kind = 'click' AND NOT machine AND occurred_at >= $1 AND occurred_at < $2 GROUP BY 1`,
			func(b *tracking.Bucket) []any { return []any{&b.Clicks} }},
		{`SELECT (occurred_at - $1) / $3,
				COUNT(DISTINCT CASE WHEN type = 'purchase' THEN CASE WHEN order_id <> '' THEN order_id ELSE 'e' || CAST(id AS TEXT) END END),
				COUNT(DISTINCT CASE WHEN type = 'purchase' THEN customer_id END),
				COALESCE(SUM(CASE WHEN type = 'purchase' THEN amount WHEN type = 'refund' THEN -ABS(amount) ELSE 0 END), 0)
			FROM events WHERE type IN ('purchase', 'refund') AND occurred_at >= $1 AND occurred_at < $2 GROUP BY 1`,
			func(b *tracking.Bucket) []any { return []any{&b.Orders, &b.Buyers, &b.Revenue} }},
	} {
		if err := activityScan(ctx, q, aq.sql, lo, hi, w, out, aq.dest); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func activityScan(ctx context.Context, db querier, q string, lo, hi, w int64, out []tracking.Bucket, dest func(*tracking.Bucket) []any) error {
	rows, err := db.QueryContext(ctx, q, lo, hi, w)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var i int64
		var b tracking.Bucket
		if err := rows.Scan(append([]any{&i}, dest(&b)...)...); err != nil {
			return err
		}
		if i < 0 || i >= int64(len(out)) {
			continue
		}
		o := &out[i]
		o.Sends += b.Sends
		o.Clicks += b.Clicks
		o.Orders += b.Orders
		o.Buyers += b.Buyers
		o.Revenue += b.Revenue
	}
	return rows.Err()
}

// LatestActivity implements tracking.ActivityStore: the newest of the
// three time indexes' last entries.
func (s *Store) LatestActivity(ctx context.Context) (t time.Time, err error) {
	defer apperr.Wrapf(&err, "LatestActivity")
	var latest int64
	for _, q := range []string{
		`SELECT COALESCE(MAX(occurred_at), 0) FROM events`,
		`SELECT COALESCE(MAX(sent_at), 0) FROM campaign_sends WHERE state = 'sent'`,
		`SELECT COALESCE(MAX(occurred_at), 0) FROM tracking_hits WHERE kind = 'click'`,
	} {
		var us int64
		if err := s.db.QueryRowContext(ctx, q).Scan(&us); err != nil {
			return time.Time{}, err
		}
		latest = max(latest, us)
	}
	return FromMicros(latest), nil
}
