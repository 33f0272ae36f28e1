package campaignbench

import (
	"context"
	"fmt"
	"os"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/bench"
)

// Command is `chorus bench send`: Run against the configured database,
// its workers this very executable, its notes on env.Log.
func Command(ctx context.Context, env bench.Env, o Options) (Report, error) {
	bin, err := os.Executable()
	if err != nil {
		return Report{}, apperr.Wrap(err, apperr.Internal, "find the chorus executable")
	}
	o.DSN, o.Binary = env.Config.DB, bin
	o.Progress = func(format string, args ...any) { fmt.Fprintf(env.Log, "bench send: "+format+"\n", args...) }
	return Run(ctx, o)
}
