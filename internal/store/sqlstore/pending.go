package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/segment"
)

// valuesExec runs one statement of Values and returns the rows it
// changed: a *sql.Tx (txValues), or a bulk load's raw connection.
type valuesExec func(ctx context.Context, query string, vals []Value) (int64, error)

func txValues(tx *sql.Tx) valuesExec {
	return func(ctx context.Context, query string, vals []Value) (int64, error) {
		args := make([]any, len(vals))
		for i, v := range vals {
			args[i] = v.arg()
		}
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return 0, err
		}
		return res.RowsAffected()
	}
}

// markPending marks ids (empty ones skipped) for the segment engine in
// the transaction exec runs in, renewing marks already there, while any
// segment is saved: a few statements of up to upsertBatch ids.
func (s *Store) markPending(ctx context.Context, exec valuesExec, ids []string) error {
	seen := make(map[string]bool, len(ids))
	vals := make([]Value, 0, min(len(ids), upsertBatch))
	flush := func() error {
		if len(vals) == 0 {
			return nil
		}
		_, err := exec(ctx, `INSERT INTO segment_pending (customer_id, seq) SELECT column1, 1 FROM (VALUES `+s.rowValues(len(vals), 1)+`) AS v
			WHERE EXISTS (SELECT 1 FROM segments) ON CONFLICT (customer_id) DO UPDATE SET seq = segment_pending.seq + 1`, vals)
		vals = vals[:0]
		return err
	}
	for _, id := range ids {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		if vals = append(vals, TextValue(id)); len(vals) == upsertBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// eventCustomers are the customers of es.
func eventCustomers(es []event.Event) []string {
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.CustomerID
	}
	return ids
}

// PendingSegmentCustomers returns the customers marked for the segment
// engine, by id (segment.Everyone first when marked).
func (s *Store) PendingSegmentCustomers(ctx context.Context) (out []segment.Pending, err error) {
	defer s.wrap(&err, "PendingSegmentCustomers")
	rows, err := s.db.QueryContext(ctx, `SELECT customer_id, seq FROM segment_pending ORDER BY customer_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p segment.Pending
		if err := rows.Scan(&p.CustomerID, &p.Seq); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// FollowSegmentChanges applies changes (as ApplySegmentChanges) and
// deletes the marks done, each only while it still has the seq it was
// read with, in one transaction.
func (s *Store) FollowSegmentChanges(ctx context.Context, changes []segment.Change, at time.Time, done []segment.Pending) (err error) {
	defer s.wrap(&err, "FollowSegmentChanges")
	return s.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.applySegmentChangesTx(ctx, tx, changes, at); err != nil {
			return err
		}
		for _, p := range done {
			if _, err := tx.ExecContext(ctx, `DELETE FROM segment_pending WHERE customer_id = $1 AND seq = $2`, p.CustomerID, p.Seq); err != nil {
				return err
			}
		}
		return nil
	})
}
