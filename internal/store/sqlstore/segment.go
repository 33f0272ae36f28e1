package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/segment"
)

// memberBatch bounds the rows of one membership INSERT (3 columns each)
// and the ids of one IN list.
const memberBatch = 500

const segmentCols = `name, expression, description, version, created_at, updated_at, refreshed_at,
	(SELECT COUNT(*) FROM segment_members m WHERE m.segment = s.name)`

// CreateSegment saves s with version 1 and members as its membership, in
// one transaction. An existing name is apperr.Conflict.
func (s *Store) CreateSegment(ctx context.Context, seg segment.Segment, members []string) (out segment.Segment, err error) {
	defer s.wrap(&err, "CreateSegment(%q)", seg.Name)
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO segments (name, expression, description, version, created_at, updated_at, refreshed_at)
			VALUES ($1, $2, $3, 1, $4, $5, $6) ON CONFLICT (name) DO NOTHING`,
			seg.Name, seg.Expression, seg.Description, Micros(seg.CreatedAt), Micros(seg.UpdatedAt), Micros(seg.RefreshedAt))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "segment %q already exists", seg.Name)
		}
		if err := s.insertSegmentMembers(ctx, tx, seg.Name, uniqueSegmentIDs(members), seg.CreatedAt); err != nil {
			return err
		}
		out, err = getSegment(ctx, tx, seg.Name)
		return err
	})
	return out, err
}

// UpdateSegment replaces the expression and description, increments the
// version and sets the membership to members, keeping "since" of those who
// stay, in one transaction. An unknown name is apperr.NotFound.
func (s *Store) UpdateSegment(ctx context.Context, seg segment.Segment, members []string) (out segment.Segment, ch segment.Change, err error) {
	defer s.wrap(&err, "UpdateSegment(%q)", seg.Name)
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		version, err := s.lockSegment(ctx, tx, seg.Name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE segments SET expression = $2, description = $3, version = $4,
			updated_at = $5, refreshed_at = $6 WHERE name = $1`,
			seg.Name, seg.Expression, seg.Description, version+1, Micros(seg.UpdatedAt), Micros(seg.RefreshedAt)); err != nil {
			return err
		}
		if ch, err = s.replaceSegmentMembers(ctx, tx, seg.Name, members, seg.UpdatedAt); err != nil {
			return err
		}
		ch.Version = version + 1
		out, err = getSegment(ctx, tx, seg.Name)
		return err
	})
	return out, ch, err
}

// RefreshSegment sets the membership of the segment to members when its
// stored version is version (else apperr.Conflict), keeping "since" of
// those who stay, and records the rebuild time.
func (s *Store) RefreshSegment(ctx context.Context, name string, version int, members []string, at time.Time) (ch segment.Change, err error) {
	defer s.wrap(&err, "RefreshSegment(%q)", name)
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkSegmentVersion(ctx, tx, name, version); err != nil {
			return err
		}
		if ch, err = s.replaceSegmentMembers(ctx, tx, name, members, at); err != nil {
			return err
		}
		ch.Version = version
		_, err = tx.ExecContext(ctx, `UPDATE segments SET refreshed_at = $2 WHERE name = $1`, name, Micros(at))
		return err
	})
	return ch, err
}

// ApplySegmentChanges applies every change in one transaction: all or
// none. A change for a version other than the stored one is
// apperr.Conflict; for an unknown segment, apperr.NotFound.
func (s *Store) ApplySegmentChanges(ctx context.Context, changes []segment.Change, at time.Time) (err error) {
	defer s.wrap(&err, "ApplySegmentChanges")
	return s.Tx(ctx, func(tx *sql.Tx) error { return s.applySegmentChangesTx(ctx, tx, changes, at) })
}

func (s *Store) applySegmentChangesTx(ctx context.Context, tx *sql.Tx, changes []segment.Change, at time.Time) error {
	for _, ch := range changes {
		if err := s.checkSegmentVersion(ctx, tx, ch.Segment, ch.Version); err != nil {
			return err
		}
		if err := deleteSegmentMembers(ctx, tx, ch.Segment, ch.Left); err != nil {
			return err
		}
		if err := s.insertSegmentMembers(ctx, tx, ch.Segment, ch.Joined, at); err != nil {
			return err
		}
	}
	return nil
}

// GetSegment returns one segment with its member count, or apperr.NotFound.
func (s *Store) GetSegment(ctx context.Context, name string) (segment.Segment, error) {
	return getSegment(ctx, s.db, name)
}

// ListSegments returns every segment with its member count, by name.
func (s *Store) ListSegments(ctx context.Context) (out []segment.Segment, err error) {
	defer s.wrap(&err, "ListSegments")
	rows, err := s.db.QueryContext(ctx, `SELECT `+segmentCols+` FROM segments s ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		seg, err := scanSegment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, seg)
	}
	return out, rows.Err()
}

// DeleteSegment removes a segment and its membership, or returns
// apperr.NotFound.
func (s *Store) DeleteSegment(ctx context.Context, name string) (err error) {
	defer s.wrap(&err, "DeleteSegment(%q)", name)
	return s.Tx(ctx, func(tx *sql.Tx) error {
		// Members first: the foreign key cascades too, but not every
		// connection is guaranteed to have SQLite's foreign_keys pragma.
		if _, err := tx.ExecContext(ctx, `DELETE FROM segment_members WHERE segment = $1`, name); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM segments WHERE name = $1`, name)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "segment %q not found", name)
		}
		return nil
	})
}

// ScanSegmentMembers visits the members of a segment ordered by customer
// id. An unknown segment is apperr.NotFound.
func (s *Store) ScanSegmentMembers(ctx context.Context, name string, fn func(segment.Member) error) (err error) {
	defer s.wrap(&err, "ScanSegmentMembers(%q)", name)
	if _, err := s.GetSegment(ctx, name); err != nil {
		return err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT customer_id, since FROM segment_members WHERE segment = $1 ORDER BY customer_id`, name)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m segment.Member
		var since int64
		if err := rows.Scan(&m.CustomerID, &since); err != nil {
			return err
		}
		m.Since = FromMicros(since)
		if err := fn(m); err != nil {
			return err
		}
	}
	return rows.Err()
}

// SegmentMemberships returns the segment names of each of ids that is a
// member of any segment; names are sorted.
func (s *Store) SegmentMemberships(ctx context.Context, ids []string) (out map[string][]string, err error) {
	defer s.wrap(&err, "SegmentMemberships")
	out = make(map[string][]string)
	ids = uniqueSegmentIDs(ids)
	for len(ids) > 0 {
		n := min(len(ids), memberBatch)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		rows, err := s.db.QueryContext(ctx, `SELECT customer_id, segment FROM segment_members
			WHERE customer_id IN (`+inList(1, n)+`) ORDER BY customer_id, segment`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, seg string
			if err := rows.Scan(&id, &seg); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = append(out[id], seg)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

type segmentQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type segmentRowScanner interface{ Scan(dest ...any) error }

func getSegment(ctx context.Context, q segmentQuerier, name string) (segment.Segment, error) {
	seg, err := scanSegment(q.QueryRowContext(ctx, `SELECT `+segmentCols+` FROM segments s WHERE name = $1`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return seg, apperr.New(apperr.NotFound, "segment %q not found; `chorus segment list` shows the saved segments", name)
	}
	if err != nil {
		return seg, apperr.Wrap(err, apperr.Internal, "get segment %q", name)
	}
	return seg, nil
}

func scanSegment(r segmentRowScanner) (segment.Segment, error) {
	var seg segment.Segment
	var created, updated, refreshed int64
	err := r.Scan(&seg.Name, &seg.Expression, &seg.Description, &seg.Version, &created, &updated, &refreshed, &seg.Members)
	seg.CreatedAt, seg.UpdatedAt, seg.RefreshedAt = FromMicros(created), FromMicros(updated), FromMicros(refreshed)
	return seg, err
}

// lockSegment returns the stored version, holding the row for the rest of
// the transaction on PostgreSQL (SQLite transactions here begin IMMEDIATE
// and so already hold the write lock).
func (s *Store) lockSegment(ctx context.Context, tx *sql.Tx, name string) (int, error) {
	q := `SELECT version FROM segments WHERE name = $1`
	if s.dialect.RowLocks {
		q += ` FOR UPDATE`
	}
	var v int
	err := tx.QueryRowContext(ctx, q, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, apperr.New(apperr.NotFound, "segment %q not found", name)
	}
	return v, err
}

func (s *Store) checkSegmentVersion(ctx context.Context, tx *sql.Tx, name string, version int) error {
	v, err := s.lockSegment(ctx, tx, name)
	if err != nil {
		return err
	}
	if v != version {
		return apperr.New(apperr.Conflict, "segment %q is at version %d, not %d: it was replaced meanwhile", name, v, version)
	}
	return nil
}

// replaceSegmentMembers makes the membership of name exactly members and returns
// the diff; members who stay keep their "since".
func (s *Store) replaceSegmentMembers(ctx context.Context, tx *sql.Tx, name string, members []string, at time.Time) (segment.Change, error) {
	ch := segment.Change{Segment: name}
	current := make(map[string]bool)
	rows, err := tx.QueryContext(ctx, `SELECT customer_id FROM segment_members WHERE segment = $1`, name)
	if err != nil {
		return ch, err
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return ch, err
		}
		current[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return ch, err
	}
	want := uniqueSegmentIDs(members)
	keep := make(map[string]bool, len(want))
	for _, id := range want {
		keep[id] = true
		if !current[id] {
			ch.Joined = append(ch.Joined, id)
		}
	}
	for id := range current {
		if !keep[id] {
			ch.Left = append(ch.Left, id)
		}
	}
	slices.Sort(ch.Joined)
	slices.Sort(ch.Left)
	if err := deleteSegmentMembers(ctx, tx, name, ch.Left); err != nil {
		return ch, err
	}
	return ch, s.insertSegmentMembers(ctx, tx, name, ch.Joined, at)
}

func (s *Store) insertSegmentMembers(ctx context.Context, tx *sql.Tx, name string, ids []string, at time.Time) error {
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	since := Micros(at)
	args := make([]any, 0, memberBatch*3)
	for len(ids) > 0 {
		n := min(len(ids), memberBatch)
		args = args[:0]
		for _, id := range ids[:n] {
			args = append(args, name, id, since)
		}
		q := `INSERT INTO segment_members (segment, customer_id, since) VALUES ` + s.rowValues(n, 3) +
			` ON CONFLICT (segment, customer_id) DO NOTHING`
		var err error
		if n == memberBatch {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, q); err != nil {
					return err
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, q, args...)
		}
		if err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

func deleteSegmentMembers(ctx context.Context, tx *sql.Tx, name string, ids []string) error {
	for len(ids) > 0 {
		n := min(len(ids), memberBatch)
		args := make([]any, 0, n+1)
		args = append(args, name)
		for _, id := range ids[:n] {
			args = append(args, id)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM segment_members WHERE segment = $1 AND customer_id IN (`+inList(2, n)+`)`, args...); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// uniqueSegmentIDs returns ids without repeats or empty strings, in first-seen order.
func uniqueSegmentIDs(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
