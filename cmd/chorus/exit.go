package main

import (
	"errors"
	"fmt"

	"github.com/chorusmkt/chorus/internal/apperr"
	clikit "github.com/chorusmkt/chorus/internal/cli"
)

// exitStatus ends the process with a verdict's status after the output
// (`chorus check`: 1 review, 2 block); see clikit.Code.
type exitStatus = clikit.Code

// exitCode prints err (once, on stderr; a verdict's status prints
// nothing) and returns the process's exit status for it.
func exitCode(err error, a *app) int {
	code := clikit.ExitStatus(err)
	var verdict exitStatus
	if err == nil || errors.As(err, &verdict) {
		return int(code)
	}
	fmt.Fprintln(a.stderr, "chorus:", err)
	if _, ok := a.env("CHORUS_DEBUG"); ok {
		fmt.Fprintln(a.stderr, "chorus: detail:", apperr.Trace(err))
	}
	return int(code)
}
