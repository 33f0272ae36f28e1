package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Code is a process exit status (after BSD sysexits.h). The README's
// table of exit statuses lists the same rows; a test keeps them equal.
//
// A Code is also an error: a command whose status carries a verdict
// (`chorus check`: 1 review, 2 block) prints its output and returns the
// Code, which ends the process with it and prints nothing more.
type Code int

// The exit statuses other than a command's verdicts.
const (
	OK          Code = 0
	Usage       Code = 64  // EX_USAGE: the input or the arguments must change
	Unavailable Code = 69  // EX_UNAVAILABLE: a service (database, model) is down
	Internal    Code = 70  // EX_SOFTWARE: a bug or an unexpected failure
	Interrupted Code = 130 // 128 + SIGINT: interrupted (Ctrl-C, SIGTERM)
)

func (c Code) Error() string { return fmt.Sprintf("exit status %d", int(c)) }

// codes is the exit status of every error kind. It is exhaustive: a test
// fails for a kind of apperr.Kinds without a row.
var codes = map[apperr.Kind]Code{
	apperr.Invalid:         Usage,       // a bad flag, file, row or expression
	apperr.NotFound:        Usage,       // an unknown customer, segment or item
	apperr.Conflict:        Usage,       // the state does not allow it (a segment of that name exists)
	apperr.Forbidden:       Usage,       // policy says no (consent, suppression, compliance)
	apperr.Unavailable:     Unavailable, // the database or the model endpoint is down
	apperr.Unauthenticated: Usage,       // a wrong or revoked credential
	apperr.TooMany:         Unavailable, // too many attempts: retry later
	apperr.TooLarge:        Usage,       // an input larger than allowed
	apperr.Internal:        Internal,
}

// KindCode is the exit status of an error of kind k (Internal for a kind
// without a row, which a test prevents).
func KindCode(k apperr.Kind) Code {
	if c, ok := codes[k]; ok {
		return c
	}
	return Internal
}

// ExitStatus is the status a process ends with for err: OK for nil, the
// Code itself when err is one, Interrupted for a cancellation no layer
// gave a kind, else its kind's row.
func ExitStatus(err error) Code {
	if err == nil {
		return OK
	}
	var c Code
	if errors.As(err, &c) {
		return c
	}
	if errors.Is(err, context.Canceled) && !apperr.Has(err) {
		return Interrupted
	}
	return KindCode(apperr.KindOf(err))
}

// UsageError marks an error of the command line itself (an unknown
// command or flag, a missing argument) as Invalid: the arguments must
// change. An error that already has a kind is returned as it is.
func UsageError(c *cobra.Command, err error) error {
	if err == nil || apperr.Has(err) {
		return err
	}
	return apperr.New(apperr.Invalid, "%s (see '%s --help')", strings.TrimSuffix(err.Error(), "\n"), c.CommandPath())
}

// CheckUsage makes every usage error of the tree under root an Invalid
// error (exit 64) instead of cobra's plain errors or help with status 0:
// flag errors, argument counts, unknown subcommands of a command group
// (`chorus segment bogus`), and required flags (with RequiredFlags run
// before each command).
func CheckUsage(root *cobra.Command) {
	root.SetFlagErrorFunc(UsageError)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		args := c.Args
		if args == nil && c.HasSubCommands() {
			args = unknownSubcommand
		}
		if args == nil {
			args = cobra.ArbitraryArgs
		}
		c.Args = func(c *cobra.Command, a []string) error { return UsageError(c, args(c, a)) }
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

// RequiredFlags is run before a command (a pre-run hook): cobra checks
// required flags after the pre-run hooks, with a plain error.
func RequiredFlags(c *cobra.Command) error {
	if err := c.ValidateRequiredFlags(); err != nil {
		return UsageError(c, err)
	}
	return UsageError(c, c.ValidateFlagGroups())
}
