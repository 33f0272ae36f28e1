package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Exit statuses (after BSD sysexits.h). The README's table lists the same
// rows; TestExitCodeTableMatchesREADME keeps them equal.
const (
	exitOK          = 0
	exitUsage       = 64  // EX_USAGE: the input or the arguments must change
	exitUnavailable = 69  // EX_UNAVAILABLE: a service (database, model) is down
	exitInternal    = 70  // EX_SOFTWARE: a bug or an unexpected failure
	exitInterrupted = 130 // 128 + SIGINT: interrupted (Ctrl-C, SIGTERM)
)

// exitCodes is the exit status of every error kind. It is exhaustive:
// TestExitCodes fails for a kind without a row.
var exitCodes = map[apperr.Kind]int{
	apperr.Invalid:         exitUsage,       // a bad flag, file, row or expression
	apperr.NotFound:        exitUsage,       // an unknown customer, segment or item
	apperr.Conflict:        exitUsage,       // the state does not allow it (a segment of that name exists)
	apperr.Forbidden:       exitUsage,       // policy says no (consent, suppression, compliance)
	apperr.Unavailable:     exitUnavailable, // the database or the model endpoint is down
	apperr.Unauthenticated: exitUsage,       // a wrong or revoked credential
	apperr.TooMany:         exitUnavailable, // too many attempts: retry later
	apperr.TooLarge:        exitUsage,       // an input larger than allowed
	apperr.Internal:        exitInternal,
}

// exitStatus is returned by commands whose exit status carries meaning
// (e.g. `chorus check`: 0 pass, 1 review, 2 block) after printing output.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// exitCode prints err (once, on stderr) and returns the process's exit
// status for it.
func exitCode(err error, a *app) int {
	if err == nil {
		return exitOK
	}
	var es exitStatus
	if errors.As(err, &es) {
		return int(es)
	}
	code := codeOf(err)
	fmt.Fprintln(a.stderr, "chorus:", err)
	if _, ok := a.env("CHORUS_DEBUG"); ok {
		fmt.Fprintln(a.stderr, "chorus: detail:", apperr.Trace(err))
	}
	return code
}

// codeOf is the exit status for a non-nil err.
func codeOf(err error) int {
	if errors.Is(err, context.Canceled) && !apperr.Has(err) {
		return exitInterrupted
	}
	if code, ok := exitCodes[apperr.KindOf(err)]; ok {
		return code
	}
	return exitInternal
}

// usageError marks an error of the command line itself (an unknown
// command or flag, a missing argument): the arguments must change.
func usageError(c *cobra.Command, err error) error {
	if err == nil || apperr.Has(err) {
		return err
	}
	return apperr.New(apperr.Invalid, "%s (see '%s --help')", strings.TrimSuffix(err.Error(), "\n"), c.CommandPath())
}

// checkUsage makes every usage error of the tree under root an Invalid
// error (exit 64) instead of cobra's plain errors or help with status 0:
// flag errors, argument counts, unknown subcommands of a command group
// (`chorus segment bogus`), and required flags.
func checkUsage(root *cobra.Command) {
	root.SetFlagErrorFunc(usageError)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		args := c.Args
		if args == nil && c.HasSubCommands() {
			args = unknownSubcommand
		}
		if args == nil {
			args = cobra.ArbitraryArgs
		}
		c.Args = func(c *cobra.Command, a []string) error { return usageError(c, args(c, a)) }
		if c.HasSubCommands() && c.Run == nil && c.RunE == nil {
			// a group: alone it prints its help; with an unknown word
			// the Args check above fails
			c.RunE = func(c *cobra.Command, _ []string) error { return c.Help() }
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// unknownSubcommand rejects any argument of a command group, naming the
// nearest subcommands.
func unknownSubcommand(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
	if s := c.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	var names []string
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() {
			names = append(names, sub.Name())
		}
	}
	if len(names) > 0 {
		msg += "; its commands: " + strings.Join(names, ", ")
	}
	return errors.New(msg)
}

// requiredFlags is run before a command: cobra checks required flags
// after the pre-run hooks, with a plain error.
func requiredFlags(c *cobra.Command) error {
	if err := c.ValidateRequiredFlags(); err != nil {
		return usageError(c, err)
	}
	return usageError(c, c.ValidateFlagGroups())
}

// versionLine is what `chorus version` and `chorus --version` print.
func versionLine(w io.Writer) {
	v := versionInfo()
	fmt.Fprintf(w, "chorus %s (%s %s/%s)\n", v["version"], v["go"], v["os"], v["arch"])
}
