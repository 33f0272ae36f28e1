package insightbench

import (
	"context"

	"github.com/chorusmkt/chorus/internal/bench"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/store"
)

// Command is `chorus bench insight`: Measure on the configured database
// with the configured insight and CLV settings.
func Command(ctx context.Context, env bench.Env, o Options) (Report, error) {
	c := env.Config.Insight
	o.Insight, o.HorizonDays, o.DiscountRate = insight.OptionsFromConfig(c), c.CLV.HorizonDays, c.CLV.DiscountRate
	return bench.OnStore(ctx, env, func(st store.Store) (Report, error) { return Measure(ctx, st, o) })
}
