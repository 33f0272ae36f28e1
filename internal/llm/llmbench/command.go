package llmbench

import (
	"context"
	"fmt"

	"github.com/chorusmkt/chorus/internal/bench"
	"github.com/chorusmkt/chorus/internal/store"
)

// Command is `chorus bench llm`: Measure on a temporary SQLite database,
// whatever the configuration names (the cache it fills is thrown away).
func Command(ctx context.Context, env bench.Env, o Options) (Report, error) {
	return bench.OnScratch(ctx, "", func(st store.Store) (Report, error) {
		fmt.Fprintln(env.Log, "running the LLM bench (throughput, cached re-run, faulty provider)…")
		return Measure(ctx, o, st)
	})
}
