package experimentbench

import (
	"context"

	"github.com/chorusmkt/chorus/internal/bench"
)

// Command is `chorus bench experiment`: Run with a progress bar of the
// simulations.
func Command(ctx context.Context, env bench.Env, o Options) (Report, error) {
	return Run(ctx, o, env.Progress("simulations", o.Runs(), "runs"))
}
