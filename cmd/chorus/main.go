// Command chorus is the Chorus engine: import a shop's customers, catalog and
// behaviour, understand consumers, recommend products, write compliant
// personalised copy for every channel, and run campaigns.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := newApp(os.Stdin, os.Stdout, os.Stderr)
	err := a.root().ExecuteContext(ctx)
	os.Exit(exitCode(err, a))
}
