package recommendbench

import (
	"context"

	"github.com/chorusmkt/chorus/internal/bench"
	"github.com/chorusmkt/chorus/internal/recommend"
	"github.com/chorusmkt/chorus/internal/store"
)

// Command is `chorus bench recommend`: Measure on the configured
// database with the configured training options.
func Command(ctx context.Context, env bench.Env, o Options) (Report, error) {
	return bench.OnStore(ctx, env, func(st store.Store) (Report, error) {
		return Measure(ctx, st, recommend.FromConfig(env.Config.Recommend), o.Runs, o.K)
	})
}
