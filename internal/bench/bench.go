// Package bench is what `chorus bench` gives each area's end-to-end
// benchmark (the xxxbench packages): the configuration, the process
// environment and where to report, so that every benchmark's Command
// takes the same three things and wires itself from them.
package bench

import (
	"context"
	"io"

	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/progress"
	"github.com/chorusmkt/chorus/internal/store"
)

// Env is a benchmark's surroundings.
type Env struct {
	Config config.Config
	// Lookup reads the process environment (a benchmark's default input
	// may come from it).
	Lookup config.Lookup
	// Log receives notes on what is being measured (the command's stderr).
	Log io.Writer
	// Progress reports long work on Log (a bar on a terminal).
	Progress func(label string, total int64, unit string) progress.Reporter
}

// Scratch opens a scratch database beside the configured one; drop
// removes it.
func (e Env) Scratch(ctx context.Context) (st store.Store, drop func() error, err error) {
	return store.OpenScratch(ctx, e.Config.DB)
}

// OnStore runs fn on the configured database (migrated, as for every
// command) and closes it. It returns fn's error, else the error of
// closing.
func OnStore[R any](ctx context.Context, e Env, fn func(store.Store) (R, error)) (r R, err error) {
	st, err := store.Open(ctx, e.Config.DB)
	if err != nil {
		return r, err
	}
	defer func() {
		if cerr := st.Close(); err == nil {
			err = cerr
		}
	}()
	return fn(st)
}

// OnScratch runs fn on a scratch database beside dsn ("": a temporary
// SQLite file, whatever the configuration names) and drops it.
func OnScratch[R any](ctx context.Context, dsn string, fn func(store.Store) (R, error)) (r R, err error) {
	st, drop, err := store.OpenScratch(ctx, dsn)
	if err != nil {
		return r, err
	}
	defer drop()
	return fn(st)
}
