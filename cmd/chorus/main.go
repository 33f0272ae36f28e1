// Command chorus is the Chorus engine: import a shop's customers, catalog and
// behaviour, understand consumers, recommend products, write compliant
// personalised copy for every channel, and run campaigns.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/chorusmkt/chorus/internal/apperr"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := newApp(os.Stdin, os.Stdout, os.Stderr)
	err := a.root().ExecuteContext(ctx)
	os.Exit(exitCode(err, a))
}

// exitStatus is returned by commands whose exit status carries meaning
// (e.g. `chorus check`: 0 pass, 1 review, 2 block) after printing output.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func exitCode(err error, a *app) int {
	if err == nil {
		return 0
	}
	var es exitStatus
	if errors.As(err, &es) {
		return int(es)
	}
	fmt.Fprintln(a.stderr, "chorus:", err)
	switch apperr.KindOf(err) {
	case apperr.Invalid, apperr.NotFound:
		return 64 // EX_USAGE-like: the input must change
	case apperr.Unavailable:
		return 69 // EX_UNAVAILABLE
	}
	return 70 // EX_SOFTWARE
}
