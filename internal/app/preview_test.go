package app

import (
	"context"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/segment"
)

type countingSource struct{ records, recordsFor int }

func (c *countingSource) Records(ctx context.Context) ([]segment.Record, error) {
	c.records++
	return []segment.Record{{ID: "a"}, {ID: "b"}}, nil
}

func (c *countingSource) RecordsFor(ctx context.Context, ids []string) ([]segment.Record, error) {
	c.recordsFor++
	return nil, nil
}

func TestRecordCacheKeepsRecordsForTheTTL(t *testing.T) {
	src := &countingSource{}
	now := time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)
	c := &recordCache{src: src, now: func() time.Time { return now }}
	ctx := t.Context()
	for range 3 {
		if recs, err := c.Records(ctx); err != nil || len(recs) != 2 {
			t.Fatalf("records: %v %v", recs, err)
		}
	}
	if src.records != 1 {
		t.Fatalf("computed %d times within the TTL, want once", src.records)
	}
	now = now.Add(PreviewTTL)
	c.Records(ctx)
	if src.records != 2 {
		t.Fatalf("not computed again after the TTL (%d)", src.records)
	}
	c.invalidate()
	c.Records(ctx)
	if src.records != 3 {
		t.Fatalf("not computed again after invalidate (%d)", src.records)
	}
	c.RecordsFor(ctx, []string{"a"})
	c.RecordsFor(ctx, []string{"a"})
	if src.recordsFor != 2 {
		t.Fatalf("RecordsFor was cached (%d calls reached the source)", src.recordsFor)
	}
}
