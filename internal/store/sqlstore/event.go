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

// eventValues returns e's values of EventCols, in order (Key must be
// set): NULL for a guest's customer and for no properties. It is the one
// list of what an event stores; the bulk paths take it from here.
func eventValues(e event.Event) [EventColCount]Value {
	var cust, props Value
	if e.CustomerID != "" {
		cust = TextValue(e.CustomerID)
	}
	if len(e.Properties) > 0 {
		props = TextValue(jsonText(e.Properties, "{}"))
	}
	return [EventColCount]Value{IntValue(e.Key), cust, TextValue(e.Type), TextValue(e.SKU), FloatValue(e.Quantity),
		FloatValue(e.Amount), TextValue(e.Currency), TextValue(e.OrderID), TextValue(e.Channel), TextValue(e.Campaign),
		IntValue(Micros(e.OccurredAt)), props}
}

// EventRow returns the values of EventCols for e (Key must be set), as
// database/sql or pgx arguments.
func EventRow(e event.Event) []any {
	vals := eventValues(e)
	row := make([]any, len(vals))
	for i, v := range vals {
		row[i] = v.arg()
	}
	return row
}

// InsertEvents stores events, skipping those whose natural key is stored.
func (s *Store) InsertEvents(ctx context.Context, es []event.Event) (counts event.InsertCounts, err error) {
	defer s.wrap(&err, "InsertEvents")
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
//
// A statement leaves out the columns that hold their default (empty text, NULL
// or 0) in every one of its rows, such as channel and campaign on an order
// import: on SQLite each bound value costs a call, a lock and, for text, a
// C copy, and most of an import's time is binding.
func (s *Store) insertEventsMultiRow(ctx context.Context, es []event.Event) (inserted int, err error) {
	if b := bulkFrom(ctx, s); b != nil && b.raw != nil {
		return b.insertRaw(ctx, len(es), func() (int, error) {
			// the raw connection fires no triggers: the rows' days are
			// marked for the rollup as activity_events_insert would
			mark := func(batch []event.Event) error { return s.markActivityDays(ctx, b.raw.Exec, batch) }
			n, err := s.writeEventRows(ctx, es, b.raw.Exec, mark)
			if err != nil || n == 0 {
				return n, err
			}
			return n, s.markPending(ctx, b.raw.Exec, eventCustomers(es))
		})
	}
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		prepared := map[string]*sql.Stmt{}
		defer func() {
			for _, st := range prepared {
				st.Close()
			}
		}()
		var args []any
		var boxes textBoxes
		exec := func(ctx context.Context, query string, vals []Value) (int64, error) {
			st := prepared[query]
			if st == nil {
				var err error
				if st, err = tx.PrepareContext(ctx, query); err != nil {
					return 0, err
				}
				prepared[query] = st
			}
			args = boxes.args(args[:0], vals)
			res, err := st.ExecContext(ctx, args...)
			if err != nil {
				return 0, err
			}
			return res.RowsAffected()
		}
		var err error
		if inserted, err = s.writeEventRows(ctx, es, exec, nil); err != nil || inserted == 0 {
			return err
		}
		return s.markPending(ctx, txValues(tx), eventCustomers(es))
	})
	return inserted, err
}

// writeEventRows writes es as multi-row INSERTs of up to eventBatch rows
// through exec, which runs one statement (prepared once per text) and
// returns the rows it inserted. If mark is not nil, it is called with the
// rows of each statement that inserted any, in the same transaction.
func (s *Store) writeEventRows(ctx context.Context, es []event.Event, exec func(context.Context, string, []Value) (int64, error),
	mark func([]event.Event) error) (inserted int, err error) {
	full := map[uint16]string{} // the statements of full batches, by columns
	rows := make([][EventColCount]Value, min(len(es), eventBatch))
	vals := make([]Value, 0, len(rows)*EventColCount)
	for len(es) > 0 {
		n := min(len(es), eventBatch)
		cols := eventRequired
		for i := range n {
			r := &rows[i]
			*r = eventValues(es[i])
			for c := range r {
				if !r[c].isDefault() {
					cols |= 1 << c
				}
			}
		}
		vals = vals[:0]
		for i := range n {
			r := &rows[i]
			for c := range r {
				if cols&(1<<c) != 0 {
					vals = append(vals, r[c])
				}
			}
		}
		query := full[cols]
		if n < eventBatch {
			query = s.insertEventsSQL(n, cols)
		} else if query == "" {
			query = s.insertEventsSQL(n, cols)
			full[cols] = query
		}
		k, err := exec(ctx, query, vals)
		if err != nil {
			return inserted, err
		}
		if k > 0 && mark != nil {
			if err := mark(es[:n]); err != nil {
				return inserted, err
			}
		}
		inserted += int(k)
		es = es[n:]
	}
	return inserted, nil
}

// insertEventsSQL is the INSERT of n rows of the columns in the set cols.
func (s *Store) insertEventsSQL(n int, cols uint16) string {
	var names []string
	for i, name := range strings.Split(EventCols, ", ") {
		if cols&(1<<i) != 0 {
			names = append(names, name)
		}
	}
	list := strings.Join(names, ", ")
	if s.dialect.InsertOrIgnore {
		// OR IGNORE, not ON CONFLICT … DO NOTHING: an upsert clause covers
		// its conflict target only, so SQLite must be able to undo half a
		// statement should another constraint fail, and copies every page
		// the statement touches into a statement journal first. Under OR
		// IGNORE no constraint aborts, so it keeps none (about a tenth of
		// the Online Retail import). The only other constraints are NOT
		// NULLs, which eventValues always meets (type is checked by
		// InsertEvents).
		return `INSERT OR IGNORE INTO events (` + list + `) VALUES ` + s.rowValues(n, len(names))
	}
	return `INSERT INTO events (` + list + `) VALUES ` + s.rowValues(n, len(names)) + ` ON CONFLICT ` + EventConflict + ` DO NOTHING`
}

// eventRequired is the set of EventCols (as bits, in order) that every
// INSERT names: dedup_key, type and occurred_at. The others have a default
// (empty for text, 0 for numbers, NULL for customer_id and properties) that
// an INSERT leaves to the table when every row of it holds the default.
const eventRequired uint16 = 1<<0 | 1<<2 | 1<<10

// textBoxes converts Values to database/sql arguments. Converting a
// string to an interface allocates; events of one order or customer arrive
// together and repeat their texts (type, currency, customer, order, SKU),
// so the boxes of recent texts are reused.
type textBoxes map[string]any

// args appends vals to args as database/sql arguments.
func (b *textBoxes) args(args []any, vals []Value) []any {
	if *b == nil || len(*b) > 4096 {
		*b = make(textBoxes, 256)
	}
	for _, v := range vals {
		if v.Kind != Text {
			args = append(args, v.arg())
			continue
		}
		box, ok := (*b)[v.Text]
		if !ok {
			box = v.Text
			(*b)[v.Text] = box
		}
		args = append(args, box)
	}
	return args
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
	packed := s.dialect.PackedRows
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
	if f.AfterID > 0 {
		add("id > ?", f.AfterID)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}
