package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// dayMicros is a UTC day in the stored microseconds: the rollup's day of
// a time t is t / dayMicros (migration 0067 uses the same division).
const dayMicros = int64(24 * time.Hour / time.Microsecond)

// Activity implements tracking.ActivityStore. A window of whole UTC days
// (the dashboard's) is read from the daily rollup activity_daily
// (migration 0067), after the days marked changed since the last read are
// recomputed, so it equals the direct computation at every read; any
// other window is computed from the rows.
func (s *Store) Activity(ctx context.Context, from time.Time, step time.Duration, n int) (out []tracking.Bucket, err error) {
	defer apperr.Wrapf(&err, "Activity(%d)", n)
	lo := Micros(from)
	if step != 24*time.Hour || lo < 0 || lo%dayMicros != 0 {
		return s.activityDirect(ctx, s.db, from, step, n)
	}
	if err := s.refreshActivity(ctx); err != nil {
		return nil, err
	}
	out = make([]tracking.Bucket, n)
	for i := range out {
		out[i].Start = from.Add(time.Duration(i) * step).UTC()
	}
	first := lo / dayMicros
	rows, err := s.db.QueryContext(ctx, `SELECT day, sends, clicks, orders, buyers, revenue FROM activity_daily
		WHERE day >= $1 AND day < $2`, first, first+int64(n))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var day int64
		var b tracking.Bucket
		if err := rows.Scan(&day, &b.Sends, &b.Clicks, &b.Orders, &b.Buyers, &b.Revenue); err != nil {
			return nil, err
		}
		b.Start = out[day-first].Start
		out[day-first] = b
	}
	return out, rows.Err()
}

// markActivityDays marks the days of es's purchases and refunds in
// activity_dirty through exec, as the trigger activity_events_insert
// (migration 0067) does for each row it inserts: for the bulk path's raw
// connection, on which triggers do not fire. A day whose only rows in es
// were duplicates, not inserted, may be marked too; that costs one
// needless recomputation of the day, never a wrong figure.
func (s *Store) markActivityDays(ctx context.Context, exec valuesExec, es []event.Event) error {
	var days []int64
	for _, e := range es {
		if e.Type != event.Purchase && e.Type != event.Refund {
			continue
		}
		// Go's division truncates toward zero, as SQL's integer division
		if d := Micros(e.OccurredAt) / dayMicros; !slices.Contains(days, d) {
			days = append(days, d)
		}
	}
	// one day per statement: one text, prepared once on the connection
	for _, d := range days {
		if _, err := exec(ctx, `INSERT INTO activity_dirty (day) VALUES `+s.rowValues(1, 1)+` ON CONFLICT DO NOTHING`,
			[]Value{IntValue(d)}); err != nil {
			return err
		}
	}
	return nil
}

// refreshActivity recomputes the rollup's rows of the days marked in
// activity_dirty and clears their marks, in one transaction. Refreshes run
// one at a time (the lock on activity_refresh's row); a mark made while
// one runs is either cleared by it after its rows are visible to it, or
// left for the next (see 0067).
func (s *Store) refreshActivity(ctx context.Context) error {
	var marked int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM activity_dirty LIMIT 1) AS d`).Scan(&marked); err != nil {
		return err
	}
	if marked == 0 {
		return nil
	}
	return s.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE activity_refresh SET runs = runs + 1 WHERE id = 1`); err != nil {
			return err
		}
		days, err := clearMarks(ctx, tx)
		if err != nil {
			return err
		}
		// contiguous runs of days: one grouped scan each
		for i := 0; i < len(days); {
			j := i + 1
			for j < len(days) && days[j] == days[j-1]+1 {
				j++
			}
			bs, err := s.activityDirect(ctx, tx, FromMicros(days[i]*dayMicros), 24*time.Hour, j-i)
			if err != nil {
				return err
			}
			for k, b := range bs {
				if _, err := tx.ExecContext(ctx, `INSERT INTO activity_daily (day, sends, clicks, orders, buyers, revenue)
					VALUES ($1, $2, $3, $4, $5, $6)
					ON CONFLICT (day) DO UPDATE SET sends = excluded.sends, clicks = excluded.clicks,
						orders = excluded.orders, buyers = excluded.buyers, revenue = excluded.revenue`,
					days[i+k], b.Sends, b.Clicks, b.Orders, b.Buyers, b.Revenue); err != nil {
					return err
				}
			}
			i = j
		}
		return nil
	})
}

// clearMarks deletes every day mark and returns the days, sorted, once
// each.
func clearMarks(ctx context.Context, tx *sql.Tx) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `DELETE FROM activity_dirty RETURNING day`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var days []int64
	for rows.Next() {
		var d int64
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		days = append(days, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.Sort(days)
	return slices.Compact(days), nil
}
