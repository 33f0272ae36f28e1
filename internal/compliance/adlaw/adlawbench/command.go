package adlawbench

import (
	"context"

	"github.com/chorusmkt/chorus/internal/bench"
	"github.com/chorusmkt/chorus/internal/compliance/adlaw"
)

// Command is `chorus bench check`: Measure with the configured lexicon
// and settings.
func Command(ctx context.Context, env bench.Env, o Options) (Report, error) {
	ck, err := adlaw.FromConfig(env.Config.Compliance.AdLaw)
	if err != nil {
		return Report{}, err
	}
	return Measure(ctx, ck, o.N, o.Runs, o.Seed)
}
