package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
)

// The contact policy's tables (migration 0007): suppressions, the sends
// log with its per-customer lock rows, and the skips log.

// AddSuppressions inserts or replaces suppression entries in one
// transaction and reports how many keys were new.
func (s *Store) AddSuppressions(ctx context.Context, ss []policy.Suppression) (added int, err error) {
	defer s.wrap(&err, "AddSuppressions(%d)", len(ss))
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		added = 0
		for _, sp := range ss {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM policy_suppressions WHERE kind = $1 AND value = $2`, sp.Kind, sp.Value).Scan(&one)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				added++
			case err != nil:
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO policy_suppressions (kind, value, reason, marketing_only, note, source, created_at)
				VALUES ($1,$2,$3,$4,$5,$6,$7)
				ON CONFLICT (kind, value) DO UPDATE SET reason=excluded.reason, marketing_only=excluded.marketing_only,
				note=excluded.note, source=excluded.source, created_at=excluded.created_at`,
				sp.Kind, sp.Value, sp.Reason, sp.MarketingOnly, sp.Note, sp.Source, Micros(sp.At)); err != nil {
				return err
			}
		}
		return nil
	})
	return added, err
}

// RemoveSuppression deletes an entry, or returns a NotFound error.
func (s *Store) RemoveSuppression(ctx context.Context, k policy.SuppressionKey) (err error) {
	defer s.wrap(&err, "RemoveSuppression(%s)", k.Kind)
	res, err := s.db.ExecContext(ctx, `DELETE FROM policy_suppressions WHERE kind = $1 AND value = $2`, k.Kind, k.Value)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "no %s suppression for %q", k.Kind, k.Value)
	}
	return nil
}

const suppressionCols = `kind, value, reason, marketing_only, note, source, created_at`

func scanSuppression(sc interface{ Scan(...any) error }) (policy.Suppression, error) {
	var sp policy.Suppression
	var at int64
	err := sc.Scan(&sp.Kind, &sp.Value, &sp.Reason, &sp.MarketingOnly, &sp.Note, &sp.Source, &at)
	sp.At = FromMicros(at)
	return sp, err
}

// ListSuppressions calls fn for every entry, newest first.
func (s *Store) ListSuppressions(ctx context.Context, fn func(policy.Suppression) error) (err error) {
	defer s.wrap(&err, "ListSuppressions")
	rows, err := s.db.QueryContext(ctx, `SELECT `+suppressionCols+` FROM policy_suppressions ORDER BY created_at DESC, kind, value`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		sp, err := scanSuppression(rows)
		if err != nil {
			return err
		}
		if err := fn(sp); err != nil {
			return err
		}
	}
	return rows.Err()
}

// MatchSuppressions returns the entries whose key is one of keys, in the
// order of keys.
func (s *Store) MatchSuppressions(ctx context.Context, keys []policy.SuppressionKey) (out []policy.Suppression, err error) {
	defer s.wrap(&err, "MatchSuppressions")
	if len(keys) == 0 {
		return nil, nil
	}
	args := make([]any, 0, 2*len(keys))
	for _, k := range keys {
		args = append(args, k.Kind, k.Value)
	}
	// a row-value IN list, not an OR of pairs: SQLite prepares it in
	// linear time with anonymous parameters and searches the key's index
	// once per pair
	rows, err := s.cq(nil).QueryContext(ctx, `SELECT `+suppressionCols+` FROM policy_suppressions WHERE (kind, value) IN (VALUES `+
		s.rowValues(len(keys), 2)+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := map[policy.SuppressionKey]policy.Suppression{}
	for rows.Next() {
		sp, err := scanSuppression(rows)
		if err != nil {
			return nil, err
		}
		got[sp.SuppressionKey] = sp
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, k := range keys {
		if sp, ok := got[k]; ok {
			out = append(out, sp)
		}
	}
	return out, nil
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func sendsSince(ctx context.Context, q querier, customerID string, since time.Time) ([]policy.Send, error) {
	rows, err := q.QueryContext(ctx, `SELECT channel, purpose, campaign, sent_at, send_key FROM policy_sends
		WHERE customer_id = $1 AND sent_at > $2 ORDER BY sent_at, id`, customerID, since.UnixMicro())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []policy.Send
	for rows.Next() {
		sd := policy.Send{CustomerID: customerID}
		var at int64
		if err := rows.Scan(&sd.Channel, &sd.Purpose, &sd.Campaign, &at, &sd.Key); err != nil {
			return nil, err
		}
		sd.SentAt = FromMicros(at)
		out = append(out, sd)
	}
	return out, rows.Err()
}

// SendsSince returns the customer's sends after since, oldest first.
func (s *Store) SendsSince(ctx context.Context, customerID string, since time.Time) (out []policy.Send, err error) {
	defer s.wrap(&err, "SendsSince(%q)", customerID)
	return sendsSince(ctx, s.db, customerID, since)
}

// RecordSend upserts the customer's lock row first: on PostgreSQL that
// row lock makes a concurrent RecordSend for the same customer wait until
// this transaction ends, and its count (a new statement under READ
// COMMITTED) then sees this send. SQLite transactions begin IMMEDIATE and
// so are serialised anyway.
func (s *Store) RecordSend(ctx context.Context, sd policy.Send, since time.Time, check func(prior []policy.Send) error) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO policy_contact_locks (customer_id, touched_at) VALUES ($1, $2)
			ON CONFLICT (customer_id) DO UPDATE SET touched_at = excluded.touched_at`, sd.CustomerID, Micros(sd.SentAt)); err != nil {
			return apperr.Wrap(err, apperr.Unavailable, "RecordSend(%q): lock", sd.CustomerID)
		}
		prior, err := sendsSince(ctx, tx, sd.CustomerID, since)
		if err != nil {
			return apperr.Wrap(err, apperr.Unavailable, "RecordSend(%q): count", sd.CustomerID)
		}
		if err := check(prior); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO policy_sends (customer_id, channel, purpose, campaign, sent_at) VALUES ($1,$2,$3,$4,$5)`,
			sd.CustomerID, sd.Channel, sd.Purpose, sd.Campaign, Micros(sd.SentAt)); err != nil {
			return apperr.Wrap(err, apperr.Unavailable, "RecordSend(%q): insert", sd.CustomerID)
		}
		return nil
	})
}

// sendsBatch is the rows per multi-row insert of AddSends (5 columns
// each): on SQLite, with anonymous parameters (rowValues), 500-row
// statements insert about five times as fast as single rows.
const sendsBatch = 500

// AddSends logs sends as given, without cap checks or lock rows, in one
// transaction, and reports how many it added.
func (s *Store) AddSends(ctx context.Context, ss []policy.Send) (added int, err error) {
	defer s.wrap(&err, "AddSends(%d)", len(ss))
	for _, sd := range ss {
		if sd.CustomerID == "" || sd.Channel == "" || sd.Purpose == "" || sd.SentAt.IsZero() {
			return 0, apperr.New(apperr.Invalid, "send needs a customer, channel, purpose and time (got %q/%q/%q/%s)",
				sd.CustomerID, sd.Channel, sd.Purpose, sd.SentAt)
		}
	}
	insert := func(n int) string {
		return `INSERT INTO policy_sends (customer_id, channel, purpose, campaign, sent_at) VALUES ` + s.rowValues(n, 5)
	}
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		added = 0
		var full *sql.Stmt
		defer func() {
			if full != nil {
				full.Close()
			}
		}()
		args := make([]any, 0, 5*min(len(ss), sendsBatch))
		for start := 0; start < len(ss); start += sendsBatch {
			chunk := ss[start:min(start+sendsBatch, len(ss))]
			args = args[:0]
			for _, sd := range chunk {
				args = append(args, sd.CustomerID, sd.Channel, sd.Purpose, sd.Campaign, Micros(sd.SentAt))
			}
			var res sql.Result
			var err error
			if len(chunk) == sendsBatch {
				if full == nil {
					if full, err = tx.PrepareContext(ctx, insert(sendsBatch)); err != nil {
						return err
					}
				}
				res, err = full.ExecContext(ctx, args...)
			} else {
				res, err = tx.ExecContext(ctx, insert(len(chunk)), args...)
			}
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			added += int(n)
		}
		return nil
	})
	return added, err
}

// CountSends reports how many sends were made before cutoff.
func (s *Store) CountSends(ctx context.Context, cutoff time.Time) (n int64, err error) {
	defer s.wrap(&err, "CountSends")
	return s.countBefore(ctx, sendsLog, cutoff)
}

// DeleteSends deletes up to limit (all when limit ≤ 0) of the sends made
// before cutoff, oldest first, and reports how many. The index on sent_at
// (migration 0010) finds them without reading the rest of the log, so a
// call that finds nothing to delete is one index probe.
func (s *Store) DeleteSends(ctx context.Context, cutoff time.Time, limit int) (n int64, err error) {
	defer s.wrap(&err, "DeleteSends")
	return s.deleteBefore(ctx, sendsLog, cutoff, limit)
}

// CountSkips reports how many skips were decided before cutoff.
func (s *Store) CountSkips(ctx context.Context, cutoff time.Time) (n int64, err error) {
	defer s.wrap(&err, "CountSkips")
	return s.countBefore(ctx, skipsLog, cutoff)
}

// DeleteSkips deletes up to limit (all when limit ≤ 0) of the skips
// decided before cutoff, oldest first, and reports how many; the index on
// decided_at (migration 0012) finds them.
func (s *Store) DeleteSkips(ctx context.Context, cutoff time.Time, limit int) (n int64, err error) {
	defer s.wrap(&err, "DeleteSkips")
	return s.deleteBefore(ctx, skipsLog, cutoff, limit)
}

// timedLog is a log table pruned by age: its name and its time column
// (constants, never input, so they are written into the SQL).
type timedLog struct{ table, at string }

var (
	sendsLog = timedLog{"policy_sends", "sent_at"}
	skipsLog = timedLog{"policy_skips", "decided_at"}
)

func (s *Store) countBefore(ctx context.Context, l timedLog, cutoff time.Time) (n int64, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+l.table+` WHERE `+l.at+` < $1`, cutoff.UnixMicro()).Scan(&n)
	return n, err
}

func (s *Store) deleteBefore(ctx context.Context, l timedLog, cutoff time.Time, limit int) (int64, error) {
	var res sql.Result
	var err error
	if limit <= 0 {
		res, err = s.db.ExecContext(ctx, `DELETE FROM `+l.table+` WHERE `+l.at+` < $1`, cutoff.UnixMicro())
	} else {
		res, err = s.db.ExecContext(ctx, `DELETE FROM `+l.table+` WHERE id IN
			(SELECT id FROM `+l.table+` WHERE `+l.at+` < $1 ORDER BY `+l.at+` LIMIT $2)`, cutoff.UnixMicro(), limit)
	}
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// RecordSkip logs a skip, replacing an earlier decision on the same
// campaign, customer, channel, purpose and planned time.
func (s *Store) RecordSkip(ctx context.Context, sk policy.Skip) (err error) {
	defer s.wrap(&err, "RecordSkip(%q)", sk.CustomerID)
	_, err = s.db.ExecContext(ctx, `INSERT INTO policy_skips (campaign, customer_id, channel, purpose, planned_at, code, reason, next_at, decided_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
		ON CONFLICT (campaign, customer_id, channel, purpose, planned_at) DO UPDATE SET code=excluded.code, reason=excluded.reason,
		next_at=excluded.next_at, decided_at=excluded.decided_at`,
		sk.Campaign, sk.CustomerID, sk.Channel, sk.Purpose, Micros(sk.PlannedAt), sk.Code, sk.Reason, Micros(sk.NextAt), Micros(sk.DecidedAt))
	return err
}

// ListSkips returns a campaign's skips, oldest decision first.
func (s *Store) ListSkips(ctx context.Context, campaign string) (out []policy.Skip, err error) {
	defer s.wrap(&err, "ListSkips(%q)", campaign)
	rows, err := s.db.QueryContext(ctx, `SELECT customer_id, channel, purpose, planned_at, code, reason, next_at, decided_at
		FROM policy_skips WHERE campaign = $1 ORDER BY decided_at, id`, campaign)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		sk := policy.Skip{Campaign: campaign}
		var planned, next, decided int64
		if err := rows.Scan(&sk.CustomerID, &sk.Channel, &sk.Purpose, &planned, &sk.Code, &sk.Reason, &next, &decided); err != nil {
			return nil, err
		}
		sk.PlannedAt, sk.NextAt, sk.DecidedAt = FromMicros(planned), FromMicros(next), FromMicros(decided)
		out = append(out, sk)
	}
	return out, rows.Err()
}

// RecordSendBatch locks every customer of a batch (lock rows upserted in
// id order, so concurrent batches take them in one order and cannot
// deadlock), reads their sends after since, and logs what decide returns,
// in one transaction.
func (s *Store) RecordSendBatch(ctx context.Context, customers []string, since time.Time, decide func(prior map[string][]policy.Send) ([]policy.Send, []policy.Skip, error)) (err error) {
	defer apperr.Wrapf(&err, "RecordSendBatch(%d)", len(customers))
	ids := slices.Clone(customers)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	return s.Tx(ctx, func(tx *sql.Tx) error {
		now := time.Now().UnixMicro()
		prior := make(map[string][]policy.Send, len(ids))
		for start := 0; start < len(ids); start += upsertBatch {
			chunk := ids[start:min(start+upsertBatch, len(ids))]
			args := make([]any, 0, 2*len(chunk))
			for _, id := range chunk {
				args = append(args, id, now)
			}
			if _, err := s.cq(tx).ExecContext(ctx, `INSERT INTO policy_contact_locks (customer_id, touched_at) VALUES `+s.rowValues(len(chunk), 2)+`
				ON CONFLICT (customer_id) DO UPDATE SET touched_at = excluded.touched_at`, args...); err != nil {
				return apperr.Wrap(err, apperr.Unavailable, "lock customers")
			}
			args = args[:0]
			args = append(args, since.UnixMicro())
			for _, id := range chunk {
				args = append(args, id)
			}
			p1, in := "$1", inList(2, len(chunk))
			if s.dialect.AnonymousParams {
				p1, in = "?", s.valueList(len(chunk))
			}
			rows, err := s.cq(tx).QueryContext(ctx, `SELECT customer_id, channel, purpose, campaign, sent_at, send_key FROM policy_sends
				WHERE sent_at > `+p1+` AND customer_id IN (`+in+`) ORDER BY sent_at, id`, args...)
			if err != nil {
				return apperr.Wrap(err, apperr.Unavailable, "read sends")
			}
			for rows.Next() {
				var sd policy.Send
				var at int64
				if err := rows.Scan(&sd.CustomerID, &sd.Channel, &sd.Purpose, &sd.Campaign, &at, &sd.Key); err != nil {
					rows.Close()
					return err
				}
				sd.SentAt = FromMicros(at)
				prior[sd.CustomerID] = append(prior[sd.CustomerID], sd)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		sends, skips, err := decide(prior)
		if err != nil {
			return err
		}
		for start := 0; start < len(sends); start += sendsBatch {
			chunk := sends[start:min(start+sendsBatch, len(sends))]
			args := make([]any, 0, 6*len(chunk))
			for _, sd := range chunk {
				args = append(args, sd.CustomerID, sd.Channel, sd.Purpose, sd.Campaign, Micros(sd.SentAt), sd.Key)
			}
			if _, err := s.cq(tx).ExecContext(ctx, `INSERT INTO policy_sends (customer_id, channel, purpose, campaign, sent_at, send_key)
				VALUES `+s.rowValues(len(chunk), 6)+` ON CONFLICT DO NOTHING`, args...); err != nil {
				return apperr.Wrap(err, apperr.Unavailable, "log sends")
			}
		}
		// one row per skip key: a statement may not upsert a row twice
		type skipKey struct {
			campaign, customer, channel, purpose string
			planned                              int64
		}
		last := map[skipKey]int{}
		for i, sk := range skips {
			last[skipKey{sk.Campaign, sk.CustomerID, sk.Channel, sk.Purpose, Micros(sk.PlannedAt)}] = i
		}
		var uniq []policy.Skip
		for i, sk := range skips {
			if last[skipKey{sk.Campaign, sk.CustomerID, sk.Channel, sk.Purpose, Micros(sk.PlannedAt)}] == i {
				uniq = append(uniq, sk)
			}
		}
		for start := 0; start < len(uniq); start += sendsBatch {
			chunk := uniq[start:min(start+sendsBatch, len(uniq))]
			args := make([]any, 0, 9*len(chunk))
			for _, sk := range chunk {
				args = append(args, sk.Campaign, sk.CustomerID, sk.Channel, sk.Purpose, Micros(sk.PlannedAt), sk.Code, sk.Reason,
					Micros(sk.NextAt), Micros(sk.DecidedAt))
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO policy_skips (campaign, customer_id, channel, purpose, planned_at, code, reason, next_at, decided_at)
				VALUES `+s.rowValues(len(chunk), 9)+`
				ON CONFLICT (campaign, customer_id, channel, purpose, planned_at) DO UPDATE SET code=excluded.code, reason=excluded.reason,
				next_at=excluded.next_at, decided_at=excluded.decided_at`, args...); err != nil {
				return apperr.Wrap(err, apperr.Unavailable, "log skips")
			}
		}
		return nil
	})
}
