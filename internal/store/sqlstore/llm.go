package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/llm"
)

// GetLLMCache returns the cached answer for key, or a NotFound error.
func (s *Store) GetLLMCache(ctx context.Context, key string) (e llm.CacheEntry, err error) {
	defer s.wrap(&err, "GetLLMCache")
	var result string
	var created int64
	err = s.db.QueryRowContext(ctx, `SELECT key, provider, model, result, created_at FROM llm_cache WHERE key = $1`, key).
		Scan(&e.Key, &e.Provider, &e.Model, &result, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return e, apperr.New(apperr.NotFound, "no cached llm answer for %s", key)
	}
	if err != nil {
		return e, err
	}
	e.CreatedAt = FromMicros(created)
	return e, decodeJSON(result, &e.Result)
}

// llmCacheBatch is the rows per multi-row cache upsert (5 columns each).
const llmCacheBatch = 200

// PutLLMCache stores entries in one transaction, replacing same keys.
func (s *Store) PutLLMCache(ctx context.Context, es []llm.CacheEntry) (err error) {
	defer s.wrap(&err, "PutLLMCache")
	// one statement must not touch a key twice (PostgreSQL refuses)
	byKey := make(map[string]int, len(es))
	uniq := es[:0:0]
	for _, e := range es {
		if i, ok := byKey[e.Key]; ok {
			uniq[i] = e
			continue
		}
		byKey[e.Key] = len(uniq)
		uniq = append(uniq, e)
	}
	return s.Tx(ctx, func(tx *sql.Tx) error {
		for start := 0; start < len(uniq); start += llmCacheBatch {
			chunk := uniq[start:min(start+llmCacheBatch, len(uniq))]
			args := make([]any, 0, len(chunk)*5)
			for _, e := range chunk {
				b, err := json.Marshal(e.Result)
				if err != nil {
					return err
				}
				at := e.CreatedAt
				if at.IsZero() {
					at = time.Now()
				}
				args = append(args, e.Key, e.Provider, e.Model, string(b), Micros(at))
			}
			q := `INSERT INTO llm_cache (key, provider, model, result, created_at) VALUES ` + s.rowValues(len(chunk), 5) +
				` ON CONFLICT (key) DO UPDATE SET provider = excluded.provider, model = excluded.model, result = excluded.result, created_at = excluded.created_at`
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteLLMCache removes answers cached before t.
func (s *Store) DeleteLLMCache(ctx context.Context, before time.Time) (n int64, err error) {
	defer s.wrap(&err, "DeleteLLMCache")
	r, err := s.db.ExecContext(ctx, `DELETE FROM llm_cache WHERE created_at < $1`, Micros(before))
	if err != nil {
		return 0, err
	}
	return r.RowsAffected()
}

const llmLogCols = `at, run, campaign, item, provider, model, cache_key, status, error, attempts, prompt_tokens, completion_tokens, latency_ms, request, response`

// llmLogBatch is the rows per multi-row log insert (15 columns each).
const llmLogBatch = 100

// AppendLLMLog appends entries in one transaction.
func (s *Store) AppendLLMLog(ctx context.Context, es []llm.LogEntry) (err error) {
	defer s.wrap(&err, "AppendLLMLog")
	for _, e := range es {
		switch e.Status {
		case llm.StatusOK, llm.StatusCached, llm.StatusError:
		default:
			return apperr.New(apperr.Invalid, "llm log status %q (want ok, cached or error)", e.Status)
		}
	}
	return s.Tx(ctx, func(tx *sql.Tx) error {
		for start := 0; start < len(es); start += llmLogBatch {
			chunk := es[start:min(start+llmLogBatch, len(es))]
			args := make([]any, 0, len(chunk)*15)
			for _, e := range chunk {
				req := string(e.Request)
				if req == "" {
					req = "{}"
				}
				var resp any
				if len(e.Response) > 0 {
					resp = string(e.Response)
				}
				args = append(args, Micros(e.At), e.Run, e.Campaign, e.Item, e.Provider, e.Model, e.CacheKey, e.Status,
					e.Error, e.Attempts, e.Usage.PromptTokens, e.Usage.CompletionTokens, e.LatencyMS, req, resp)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO llm_log (`+llmLogCols+`) VALUES `+s.rowValues(len(chunk), 15), args...); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListLLMLog returns entries matching f, newest first.
func (s *Store) ListLLMLog(ctx context.Context, f llm.LogFilter) (out []llm.LogEntry, err error) {
	defer s.wrap(&err, "ListLLMLog")
	var where []string
	var args []any
	add := func(col, v string) {
		if v != "" {
			args = append(args, v)
			where = append(where, col+" = $"+itoa(len(args)))
		}
	}
	add("run", f.Run)
	add("campaign", f.Campaign)
	add("item", f.Item)
	add("status", f.Status)
	q := `SELECT id, ` + llmLogCols + ` FROM llm_log`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	args = append(args, limit)
	q += ` ORDER BY id DESC LIMIT $` + itoa(len(args))
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e llm.LogEntry
		var at int64
		var req string
		var resp sql.NullString
		if err := rows.Scan(&e.ID, &at, &e.Run, &e.Campaign, &e.Item, &e.Provider, &e.Model, &e.CacheKey, &e.Status, &e.Error,
			&e.Attempts, &e.Usage.PromptTokens, &e.Usage.CompletionTokens, &e.LatencyMS, &req, &resp); err != nil {
			return nil, err
		}
		e.At = FromMicros(at)
		e.Usage.TotalTokens = e.Usage.PromptTokens + e.Usage.CompletionTokens
		e.Request = json.RawMessage(req)
		if resp.Valid {
			e.Response = json.RawMessage(resp.String)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AddLLMUsage adds each delta to its (run, campaign, provider, model) row.
func (s *Store) AddLLMUsage(ctx context.Context, ds []llm.UsageRecord) (err error) {
	defer s.wrap(&err, "AddLLMUsage")
	return s.Tx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO llm_usage (run, campaign, provider, model, calls, cached, failed, attempts,
			prompt_tokens, completion_tokens, saved_tokens, cost_usd, saved_usd, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
			ON CONFLICT (run, campaign, provider, model) DO UPDATE SET
			calls = llm_usage.calls + excluded.calls, cached = llm_usage.cached + excluded.cached,
			failed = llm_usage.failed + excluded.failed, attempts = llm_usage.attempts + excluded.attempts,
			prompt_tokens = llm_usage.prompt_tokens + excluded.prompt_tokens,
			completion_tokens = llm_usage.completion_tokens + excluded.completion_tokens,
			saved_tokens = llm_usage.saved_tokens + excluded.saved_tokens,
			cost_usd = llm_usage.cost_usd + excluded.cost_usd, saved_usd = llm_usage.saved_usd + excluded.saved_usd,
			updated_at = excluded.updated_at`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, d := range ds {
			at := d.UpdatedAt
			if at.IsZero() {
				at = time.Now()
			}
			if _, err := stmt.ExecContext(ctx, d.Run, d.Campaign, d.Provider, d.Model, d.Calls, d.Cached, d.Failed, d.Attempts,
				d.PromptTokens, d.CompletionTokens, d.SavedTokens, d.CostUSD, d.SavedUSD, Micros(at)); err != nil {
				return err
			}
		}
		return nil
	})
}

// LLMUsage returns stored totals matching f, by run, campaign and model.
func (s *Store) LLMUsage(ctx context.Context, f llm.UsageFilter) (out []llm.UsageRecord, err error) {
	defer s.wrap(&err, "LLMUsage")
	var where []string
	var args []any
	if f.Run != "" {
		args = append(args, f.Run)
		where = append(where, "run = $"+itoa(len(args)))
	}
	if f.Campaign != "" {
		args = append(args, f.Campaign)
		where = append(where, "campaign = $"+itoa(len(args)))
	}
	q := `SELECT run, campaign, provider, model, calls, cached, failed, attempts, prompt_tokens, completion_tokens,
		saved_tokens, cost_usd, saved_usd, updated_at FROM llm_usage`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY run, campaign, provider, model`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var u llm.UsageRecord
		var at int64
		if err := rows.Scan(&u.Run, &u.Campaign, &u.Provider, &u.Model, &u.Calls, &u.Cached, &u.Failed, &u.Attempts,
			&u.PromptTokens, &u.CompletionTokens, &u.SavedTokens, &u.CostUSD, &u.SavedUSD, &at); err != nil {
			return nil, err
		}
		u.UpdatedAt = FromMicros(at)
		out = append(out, u)
	}
	return out, rows.Err()
}

var _ llm.Store = (*Store)(nil)
