package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	clikit "github.com/chorusmkt/chorus/internal/cli"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/progress"
	"github.com/chorusmkt/chorus/internal/store"
)

// app holds what every subcommand shares: configuration, I/O and wiring.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	env            config.Lookup

	cfgPath string
	dbFlag  string
	cfg     config.Config

	// wrapStore, when set, wraps the store the services are wired over
	// (a test observes or slows its writes); nil uses it as it is.
	wrapStore func(chorusapp.Store) chorusapp.Store
	// listener, when set, is what serve serves on instead of listening on
	// --addr (a test that holds its port from before the config is written).
	listener net.Listener

	demoSend bool // chorus demo --send

	help clikit.Help // every command's help, loaded by root
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *app {
	return &app{stdin: stdin, stdout: stdout, stderr: stderr, env: os.LookupEnv}
}

func (a *app) root() *cobra.Command {
	a.help = loadHelp()
	e := a.help.Entry("")
	root := &cobra.Command{Use: "chorus", Short: e.Short, Long: e.Long, SilenceUsage: true, SilenceErrors: true, Version: version,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := clikit.RequiredFlags(cmd); err != nil {
				return err
			}
			return a.loadConfig()
		},
	}
	root.SetVersionTemplate(versionTemplate())
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	clikit.BindFlag(root.PersistentFlags(), "config", &a.cfgPath, e)
	clikit.BindFlag(root.PersistentFlags(), "db", &a.dbFlag, e)
	root.AddCommand(a.versionCmd(), a.migrateCmd(), a.benchCmd(), a.llmCmd(), a.importCmd(), a.demoCmd(),
		a.segmentCmd(), a.rfmCmd(), a.clvCmd(), a.profileCmd(), a.recommendCmd(), a.generateCmd(), a.contentCmd(),
		a.policyCmd(), a.suppressCmd(), a.privacyCmd(), a.checkCmd(), a.askCmd(), a.kbCmd(), a.supportCmd(),
		a.experimentCmd(), a.shopCmd(), a.campaignCmd(), a.workerCmd(), a.serveCmd(), a.tokenCmd(), a.userCmd(), a.auditCmd())
	clikit.CheckUsage(root)
	return root
}

// loadConfig applies defaults, the config file, CHORUS_* and then flags.
func (a *app) loadConfig() error {
	cfg, err := chorusapp.LoadConfig(a.cfgPath, a.dbFlag, a.env)
	if err == nil {
		a.cfg = cfg
	}
	return err
}

// withStore opens (and migrates) the configured database, runs fn on it
// and closes it. It returns fn's error, else the error of closing: a
// failed close is not lost because fn succeeded.
func (a *app) withStore(ctx context.Context, fn func(store.Store) error) (err error) {
	st, err := store.Open(ctx, a.cfg.DB)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := st.Close(); err == nil {
			err = cerr
		}
	}()
	return fn(st)
}

// withApp opens the configured database, wires the application's
// services over it (internal/app: the same ones the HTTP API calls), runs
// fn and closes both; notes of the services go to stderr. It returns fn's
// error, else the first error of closing.
func (a *app) withApp(ctx context.Context, fn func(*chorusapp.App) error) error {
	return a.withStore(ctx, func(db store.Store) error {
		var st chorusapp.Store = db
		if a.wrapStore != nil {
			st = a.wrapStore(st)
		}
		return a.onApp(ctx, st, fn)
	})
}

// onApp wires the application's services over st, runs fn and closes
// them. It returns fn's error, else the error of closing.
func (a *app) onApp(ctx context.Context, st chorusapp.Store, fn func(*chorusapp.App) error) (err error) {
	ap, err := chorusapp.New(ctx, a.cfg, st, chorusapp.Options{Log: a.stderr})
	if err != nil {
		return err
	}
	defer func() {
		if cerr := ap.Close(ctx); err == nil {
			err = cerr
		}
	}()
	return fn(ap)
}

// progress reports long work on stderr (a bar on a terminal).
func (a *app) progress(label string, total int64, unit string) progress.Reporter {
	return progress.New(a.stderr, label, total, unit)
}

// textWriter is a report that writes itself for a person.
type textWriter interface{ WriteText(io.Writer) error }

// render prints v as JSON with asJSON, else as its text.
func (a *app) render(asJSON bool, v textWriter) error {
	if asJSON {
		return a.printJSON(v)
	}
	return v.WriteText(a.stdout)
}

// printJSON writes v as indented JSON to stdout.
func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// renderResult renders a call's result on stdout, as JSON with asJSON or
// when it has no text, or returns the call's error: the one tail of the
// commands' printing.
func renderResult[R any](a *app, asJSON bool) func(R, error) error {
	return func(r R, err error) error {
		if err != nil {
			return err
		}
		if t, ok := any(r).(textWriter); ok && !asJSON {
			return t.WriteText(a.stdout)
		}
		return a.printJSON(r)
	}
}

// appRun is the Run of a command that works on the application: it wires
// it (as withApp does) and calls fn with the command's context and
// arguments.
func (a *app) appRun(fn func(ctx context.Context, ap *chorusapp.App, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		return a.withApp(cmd.Context(), func(ap *chorusapp.App) error { return fn(cmd.Context(), ap, args) })
	}
}

// textRun is the Run of a command on a text: its arguments, else stdin
// (clikit.TextInput).
func (a *app) textRun(fn func(text string) error) func(*cobra.Command, []string) error {
	return func(_ *cobra.Command, args []string) error {
		text, err := clikit.TextInput(a.stdin, args)
		if err != nil {
			return err
		}
		return fn(text)
	}
}

// lineRun is the Run of a command that makes one change: the line fn
// returns, saying what it did, is printed when it succeeds.
func (a *app) lineRun(fn func(ctx context.Context, ap *chorusapp.App, args []string) (string, error)) func(*cobra.Command, []string) error {
	return a.appRun(func(ctx context.Context, ap *chorusapp.App, args []string) error {
		line, err := fn(ctx, ap, args)
		if err == nil {
			_, err = fmt.Fprintln(a.stdout, line)
		}
		return err
	})
}

// callCmd is the command use under parent, with the argument rule args,
// whose one flag is --json: it renders what call returns (see renderRun).
func callCmd[R any](a *app, parent, use string, args cobra.PositionalArgs, call func(ctx context.Context, ap *chorusapp.App, args []string) (R, error)) *cobra.Command {
	o := &jsonOpts{}
	return a.command(parent, cmdSpec{Use: use, Args: args, Opts: o, Run: renderRun(a, &o.JSON, call)})
}

// renderRun is the Run of a command that calls one service method: what
// fn returns is rendered, as JSON when *asJSON is set at run time.
func renderRun[R any](a *app, asJSON *bool, fn func(ctx context.Context, ap *chorusapp.App, args []string) (R, error)) func(*cobra.Command, []string) error {
	return a.appRun(func(ctx context.Context, ap *chorusapp.App, args []string) error {
		r, err := fn(ctx, ap, args)
		return renderResult[R](a, asJSON != nil && *asJSON)(r, err)
	})
}

// renderNext is err, else the error of rendering v, then for a person
// the next command to run.
func (a *app) renderNext(asJSON bool, v textWriter, err error, next string) error {
	if err == nil {
		err = a.render(asJSON, v)
	}
	if err != nil || asJSON {
		return err
	}
	_, err = a.stdout.Write([]byte("next: " + next + "\n"))
	return err
}

// orEmpty is s, or an empty list rather than null in JSON.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
