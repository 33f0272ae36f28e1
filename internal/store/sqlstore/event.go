package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/event"
)

// EventCols are the columns the bulk paths write, in order.
const EventCols = `dedup_key, customer_id, type, sku, quantity, amount, currency, order_id, channel, campaign, occurred_at, properties`

// EventConflict is the conflict target of the events' natural key: the
// unique index events_time_key (migration 0002). The key hashes the time
// among its fields, so leading with the time changes nothing about what
// counts as a duplicate and keeps the index in insertion order.
const EventConflict = `(occurred_at, dedup_key)`

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
// On SQLite the statement uses anonymous ? parameters (see rowValues): with
// numbered ones a 4,800-parameter statement is quadratic to prepare and to
// bind, 60 times slower on the Online Retail import.
func (s *Store) insertEventsMultiRow(ctx context.Context, es []event.Event) (inserted int, err error) {
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		insert := func(n int) string {
			if s.engine == SQLite {
				// OR IGNORE, not ON CONFLICT … DO NOTHING: an upsert
				// clause covers its conflict target only, so SQLite must
				// be able to undo half a statement should another
				// constraint fail, and copies every page the statement
				// touches into a statement journal first. Under OR
				// IGNORE no constraint aborts, so it keeps none (about a
				// tenth of the Online Retail import). The only other
				// constraints are NOT NULLs, which appendEventRow always
				// meets (type is checked by InsertEvents).
				return `INSERT OR IGNORE INTO events (` + EventCols + `) VALUES ` + s.rowValues(n, EventColCount)
			}
			return `INSERT INTO events (` + EventCols + `) VALUES ` + s.rowValues(n, EventColCount) + ` ON CONFLICT ` + EventConflict + ` DO NOTHING`
		}
		var full *sql.Stmt
		defer func() {
			if full != nil {
				full.Close()
			}
		}()
		var err error
		inserted, err = writeEventRows(ctx, tx, insert, es, &full)
		return err
	})
	return inserted, err
}

// execPreparer runs statements: a *sql.Tx or a *sql.Conn.
type execPreparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// writeEventRows writes es through x in multi-row statements of eventBatch
// rows; insert(n) is the statement for n rows, and *full caches the one for
// eventBatch rows (the caller closes it). It returns the rows inserted.
func writeEventRows(ctx context.Context, x execPreparer, insert func(n int) string, es []event.Event, full **sql.Stmt) (inserted int, err error) {
	args := make([]any, 0, min(len(es), eventBatch)*EventColCount)
	var boxes rowBoxes
	for len(es) > 0 {
		n := min(len(es), eventBatch)
		args = args[:0]
		for _, e := range es[:n] {
			args = appendEventRow(args, e, &boxes)
		}
		var res sql.Result
		if n == eventBatch {
			if *full == nil {
				if *full, err = x.PrepareContext(ctx, insert(n)); err != nil {
					return inserted, err
				}
			}
			res, err = (*full).ExecContext(ctx, args...)
		} else {
			res, err = x.ExecContext(ctx, insert(n), args...)
		}
		if err != nil {
			return inserted, err
		}
		k, _ := res.RowsAffected()
		inserted += int(k)
		es = es[n:]
	}
	return inserted, nil
}

// rowBoxes holds the last value boxed for each text column of the events
// being written. Converting a string to an interface allocates; events of
// one order or customer arrive together and repeat their texts, so reusing
// the previous box when the text is the same saves most of those
// allocations on an order import.
type rowBoxes [7]struct {
	s string
	v any
}

func (b *rowBoxes) box(col int, s string) any {
	c := &b[col]
	if c.v == nil || c.s != s {
		c.s, c.v = s, s
	}
	return c.v
}

// appendEventRow appends the values of EventCols for e, like EventRow
// without allocating a slice per row.
func appendEventRow(args []any, e event.Event, b *rowBoxes) []any {
	var cust any
	if e.CustomerID != "" {
		cust = b.box(0, e.CustomerID)
	}
	var props any
	if len(e.Properties) > 0 {
		props = jsonText(e.Properties, "{}")
	}
	return append(args, e.Key, cust, b.box(1, e.Type), b.box(2, e.SKU), e.Quantity, e.Amount, b.box(3, e.Currency),
		b.box(4, e.OrderID), b.box(5, e.Channel), b.box(6, e.Campaign), Micros(e.OccurredAt), props)
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
//
// The order is served by the events_time index (no sort of the table), and
// properties are decoded only when a row has some: most events (every line
// of an order import) have none. On SQLite the integer and text columns
// are read as one JSON array (see unpackEventRow): the driver's cost is per
// column read (a lock, a type lookup, a copy and an allocation each), so
// four columns instead of thirteen make the scan about twice as fast. The
// two amounts stay columns of their own: SQLite writes reals into JSON
// with 15 digits, which does not round-trip every float64.
func (s *Store) ScanEvents(ctx context.Context, f event.Filter, fn func(event.Event) error) error {
	where, args := eventWhere(f)
	cols := `id, dedup_key, occurred_at, customer_id, type, sku, currency, order_id, channel, campaign`
	packed := s.engine == SQLite
	if packed {
		cols = `json_array(` + cols + `)`
	}
	rows, err := s.db.QueryContext(ctx, `SELECT quantity, amount, properties, `+cols+`
		FROM events`+where+` ORDER BY occurred_at, id`, args...)
	if err != nil {
		return apperr.Wrap(err, apperr.Internal, "scan events")
	}
	defer rows.Close()
	var (
		e           event.Event // every field is set for each row; fn gets a copy
		cust, props sql.NullString
		at          int64
		text        string
		intern      = make(map[string]string)
	)
	dst := []any{&e.Quantity, &e.Amount, &props}
	if packed {
		dst = append(dst, &text)
	} else {
		dst = append(dst, &e.ID, &e.Key, &at, &cust, &e.Type, &e.SKU, &e.Currency, &e.OrderID, &e.Channel, &e.Campaign)
	}
	for rows.Next() {
		e.Properties = nil
		if err := rows.Scan(dst...); err != nil {
			return apperr.Wrap(err, apperr.Internal, "scan events")
		}
		if packed {
			if err := unpackEventRow(text, &e, &at, intern); err != nil {
				return apperr.Wrap(err, apperr.Internal, "scan events")
			}
		} else {
			e.CustomerID = cust.String
		}
		e.OccurredAt = FromMicros(at)
		if props.Valid && !emptyObject(props.String) {
			if e.Properties = flatStringObject(props.String); e.Properties == nil {
				if err := decodeJSON(props.String, &e.Properties); err != nil {
					return err
				}
			}
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// emptyObject reports whether s is the JSON text of an empty object, which
// decodes to a nil map without the decoder's cost.
func emptyObject(s string) bool {
	return s == "" || s == "{}" || strings.TrimSpace(s) == "{}"
}

// flatStringObject decodes the common shape of event properties, an object
// of string values without escapes ({"country":"France"}), about five
// times faster than encoding/json; it returns nil for anything else, which
// the caller then decodes in full.
func flatStringObject(s string) map[string]any {
	if len(s) < 2 || s[0] != '{' {
		return nil
	}
	m := make(map[string]any, 2)
	i := 1
	str := func() (string, bool) {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i >= len(s) || s[i] != '"' {
			return "", false
		}
		j := i + 1
		for j < len(s) && s[j] != '"' {
			if s[j] == '\\' || s[j] < 0x20 {
				return "", false
			}
			j++
		}
		if j >= len(s) {
			return "", false
		}
		v := s[i+1 : j]
		i = j + 1
		return v, true
	}
	sep := func(c byte) bool {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i < len(s) && s[i] == c {
			i++
			return true
		}
		return false
	}
	for {
		k, ok := str()
		if !ok {
			return nil
		}
		if !sep(':') {
			return nil
		}
		v, ok := str()
		if !ok {
			return nil
		}
		m[k] = v
		if sep(',') {
			continue
		}
		if sep('}') && i == len(s) {
			return m
		}
		return nil
	}
}

// internLimit bounds the distinct values interned per scan.
const internLimit = 1024

// unpackEventRow reads SQLite's json_array(id, dedup_key, occurred_at,
// customer_id, type, sku, currency, order_id, channel, campaign) into e and
// at. Texts without escapes are substrings of text; the few-valued type,
// currency, channel and campaign are interned so that an event kept by the
// caller does not keep its row's text alive for them.
func unpackEventRow(text string, e *event.Event, at *int64, intern map[string]string) error {
	ints := [3]*int64{&e.ID, &e.Key, at}
	strs := [7]*string{&e.CustomerID, &e.Type, &e.SKU, &e.Currency, &e.OrderID, &e.Channel, &e.Campaign}
	bad := func() error { return fmt.Errorf("unexpected event row %.80q", text) }
	if len(text) < 2 || text[0] != '[' {
		return bad()
	}
	i := 1
	for k := 0; k < len(ints)+len(strs); k++ {
		if k > 0 {
			if i >= len(text) || text[i] != ',' {
				return bad()
			}
			i++
		}
		if k < len(ints) {
			j := i
			for j < len(text) && text[j] != ',' && text[j] != ']' {
				j++
			}
			n, ok := parseInt(text[i:j])
			if !ok {
				return bad()
			}
			*ints[k] = n
			i = j
			continue
		}
		d := strs[k-len(ints)]
		switch {
		case strings.HasPrefix(text[i:], "null"):
			*d = ""
			i += 4
		case i < len(text) && text[i] == '"':
			j, esc := i+1, false
			for j < len(text) && text[j] != '"' {
				if text[j] == '\\' {
					esc = true
					j++
				}
				j++
			}
			if j >= len(text) {
				return bad()
			}
			if esc {
				if err := json.Unmarshal([]byte(text[i:j+1]), d); err != nil {
					return bad()
				}
			} else {
				*d = text[i+1 : j]
			}
			i = j + 1
		default:
			return bad()
		}
		if *d == "" {
			*d = "" // not an empty substring, which would keep the row's text alive
		} else if d == &e.Type || d == &e.Currency || d == &e.Channel || d == &e.Campaign {
			if v, ok := intern[*d]; ok {
				*d = v
			} else if len(intern) < internLimit {
				v := strings.Clone(*d)
				intern[v] = v
				*d = v
			}
		}
	}
	if i != len(text)-1 || text[i] != ']' {
		return bad()
	}
	return nil
}

// parseInt parses a decimal int64 as SQLite writes one into JSON, several
// times faster than strconv.ParseInt, to which it leaves anything unusual.
func parseInt(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 18 {
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil
	}
	neg := s[0] == '-'
	digits := s
	if neg {
		digits = s[1:]
		if digits == "" {
			return 0, false
		}
	}
	var n int64
	for i := 0; i < len(digits); i++ {
		c := digits[i] - '0'
		if c > 9 {
			return 0, false
		}
		n = n*10 + int64(c) // at most 18 digits: no overflow
	}
	if neg {
		n = -n
	}
	return n, true
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
