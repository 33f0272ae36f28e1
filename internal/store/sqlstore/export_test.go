package sqlstore

import (
	"context"
	"time"

	"github.com/chorusmkt/chorus/internal/tracking"
)

// SetBulkMaxLog sets bulkMaxLog for a test and returns the function that
// restores it.
func SetBulkMaxLog(n int64) (restore func()) {
	old := bulkMaxLog
	bulkMaxLog = n
	return func() { bulkMaxLog = old }
}

// ActivityDirect is Activity computed from the rows, never the rollup.
func (s *Store) ActivityDirect(ctx context.Context, from time.Time, step time.Duration, n int) ([]tracking.Bucket, error) {
	return s.activityDirect(ctx, s.db, from, step, n)
}
