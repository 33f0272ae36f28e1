package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/customer"
)

// Campaigns and their send table (migration 0040). The queue's tables
// (river_job) live in the same database, which is what lets a launch, a
// resume or a batch's retries insert their jobs in the transaction of the
// change, and lets Requeue find pending rows whose job is gone.

const campaignCols = `id, name, state, segment, channels, mode, brief, brief_file, depth, variants, holdout, approval,
	schedule, rates, content_run, fallback_run, recipients, created_at, updated_at, launched_at, completed_at`

func scanCampaign(sc interface{ Scan(...any) error }) (campaign.Campaign, error) {
	var c campaign.Campaign
	var chans, variants, sched, rates string
	var created, updated, launched, completed int64
	err := sc.Scan(&c.ID, &c.Name, &c.State, &c.Segment, &chans, &c.Mode, &c.Brief, &c.BriefFile, &c.Depth, &variants, &c.Holdout,
		&c.Approval, &sched, &rates, &c.ContentRun, &c.FallbackRun, &c.Recipients, &created, &updated, &launched, &completed)
	if err != nil {
		return c, err
	}
	for _, d := range []struct {
		s string
		v any
	}{{chans, &c.Channels}, {variants, &c.Variants}, {sched, &c.Schedule}, {rates, &c.Rates}} {
		if err := decodeJSON(d.s, d.v); err != nil {
			return c, err
		}
	}
	c.CreatedAt, c.UpdatedAt, c.LaunchedAt, c.CompletedAt = FromMicros(created), FromMicros(updated), FromMicros(launched), FromMicros(completed)
	return c, nil
}

// CreateCampaign stores a new campaign; a name in use is a Conflict.
func (s *Store) CreateCampaign(ctx context.Context, c campaign.Campaign) (out campaign.Campaign, err error) {
	defer apperr.Wrapf(&err, "CreateCampaign(%q)", c.Name)
	var one int
	err = s.db.QueryRowContext(ctx, `SELECT 1 FROM campaigns WHERE name = $1`, c.Name).Scan(&one)
	if err == nil {
		return c, apperr.New(apperr.Conflict, "a campaign named %s exists already (chorus campaign status %s)", c.Name, c.Name)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return c, err
	}
	err = s.db.QueryRowContext(ctx, `INSERT INTO campaigns (name, state, segment, channels, mode, brief, brief_file, depth, variants,
		holdout, approval, schedule, rates, content_run, fallback_run, recipients, created_at, updated_at, launched_at, completed_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20) RETURNING id`,
		c.Name, c.State, c.Segment, jsonText(c.Channels, "[]"), c.Mode, c.Brief, c.BriefFile, c.Depth, jsonText(c.Variants, "[]"),
		c.Holdout, c.Approval, jsonText(c.Schedule, "{}"), jsonText(c.Rates, "{}"), c.ContentRun, c.FallbackRun, c.Recipients,
		Micros(c.CreatedAt), Micros(c.UpdatedAt), Micros(c.LaunchedAt), Micros(c.CompletedAt)).Scan(&c.ID)
	if err != nil && strings.Contains(strings.ToLower(err.Error()), "unique") {
		return c, apperr.New(apperr.Conflict, "a campaign named %s exists already", c.Name)
	}
	return c, err
}

// UpdateCampaign rewrites a campaign's plan and content runs.
func (s *Store) UpdateCampaign(ctx context.Context, c campaign.Campaign) (err error) {
	defer apperr.Wrapf(&err, "UpdateCampaign(%q)", c.Name)
	res, err := s.db.ExecContext(ctx, `UPDATE campaigns SET segment=$1, channels=$2, mode=$3, brief=$4, brief_file=$5, depth=$6,
		variants=$7, holdout=$8, approval=$9, schedule=$10, rates=$11, content_run=$12, fallback_run=$13, updated_at=$14 WHERE id=$15`,
		c.Segment, jsonText(c.Channels, "[]"), c.Mode, c.Brief, c.BriefFile, c.Depth, jsonText(c.Variants, "[]"), c.Holdout, c.Approval,
		jsonText(c.Schedule, "{}"), jsonText(c.Rates, "{}"), c.ContentRun, c.FallbackRun, Micros(c.UpdatedAt), c.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "campaign %s not found", c.Name)
	}
	return nil
}

// GetCampaign returns the campaign named name or a NotFound error.
func (s *Store) GetCampaign(ctx context.Context, name string) (c campaign.Campaign, err error) {
	c, err = scanCampaign(s.db.QueryRowContext(ctx, `SELECT `+campaignCols+` FROM campaigns WHERE name = $1`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return c, apperr.New(apperr.NotFound, "no campaign named %s (chorus campaign list shows them)", name)
	}
	return c, apperr.Wrap(err, apperr.Unavailable, "read campaign %s", name)
}

// GetCampaignByID returns a campaign by id or a NotFound error.
func (s *Store) GetCampaignByID(ctx context.Context, id int64) (c campaign.Campaign, err error) {
	c, err = scanCampaign(s.cq(nil).QueryRowContext(ctx, `SELECT `+campaignCols+` FROM campaigns WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, apperr.New(apperr.NotFound, "no campaign with id %d", id)
	}
	return c, apperr.Wrap(err, apperr.Unavailable, "read campaign %d", id)
}

func (s *Store) listCampaigns(ctx context.Context, where string) (out []campaign.Campaign, err error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+campaignCols+` FROM campaigns `+where+` ORDER BY id`)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "list campaigns")
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ListCampaigns returns every campaign, oldest first.
func (s *Store) ListCampaigns(ctx context.Context) ([]campaign.Campaign, error) {
	return s.listCampaigns(ctx, ``)
}

// ActiveCampaigns returns the running and scheduled campaigns.
func (s *Store) ActiveCampaigns(ctx context.Context) ([]campaign.Campaign, error) {
	return s.listCampaigns(ctx, `WHERE state IN ('running', 'scheduled')`)
}

// sendInsertCols are the columns a launch writes; the rest keep their
// defaults.
const sendInsertCols = `campaign_id, customer_id, channel, state, reason_code, reason, variant, content_id, language, sku,
	send_key, fallback_from, fallback_code, planned_at, next_at, updated_at`

const sendBatchRows = 200 // 16 columns: 3,200 parameters per statement

// LaunchCampaign stores the rows, moves the campaign and enqueues its
// batches in one transaction.
func (s *Store) LaunchCampaign(ctx context.Context, c campaign.Campaign, from string, sends []campaign.Send, batchSize int, q campaign.Enqueuer) (err error) {
	defer apperr.Wrapf(&err, "LaunchCampaign(%q)", c.Name)
	return s.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE campaigns SET state=$1, content_run=$2, fallback_run=$3, recipients=$4, launched_at=$5,
			updated_at=$6, schedule=$7 WHERE id=$8 AND state=$9`,
			c.State, c.ContentRun, c.FallbackRun, c.Recipients, Micros(c.LaunchedAt), Micros(c.UpdatedAt), jsonText(c.Schedule, "{}"), c.ID, from)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "campaign %s is no longer %s: it was launched or changed meanwhile", c.Name, from)
		}
		now := Micros(c.UpdatedAt)
		args := make([]any, 0, 16*sendBatchRows)
		for start := 0; start < len(sends); start += sendBatchRows {
			chunk := sends[start:min(start+sendBatchRows, len(sends))]
			args = args[:0]
			for _, sd := range chunk {
				args = append(args, c.ID, sd.CustomerID, sd.Channel, sd.State, sd.Code, sd.Reason, sd.Variant, sd.ContentID, sd.Language,
					sd.SKU, sd.Key, sd.FallbackFrom, sd.FallbackCode, Micros(sd.PlannedAt), Micros(sd.NextAt), now)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_sends (`+sendInsertCols+`) VALUES `+s.rowValues(len(chunk), 16), args...); err != nil {
				if strings.Contains(strings.ToLower(err.Error()), "unique") {
					return apperr.New(apperr.Internal, "campaign %s: a customer and channel appear twice among the recipients", c.Name)
				}
				return err
			}
		}
		ids, err := pendingWithoutJob(ctx, tx, c.ID, false)
		if err != nil {
			return err
		}
		at := c.LaunchedAt
		if c.Schedule.Kind == campaign.StartAt && c.Schedule.At.After(at) {
			at = c.Schedule.At
		}
		return assignJobs(ctx, tx, c.ID, ids, at, batchSize, q)
	})
}

// pendingWithoutJob lists the campaign's pending rows whose owning job is
// finished or gone (all pending rows with no job when live is false),
// in id order.
func pendingWithoutJob(ctx context.Context, tx *sql.Tx, id int64, checkJobs bool) ([]int64, error) {
	q := `SELECT id FROM campaign_sends WHERE campaign_id = $1 AND state = 'pending' AND job_id = 0 ORDER BY id`
	if checkJobs {
		q = `SELECT s.id FROM campaign_sends s WHERE s.campaign_id = $1 AND s.state = 'pending' AND NOT EXISTS (
			SELECT 1 FROM river_job j WHERE j.id = s.job_id AND j.state IN ('available', 'running', 'retryable', 'scheduled', 'pending'))
			ORDER BY s.id`
	}
	rows, err := tx.QueryContext(ctx, q, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		ids = append(ids, v)
	}
	return ids, rows.Err()
}

// assignJobs cuts ids into batches, enqueues them due at at, and points
// each row at its batch's job.
func assignJobs(ctx context.Context, tx *sql.Tx, campaignID int64, ids []int64, at time.Time, batchSize int, q campaign.Enqueuer) error {
	if len(ids) == 0 {
		return nil
	}
	if q == nil {
		return apperr.New(apperr.Internal, "campaign %d: no job queue to enqueue sends on", campaignID)
	}
	if batchSize <= 0 {
		batchSize = 100
	}
	var batches []campaign.Batch
	for start := 0; start < len(ids); start += batchSize {
		batches = append(batches, campaign.Batch{CampaignID: campaignID, IDs: ids[start:min(start+batchSize, len(ids))], At: at})
	}
	jobs, err := q.EnqueueTx(ctx, tx, batches)
	if err != nil {
		return err
	}
	if len(jobs) != len(batches) {
		return apperr.New(apperr.Internal, "campaign %d: %d jobs for %d batches", campaignID, len(jobs), len(batches))
	}
	for i, b := range batches {
		args := []any{jobs[i]}
		for _, id := range b.IDs {
			args = append(args, id)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE campaign_sends SET job_id = $1 WHERE id IN (`+inList(2, len(b.IDs))+`)`, args...); err != nil {
			return err
		}
	}
	return nil
}

// SetCampaignState moves a campaign between states; see campaign.Store.
func (s *Store) SetCampaignState(ctx context.Context, id int64, from, to string, at time.Time, skipCode, skipReason string, batchSize int, q campaign.Enqueuer) (err error) {
	defer apperr.Wrapf(&err, "SetCampaignState(%d, %s→%s)", id, from, to)
	return s.Tx(ctx, func(tx *sql.Tx) error {
		set := `state=$1, updated_at=$2`
		if campaign.Terminal(to) {
			set += `, completed_at=$2`
		}
		res, err := tx.ExecContext(ctx, `UPDATE campaigns SET `+set+` WHERE id=$3 AND state=$4`, to, Micros(at), id, from)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "the campaign is no longer %s (another command changed it); check chorus campaign status", from)
		}
		if skipCode != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE campaign_sends SET state='skipped', reason_code=$1, reason=$2, updated_at=$3
				WHERE campaign_id=$4 AND state='pending' AND in_flight=0`, skipCode, skipReason, Micros(at), id); err != nil {
				return err
			}
		}
		if q != nil {
			ids, err := pendingWithoutJob(ctx, tx, id, true)
			if err != nil {
				return err
			}
			return assignJobs(ctx, tx, id, ids, at, batchSize, q)
		}
		return nil
	})
}

// CompleteCampaign completes a running campaign with nothing pending.
func (s *Store) CompleteCampaign(ctx context.Context, id int64, at time.Time) (bool, error) {
	res, err := s.cq(nil).ExecContext(ctx, `UPDATE campaigns SET state='completed', completed_at=$1, updated_at=$1
		WHERE id=$2 AND state='running' AND NOT EXISTS (SELECT 1 FROM campaign_sends WHERE campaign_id=$2 AND state='pending')`, Micros(at), id)
	if err != nil {
		return false, apperr.Wrap(err, apperr.Unavailable, "complete campaign %d", id)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// Requeue gives new jobs to pending rows whose job is finished or gone.
func (s *Store) Requeue(ctx context.Context, id int64, at time.Time, batchSize int, q campaign.Enqueuer) (n int, err error) {
	defer apperr.Wrapf(&err, "Requeue(%d)", id)
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		ids, err := pendingWithoutJob(ctx, tx, id, true)
		if err != nil {
			return err
		}
		n = len(ids)
		return assignJobs(ctx, tx, id, ids, at, batchSize, q)
	})
	return n, err
}

const sendCols = `id, campaign_id, customer_id, channel, state, reason_code, reason, variant, content_id, language, sku, send_key,
	message_id, peer_id, attempts, resends, in_flight, fallback_from, fallback_code, job_id, planned_at, next_at, sent_at, updated_at`

func scanSend(sc interface{ Scan(...any) error }) (campaign.Send, error) {
	var sd campaign.Send
	var inFlight int
	var planned, next, sent, updated int64
	err := sc.Scan(&sd.ID, &sd.CampaignID, &sd.CustomerID, &sd.Channel, &sd.State, &sd.Code, &sd.Reason, &sd.Variant, &sd.ContentID,
		&sd.Language, &sd.SKU, &sd.Key, &sd.MessageID, &sd.PeerID, &sd.Attempts, &sd.Resends, &inFlight, &sd.FallbackFrom,
		&sd.FallbackCode, &sd.JobID, &planned, &next, &sent, &updated)
	sd.InFlight = inFlight != 0
	sd.PlannedAt, sd.NextAt, sd.SentAt, sd.UpdatedAt = FromMicros(planned), FromMicros(next), FromMicros(sent), FromMicros(updated)
	return sd, err
}

func querySends(ctx context.Context, q querier, query string, args []any) ([]campaign.Send, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []campaign.Send
	for rows.Next() {
		sd, err := scanSend(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sd)
	}
	return out, rows.Err()
}

func jobIDArgs(job int64, ids []int64) []any {
	args := make([]any, 0, len(ids)+1)
	args = append(args, job)
	for _, id := range ids {
		args = append(args, id)
	}
	return args
}

// PendingSends returns the pending rows of ids that job owns.
func (s *Store) PendingSends(ctx context.Context, job int64, ids []int64) (out []campaign.Send, err error) {
	defer apperr.Wrapf(&err, "PendingSends(job %d)", job)
	if len(ids) == 0 {
		return nil, nil
	}
	out, err = querySends(ctx, s.cq(nil), `SELECT `+sendCols+` FROM campaign_sends WHERE job_id = $1 AND state = 'pending' AND id IN (`+
		inList(2, len(ids))+`) ORDER BY id`, jobIDArgs(job, ids))
	return out, apperr.Wrap(err, apperr.Unavailable, "read sends")
}

// ClaimSends marks the pending rows of ids that job owns in flight.
func (s *Store) ClaimSends(ctx context.Context, job int64, ids []int64, at time.Time) (out []campaign.Send, err error) {
	return s.RecordAndClaim(ctx, job, nil, ids, at, 0, nil)
}

func (s *Store) claimTx(ctx context.Context, tx *sql.Tx, job int64, ids []int64, at time.Time) ([]campaign.Send, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	// one statement, its text fixed by len(ids) (prepared once per size)
	p1, p2, in := "$1", "$2", inList(3, len(ids))
	if s.dialect.AnonymousParams {
		p1, p2, in = "?", "?", s.valueList(len(ids))
	}
	args := append([]any{Micros(at)}, jobIDArgs(job, ids)...)
	out, err := querySends(ctx, s.cq(tx), `UPDATE campaign_sends SET attempts = attempts + 1, resends = resends + in_flight, in_flight = 1,
		updated_at = `+p1+` WHERE job_id = `+p2+` AND state = 'pending' AND id IN (`+in+`) RETURNING `+sendCols, args)
	slices.SortFunc(out, func(a, b campaign.Send) int { return cmp.Compare(a.ID, b.ID) })
	return out, err
}

// RecordAndClaim records outs (as RecordOutcomes, without done) and
// claims ids (as ClaimSends) in one transaction: the send path's step
// from one chunk of a batch to the next.
func (s *Store) RecordAndClaim(ctx context.Context, job int64, outs []campaign.Outcome, ids []int64, at time.Time, batchSize int, q campaign.Enqueuer) (claimed []campaign.Send, err error) {
	defer apperr.Wrapf(&err, "RecordAndClaim(job %d)", job)
	if len(outs) == 0 && len(ids) == 0 {
		return nil, nil
	}
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.recordTx(ctx, tx, job, outs, at, batchSize, q); err != nil {
			return err
		}
		claimed, err = s.claimTx(ctx, tx, job, ids, at)
		return err
	})
	return claimed, apperr.Wrap(err, apperr.Unavailable, "record and claim sends")
}

// RecordOutcomes writes a batch's outcomes, enqueues its retries and runs
// done, in one transaction.
func (s *Store) RecordOutcomes(ctx context.Context, job int64, outs []campaign.Outcome, at time.Time, batchSize int, q campaign.Enqueuer, done func(*sql.Tx) error) (err error) {
	defer apperr.Wrapf(&err, "RecordOutcomes(job %d)", job)
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.recordTx(ctx, tx, job, outs, at, batchSize, q); err != nil {
			return err
		}
		if done != nil {
			return done(tx)
		}
		return nil
	})
	return apperr.Wrap(err, apperr.Unavailable, "record sends")
}

func (s *Store) recordTx(ctx context.Context, tx *sql.Tx, job int64, outs []campaign.Outcome, at time.Time, batchSize int, q campaign.Enqueuer) (err error) {
	if err := s.writeOutcomes(ctx, tx, job, outs, at); err != nil {
		return err
	}
	retry := map[int64][]int64{} // due time → ids
	for _, o := range outs {
		if o.State == campaign.SendPending {
			due := o.NextAt.Truncate(time.Second)
			retry[Micros(due)] = append(retry[Micros(due)], o.ID)
		}
	}
	dues := make([]int64, 0, len(retry))
	for d := range retry {
		dues = append(dues, d)
	}
	slices.Sort(dues)
	for _, d := range dues {
		ids := retry[d]
		slices.Sort(ids)
		var cid int64
		if err := tx.QueryRowContext(ctx, `SELECT campaign_id FROM campaign_sends WHERE id = $1`, ids[0]).Scan(&cid); err != nil {
			return err
		}
		if err := assignJobs(ctx, tx, cid, ids, FromMicros(d), batchSize, q); err != nil {
			return err
		}
	}
	return nil
}

const outcomeSet = `state = v.column2, reason_code = v.column3, reason = v.column4,
	message_id = CASE WHEN v.column5 = '' THEN campaign_sends.message_id ELSE v.column5 END,
	peer_id = CASE WHEN v.column6 = '' THEN campaign_sends.peer_id ELSE v.column6 END,
	content_id = CASE WHEN v.column7 = '' THEN campaign_sends.content_id ELSE v.column7 END,
	next_at = v.column8, sent_at = v.column9, in_flight = v.column10, attempts = campaign_sends.attempts - v.column11`

// rowOutcomeSQL is the one-row form of the outcome update (RowByRowUpdates):
// outcomeSet with the parameters in place of a one-row VALUES, which
// SQLite would join (BenchmarkRecordAndClaim: 25 % less CPU per send).
const rowOutcomeSQL = `UPDATE campaign_sends SET state = ?2, reason_code = ?3, reason = ?4,
	message_id = CASE WHEN ?5 = '' THEN message_id ELSE ?5 END,
	peer_id = CASE WHEN ?6 = '' THEN peer_id ELSE ?6 END,
	content_id = CASE WHEN ?7 = '' THEN content_id ELSE ?7 END,
	next_at = ?8, sent_at = ?9, in_flight = ?10, attempts = attempts - ?11, updated_at = ?12
	WHERE id = ?1 AND job_id = ?13 AND state = 'pending'`

func outcomeArgs(o campaign.Outcome) []any {
	return []any{o.ID, o.State, o.Code, o.Reason, o.MessageID, o.PeerID, o.ContentID, Micros(o.NextAt), Micros(o.SentAt),
		boolInt(o.KeepInFlight && o.State == campaign.SendPending), boolInt(o.Unattempted)}
}

// writeOutcomes updates the pending rows of outs that job owns.
func (s *Store) writeOutcomes(ctx context.Context, tx *sql.Tx, job int64, outs []campaign.Outcome, at time.Time) error {
	if len(outs) == 0 {
		return nil
	}
	if s.dialect.RowByRowUpdates {
		// the same SET over a one-row VALUES, prepared once for all rows
		q := s.cq(tx)
		for _, o := range outs {
			if _, err := q.ExecContext(ctx, rowOutcomeSQL, append(outcomeArgs(o), Micros(at), job)...); err != nil {
				return err
			}
		}
		return nil
	}
	// one statement per 50 outcomes: UPDATE … FROM (VALUES …), whose
	// columns are column1… on both engines; the casts type PostgreSQL's
	// parameters
	const per = 50
	for start := 0; start < len(outs); start += per {
		chunk := outs[start:min(start+per, len(outs))]
		args := []any{Micros(at), job}
		var rows []string
		for _, o := range chunk {
			n := len(args)
			p := func(i int) string { return "$" + itoa(n+i) }
			rows = append(rows, "(CAST("+p(1)+" AS BIGINT),"+p(2)+","+p(3)+","+p(4)+","+p(5)+","+p(6)+","+p(7)+
				",CAST("+p(8)+" AS BIGINT),CAST("+p(9)+" AS BIGINT),CAST("+p(10)+" AS INTEGER),CAST("+p(11)+" AS INTEGER))")
			args = append(args, outcomeArgs(o)...)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE campaign_sends SET `+outcomeSet+`, updated_at = $1
			FROM (VALUES `+strings.Join(rows, ",")+`) AS v
			WHERE campaign_sends.id = v.column1 AND campaign_sends.job_id = $2 AND campaign_sends.state = 'pending'`, args...); err != nil {
			return err
		}
	}
	return nil
}

// CampaignCounts aggregates a campaign's rows.
func (s *Store) CampaignCounts(ctx context.Context, id int64) (st campaign.Status, err error) {
	defer apperr.Wrapf(&err, "CampaignCounts(%d)", id)
	st = campaign.Status{Counts: campaign.Counts{}, ByChannel: map[string]campaign.Counts{}, Skipped: map[string]int{},
		Failed: map[string]int{}, ByVariant: map[string]campaign.Counts{}, Fallbacks: map[string]map[string]int{}}
	for _, k := range campaign.SendStates {
		st.Counts[k] = 0
	}
	rows, err := s.db.QueryContext(ctx, `SELECT channel, state, reason_code, variant, fallback_from, COUNT(*), SUM(resends), SUM(in_flight),
		MIN(CASE WHEN state = 'pending' AND next_at > 0 THEN next_at END)
		FROM campaign_sends WHERE campaign_id = $1 GROUP BY channel, state, reason_code, variant, fallback_from`, id)
	if err != nil {
		return st, apperr.Wrap(err, apperr.Unavailable, "count sends")
	}
	defer rows.Close()
	for rows.Next() {
		var ch, state, code, variant, fb string
		var n, resends, inFlight int
		var next sql.NullInt64
		if err := rows.Scan(&ch, &state, &code, &variant, &fb, &n, &resends, &inFlight, &next); err != nil {
			return st, err
		}
		st.Total += n
		st.Counts[state] += n
		st.Resends += resends
		st.InFlight += inFlight
		if ch != "" {
			if st.ByChannel[ch] == nil {
				st.ByChannel[ch] = campaign.Counts{}
			}
			st.ByChannel[ch][state] += n
		}
		if variant != "" {
			if st.ByVariant[variant] == nil {
				st.ByVariant[variant] = campaign.Counts{}
			}
			st.ByVariant[variant][state] += n
		}
		switch state {
		case campaign.SendSkipped:
			st.Skipped[code] += n
		case campaign.SendFailed:
			st.Failed[code] += n
		}
		if fb != "" && ch != "" {
			k := fb + "→" + ch
			if st.Fallbacks[k] == nil {
				st.Fallbacks[k] = map[string]int{}
			}
			st.Fallbacks[k][state] += n
		}
		if next.Valid && next.Int64 > 0 {
			if t := FromMicros(next.Int64); st.NextAt.IsZero() || t.Before(st.NextAt) {
				st.NextAt = t
			}
		}
	}
	return st, rows.Err()
}

// ListSends visits a campaign's rows in id order.
func (s *Store) ListSends(ctx context.Context, id int64, state string, afterID int64, limit int, fn func(campaign.Send) error) (err error) {
	defer apperr.Wrapf(&err, "ListSends(%d)", id)
	q := `SELECT ` + sendCols + ` FROM campaign_sends WHERE campaign_id = $1 AND id > $2`
	args := []any{id, afterID}
	if state != "" {
		q += ` AND state = $3`
		args = append(args, state)
	}
	q += ` ORDER BY id`
	if limit > 0 {
		q += ` LIMIT ` + itoa(limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "list sends")
	}
	defer rows.Close()
	for rows.Next() {
		sd, err := scanSend(rows)
		if err != nil {
			return err
		}
		if err := fn(sd); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CustomersByID returns the customers of ids that exist, by id.
func (s *Store) CustomersByID(ctx context.Context, ids []string) (out map[string]customer.Customer, err error) {
	defer apperr.Wrapf(&err, "CustomersByID(%d)", len(ids))
	out = make(map[string]customer.Customer, len(ids))
	for start := 0; start < len(ids); start += upsertBatch {
		chunk := ids[start:min(start+upsertBatch, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		err := s.queryCustomers(ctx, s.cq(nil), `SELECT `+customerCols+` FROM customers WHERE id IN (`+s.valueList(len(chunk))+`)`, args,
			func(c customer.Customer) error {
				out[c.ID] = c
				return nil
			})
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Unavailable, "read customers")
		}
	}
	return out, nil
}

// ConsentsByCustomer returns the ledgers of ids, oldest entry first.
func (s *Store) ConsentsByCustomer(ctx context.Context, ids []string) (out map[string][]customer.Consent, err error) {
	defer apperr.Wrapf(&err, "ConsentsByCustomer(%d)", len(ids))
	out = make(map[string][]customer.Consent, len(ids))
	for start := 0; start < len(ids); start += upsertBatch {
		chunk := ids[start:min(start+upsertBatch, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		err := s.queryConsents(ctx, `WHERE customer_id IN (`+s.valueList(len(chunk))+`)`, args, func(c customer.Consent) error {
			out[c.CustomerID] = append(out[c.CustomerID], c)
			return nil
		})
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Unavailable, "read consents")
		}
	}
	return out, nil
}

// ItemsByID returns the content items of ids that exist, by id.
func (s *Store) ItemsByID(ctx context.Context, ids []string) (out map[string]content.Item, err error) {
	defer apperr.Wrapf(&err, "ItemsByID(%d)", len(ids))
	out = make(map[string]content.Item, len(ids))
	for start := 0; start < len(ids); start += upsertBatch {
		chunk := ids[start:min(start+upsertBatch, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := s.cq(nil).QueryContext(ctx, `SELECT `+itemCols+` FROM content_items WHERE id IN (`+s.valueList(len(chunk))+`)`, args...)
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Unavailable, "read content items")
		}
		for rows.Next() {
			it, err := scanItem(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[it.ID] = it
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ReserveRate takes n consecutive send slots, interval apart, of a
// campaign's channel and returns the first one's time: one statement,
// so worker processes sharing the database share the rate.
func (s *Store) ReserveRate(ctx context.Context, campaignID int64, channel string, n int, interval time.Duration, now time.Time) (first time.Time, err error) {
	defer s.wrap(&err, "ReserveRate(%d, %s)", campaignID, channel)
	span := int64(n) * interval.Microseconds()
	var next int64
	err = s.db.QueryRowContext(ctx, `INSERT INTO campaign_rates (campaign_id, channel, next_slot) VALUES ($1, $2, CAST($3 AS BIGINT) + CAST($4 AS BIGINT))
		ON CONFLICT (campaign_id, channel) DO UPDATE SET next_slot =
			(CASE WHEN campaign_rates.next_slot > CAST($3 AS BIGINT) THEN campaign_rates.next_slot ELSE CAST($3 AS BIGINT) END) + CAST($4 AS BIGINT)
		RETURNING next_slot`, campaignID, channel, Micros(now), span).Scan(&next)
	if err != nil {
		return time.Time{}, err
	}
	return FromMicros(next - span), nil
}

// ChannelEngagement aggregates sent rows and the human opens, clicks and
// replies of them per customer and channel, in one pass.
func (s *Store) ChannelEngagement(ctx context.Context, fn func(customerID, channel string, e campaign.Engagement) error) (err error) {
	defer s.wrap(&err, "ChannelEngagement")
	args := make([]any, len(campaign.EngagedKinds))
	for i, k := range campaign.EngagedKinds {
		args[i] = k
	}
	rows, err := s.db.QueryContext(ctx, `SELECT s.customer_id, s.channel, COUNT(*), COUNT(e.send_id)
		FROM campaign_sends s
		LEFT JOIN (SELECT DISTINCT send_id FROM tracking_hits WHERE NOT machine AND kind IN (`+inList(1, len(args))+`)) e ON e.send_id = s.id
		WHERE s.state = 'sent' AND s.channel <> ''
		GROUP BY s.customer_id, s.channel`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, ch string
		var e campaign.Engagement
		if err := rows.Scan(&id, &ch, &e.Sent, &e.Engaged); err != nil {
			return err
		}
		if err := fn(id, ch, e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// FallBack inserts the stand-in rows that do not exist yet, records outs
// and enqueues the new rows, in one transaction.
func (s *Store) FallBack(ctx context.Context, job, campaignID int64, outs []campaign.Outcome, sends []campaign.Send, at time.Time, batchSize int, q campaign.Enqueuer) (err error) {
	defer s.wrap(&err, "FallBack(job %d)", job)
	return s.Tx(ctx, func(tx *sql.Tx) error {
		var ids []int64
		now := Micros(at)
		for _, sd := range sends {
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO campaign_sends (`+sendInsertCols+`) VALUES `+placeholders(1, 16)+`
				ON CONFLICT (campaign_id, customer_id, channel) DO NOTHING RETURNING id`,
				campaignID, sd.CustomerID, sd.Channel, sd.State, sd.Code, sd.Reason, sd.Variant, sd.ContentID, sd.Language,
				sd.SKU, sd.Key, sd.FallbackFrom, sd.FallbackCode, Micros(sd.PlannedAt), Micros(sd.NextAt), now).Scan(&id)
			switch {
			case errors.Is(err, sql.ErrNoRows): // her row on that channel exists already
			case err != nil:
				return err
			default:
				ids = append(ids, id)
			}
		}
		if err := s.writeOutcomes(ctx, tx, job, outs, at); err != nil {
			return err
		}
		slices.Sort(ids)
		return assignJobs(ctx, tx, campaignID, ids, at, batchSize, q)
	})
}
