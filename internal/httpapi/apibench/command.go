package apibench

import (
	"context"

	"github.com/chorusmkt/chorus/internal/bench"
)

// Command is `chorus bench api`: Run on a scratch database beside the
// configured one.
func Command(ctx context.Context, env bench.Env, o Options) (Report, error) {
	return Run(ctx, env.Scratch, o)
}
