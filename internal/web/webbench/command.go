package webbench

import (
	"context"
	"fmt"

	"github.com/chorusmkt/chorus/internal/bench"
)

// Command is `chorus bench console`: Run with its notes on env.Log.
func Command(ctx context.Context, env bench.Env, o Options) (Report, error) {
	return Run(ctx, o, func(s string) { fmt.Fprintf(env.Log, "bench console: %s\n", s) })
}
