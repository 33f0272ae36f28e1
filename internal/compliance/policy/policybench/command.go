package policybench

import (
	"context"

	"github.com/chorusmkt/chorus/internal/bench"
	"github.com/chorusmkt/chorus/internal/store"
)

// Command is `chorus bench policy`: Measure with the configured contact
// policy on a scratch database beside the configured one.
func Command(ctx context.Context, env bench.Env, o Options) (Report, error) {
	return bench.OnScratch(ctx, env.Config.DB, func(st store.Store) (Report, error) {
		return Measure(ctx, env.Config.Compliance.Contact, st, o)
	})
}
