package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/segment"
)

const productCols = `sku, title, description, category, brand, price, currency, selling_points, tags, stock,
	url, image_url, active, language, created_at, updated_at`

// UpsertProducts inserts new products and replaces known ones whose fields
// differ (a product import is the catalog's truth for the rows it names).
func (s *Store) UpsertProducts(ctx context.Context, ps []catalog.Product) (inserted, updated, unchanged int, err error) {
	defer s.wrap(&err, "UpsertProducts")
	for len(ps) > 0 {
		n := min(len(ps), upsertBatch)
		batch := dedupeProducts(ps[:n])
		unchanged += n - len(batch)
		i, u, k, err := s.upsertProductBatch(ctx, batch)
		if err != nil {
			return inserted, updated, unchanged, err
		}
		inserted, updated, unchanged = inserted+i, updated+u, unchanged+k
		ps = ps[n:]
	}
	return inserted, updated, unchanged, nil
}

func dedupeProducts(ps []catalog.Product) []catalog.Product {
	idx := make(map[string]int, len(ps))
	out := make([]catalog.Product, 0, len(ps))
	for _, p := range ps {
		if i, ok := idx[p.SKU]; ok {
			out[i] = p
			continue
		}
		idx[p.SKU] = len(out)
		out = append(out, p)
	}
	return out
}

// upsertProductBatch reads the stored versions of ps and writes the new and
// changed ones in one transaction, so that a concurrent write cannot fall
// between the read and the write (and, inside a BulkLoad, on its
// connection).
func (s *Store) upsertProductBatch(ctx context.Context, ps []catalog.Product) (inserted, updated, unchanged int, err error) {
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		inserted, updated, unchanged, err = s.upsertProductBatchTx(ctx, tx, ps)
		return err
	})
	return inserted, updated, unchanged, err
}

func (s *Store) upsertProductBatchTx(ctx context.Context, tx *sql.Tx, ps []catalog.Product) (inserted, updated, unchanged int, err error) {
	ids := make([]any, len(ps))
	for i, p := range ps {
		ids[i] = p.SKU
	}
	existing := map[string]catalog.Product{}
	err = s.queryProducts(ctx, tx, `WHERE sku IN (`+s.valueList(len(ids))+`)`, ids, func(p catalog.Product) error {
		existing[p.SKU] = p
		return nil
	})
	if err != nil {
		return 0, 0, 0, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	var write []catalog.Product
	var described []int64 // per written row: its new described_at, 0 to keep the stored one
	for _, p := range ps {
		old, ok := existing[p.SKU]
		if !ok {
			if p.CreatedAt.IsZero() {
				p.CreatedAt = now
			}
			p.UpdatedAt = p.CreatedAt
			write = append(write, p)
			described = append(described, Micros(p.CreatedAt))
			inserted++
			continue
		}
		p.CreatedAt, p.UpdatedAt = old.CreatedAt, old.UpdatedAt
		if jsonText(normProduct(p), "") == jsonText(normProduct(old), "") {
			unchanged++
			continue
		}
		p.UpdatedAt = now
		write = append(write, p)
		d := int64(0)
		if jsonText(descriptive(p), "") != jsonText(descriptive(old), "") {
			d = Micros(now)
		}
		described = append(described, d)
		updated++
	}
	if len(write) == 0 {
		return inserted, updated, unchanged, nil
	}
	args := make([]any, 0, len(write)*17)
	for i, p := range write {
		args = append(args, p.SKU, p.Title, p.Description, p.Category, p.Brand, p.Price, p.Currency,
			jsonText(p.SellingPoints, "[]"), jsonText(p.Tags, "[]"), p.Stock, p.URL, p.ImageURL, p.Active, p.Language,
			Micros(p.CreatedAt), Micros(p.UpdatedAt), described[i])
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO products (`+productCols+`, described_at) VALUES `+s.rowValues(len(write), 17)+`
		ON CONFLICT (sku) DO UPDATE SET title=excluded.title, description=excluded.description, category=excluded.category,
		brand=excluded.brand, price=excluded.price, currency=excluded.currency, selling_points=excluded.selling_points,
		tags=excluded.tags, stock=excluded.stock, url=excluded.url, image_url=excluded.image_url, active=excluded.active,
		language=excluded.language, updated_at=excluded.updated_at,
		described_at=CASE WHEN excluded.described_at > 0 THEN excluded.described_at ELSE products.described_at END`, args...)
	if err != nil {
		return inserted, updated, unchanged, err
	}
	// a product's category or brand may move any buyer's affinities
	return inserted, updated, unchanged, s.markPending(ctx, txValues(tx), []string{segment.Everyone})
}

// descriptive is p without the fields a shop changes as it sells (stock,
// active, price, currency, links): what describes the product, which
// models such as the recommender's learn from (see described_at,
// migration 0011).
func descriptive(p catalog.Product) catalog.Product {
	p = normProduct(p)
	p.Stock, p.Active, p.Price, p.Currency, p.URL, p.ImageURL = 0, false, 0, "", "", ""
	return p
}

func normProduct(p catalog.Product) catalog.Product {
	if len(p.SellingPoints) == 0 {
		p.SellingPoints = nil
	}
	if len(p.Tags) == 0 {
		p.Tags = nil
	}
	p.CreatedAt, p.UpdatedAt = time.Time{}, time.Time{}
	return p
}

// GetProduct returns one product or an apperr.NotFound error.
func (s *Store) GetProduct(ctx context.Context, sku string) (p catalog.Product, err error) {
	found := false
	err = s.queryProducts(ctx, s.db, `WHERE sku = $1`, []any{sku}, func(x catalog.Product) error {
		p, found = x, true
		return nil
	})
	if err != nil {
		return p, apperr.Wrap(err, apperr.Internal, "get product %q", sku)
	}
	if !found {
		return p, apperr.New(apperr.NotFound, "product %q not found", sku)
	}
	return p, nil
}

// ListProducts returns the whole catalog in SKU order.
func (s *Store) ListProducts(ctx context.Context) ([]catalog.Product, error) {
	var out []catalog.Product
	err := s.queryProducts(ctx, s.db, ``, nil, func(p catalog.Product) error {
		out = append(out, p)
		return nil
	})
	return out, err
}

func (s *Store) queryProducts(ctx context.Context, q querier, where string, args []any, fn func(catalog.Product) error) error {
	rows, err := q.QueryContext(ctx, `SELECT `+productCols+` FROM products `+where+` ORDER BY sku`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p catalog.Product
		var points, tags string
		var created, updated int64
		if err := rows.Scan(&p.SKU, &p.Title, &p.Description, &p.Category, &p.Brand, &p.Price, &p.Currency, &points, &tags,
			&p.Stock, &p.URL, &p.ImageURL, &p.Active, &p.Language, &created, &updated); err != nil {
			return err
		}
		if err := decodeJSON(points, &p.SellingPoints); err != nil {
			return err
		}
		if err := decodeJSON(tags, &p.Tags); err != nil {
			return err
		}
		p.CreatedAt, p.UpdatedAt = FromMicros(created), FromMicros(updated)
		if err := fn(p); err != nil {
			return err
		}
	}
	return rows.Err()
}
