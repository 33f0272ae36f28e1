package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/event"
)

// EventCols are the columns the bulk paths write, in order.
const EventCols = `dedup_key, customer_id, type, sku, quantity, amount, currency, order_id, channel, campaign, occurred_at, properties`

// EventColCount is the number of EventCols.
const EventColCount = 12

// EventRow returns the values of EventCols for e (Key must be set).
func EventRow(e event.Event) []any {
	var cust any
	if e.CustomerID != "" {
		cust = e.CustomerID
	}
	var props any
	if len(e.Properties) > 0 {
		props = jsonText(e.Properties, "{}")
	}
	return []any{e.Key, cust, e.Type, e.SKU, e.Quantity, e.Amount, e.Currency, e.OrderID, e.Channel, e.Campaign,
		Micros(e.OccurredAt), props}
}

// InsertEvents stores events, skipping those whose natural key is stored.
func (s *Store) InsertEvents(ctx context.Context, es []event.Event) (counts event.InsertCounts, err error) {
	defer apperr.Wrapf(&err, "InsertEvents")
	if len(es) == 0 {
		return counts, nil
	}
	for i := range es {
		if es[i].Type == "" {
			return counts, apperr.New(apperr.Invalid, "event without type")
		}
		if es[i].Key == 0 {
			es[i].Key = es[i].NaturalKey()
		}
	}
	n, err := s.bulkEvents(ctx, es)
	if err != nil {
		return counts, err
	}
	return event.InsertCounts{Inserted: n, Duplicates: len(es) - n}, nil
}

// eventBatch is the rows per multi-row INSERT (12 columns each, 4,800
// parameters, well under SQLite's limit of 32,766).
const eventBatch = 400

// insertEventsMultiRow is the portable bulk path: one transaction, reused
// prepared multi-row INSERTs that skip known keys.
//
// On SQLite the statement uses anonymous ? parameters: the engine resolves
// a numbered $N parameter (and the driver looks up every parameter's name
// when binding) with a linear scan of the statement's parameter list, which
// makes a 4,800-parameter statement quadratic — 60 times slower on the
// Online Retail import than the same statement with ? parameters.
func (s *Store) insertEventsMultiRow(ctx context.Context, es []event.Event) (inserted int, err error) {
	values := func(n int) string {
		if s.engine == SQLite {
			return anonPlaceholders(n, EventColCount)
		}
		return placeholders(n, EventColCount)
	}
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		var full *sql.Stmt
		defer func() {
			if full != nil {
				full.Close()
			}
		}()
		args := make([]any, 0, eventBatch*EventColCount)
		for len(es) > 0 {
			n := min(len(es), eventBatch)
			args = args[:0]
			for _, e := range es[:n] {
				args = appendEventRow(args, e)
			}
			q := `INSERT INTO events (` + EventCols + `) VALUES ` + values(n) + ` ON CONFLICT (dedup_key) DO NOTHING`
			var res sql.Result
			var err error
			if n == eventBatch {
				if full == nil {
					if full, err = tx.PrepareContext(ctx, q); err != nil {
						return err
					}
				}
				res, err = full.ExecContext(ctx, args...)
			} else {
				res, err = tx.ExecContext(ctx, q, args...)
			}
			if err != nil {
				return err
			}
			k, _ := res.RowsAffected()
			inserted += int(k)
			es = es[n:]
		}
		return nil
	})
	return inserted, err
}

// appendEventRow appends the values of EventCols for e, like EventRow
// without allocating a slice per row.
func appendEventRow(args []any, e event.Event) []any {
	var cust any
	if e.CustomerID != "" {
		cust = e.CustomerID
	}
	var props any
	if len(e.Properties) > 0 {
		props = jsonText(e.Properties, "{}")
	}
	return append(args, e.Key, cust, e.Type, e.SKU, e.Quantity, e.Amount, e.Currency, e.OrderID, e.Channel, e.Campaign,
		Micros(e.OccurredAt), props)
}

// anonPlaceholders returns "(?,…,?),(?,…)" for rows of cols values.
func anonPlaceholders(rows, cols int) string {
	one := "(" + strings.Repeat("?,", cols-1) + "?)"
	var b strings.Builder
	b.Grow(rows * (len(one) + 1))
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteString(one)
	}
	return b.String()
}

// ScanEvents visits the events that match f, ordered by time, then id.
func (s *Store) ScanEvents(ctx context.Context, f event.Filter, fn func(event.Event) error) error {
	where, args := eventWhere(f)
	rows, err := s.db.QueryContext(ctx, `SELECT id, dedup_key, customer_id, type, sku, quantity, amount, currency, order_id,
		channel, campaign, occurred_at, properties FROM events`+where+` ORDER BY occurred_at, id`, args...)
	if err != nil {
		return apperr.Wrap(err, apperr.Internal, "scan events")
	}
	defer rows.Close()
	for rows.Next() {
		var e event.Event
		var cust, props sql.NullString
		var at int64
		if err := rows.Scan(&e.ID, &e.Key, &cust, &e.Type, &e.SKU, &e.Quantity, &e.Amount, &e.Currency, &e.OrderID,
			&e.Channel, &e.Campaign, &at, &props); err != nil {
			return err
		}
		e.CustomerID = cust.String
		e.OccurredAt = FromMicros(at)
		if props.Valid {
			if err := decodeJSON(props.String, &e.Properties); err != nil {
				return err
			}
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CountEvents counts the events that match f.
func (s *Store) CountEvents(ctx context.Context, f event.Filter) (int, error) {
	where, args := eventWhere(f)
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM events`+where, args...).Scan(&n)
	return n, err
}

func eventWhere(f event.Filter) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "?", "$"+itoa(len(args))))
	}
	if f.CustomerID != "" {
		add("customer_id = ?", f.CustomerID)
	}
	if len(f.Types) > 0 {
		ph := make([]string, len(f.Types))
		for i, t := range f.Types {
			args = append(args, t)
			ph[i] = "$" + itoa(len(args))
		}
		conds = append(conds, "type IN ("+strings.Join(ph, ",")+")")
	}
	if !f.Since.IsZero() {
		add("occurred_at >= ?", Micros(f.Since))
	}
	if !f.Until.IsZero() {
		add("occurred_at < ?", Micros(f.Until))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}
