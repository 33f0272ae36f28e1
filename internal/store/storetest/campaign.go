package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/queue"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// OpenWithDSN returns a migrated store on engine ("sqlite" or
// "postgres", which skips without CHORUS_TEST_POSTGRES_DSN) and its DSN,
// for tests that also open the job queue on the same database.
func OpenWithDSN(t testing.TB, engine string) (store.Store, string) {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "chorus.db")
	if engine == "postgres" {
		dsn = PostgresDSN(t)
	}
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dsn
}

type batchArgs struct {
	Campaign int64   `json:"campaign"`
	IDs      []int64 `json:"ids"`
}

func (batchArgs) Kind() string { return "storetest_batch" }

// testEnqueuer records the batches it enqueues through a real queue.
type testEnqueuer struct {
	q       *queue.Queue
	batches []campaign.Batch
}

func (e *testEnqueuer) EnqueueTx(ctx context.Context, tx *sql.Tx, bs []campaign.Batch) ([]int64, error) {
	jobs := make([]queue.Job, len(bs))
	for i, b := range bs {
		jobs[i] = queue.Job{Args: batchArgs{b.CampaignID, b.IDs}, At: b.At}
	}
	ids, err := e.q.InsertTxIDs(ctx, tx, jobs)
	if err == nil {
		e.batches = append(e.batches, bs...)
	}
	return ids, err
}

// RunCampaign is the conformance suite of the campaign tables: launch in
// one transaction with its jobs, claims and resends, outcomes with their
// retries' jobs, completion only with nothing pending, cancel, requeue of
// rows whose job is gone, counts; and the contact policy's batch
// admission that the send path uses.
func RunCampaign(t *testing.T, engine string) {
	at := time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)
	setup := func(t *testing.T) (store.Store, *testEnqueuer, campaign.Campaign) {
		s, dsn := OpenWithDSN(t, engine)
		q, err := queue.Open(ctx, dsn, config.Default().Queue, queue.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { q.Stop() })
		c, err := s.CreateCampaign(ctx, campaign.Campaign{Name: "dbl11", State: campaign.Draft, Segment: "vip", Channels: []string{"email", "sms"},
			Mode: campaign.ModeBest, Depth: "segment", Variants: campaign.EvenVariants(2), Holdout: 0.1, Approval: campaign.ApprovalAuto,
			Schedule: campaign.Schedule{Kind: campaign.StartNow}, Rates: map[string]float64{"sms": 5}, CreatedAt: at, UpdatedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		return s, &testEnqueuer{q: q}, c
	}
	sends := func(n int) []campaign.Send {
		var out []campaign.Send
		for i := range n {
			id := fmt.Sprintf("C%04d", i)
			out = append(out, campaign.Send{CustomerID: id, Channel: "email", State: campaign.SendPending, Variant: "A", Key: "k-" + id,
				PlannedAt: at, NextAt: at, ContentID: "item1", Language: "zh", SKU: "SKU1"})
		}
		out = append(out, campaign.Send{CustomerID: "H1", State: campaign.SendHoldout, Code: campaign.CodeHoldout, Key: "k-H1", PlannedAt: at},
			campaign.Send{CustomerID: "S1", Channel: "sms", State: campaign.SendSkipped, Code: "no_consent", Key: "k-S1", PlannedAt: at})
		return out
	}

	t.Run("ReserveRateShared", func(t *testing.T) {
		// two openings of one database reserve slots of one campaign's rate
		// at once: together they take consecutive slots an interval apart,
		// none twice and none before now; another channel has its own rate
		s, dsn := OpenWithDSN(t, engine)
		s2, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s2.Close()
		const iv = 100 * time.Millisecond
		now := time.Now().UTC().Truncate(time.Millisecond)
		var mu sync.Mutex
		var firsts []time.Time
		var wg sync.WaitGroup
		for i, st := range []store.Store{s, s2, s, s2} {
			wg.Go(func() {
				first, err := st.ReserveRate(ctx, 7, "email", 3+i, iv, now)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				firsts = append(firsts, first, first.Add(time.Duration(3+i)*iv))
				mu.Unlock()
			})
		}
		wg.Wait()
		slices.SortFunc(firsts, func(a, b time.Time) int { return a.Compare(b) })
		// the ranges [first, first+n·iv) tile [now, now+18·iv) without gaps
		if !firsts[0].Equal(now) || !firsts[len(firsts)-1].Equal(now.Add(18*iv)) {
			t.Fatalf("reserved from %s to %s, want %s to %s", firsts[0], firsts[len(firsts)-1], now, now.Add(18*iv))
		}
		for i := 1; i+1 < len(firsts); i += 2 {
			if !firsts[i].Equal(firsts[i+1]) {
				t.Fatalf("ranges overlap or leave a gap at %s / %s", firsts[i], firsts[i+1])
			}
		}
		other, err := s.ReserveRate(ctx, 7, "sms", 1, iv, now)
		if err != nil || !other.Equal(now) {
			t.Fatalf("sms's first slot = %s, %v; want %s (its own rate)", other, err, now)
		}
		// a slot in the past is never given: the next starts at now
		later := now.Add(time.Hour)
		got, err := s.ReserveRate(ctx, 7, "email", 1, iv, later)
		if err != nil || !got.Equal(later) {
			t.Fatalf("after an idle hour: first slot %s, %v; want %s", got, err, later)
		}
	})

	t.Run("ChannelEngagement", func(t *testing.T) {
		// her sent rows per channel, and those a person opened, clicked or
		// replied to: a machine's open, an unsubscribe and rows not sent
		// do not count, and two hits on one send count it once
		s, q, c := setup(t)
		c.State, c.LaunchedAt = campaign.Running, at
		rows := sends(5)
		rows = append(rows, campaign.Send{CustomerID: "C0000", Channel: "sms", State: campaign.SendPending, Variant: "A", Key: "k-sms-C0000",
			PlannedAt: at, NextAt: at})
		if err := s.LaunchCampaign(ctx, c, campaign.Draft, rows, 100, q); err != nil {
			t.Fatal(err)
		}
		var pending []campaign.Send
		if err := s.ListSends(ctx, c.ID, campaign.SendPending, 0, 0, func(sd campaign.Send) error { pending = append(pending, sd); return nil }); err != nil {
			t.Fatal(err)
		}
		byCust := map[string]int64{}
		var outs []campaign.Outcome
		for _, sd := range pending {
			if sd.Channel == "email" {
				byCust[sd.CustomerID] = sd.ID
			}
			state := campaign.SendSent
			if sd.CustomerID == "C0004" && sd.Channel == "email" {
				state = campaign.SendFailed
			}
			outs = append(outs, campaign.Outcome{ID: sd.ID, State: state, SentAt: at, MessageID: sd.Key})
		}
		if err := s.RecordOutcomes(ctx, pending[0].JobID, outs, at, 100, q, nil); err != nil {
			t.Fatal(err)
		}
		hit := func(cust, kind string, machine bool, key int64) tracking.Hit {
			return tracking.Hit{Key: key, Kind: kind, SendID: byCust[cust], Campaign: c.Name, Channel: "email", CustomerID: cust,
				Machine: machine, At: at.Add(time.Hour)}
		}
		if _, err := s.InsertHits(ctx, []tracking.Hit{
			hit("C0000", tracking.KindOpen, false, 101), hit("C0000", tracking.KindClick, false, 102),
			hit("C0001", tracking.KindOpen, true, 103),
			hit("C0002", tracking.KindClick, false, 104),
			hit("C0003", tracking.KindUnsubscribe, false, 105),
			hit("C0004", tracking.KindOpen, false, 106),
		}); err != nil {
			t.Fatal(err)
		}
		got := map[string]campaign.Engagement{}
		if err := s.ChannelEngagement(ctx, func(id, ch string, e campaign.Engagement) error {
			got[id+"/"+ch] = e
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		want := map[string]campaign.Engagement{
			"C0000/email": {Sent: 1, Engaged: 1}, "C0000/sms": {Sent: 1},
			"C0001/email": {Sent: 1}, "C0002/email": {Sent: 1, Engaged: 1}, "C0003/email": {Sent: 1},
		}
		if !maps.Equal(got, want) {
			t.Fatalf("ChannelEngagement = %v, want %v", got, want)
		}
	})

	t.Run("FallBack", func(t *testing.T) {
		// a capped row is recorded and its stand-in inserted with a job in
		// one transaction; a stand-in whose row exists is not inserted twice
		s, q, c := setup(t)
		c.State, c.LaunchedAt = campaign.Running, at
		rows := sends(2)
		rows = append(rows, campaign.Send{CustomerID: "C0001", Channel: "sms", State: campaign.SendSkipped, Code: "no_consent", Key: "k-sms-C0001", PlannedAt: at})
		if err := s.LaunchCampaign(ctx, c, campaign.Draft, rows, 100, q); err != nil {
			t.Fatal(err)
		}
		var pending []campaign.Send
		_ = s.ListSends(ctx, c.ID, campaign.SendPending, 0, 0, func(sd campaign.Send) error { pending = append(pending, sd); return nil })
		job := pending[0].JobID
		var outs []campaign.Outcome
		var stand []campaign.Send
		for _, sd := range pending {
			outs = append(outs, campaign.Outcome{ID: sd.ID, State: campaign.SendSkipped, Code: campaign.CodeFellBack, Reason: "capped"})
			stand = append(stand, campaign.Send{CustomerID: sd.CustomerID, Channel: "sms", State: campaign.SendPending, Variant: "A",
				Key: "k-sms-" + sd.CustomerID, FallbackFrom: "email", FallbackCode: "cap_channel_week", PlannedAt: at, NextAt: at})
		}
		before := len(q.batches)
		if err := s.FallBack(ctx, job, c.ID, outs, stand, at, 100, q); err != nil {
			t.Fatal(err)
		}
		got := map[string]campaign.Send{}
		_ = s.ListSends(ctx, c.ID, "", 0, 0, func(sd campaign.Send) error { got[sd.CustomerID+"/"+sd.Channel] = sd; return nil })
		if e := got["C0000/email"]; e.State != campaign.SendSkipped || e.Code != campaign.CodeFellBack {
			t.Fatalf("capped row: %+v", e)
		}
		if m := got["C0000/sms"]; m.State != campaign.SendPending || m.FallbackFrom != "email" || m.JobID == 0 || m.JobID == job {
			t.Fatalf("stand-in: %+v", m)
		}
		if m := got["C0001/sms"]; m.State != campaign.SendSkipped || m.Code != "no_consent" {
			t.Fatalf("an existing row was replaced: %+v", m)
		}
		if len(q.batches) != before+1 || len(q.batches[before].IDs) != 1 {
			t.Fatalf("jobs for stand-ins: %d new", len(q.batches)-before)
		}
	})

	t.Run("CreateGetConflict", func(t *testing.T) {
		s, _, c := setup(t)
		got, err := s.GetCampaign(ctx, "dbl11")
		if err != nil || got.ID != c.ID || !slices.Equal(got.Channels, c.Channels) || got.Holdout != 0.1 || len(got.Variants) != 2 || got.Rates["sms"] != 5 {
			t.Fatalf("GetCampaign = %+v, %v", got, err)
		}
		if _, err := s.CreateCampaign(ctx, c); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second create: %v, want Conflict", err)
		}
		if _, err := s.GetCampaign(ctx, "nope"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("unknown: %v", err)
		}
	})

	t.Run("LaunchClaimRecordComplete", func(t *testing.T) {
		s, q, c := setup(t)
		c.State, c.LaunchedAt, c.Recipients = campaign.Running, at, 252
		if err := s.LaunchCampaign(ctx, c, campaign.Draft, sends(250), 100, q); err != nil {
			t.Fatal(err)
		}
		if err := s.LaunchCampaign(ctx, c, campaign.Draft, sends(1), 100, q); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second launch: %v, want Conflict", err)
		}
		if len(q.batches) != 3 || len(q.batches[0].IDs) != 100 || len(q.batches[2].IDs) != 50 {
			t.Fatalf("batches: %d", len(q.batches))
		}
		st, err := s.CampaignCounts(ctx, c.ID)
		if err != nil || st.Counts[campaign.SendPending] != 250 || st.Counts[campaign.SendHoldout] != 1 || st.Skipped["no_consent"] != 1 || st.Total != 252 {
			t.Fatalf("counts after launch: %+v, %v", st, err)
		}
		if done, err := s.CompleteCampaign(ctx, c.ID, at); err != nil || done {
			t.Fatalf("completed with 250 pending: %v %v", done, err)
		}
		// the first batch's rows, owned by its job
		var first []campaign.Send
		if err := s.ListSends(ctx, c.ID, campaign.SendPending, 0, 100, func(sd campaign.Send) error { first = append(first, sd); return nil }); err != nil {
			t.Fatal(err)
		}
		job := first[0].JobID
		ids := make([]int64, len(first))
		for i, sd := range first {
			ids[i] = sd.ID
			if sd.JobID != job {
				t.Fatalf("row %d owned by job %d, want %d", sd.ID, sd.JobID, job)
			}
		}
		if got, err := s.ClaimSends(ctx, job+999, ids, at); err != nil || len(got) != 0 {
			t.Fatalf("another job claimed %d rows (%v)", len(got), err)
		}
		got, err := s.ClaimSends(ctx, job, ids, at)
		if err != nil || len(got) != 100 || got[0].Attempts != 1 || !got[0].InFlight || got[0].Resends != 0 {
			t.Fatalf("claim: %d rows, %+v, %v", len(got), got[0], err)
		}
		// a second claim without an outcome (the worker died) counts a resend
		got, _ = s.ClaimSends(ctx, job, ids[:1], at)
		if got[0].Attempts != 2 || got[0].Resends != 1 {
			t.Fatalf("reclaim: %+v", got[0])
		}
		var outs []campaign.Outcome
		for i, id := range ids {
			switch {
			case i < 90:
				outs = append(outs, campaign.Outcome{ID: id, State: campaign.SendSent, MessageID: fmt.Sprintf("m%d@x", id), SentAt: at})
			case i < 95:
				outs = append(outs, campaign.Outcome{ID: id, State: campaign.SendFailed, Code: "mailbox_unknown", Reason: "no such mailbox"})
			default:
				outs = append(outs, campaign.Outcome{ID: id, State: campaign.SendPending, Code: "throttled", NextAt: at.Add(time.Minute)})
			}
		}
		completed := false
		err = s.RecordOutcomes(ctx, job, outs, at, 100, q, func(tx *sql.Tx) error { completed = tx != nil; return nil })
		if err != nil || !completed {
			t.Fatalf("record: %v (done ran: %v)", err, completed)
		}
		if len(q.batches) != 4 || len(q.batches[3].IDs) != 5 || !q.batches[3].At.Equal(at.Add(time.Minute)) {
			t.Fatalf("retry batch: %+v", q.batches[len(q.batches)-1])
		}
		// terminal rows are not touched again, and the retried ones moved to the new job
		if got, _ := s.PendingSends(ctx, job, ids); len(got) != 0 {
			t.Fatalf("job still owns %d pending rows", len(got))
		}
		st, _ = s.CampaignCounts(ctx, c.ID)
		if st.Counts[campaign.SendSent] != 90 || st.Failed["mailbox_unknown"] != 5 || st.Counts[campaign.SendPending] != 155 || st.Resends != 1 {
			t.Fatalf("counts: %+v", st)
		}
		var sent campaign.Send
		_ = s.ListSends(ctx, c.ID, campaign.SendSent, 0, 1, func(sd campaign.Send) error { sent = sd; return nil })
		if sent.MessageID == "" || sent.InFlight || sent.SentAt.IsZero() || sent.ContentID != "item1" {
			t.Fatalf("sent row: %+v", sent)
		}
		// cancel skips what is pending and not in flight; completion never
		// happens while anything is pending
		if err := s.SetCampaignState(ctx, c.ID, campaign.Running, campaign.Cancelled, at, campaign.CodeCancelled, "cancelled", 100, nil); err != nil {
			t.Fatal(err)
		}
		st, _ = s.CampaignCounts(ctx, c.ID)
		if st.Counts[campaign.SendPending] != 0 || st.Skipped[campaign.CodeCancelled] != 155 {
			t.Fatalf("after cancel: %+v", st)
		}
		if err := s.SetCampaignState(ctx, c.ID, campaign.Running, campaign.Paused, at, "", "", 100, nil); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("stale transition: %v, want Conflict", err)
		}
	})

	t.Run("RequeueAndComplete", func(t *testing.T) {
		s, q, c := setup(t)
		c.State, c.LaunchedAt = campaign.Running, at
		if err := s.LaunchCampaign(ctx, c, campaign.Draft, sends(30), 10, q); err != nil {
			t.Fatal(err)
		}
		// every job is alive: nothing to requeue
		if n, err := s.Requeue(ctx, c.ID, at, 10, q); err != nil || n != 0 {
			t.Fatalf("requeue with live jobs: %d, %v", n, err)
		}
		// the jobs vanish (discarded, deleted): their rows get new jobs
		if _, err := s.(interface{ DB() *sql.DB }).DB().ExecContext(ctx, `DELETE FROM river_job`); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Requeue(ctx, c.ID, at, 10, q); err != nil || n != 30 {
			t.Fatalf("requeue orphans: %d, %v", n, err)
		}
		var all []campaign.Send
		_ = s.ListSends(ctx, c.ID, campaign.SendPending, 0, 0, func(sd campaign.Send) error { all = append(all, sd); return nil })
		byJob := map[int64][]int64{}
		for _, sd := range all {
			byJob[sd.JobID] = append(byJob[sd.JobID], sd.ID)
		}
		for job, ids := range byJob {
			var outs []campaign.Outcome
			for _, id := range ids {
				outs = append(outs, campaign.Outcome{ID: id, State: campaign.SendSent, MessageID: fmt.Sprint(id), SentAt: at})
			}
			if err := s.RecordOutcomes(ctx, job, outs, at, 10, q, nil); err != nil {
				t.Fatal(err)
			}
		}
		if done, err := s.CompleteCampaign(ctx, c.ID, at); err != nil || !done {
			t.Fatalf("complete: %v %v", done, err)
		}
		got, _ := s.GetCampaignByID(ctx, c.ID)
		if got.State != campaign.Completed || got.CompletedAt.IsZero() {
			t.Fatalf("campaign: %+v", got)
		}
	})

	t.Run("AdmitBatchIdempotent", func(t *testing.T) {
		s, _, _ := setup(t)
		if _, err := s.UpsertCustomers(ctx, []customer.Customer{{ID: "c1", Email: "a@example.com"}, {ID: "c2", Email: "b@example.com"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddConsents(ctx, []customer.Consent{{CustomerID: "c1", Channel: "email", Status: customer.Granted, At: at.Add(-time.Hour)},
			{CustomerID: "c2", Channel: "email", Status: customer.Granted, At: at.Add(-time.Hour)}}); err != nil {
			t.Fatal(err)
		}
		cfg := config.Default().Compliance.Contact
		cfg.SendWindows = nil
		cfg.Caps = []config.Cap{{Channel: "email", Max: 1, Window: config.Duration(24 * time.Hour)}}
		g, err := policy.New(cfg, s)
		if err != nil {
			t.Fatal(err)
		}
		msgs := []policy.Message{
			{CustomerID: "c1", Channel: "email", At: at, Campaign: "x", Key: "k1"},
			{CustomerID: "c1", Channel: "email", At: at, Campaign: "y", Key: "k2"}, // the cap is full after k1
			{CustomerID: "c2", Channel: "email", At: at, Campaign: "x", Key: "k3"},
			{CustomerID: "nobody", Channel: "email", At: at, Campaign: "x", Key: "k4"},
		}
		ds, err := g.AdmitBatch(ctx, msgs)
		if err != nil {
			t.Fatal(err)
		}
		if !ds[0].Allow || ds[1].Allow || ds[1].Code != "cap_channel_day" || !ds[2].Allow || ds[3].Code != policy.CodeUnknownCustomer {
			t.Fatalf("decisions: %+v", ds)
		}
		// the same batch again (a retried job): k1 and k3 pass without
		// counting themselves, and nothing is logged twice
		ds, err = g.AdmitBatch(ctx, msgs[:3])
		if err != nil || !ds[0].Allow || ds[1].Allow || !ds[2].Allow {
			t.Fatalf("retry: %+v, %v", ds, err)
		}
		n, err := s.CountSends(ctx, at.Add(time.Hour))
		if err != nil || n != 2 {
			t.Fatalf("sends logged: %d, %v; want 2", n, err)
		}
		// a revocation after the first admission stops the retry
		if _, err := s.AddConsents(ctx, []customer.Consent{{CustomerID: "c1", Channel: "email", Status: customer.Revoked, At: at.Add(-time.Minute)}}); err != nil {
			t.Fatal(err)
		}
		ds, _ = g.AdmitBatch(ctx, msgs[:1])
		if ds[0].Allow || ds[0].Code != policy.CodeConsentRevoked {
			t.Fatalf("after revocation: %+v", ds[0])
		}
		skips, _ := s.ListSkips(ctx, "y")
		if len(skips) != 1 || skips[0].Code != "cap_channel_day" {
			t.Fatalf("skips of y: %+v", skips)
		}
	})
}
