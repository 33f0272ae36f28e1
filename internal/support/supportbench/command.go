package supportbench

import (
	"context"

	"github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/bench"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/support"
)

// Command is `chorus bench support`: Measure of the configured assistant
// (its model, else the offline one) over the configured database's
// knowledge base, on the demo evaluation set; the application's notes go
// to env.Log.
func Command(ctx context.Context, env bench.Env, o Options) (Report, error) {
	return bench.OnStore(ctx, env, func(st store.Store) (r Report, err error) {
		ap, err := app.New(ctx, env.Config, st, app.Options{Log: env.Log})
		if err != nil {
			return r, err
		}
		defer func() {
			if cerr := ap.Close(ctx); err == nil {
				err = cerr
			}
		}()
		as, done, err := ap.Support(ctx, support.NewMemoryRecorder())
		if err != nil {
			return r, err
		}
		defer done()
		provider := "offline"
		if !as.Offline() {
			provider = env.Config.LLM.Provider
		}
		return Measure(ctx, as, ap.Store, provider, support.DemoEvalSet(), o.Runs)
	})
}
