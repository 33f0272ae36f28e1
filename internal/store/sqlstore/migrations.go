package sqlstore

import "context"

// AppliedMigrations are the versions recorded in schema_migrations
// (what /readyz compares with the embedded migrations).
func (s *Store) AppliedMigrations(ctx context.Context) (versions map[int]bool, err error) {
	defer s.wrap(&err, "read the applied migrations")
	rows, err := s.db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	versions = map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		versions[v] = true
	}
	return versions, rows.Err()
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) (err error) {
	defer s.wrap(&err, "ping the database")
	return s.db.PingContext(ctx)
}
