package demobench

import (
	"context"

	"github.com/chorusmkt/chorus/internal/bench"
)

// Command is `chorus bench demo`: Measure of o's shop. A build that wrote
// events is reported even when a later stage failed (Partial).
func Command(ctx context.Context, _ bench.Env, o Options) (Report, error) {
	return Measure(ctx, o.Seed, o.Customers)
}

// Partial says that r is worth printing next to an error: the build
// wrote events before a later stage failed.
func (r Report) Partial() bool { return r.Events > 0 }
