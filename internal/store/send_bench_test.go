package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/delivery"
	"github.com/chorusmkt/chorus/internal/rusage"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// BenchmarkRecordAndClaim is the send path's step from one chunk of a
// batch to the next (campaign.Deliver): record the last chunk's 25
// outcomes (sent, with their Message-IDs) and claim the next 25 rows, in
// one transaction. One op is one step; sends/s counts the rows claimed.
func BenchmarkRecordAndClaim(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchRecordAndClaim(b, storetest.OpenSQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchRecordAndClaim(b, storetest.OpenPostgres(b)) })
}

// jobNumbers gives each batch the next job id, as the queue does.
type jobNumbers struct{ next int64 }

func (j *jobNumbers) EnqueueTx(_ context.Context, _ *sql.Tx, bs []campaign.Batch) ([]int64, error) {
	ids := make([]int64, len(bs))
	for i := range ids {
		j.next++
		ids[i] = j.next
	}
	return ids, nil
}

func benchRecordAndClaim(b *testing.B, s *store.DB) {
	const chunk, batch = 25, 500
	ctx := b.Context()
	at := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	c, err := s.CreateCampaign(ctx, campaign.Campaign{Name: "bench", State: campaign.Draft, Segment: "all", Channels: []string{"email"},
		Mode: campaign.ModeBest, Depth: "segment", Variants: campaign.EvenVariants(1), Approval: campaign.ApprovalAuto,
		Schedule: campaign.Schedule{Kind: campaign.StartNow}, CreatedAt: at, UpdatedAt: at})
	if err != nil {
		b.Fatal(err)
	}
	sends := make([]campaign.Send, (b.N+1)*chunk)
	for i := range sends {
		id := fmt.Sprintf("C%07d", i)
		sends[i] = campaign.Send{CustomerID: id, Channel: "email", State: campaign.SendPending, Variant: "A",
			Key: delivery.Key("campaign/bench", id, "email"), PlannedAt: at}
	}
	c.State, c.LaunchedAt, c.UpdatedAt, c.Recipients = campaign.Running, at, at, len(sends)
	if err := s.LaunchCampaign(ctx, c, campaign.Draft, sends, batch, &jobNumbers{}); err != nil {
		b.Fatal(err)
	}
	var rows []campaign.Send
	if err := s.ListSends(ctx, c.ID, "", 0, 0, func(sd campaign.Send) error { rows = append(rows, sd); return nil }); err != nil {
		b.Fatal(err)
	}
	var prev []campaign.Outcome
	b.ResetTimer()
	cpu0 := rusage.CPUSeconds()
	for i := range b.N {
		// a job's chunks follow each other; a new job starts with no outcomes
		part := rows[i*chunk : (i+1)*chunk]
		job := part[0].JobID
		if i*chunk%batch == 0 {
			prev = prev[:0]
		}
		ids := make([]int64, len(part))
		for k, r := range part {
			ids[k] = r.ID
		}
		claimed, err := s.RecordAndClaim(ctx, job, prev, ids, at, batch, nil)
		if err != nil || len(claimed) != chunk {
			b.Fatalf("step %d: %d claimed, %v", i, len(claimed), err)
		}
		prev = prev[:0]
		for _, r := range claimed {
			prev = append(prev, campaign.Outcome{ID: r.ID, State: campaign.SendSent, MessageID: "m" + strconv.FormatInt(r.ID, 10) + "@bench.example",
				PeerID: "Q" + strconv.FormatInt(r.ID, 10), ContentID: "bench-en", SentAt: at})
		}
	}
	b.ReportMetric(float64(b.N*chunk)/b.Elapsed().Seconds(), "sends/s")
	b.ReportMetric((rusage.CPUSeconds()-cpu0)/float64(b.N*chunk)*1e6, "cpu-µs/send")
}
