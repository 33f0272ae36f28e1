package app

import (
	"context"
	"sync"
	"time"

	"github.com/chorusmkt/chorus/internal/segment"
)

// PreviewTTL is how long the console's live counts reuse the records of
// every customer before computing them again; App.Invalidate and
// App.CatchUp drop them at once.
const PreviewTTL = time.Minute

// recordCache is the record source of App.Previews: the records of every
// customer, computed by the segment engine's own source and kept for
// PreviewTTL, so that a live count over 100,000 customers evaluates the
// expression instead of rebuilding every record per keystroke. Saving a
// segment goes through App.Segments, which always computes afresh.
type recordCache struct {
	src segment.RecordSource
	now func() time.Time

	mu   sync.Mutex
	recs []segment.Record
	at   time.Time
}

func (c *recordCache) Records(ctx context.Context) ([]segment.Record, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.recs != nil && c.now().Sub(c.at) < PreviewTTL {
		return c.recs, nil
	}
	recs, err := c.src.Records(ctx)
	if err != nil {
		return nil, err
	}
	c.recs, c.at = recs, c.now()
	return recs, nil
}

// RecordsFor is never cached: it is the path of incremental updates.
func (c *recordCache) RecordsFor(ctx context.Context, ids []string) ([]segment.Record, error) {
	return c.src.RecordsFor(ctx, ids)
}

func (c *recordCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.recs = nil
}
