package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/shop"
)

// The shop's settings (migration 0020).

// ShopSettings returns the stored settings in key order.
func (s *Store) ShopSettings(ctx context.Context) (out []shop.Setting, err error) {
	defer apperr.Wrapf(&err, "read the shop settings")
	rows, err := s.db.QueryContext(ctx, `SELECT key, value, source, updated_at FROM shop_settings ORDER BY key`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var st shop.Setting
		var at int64
		if err := rows.Scan(&st.Key, &st.Value, &st.Source, &at); err != nil {
			return nil, err
		}
		st.UpdatedAt = FromMicros(at)
		out = append(out, st)
	}
	return out, rows.Err()
}

// PutShopSettings inserts or replaces settings in one transaction; with
// onlyMissing it keeps the keys already stored.
func (s *Store) PutShopSettings(ctx context.Context, ss []shop.Setting, onlyMissing bool) (written int, err error) {
	defer apperr.Wrapf(&err, "store the shop settings")
	q := `INSERT INTO shop_settings (key, value, source, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, source = excluded.source, updated_at = excluded.updated_at`
	if onlyMissing {
		q = `INSERT INTO shop_settings (key, value, source, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING`
	}
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		written = 0
		for _, st := range ss {
			res, err := tx.ExecContext(ctx, q, st.Key, st.Value, st.Source, Micros(st.UpdatedAt))
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			written += int(n)
		}
		return nil
	})
	return written, err
}

// evidenceSample bounds the rows each evidence count reads: a majority
// needs no full scan of millions of events.
const evidenceSample = 100_000

// ShopEvidence counts the values that tell a shop's country, language and
// currency, most frequent first (at most 50 of each), over at most
// evidenceSample rows of each table.
func (s *Store) ShopEvidence(ctx context.Context) (ev shop.Evidence, err error) {
	defer apperr.Wrapf(&err, "read what the data say about the shop")
	for _, q := range []struct {
		dst        *[]shop.Count
		col, table string
	}{
		{&ev.CustomerCountries, "country", "customers"},
		{&ev.CustomerLanguages, "language", "customers"},
		{&ev.EventCurrencies, "currency", "events"},
		{&ev.ProductCurrencies, "currency", "products"},
		{&ev.ProductLanguages, "language", "products"},
	} {
		rows, err := s.db.QueryContext(ctx, `SELECT v, COUNT(*) FROM (SELECT `+q.col+` AS v FROM `+q.table+` WHERE `+q.col+` <> '' LIMIT `+
			strconv.Itoa(evidenceSample)+`) sample GROUP BY v ORDER BY COUNT(*) DESC, 1 LIMIT 50`)
		if err != nil {
			return ev, err
		}
		for rows.Next() {
			var c shop.Count
			if err := rows.Scan(&c.Value, &c.N); err != nil {
				rows.Close()
				return ev, err
			}
			*q.dst = append(*q.dst, c)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return ev, err
		}
	}
	return ev, nil
}
