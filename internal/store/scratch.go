package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/store/postgres"
	"github.com/chorusmkt/chorus/internal/store/sqlite"
)

// OpenScratch opens an empty, migrated database on the engine dsn names,
// leaving the data dsn points at alone: for PostgreSQL a new schema in
// that database, for SQLite a file in a new temporary directory (the path
// in dsn is not used). drop closes the store and removes the scratch
// database; calling it again returns the first call's result.
func OpenScratch(ctx context.Context, dsn string) (s *DB, drop func() error, err error) {
	if IsPostgres(dsn) {
		scratch, dropSchema, err := postgres.CreateScratchSchema(ctx, dsn)
		if err != nil {
			return nil, nil, err
		}
		bg := context.WithoutCancel(ctx)
		ps, err := postgres.Open(ctx, scratch)
		if err != nil {
			return nil, nil, errors.Join(err, dropSchema(bg))
		}
		return ps, sync.OnceValue(func() error { return errors.Join(ps.Close(), dropSchema(bg)) }), nil
	}
	dir, err := os.MkdirTemp("", "chorus-scratch-")
	if err != nil {
		return nil, nil, apperr.Wrap(err, apperr.Unavailable, "scratch database")
	}
	ss, err := sqlite.Open(ctx, filepath.Join(dir, "chorus.db"))
	if err != nil {
		return nil, nil, errors.Join(err, os.RemoveAll(dir))
	}
	return ss, sync.OnceValue(func() error { return errors.Join(ss.Close(), os.RemoveAll(dir)) }), nil
}
