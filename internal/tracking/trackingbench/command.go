package trackingbench

import (
	"context"

	"github.com/chorusmkt/chorus/internal/bench"
)

// Command is `chorus bench track`: Run on scratch databases beside the
// configured one, with a progress bar of the requests.
func Command(ctx context.Context, env bench.Env, o Options) (Report, error) {
	p := env.Progress("requests", int64(2*max(o.Rounds, 1)*max(o.Requests, 1)), "req")
	defer p.Done()
	return Run(ctx, env.Scratch, o, p)
}
