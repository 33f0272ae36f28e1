package sqlstore

import (
	"context"

	"github.com/chorusmkt/chorus/internal/telemetry"
)

// TelemetryCounts implements telemetry.Source: three grouped counts over
// the sends, the hits and the model usage.
func (s *Store) TelemetryCounts(ctx context.Context) (c telemetry.Counts, err error) {
	defer s.wrap(&err, "read the counts for metrics")
	rows, err := s.db.QueryContext(ctx, `SELECT channel, state, COUNT(*) FROM campaign_sends GROUP BY channel, state ORDER BY channel, state`)
	if err != nil {
		return c, err
	}
	for rows.Next() {
		var x telemetry.SendCount
		if err := rows.Scan(&x.Channel, &x.State, &x.N); err != nil {
			rows.Close()
			return c, err
		}
		c.Sends = append(c.Sends, x)
	}
	rows.Close()
	rows, err = s.db.QueryContext(ctx, `SELECT kind, CASE WHEN machine THEN 1 ELSE 0 END, COUNT(*) FROM tracking_hits GROUP BY kind, machine ORDER BY kind, 2`)
	if err != nil {
		return c, err
	}
	for rows.Next() {
		var x telemetry.HitCount
		var m int
		if err := rows.Scan(&x.Kind, &m, &x.N); err != nil {
			rows.Close()
			return c, err
		}
		x.Machine = m != 0
		c.Hits = append(c.Hits, x)
	}
	rows.Close()
	rows, err = s.db.QueryContext(ctx, `SELECT provider, model, SUM(calls), SUM(prompt_tokens), SUM(completion_tokens), SUM(cost_usd)
		FROM llm_usage GROUP BY provider, model ORDER BY provider, model`)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		var x telemetry.LLMCount
		if err := rows.Scan(&x.Provider, &x.Model, &x.Calls, &x.PromptTokens, &x.Completion, &x.CostUSD); err != nil {
			return c, err
		}
		c.LLM = append(c.LLM, x)
	}
	return c, rows.Err()
}
