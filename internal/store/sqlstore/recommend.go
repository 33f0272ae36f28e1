package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/recommend"
)

// RecommendSourceVersion reads the aggregates that change whenever the
// events, products or customers a recommendation model learns from change:
// counts, the latest event id and time, the latest edits. Three index or
// table scans; no rows are read into memory.
func (s *Store) RecommendSourceVersion(ctx context.Context) (v recommend.SourceVersion, err error) {
	defer s.wrap(&err, "RecommendSourceVersion")
	err = s.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM events),
		(SELECT COALESCE(MAX(id), 0) FROM events),
		(SELECT COALESCE(MAX(occurred_at), 0) FROM events),
		(SELECT COUNT(*) FROM products),
		(SELECT COALESCE(MAX(described_at), 0) FROM products),
		(SELECT COALESCE(MAX(updated_at), 0) FROM products),
		(SELECT COUNT(*) FROM customers),
		(SELECT COALESCE(MAX(updated_at), 0) FROM customers)`).Scan(
		&v.Events, &v.MaxEventID, &v.MaxEventAt, &v.Products, &v.ProductsDescribed, &v.ProductsEdited, &v.Customers, &v.CustomersEdit)
	return v, err
}

// SaveRecommendSnapshot stores snap under its name, replacing the
// previous snapshot of that name.
func (s *Store) SaveRecommendSnapshot(ctx context.Context, snap recommend.Snapshot) (err error) {
	defer s.wrap(&err, "SaveRecommendSnapshot(%q)", snap.Name)
	if snap.Name == "" || snap.Fingerprint == "" || len(snap.Model) == 0 {
		return apperr.New(apperr.Invalid, "recommend snapshot needs a name, a fingerprint and a model")
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO recommend_snapshots (name, fingerprint, model, train_seconds, created_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint, model = excluded.model,
			train_seconds = excluded.train_seconds, created_at = excluded.created_at`,
		snap.Name, snap.Fingerprint, snap.Model, snap.TrainSeconds, Micros(snap.CreatedAt))
	return err
}

// LoadRecommendSnapshot returns the snapshot saved under name when its
// fingerprint is fingerprint. No snapshot of that name, or one of another
// fingerprint (the data or the options changed), is apperr.NotFound.
func (s *Store) LoadRecommendSnapshot(ctx context.Context, name, fingerprint string) (snap recommend.Snapshot, err error) {
	defer s.wrap(&err, "LoadRecommendSnapshot(%q)", name)
	var at int64
	err = s.db.QueryRowContext(ctx, `SELECT name, fingerprint, model, train_seconds, created_at FROM recommend_snapshots
		WHERE name = $1 AND fingerprint = $2`, name, fingerprint).Scan(&snap.Name, &snap.Fingerprint, &snap.Model, &snap.TrainSeconds, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return snap, apperr.New(apperr.NotFound, "no current recommendation model %q; train one with 'chorus recommend train'", name)
	}
	snap.CreatedAt = FromMicros(at)
	return snap, err
}

// DeleteRecommendSnapshots removes every saved model (they are caches:
// the next use retrains).
func (s *Store) DeleteRecommendSnapshots(ctx context.Context) (n int64, err error) {
	defer s.wrap(&err, "DeleteRecommendSnapshots")
	res, err := s.db.ExecContext(ctx, `DELETE FROM recommend_snapshots`)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
