package sqlstore

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/segment"
)

// The log of contact exports (migration 0021).

// LogContactExport appends one export to the log and returns its id.
func (s *Store) LogContactExport(ctx context.Context, e segment.ContactExport) (id int64, err error) {
	defer apperr.Wrapf(&err, "log the contact export")
	fields, _ := json.Marshal(e.Fields)
	purpose := e.Purpose
	if e.IgnoredConsent {
		// The flag is part of what was done; the purpose column says it.
		purpose = "[consent ignored] " + purpose
	}
	err = s.db.QueryRowContext(ctx, `INSERT INTO contact_exports (segment, actor, fields, purpose, rows_out, withheld, exported_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		e.Segment, e.Actor, string(fields), purpose, e.Rows, e.Withheld, Micros(e.At)).Scan(&id)
	return id, err
}

// ContactExports returns the latest limit exports (all when limit <= 0),
// newest first.
func (s *Store) ContactExports(ctx context.Context, limit int) (out []segment.ContactExport, err error) {
	defer apperr.Wrapf(&err, "read the contact export log")
	q := `SELECT id, segment, actor, fields, purpose, rows_out, withheld, exported_at FROM contact_exports ORDER BY exported_at DESC, id DESC`
	var args []any
	if limit > 0 {
		q += ` LIMIT $1`
		args = append(args, limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e segment.ContactExport
		var fields string
		var at int64
		if err := rows.Scan(&e.ID, &e.Segment, &e.Actor, &fields, &e.Purpose, &e.Rows, &e.Withheld, &at); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(fields), &e.Fields)
		if p, ok := strings.CutPrefix(e.Purpose, "[consent ignored] "); ok {
			e.Purpose, e.IgnoredConsent = p, true
		}
		e.At = FromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
