package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/content"
)

// The content studio's tables (migrations 0008 and 0009): voices, runs, completed
// units, items and their audit trail.

// SaveRun inserts or updates a run.
func (s *Store) SaveRun(ctx context.Context, r content.Run) (err error) {
	defer s.wrap(&err, "SaveRun(%q)", r.ID)
	_, err = s.db.ExecContext(ctx, `INSERT INTO content_runs (id, name, brief, segment, channels, depth, variants, model, status, audience, units, created_at, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)
		ON CONFLICT (id) DO UPDATE SET name=excluded.name, brief=excluded.brief, segment=excluded.segment, channels=excluded.channels,
		depth=excluded.depth, variants=excluded.variants, model=excluded.model, status=excluded.status, audience=excluded.audience,
		units=excluded.units, updated_at=excluded.updated_at`,
		r.ID, r.Name, jsonText(r.Brief, "{}"), r.Segment, jsonText(r.Channels, "[]"), r.Depth, r.Variants, r.Model, r.Status,
		r.Audience, r.Units, Micros(r.CreatedAt), Micros(r.UpdatedAt))
	return err
}

const runCols = `id, name, brief, segment, channels, depth, variants, model, status, audience, units, created_at, updated_at`

func scanRun(sc interface{ Scan(...any) error }) (content.Run, error) {
	var r content.Run
	var brief, channels string
	var created, updated int64
	if err := sc.Scan(&r.ID, &r.Name, &brief, &r.Segment, &channels, &r.Depth, &r.Variants, &r.Model, &r.Status,
		&r.Audience, &r.Units, &created, &updated); err != nil {
		return r, err
	}
	r.CreatedAt, r.UpdatedAt = FromMicros(created), FromMicros(updated)
	if err := decodeJSON(brief, &r.Brief); err != nil {
		return r, err
	}
	return r, decodeJSON(channels, &r.Channels)
}

// GetRun returns a run or a NotFound error.
func (s *Store) GetRun(ctx context.Context, id string) (r content.Run, err error) {
	defer s.wrap(&err, "GetRun(%q)", id)
	r, err = scanRun(s.db.QueryRowContext(ctx, `SELECT `+runCols+` FROM content_runs WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, apperr.New(apperr.NotFound, "content run %q not found", id)
	}
	return r, err
}

// ListRuns returns every run, newest first.
func (s *Store) ListRuns(ctx context.Context) (out []content.Run, err error) {
	defer s.wrap(&err, "ListRuns")
	rows, err := s.db.QueryContext(ctx, `SELECT `+runCols+` FROM content_runs ORDER BY updated_at DESC, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CompletedUnits returns the units of a run already stored.
func (s *Store) CompletedUnits(ctx context.Context, runID string) (out map[string]content.Unit, err error) {
	defer s.wrap(&err, "CompletedUnits(%q)", runID)
	rows, err := s.db.QueryContext(ctx, `SELECT unit_key, calls, prompt_tokens, completion_tokens, flagged, at FROM content_units WHERE run_id = $1`, runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out = map[string]content.Unit{}
	for rows.Next() {
		u := content.Unit{RunID: runID}
		var at int64
		if err := rows.Scan(&u.Key, &u.Calls, &u.Usage.PromptTokens, &u.Usage.CompletionTokens, &u.Flagged, &at); err != nil {
			return nil, err
		}
		u.Usage.TotalTokens = u.Usage.PromptTokens + u.Usage.CompletionTokens
		u.At = FromMicros(at)
		out[u.Key] = u
	}
	return out, rows.Err()
}

const itemCols = `id, run_id, unit_key, variant, channel, language, segment, cohort, customer_id, sku, status, copy, html, sms,
	violations, rounds, model, prompt_version, slots, created_at, updated_at, ai_generated`

// SaveUnit records a completed unit with its items and their first audit
// entries in one transaction. A unit already recorded is left as it is,
// so saving twice (a retried save, a racing worker) stores nothing new.
func (s *Store) SaveUnit(ctx context.Context, u content.Unit, items []content.Item) (err error) {
	defer s.wrap(&err, "SaveUnit(%q, %q)", u.RunID, u.Key)
	return s.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO content_units (run_id, unit_key, calls, prompt_tokens, completion_tokens, flagged, at)
			VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (run_id, unit_key) DO NOTHING`,
			u.RunID, u.Key, u.Calls, u.Usage.PromptTokens, u.Usage.CompletionTokens, u.Flagged, Micros(u.At))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		for _, it := range items {
			if _, err := tx.ExecContext(ctx, `INSERT INTO content_items (`+itemCols+`)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22) ON CONFLICT (id) DO NOTHING`,
				itemArgs(it)...); err != nil {
				return err
			}
			action := "generated"
			note := ""
			if it.Status == content.StatusFlagged {
				action = "flagged"
				var vs []string
				for _, v := range it.Violations {
					vs = append(vs, v.String())
				}
				note = strings.Join(vs, "; ")
			}
			if err := insertAudit(ctx, tx, content.Audit{ItemID: it.ID, At: it.CreatedAt, Actor: "chorus", Action: action, To: it.Status, Note: note}); err != nil {
				return err
			}
		}
		return nil
	})
}

func itemArgs(it content.Item) []any {
	return []any{it.ID, it.RunID, it.UnitKey, it.Variant, it.Channel, it.Language, it.Segment, it.Cohort, it.CustomerID, it.SKU,
		it.Status, jsonText(it.Copy, "{}"), it.HTML, jsonText(it.SMS, "null"), jsonText(it.Violations, "[]"), it.Rounds, it.Model,
		it.PromptVersion, jsonText(it.Slots, "[]"), Micros(it.CreatedAt), Micros(it.UpdatedAt), it.AIGenerated}
}

func insertAudit(ctx context.Context, tx *sql.Tx, a content.Audit) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO content_audit (item_id, at, actor, action, from_status, to_status, note) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
		a.ItemID, Micros(a.At), a.Actor, a.Action, a.From, a.To, a.Note)
	return err
}

func scanItem(sc interface{ Scan(...any) error }) (content.Item, error) {
	var it content.Item
	var cp, sms, vs, slots string
	var created, updated int64
	if err := sc.Scan(&it.ID, &it.RunID, &it.UnitKey, &it.Variant, &it.Channel, &it.Language, &it.Segment, &it.Cohort, &it.CustomerID,
		&it.SKU, &it.Status, &cp, &it.HTML, &sms, &vs, &it.Rounds, &it.Model, &it.PromptVersion, &slots, &created, &updated, &it.AIGenerated); err != nil {
		return it, err
	}
	it.CreatedAt, it.UpdatedAt = FromMicros(created), FromMicros(updated)
	for _, d := range []struct {
		s string
		v any
	}{{cp, &it.Copy}, {sms, &it.SMS}, {vs, &it.Violations}, {slots, &it.Slots}} {
		if err := decodeJSON(d.s, d.v); err != nil {
			return it, err
		}
	}
	return it, nil
}

// ListItems returns items matching f, oldest first.
func (s *Store) ListItems(ctx context.Context, f content.ItemFilter) (out []content.Item, err error) {
	defer s.wrap(&err, "ListItems")
	var where []string
	var args []any
	add := func(col, v string) {
		if v != "" {
			args = append(args, v)
			where = append(where, col+" = $"+itoa(len(args)))
		}
	}
	add("run_id", f.RunID)
	add("status", f.Status)
	add("channel", f.Channel)
	q := `SELECT ` + itemCols + ` FROM content_items`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY created_at, unit_key, variant`
	if f.Limit > 0 {
		q += ` LIMIT ` + itoa(f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// GetItem returns one item or a NotFound error.
func (s *Store) GetItem(ctx context.Context, id string) (it content.Item, err error) {
	defer s.wrap(&err, "GetItem(%q)", id)
	it, err = scanItem(s.db.QueryRowContext(ctx, `SELECT `+itemCols+` FROM content_items WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return it, apperr.New(apperr.NotFound, "content item %q not found", id)
	}
	return it, err
}

// UpdateItem writes the item's status, copy, html, sms and violations with
// its audit entry, if the stored status is still a.From.
func (s *Store) UpdateItem(ctx context.Context, it content.Item, a content.Audit) (err error) {
	defer s.wrap(&err, "UpdateItem(%q)", it.ID)
	return s.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE content_items SET status=$1, copy=$2, html=$3, sms=$4, violations=$5, updated_at=$6
			WHERE id=$7 AND status=$8`,
			it.Status, jsonText(it.Copy, "{}"), it.HTML, jsonText(it.SMS, "null"), jsonText(it.Violations, "[]"), Micros(it.UpdatedAt), it.ID, a.From)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var st string
			if err := tx.QueryRowContext(ctx, `SELECT status FROM content_items WHERE id = $1`, it.ID).Scan(&st); errors.Is(err, sql.ErrNoRows) {
				return apperr.New(apperr.NotFound, "content item %q not found", it.ID)
			}
			return apperr.New(apperr.Conflict, "content item %s is now %s, not %s: reload it and try again", it.ID, st, a.From)
		}
		return insertAudit(ctx, tx, a)
	})
}

// AuditTrail returns an item's audit entries in order.
func (s *Store) AuditTrail(ctx context.Context, itemID string) (out []content.Audit, err error) {
	defer s.wrap(&err, "AuditTrail(%q)", itemID)
	rows, err := s.db.QueryContext(ctx, `SELECT at, actor, action, from_status, to_status, note FROM content_audit WHERE item_id = $1 ORDER BY id`, itemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		a := content.Audit{ItemID: itemID}
		var at int64
		if err := rows.Scan(&at, &a.Actor, &a.Action, &a.From, &a.To, &a.Note); err != nil {
			return nil, err
		}
		a.At = FromMicros(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// PutVoice stores (or replaces) a brand voice.
func (s *Store) PutVoice(ctx context.Context, v content.Voice) (err error) {
	defer s.wrap(&err, "PutVoice(%q)", v.Name)
	_, err = s.db.ExecContext(ctx, `INSERT INTO content_voices (name, doc, updated_at) VALUES ($1,$2,$3)
		ON CONFLICT (name) DO UPDATE SET doc=excluded.doc, updated_at=excluded.updated_at`,
		v.Name, jsonText(v, "{}"), time.Now().UnixMicro())
	return err
}

// GetVoice returns a stored voice or a NotFound error.
func (s *Store) GetVoice(ctx context.Context, name string) (v content.Voice, err error) {
	defer s.wrap(&err, "GetVoice(%q)", name)
	var doc string
	err = s.db.QueryRowContext(ctx, `SELECT doc FROM content_voices WHERE name = $1`, name).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return v, apperr.New(apperr.NotFound, "brand voice %q not found", name)
	}
	if err != nil {
		return v, err
	}
	return v, decodeJSON(doc, &v)
}
