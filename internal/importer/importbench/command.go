package importbench

import (
	"context"

	"github.com/chorusmkt/chorus/internal/bench"
)

// Command is `chorus bench import`: Measure on o.File, by default the
// one DefaultFile finds, with notes on env.Log.
func Command(ctx context.Context, env bench.Env, o Options) (Report, error) {
	if o.File == "" {
		o.File = DefaultFile(env.Lookup)
	}
	return Measure(ctx, o.File, o.Runs, env.Log)
}
