package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	clikit "github.com/chorusmkt/chorus/internal/cli"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/store"
)

func (a *app) demoCmd() *cobra.Command {
	o := &struct {
		Seed      int64  `flag:"seed"`
		Customers int    `flag:"customers"`
		End       string `flag:"end"`
		JSON      bool   `flag:"json"`
	}{Seed: demo.DefaultSeed, Customers: demo.DefaultCustomers}
	return a.command("", cmdSpec{Use: "demo", Args: cobra.NoArgs, Opts: o, Flags: map[string]any{"send": &a.demoSend},
		// the range is the generator's; the help file says the same
		// (TestHelpComplete compares them)
		Usage: map[string]string{"customers": fmt.Sprintf("number of customers (%d–%d)", demo.MinCustomers, demo.MaxCustomers)},
		Run: func(cmd *cobra.Command, args []string) error {
			opts := demo.Options{Seed: o.Seed, Customers: o.Customers, Progress: demo.LogProgress(a.stderr)}
			var err error
			if opts.End, err = demo.ParseEnd(o.End); err != nil {
				return err
			}
			return a.withStore(cmd.Context(), func(st store.Store) error { return a.runDemo(cmd, st, opts, o.JSON) })
		}})
}

// runDemo builds the demo shop in st, runs the pipeline on it (the
// application's steps, then the sample campaign's send, which needs the
// CLI's wiring), gives it a console login and prints the report.
func (a *app) runDemo(cmd *cobra.Command, st store.Store, opts demo.Options, asJSON bool) error {
	ctx, t0 := cmd.Context(), time.Now()
	fmt.Fprintf(a.stderr, "demo: building the shop in %s (%s), seed %d, %d customers\n", redactDSN(a.cfg.DB), st.Engine(), opts.Seed, opts.Customers)
	rep, err := chorusapp.BuildDemo(ctx, st, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "demo: shop built in %s\n", time.Since(t0).Round(time.Millisecond))
	ap, err := chorusapp.New(ctx, a.cfg, st, chorusapp.Options{Log: io.Discard})
	if err != nil {
		return err
	}
	defer ap.Close(ctx)
	failed := ap.RunDemo(ctx, &rep, append(chorusapp.DemoSteps(), a.demoSendStep(st)), a.stderr)
	if note, err := ap.DemoLogin(auth.WithActor(ctx, a.actor()), &rep); err != nil {
		fmt.Fprintf(a.stderr, "demo: console login: %v\n", err)
		failed = append(failed, "console login")
	} else if note != "" {
		fmt.Fprintf(a.stderr, "demo: note: %s\n", note)
	}
	if asJSON {
		err = a.printJSON(rep)
	} else {
		a.printDemo(cmd.Root(), rep)
	}
	if err == nil && len(failed) > 0 {
		err = apperr.New(apperr.Internal, "demo: pipeline step(s) failed: %s", strings.Join(failed, ", "))
	}
	return err
}

// printDemo prints the report for a person, with what to try next: the
// suggestions whose commands this build has.
func (a *app) printDemo(root *cobra.Command, rep demo.Report) {
	rep.WriteSummary(a.stdout)
	rep.WritePipeline(a.stdout)
	fmt.Fprintln(a.stdout, "\nwhat to try next 接下来可以试试:")
	for _, s := range demo.Suggestions {
		if line, ok := clikit.Suggest(root, s.Path, s.Line(rep, a.dbFlag)); ok {
			fmt.Fprintf(a.stdout, "  # %s\n  %s\n", s.What, line)
		}
	}
	rep.WriteServe(a.stdout, a.dbFlag, a.cfg.Tracking.Secret == "")
}
