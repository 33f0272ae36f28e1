package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/idempotency"
)

// The API's idempotency keys (migration 0063).

// ClaimIdempotency implements idempotency.Store.
func (s *Store) ClaimIdempotency(ctx context.Context, r idempotency.Record) (stored idempotency.Record, created bool, err error) {
	defer s.wrap(&err, "claim an idempotency key")
	res, err := s.db.ExecContext(ctx, `INSERT INTO api_idempotency (owner, key, route, body_hash, status, content_type, created_at)
		VALUES ($1, $2, $3, $4, 0, '', $5) ON CONFLICT (owner, key) DO NOTHING`,
		r.Owner, r.Key, r.Route, r.BodyHash, Micros(r.CreatedAt))
	if err != nil {
		return stored, false, err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return r, true, nil
	}
	var at int64
	var resp []byte
	err = s.db.QueryRowContext(ctx, `SELECT owner, key, route, body_hash, status, content_type, response, created_at
		FROM api_idempotency WHERE owner = $1 AND key = $2`, r.Owner, r.Key).
		Scan(&stored.Owner, &stored.Key, &stored.Route, &stored.BodyHash, &stored.Status, &stored.ContentType, &resp, &at)
	if errors.Is(err, sql.ErrNoRows) {
		// released between our insert and this read: the caller may retry
		return stored, false, apperr.New(apperr.Conflict, "a request with this Idempotency-Key just finished without a response; retry")
	}
	if err != nil {
		return stored, false, err
	}
	stored.Response, stored.CreatedAt = resp, FromMicros(at)
	return stored, false, nil
}

// FinishIdempotency implements idempotency.Store.
func (s *Store) FinishIdempotency(ctx context.Context, r idempotency.Record) (err error) {
	defer s.wrap(&err, "store an idempotent response")
	resp := r.Response
	if resp == nil {
		resp = []byte{}
	}
	_, err = s.db.ExecContext(ctx, `UPDATE api_idempotency SET status = $3, content_type = $4, response = $5
		WHERE owner = $1 AND key = $2`, r.Owner, r.Key, r.Status, r.ContentType, resp)
	return err
}

// ReleaseIdempotency implements idempotency.Store.
func (s *Store) ReleaseIdempotency(ctx context.Context, owner, key string) (err error) {
	defer s.wrap(&err, "release an idempotency key")
	_, err = s.db.ExecContext(ctx, `DELETE FROM api_idempotency WHERE owner = $1 AND key = $2 AND status = 0`, owner, key)
	return err
}

// PruneIdempotency implements idempotency.Store.
func (s *Store) PruneIdempotency(ctx context.Context, cutoff time.Time) (n int, err error) {
	defer s.wrap(&err, "prune idempotency keys")
	res, err := s.db.ExecContext(ctx, `DELETE FROM api_idempotency WHERE created_at < $1`, Micros(cutoff))
	if err != nil {
		return 0, err
	}
	m, _ := res.RowsAffected()
	return int(m), nil
}
