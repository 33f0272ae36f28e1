package segmentbench

import (
	"context"

	"github.com/chorusmkt/chorus/internal/bench"
)

// Command is `chorus bench segment`: Measure, which builds its own
// records and needs nothing of env.
func Command(ctx context.Context, _ bench.Env, o Options) (Report, error) {
	return Measure(ctx, o)
}
