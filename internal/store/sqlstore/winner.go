package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/experiment"
)

// SaveTestPlan stores a campaign's test plan, replacing one.
func (s *Store) SaveTestPlan(ctx context.Context, campaignID int64, p campaign.TestPlan) (err error) {
	defer apperr.Wrapf(&err, "SaveTestPlan(%d)", campaignID)
	_, err = s.db.ExecContext(ctx, `INSERT INTO campaign_tests (campaign_id, share, window_us, metric, default_variant)
		VALUES ($1,$2,$3,$4,$5) ON CONFLICT (campaign_id) DO UPDATE SET share = excluded.share, window_us = excluded.window_us,
		metric = excluded.metric, default_variant = excluded.default_variant, winner = '', decision = '', decided_at = 0`,
		campaignID, p.Share, p.Window.Microseconds(), string(p.Metric), p.Default)
	return err
}

// TestPlan returns a campaign's test plan; ok is false without one.
func (s *Store) TestPlan(ctx context.Context, campaignID int64) (p campaign.TestPlan, ok bool, err error) {
	defer apperr.Wrapf(&err, "TestPlan(%d)", campaignID)
	return scanTestPlan(s.db.QueryRowContext(ctx, testPlanSelect, campaignID))
}

const testPlanSelect = `SELECT share, window_us, metric, default_variant, winner, decision, decided_at FROM campaign_tests WHERE campaign_id = $1`

func scanTestPlan(r *sql.Row) (p campaign.TestPlan, ok bool, err error) {
	var window, decided int64
	var metric, decision string
	err = r.Scan(&p.Share, &window, &metric, &p.Default, &p.Winner, &decision, &decided)
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	if err != nil {
		return p, false, err
	}
	p.Window, p.Metric, p.DecidedAt = time.Duration(window)*time.Microsecond, experiment.Metric(metric), FromMicros(decided)
	if decision != "" {
		var d experiment.Decision
		if err := decodeJSON(decision, &d); err != nil {
			return p, false, err
		}
		p.Decision = &d
	}
	return p, true, nil
}

// SaveTestCandidates stores the waiting rows' content per variant.
func (s *Store) SaveTestCandidates(ctx context.Context, campaignID int64, cs []campaign.TestCandidate) (err error) {
	defer apperr.Wrapf(&err, "SaveTestCandidates(%d)", campaignID)
	return s.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM campaign_test_candidates WHERE campaign_id = $1`, campaignID); err != nil {
			return err
		}
		for len(cs) > 0 {
			n := min(len(cs), 500)
			args := make([]any, 0, n*5)
			for _, c := range cs[:n] {
				args = append(args, campaignID, c.CustomerID, c.Channel, c.Variant, c.ContentID)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_test_candidates (campaign_id, customer_id, channel, variant, content_id)
				VALUES `+s.rowValues(n, 5), args...); err != nil {
				return err
			}
			cs = cs[n:]
		}
		return nil
	})
}

// DecideTest records the decision unless one is, and moves the waiting
// rows to the winner, in one transaction.
func (s *Store) DecideTest(ctx context.Context, campaignID int64, d experiment.Decision, at time.Time) (p campaign.TestPlan, err error) {
	defer apperr.Wrapf(&err, "DecideTest(%d)", campaignID)
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE campaign_tests SET winner = $1, decision = $2, decided_at = $3 WHERE campaign_id = $4 AND winner = ''`,
			d.Send, jsonText(d, "{}"), Micros(at), campaignID); err != nil {
			return err
		}
		var ok bool
		var err error
		if p, ok, err = scanTestPlan(tx.QueryRowContext(ctx, testPlanSelect, campaignID)); err != nil {
			return err
		}
		if !ok || p.Winner == "" {
			return apperr.New(apperr.NotFound, "campaign %d has no test", campaignID)
		}
		now := Micros(time.Now())
		// rows with the winner's content take it; the others cannot be sent
		if _, err := tx.ExecContext(ctx, `UPDATE campaign_sends SET variant = $1, reason_code = '', reason = '',
			content_id = (SELECT t.content_id FROM campaign_test_candidates t WHERE t.campaign_id = campaign_sends.campaign_id
				AND t.customer_id = campaign_sends.customer_id AND t.channel = campaign_sends.channel AND t.variant = $1),
			updated_at = $3
			WHERE campaign_id = $2 AND state = 'pending' AND reason_code = 'awaiting_winner' AND EXISTS (SELECT 1 FROM campaign_test_candidates t
				WHERE t.campaign_id = campaign_sends.campaign_id AND t.customer_id = campaign_sends.customer_id
				AND t.channel = campaign_sends.channel AND t.variant = $1)`, p.Winner, campaignID, now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE campaign_sends SET variant = $1, state = 'skipped', reason_code = $2,
			reason = 'no approved item of the winning variant for her on this channel', next_at = 0, updated_at = $4
			WHERE campaign_id = $3 AND state = 'pending' AND reason_code = 'awaiting_winner'`,
			p.Winner, campaign.CodeContentNotApproved, campaignID, now)
		return err
	})
	return p, err
}

// RestSends returns the ids of the rows that wait or waited for a winner.
func (s *Store) RestSends(ctx context.Context, campaignID int64) (out map[int64]bool, err error) {
	defer apperr.Wrapf(&err, "RestSends(%d)", campaignID)
	rows, err := s.db.QueryContext(ctx, `SELECT s.id FROM campaign_sends s WHERE s.campaign_id = $1 AND (s.reason_code = 'awaiting_winner'
		OR EXISTS (SELECT 1 FROM campaign_test_candidates t WHERE t.campaign_id = s.campaign_id AND t.customer_id = s.customer_id AND t.channel = s.channel))`, campaignID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out = map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
