package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/customer"
)

const customerCols = `id, name, email, phone, gender, birth_year, occupation, city, country, address,
	time_zone, language, interests, tags, attrs, created_at, updated_at`

// upsertBatch bounds the rows of one statement (and the ids of one IN list).
const upsertBatch = 500

// UpsertCustomers inserts new customers and merges the non-empty fields of
// known ones (an empty field never clears a stored value). Counts say which
// rows were new, changed or already identical.
func (s *Store) UpsertCustomers(ctx context.Context, cs []customer.Customer) (counts customer.UpsertCounts, err error) {
	defer s.wrap(&err, "UpsertCustomers")
	for len(cs) > 0 {
		n := min(len(cs), upsertBatch)
		c, err := s.upsertCustomerBatch(ctx, dedupeCustomers(cs[:n]))
		if err != nil {
			return counts, err
		}
		counts.Add(c)
		if d := n - (c.Inserted + c.Updated + c.Unchanged); d > 0 {
			counts.Unchanged += d // in-batch repeats of one id
		}
		cs = cs[n:]
	}
	return counts, nil
}

// dedupeCustomers merges repeated ids within a batch, later rows winning.
func dedupeCustomers(cs []customer.Customer) []customer.Customer {
	idx := make(map[string]int, len(cs))
	out := make([]customer.Customer, 0, len(cs))
	for _, c := range cs {
		if i, ok := idx[c.ID]; ok {
			out[i] = mergeCustomer(out[i], c)
			continue
		}
		idx[c.ID] = len(out)
		out = append(out, c)
	}
	return out
}

// upsertCustomerBatch reads the stored versions of cs and writes the new
// and changed ones in one transaction, so that a concurrent write cannot
// fall between the read and the write (and, inside a BulkLoad, on its
// connection).
func (s *Store) upsertCustomerBatch(ctx context.Context, cs []customer.Customer) (counts customer.UpsertCounts, err error) {
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		counts, err = s.upsertCustomerBatchTx(ctx, tx, cs)
		return err
	})
	return counts, err
}

func (s *Store) upsertCustomerBatchTx(ctx context.Context, tx *sql.Tx, cs []customer.Customer) (counts customer.UpsertCounts, err error) {
	ids := make([]any, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	existing := map[string]customer.Customer{}
	idOnly := allIDOnly(cs)
	if idOnly {
		// the records events name: a stored customer stays as she is, so
		// only which ids exist matters (no rows to read and compare)
		err = s.queryIDs(ctx, tx, `SELECT id FROM customers WHERE id IN (`+s.valueList(len(ids))+`)`, ids, func(id string) {
			existing[id] = customer.Customer{ID: id}
		})
	} else {
		err = s.queryCustomers(ctx, tx, `SELECT `+customerCols+` FROM customers WHERE id IN (`+s.valueList(len(ids))+`)`, ids, func(c customer.Customer) error {
			existing[c.ID] = c
			return nil
		})
	}
	if err != nil {
		return counts, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	var write []customer.Customer
	for _, c := range cs {
		old, ok := existing[c.ID]
		if !ok {
			if c.CreatedAt.IsZero() {
				c.CreatedAt = now
			}
			if c.UpdatedAt.IsZero() {
				c.UpdatedAt = c.CreatedAt
			}
			write = append(write, c)
			counts.Inserted++
			continue
		}
		if idOnly {
			counts.Unchanged++
			continue
		}
		merged := mergeCustomer(old, c)
		merged.CreatedAt, merged.UpdatedAt = old.CreatedAt, old.UpdatedAt
		if sameCustomer(old, merged) {
			counts.Unchanged++
			continue
		}
		merged.UpdatedAt = now
		write = append(write, merged)
		counts.Updated++
	}
	if len(write) == 0 {
		return counts, nil
	}
	args := make([]any, 0, len(write)*17)
	for _, c := range write {
		args = append(args, c.ID, c.Name, c.Email, c.Phone, c.Gender, c.BirthYear, c.Occupation, c.City, c.Country,
			c.Address, c.TimeZone, c.Language, jsonText(c.Interests, "[]"), jsonText(c.Tags, "[]"), jsonText(c.Attrs, "{}"),
			Micros(c.CreatedAt), Micros(c.UpdatedAt))
	}
	q := `INSERT INTO customers (` + customerCols + `) VALUES ` + s.rowValues(len(write), 17) + `
		ON CONFLICT (id) DO UPDATE SET name=excluded.name, email=excluded.email, phone=excluded.phone,
		gender=excluded.gender, birth_year=excluded.birth_year, occupation=excluded.occupation, city=excluded.city,
		country=excluded.country, address=excluded.address, time_zone=excluded.time_zone, language=excluded.language,
		interests=excluded.interests, tags=excluded.tags, attrs=excluded.attrs, updated_at=excluded.updated_at`
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return counts, err
	}
	ids = ids[:0]
	for _, c := range write {
		ids = append(ids, c.ID)
	}
	return counts, s.markPending(ctx, txValues(tx), anyStrings(ids))
}

func anyStrings(xs []any) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i], _ = x.(string)
	}
	return out
}

// allIDOnly reports whether every record of cs holds only an id (what
// the importer writes for the customers a batch of events names).
func allIDOnly(cs []customer.Customer) bool {
	for _, c := range cs {
		if !reflect.DeepEqual(c, customer.Customer{ID: c.ID}) {
			return false
		}
	}
	return true
}

// queryIDs visits the first column of q's rows as text.
func (s *Store) queryIDs(ctx context.Context, db querier, q string, args []any, fn func(string)) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		fn(id)
	}
	return rows.Err()
}

// mergeCustomer overlays the non-empty fields of n on old.
func mergeCustomer(old, n customer.Customer) customer.Customer {
	m := old
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&m.Name, n.Name)
	set(&m.Email, n.Email)
	set(&m.Phone, n.Phone)
	set(&m.Gender, n.Gender)
	set(&m.Occupation, n.Occupation)
	set(&m.City, n.City)
	set(&m.Country, n.Country)
	set(&m.Address, n.Address)
	set(&m.TimeZone, n.TimeZone)
	set(&m.Language, n.Language)
	if n.BirthYear != 0 {
		m.BirthYear = n.BirthYear
	}
	if len(n.Interests) > 0 {
		m.Interests = n.Interests
	}
	if len(n.Tags) > 0 {
		m.Tags = n.Tags
	}
	if len(n.Attrs) > 0 {
		attrs := make(map[string]any, len(m.Attrs)+len(n.Attrs))
		for k, v := range m.Attrs {
			attrs[k] = v
		}
		for k, v := range n.Attrs {
			attrs[k] = v
		}
		m.Attrs = attrs
	}
	if !n.CreatedAt.IsZero() && (m.CreatedAt.IsZero() || n.CreatedAt.Before(m.CreatedAt)) {
		m.CreatedAt = n.CreatedAt
	}
	return m
}

func sameCustomer(a, b customer.Customer) bool {
	// Compare through JSON so that nil and empty collections and numbers
	// decoded from JSON compare equal to the values we would store.
	ja, _ := json.Marshal(normCustomer(a))
	jb, _ := json.Marshal(normCustomer(b))
	return string(ja) == string(jb)
}

func normCustomer(c customer.Customer) customer.Customer {
	if len(c.Interests) == 0 {
		c.Interests = nil
	}
	if len(c.Tags) == 0 {
		c.Tags = nil
	}
	if len(c.Attrs) == 0 {
		c.Attrs = nil
	} else {
		// round-trip attrs so that int and float64 compare equal
		var m map[string]any
		b, _ := json.Marshal(c.Attrs)
		_ = json.Unmarshal(b, &m)
		c.Attrs = m
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC().Truncate(time.Microsecond), c.UpdatedAt.UTC().Truncate(time.Microsecond)
	return c
}

// GetCustomer returns one customer or an apperr.NotFound error.
func (s *Store) GetCustomer(ctx context.Context, id string) (c customer.Customer, err error) {
	found := false
	err = s.queryCustomers(ctx, s.db, `SELECT `+customerCols+` FROM customers WHERE id = $1`, []any{id}, func(x customer.Customer) error {
		c, found = x, true
		return nil
	})
	if err != nil {
		return c, apperr.Wrap(err, apperr.Internal, "get customer %q", id)
	}
	if !found {
		return c, apperr.New(apperr.NotFound, "customer %q not found", id)
	}
	return c, nil
}

// ListCustomers visits every customer in id order.
func (s *Store) ListCustomers(ctx context.Context, fn func(customer.Customer) error) error {
	return s.queryCustomers(ctx, s.db, `SELECT `+customerCols+` FROM customers ORDER BY id`, nil, fn)
}

// CountCustomers returns the number of customers.
func (s *Store) CountCustomers(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM customers`).Scan(&n)
	return n, err
}

func (s *Store) queryCustomers(ctx context.Context, db querier, q string, args []any, fn func(customer.Customer) error) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c customer.Customer
		var interests, tags, attrs string
		var created, updated int64
		if err := rows.Scan(&c.ID, &c.Name, &c.Email, &c.Phone, &c.Gender, &c.BirthYear, &c.Occupation, &c.City,
			&c.Country, &c.Address, &c.TimeZone, &c.Language, &interests, &tags, &attrs, &created, &updated); err != nil {
			return err
		}
		if err := decodeJSON(interests, &c.Interests); err != nil {
			return err
		}
		if err := decodeJSON(tags, &c.Tags); err != nil {
			return err
		}
		if err := decodeJSON(attrs, &c.Attrs); err != nil {
			return err
		}
		if len(c.Attrs) == 0 {
			c.Attrs = nil
		}
		c.CreatedAt, c.UpdatedAt = FromMicros(created), FromMicros(updated)
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AddConsents appends ledger entries, all or none; an entry identical to a
// stored one (same customer, channel, purpose, status and instant) is not
// added twice.
func (s *Store) AddConsents(ctx context.Context, cs []customer.Consent) (added int, err error) {
	defer s.wrap(&err, "AddConsents")
	for _, c := range cs {
		if c.CustomerID == "" || c.Channel == "" || (c.Status != customer.Granted && c.Status != customer.Revoked) {
			return 0, apperr.New(apperr.Invalid, "consent needs customer, channel and status granted|revoked (got %q/%q/%q)", c.CustomerID, c.Channel, c.Status)
		}
	}
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		for len(cs) > 0 {
			n := min(len(cs), upsertBatch)
			args := make([]any, 0, n*7)
			for _, c := range cs[:n] {
				purpose := c.Purpose
				if purpose == "" {
					purpose = customer.PurposeMarketing
				}
				args = append(args, c.CustomerID, c.Channel, purpose, c.Status, c.LegalBasis, c.Source, Micros(c.At))
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO consents (customer_id, channel, purpose, status, legal_basis, source, at)
			VALUES `+s.rowValues(n, 7)+` ON CONFLICT (customer_id, channel, purpose, status, at) DO NOTHING`, args...)
			if err != nil {
				return err
			}
			k, _ := res.RowsAffected()
			added += int(k)
			if k > 0 {
				ids := make([]string, n)
				for i, c := range cs[:n] {
					ids[i] = c.CustomerID
				}
				if err := s.markPending(ctx, txValues(tx), ids); err != nil {
					return err
				}
			}
			cs = cs[n:]
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}

// Consents returns one customer's ledger, oldest first.
func (s *Store) Consents(ctx context.Context, customerID string) ([]customer.Consent, error) {
	var out []customer.Consent
	err := s.queryConsents(ctx, `WHERE customer_id = $1`, []any{customerID}, func(c customer.Consent) error {
		out = append(out, c)
		return nil
	})
	return out, err
}

// ListConsents visits the whole ledger ordered by customer, then time.
func (s *Store) ListConsents(ctx context.Context, fn func(customer.Consent) error) error {
	return s.queryConsents(ctx, ``, nil, fn)
}

func (s *Store) queryConsents(ctx context.Context, where string, args []any, fn func(customer.Consent) error) error {
	rows, err := s.cq(nil).QueryContext(ctx, `SELECT customer_id, channel, purpose, status, legal_basis, source, at
		FROM consents `+where+` ORDER BY customer_id, at, id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c customer.Consent
		var at int64
		if err := rows.Scan(&c.CustomerID, &c.Channel, &c.Purpose, &c.Status, &c.LegalBasis, &c.Source, &at); err != nil {
			return err
		}
		c.At = FromMicros(at)
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// jsonText encodes v, or returns empty for a nil or empty value.
func jsonText(v any, empty string) string {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || ((rv.Kind() == reflect.Slice || rv.Kind() == reflect.Map) && rv.Len() == 0) {
		return empty
	}
	b, err := json.Marshal(v)
	if err != nil {
		return empty
	}
	return string(b)
}

func decodeJSON(s string, v any) error {
	if s == "" || s == "null" {
		return nil
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return errors.Join(apperr.New(apperr.Internal, "stored JSON is corrupt"), err)
	}
	return nil
}

// SearchCustomers implements customer.Searcher: a keyset page in id
// order, so that a page costs the same at any depth.
func (s *Store) SearchCustomers(ctx context.Context, q customer.Search) (out []customer.Customer, err error) {
	defer s.wrap(&err, "search customers")
	limit := q.Limit
	if limit <= 0 || limit > customer.MaxPage {
		limit = customer.MaxPage
	}
	where, args := `id > $1`, []any{q.After}
	if q.Query != "" {
		pat := likeEscape(strings.ToLower(q.Query))
		args = append(args, pat+"%", "%"+pat+"%")
		where += ` AND (lower(id) LIKE $2 ESCAPE '\' OR lower(name) LIKE $3 ESCAPE '\' OR lower(email) LIKE $3 ESCAPE '\' OR phone LIKE $3 ESCAPE '\')`
	}
	args = append(args, limit)
	query := `SELECT ` + customerCols + ` FROM customers WHERE ` + where + ` ORDER BY id LIMIT $` + strconv.Itoa(len(args))
	err = s.queryCustomers(ctx, s.db, query, args, func(c customer.Customer) error {
		out = append(out, c)
		return nil
	})
	return out, err
}

// SearchCustomerWindow implements customer.WindowSearcher: the matches
// of q among the scan customers after q.After, and the last id examined.
// A substring match cannot use an index, so the window bounds the rows a
// request reads instead.
func (s *Store) SearchCustomerWindow(ctx context.Context, q customer.Search, scan int) (out []customer.Customer, last string, err error) {
	defer s.wrap(&err, "search customers in a window")
	scan = min(max(scan, 1), 100_000)
	limit := q.Limit
	if limit <= 0 || limit > customer.MaxPage {
		limit = customer.MaxPage
	}
	var lastID sql.NullString
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(id), COUNT(*) FROM (SELECT id FROM customers WHERE id > $1 ORDER BY id LIMIT $2) w`, q.After, scan).Scan(&lastID, &n); err != nil {
		return nil, "", err
	}
	if !lastID.Valid {
		return nil, "", nil
	}
	where, args := `id > $1 AND id <= $2`, []any{q.After, lastID.String}
	if q.Query != "" {
		pat := likeEscape(strings.ToLower(q.Query))
		args = append(args, pat+"%", "%"+pat+"%")
		where += ` AND (lower(id) LIKE $3 ESCAPE '\' OR lower(name) LIKE $4 ESCAPE '\' OR lower(email) LIKE $4 ESCAPE '\' OR phone LIKE $4 ESCAPE '\')`
	}
	args = append(args, limit)
	query := `SELECT ` + customerCols + ` FROM customers WHERE ` + where + ` ORDER BY id LIMIT $` + strconv.Itoa(len(args))
	err = s.queryCustomers(ctx, s.db, query, args, func(c customer.Customer) error {
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	switch {
	case len(out) == limit:
		return out, out[len(out)-1].ID, nil // the page filled before the window's end
	case n < scan:
		return out, "", nil // the window reached the last customer
	}
	return out, lastID.String, nil
}

// likeEscape escapes LIKE's wildcards (and the escape) in s.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
