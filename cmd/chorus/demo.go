package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/store"
)

// demoSteps is the pipeline: the application's steps, then the sample
// campaign's send, which needs the CLI's own wiring.
func (a *app) demoSteps(st store.Store) []chorusapp.DemoStep {
	return append(chorusapp.DemoSteps(), a.demoSendStep(st))
}

func (a *app) demoCmd() *cobra.Command {
	o := &struct {
		Seed      int64  `flag:"seed"`
		Customers int    `flag:"customers"`
		End       string `flag:"end"`
		JSON      bool   `flag:"json"`
	}{Seed: demo.DefaultSeed, Customers: demo.DefaultCustomers}
	cmd := a.command("", cmdSpec{Use: "demo", Args: cobra.NoArgs, Opts: o, Flags: map[string]any{"send": &a.demoSend},
		Run: func(cmd *cobra.Command, args []string) error {
			endAt := demo.DefaultEnd()
			if o.End != "" {
				t, err := time.Parse(time.DateOnly, o.End)
				if err != nil {
					return apperr.New(apperr.Invalid, "--end must be a date like 2026-11-01 (got %q)", o.End)
				}
				endAt = t
			}
			return a.runDemo(cmd, demo.Options{Seed: o.Seed, Customers: o.Customers, End: endAt}, o.JSON)
		}})
	// the range is the generator's; the help file says the same
	// (TestHelpComplete compares them)
	cmd.Flags().Lookup("customers").Usage = fmt.Sprintf("number of customers (%d–%d)", demo.MinCustomers, demo.MaxCustomers)
	return cmd
}

func (a *app) runDemo(cmd *cobra.Command, opts demo.Options, asJSON bool) error {
	ctx := cmd.Context()
	t0 := time.Now()
	return a.withStore(ctx, func(st store.Store) error {
		fmt.Fprintf(a.stderr, "demo: building the shop in %s (%s), seed %d, %d customers\n", redactDSN(a.cfg.DB), st.Engine(), opts.Seed, opts.Customers)
		opts.Progress = demo.LogProgress(a.stderr)
		rep, err := demo.Build(ctx, st, opts)
		if err != nil {
			return err
		}
		if _, err := st.PutShopSettings(ctx, demo.ShopSettings(time.Now()), true); err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "demo: shop built in %s\n", time.Since(t0).Round(time.Millisecond))
		ap, err := chorusapp.New(ctx, a.cfg, st, chorusapp.Options{Log: io.Discard})
		if err != nil {
			return err
		}
		defer ap.Close(ctx)
		failed := ap.RunDemo(ctx, &rep, a.demoSteps(st), a.stderr)
		failed = append(failed, a.demoLogin(ctx, ap, &rep)...)
		if asJSON {
			if err := a.printJSON(rep); err != nil {
				return err
			}
		} else {
			rep.WriteSummary(a.stdout)
			rep.WritePipeline(a.stdout)
			printDemoNext(a.stdout, cmd.Root(), rep, a.dbFlag)
			rep.WriteServe(a.stdout, a.dbFlag, a.cfg.Tracking.Secret == "")
		}
		if len(failed) > 0 {
			return apperr.New(apperr.Internal, "demo: pipeline step(s) failed: %s", strings.Join(failed, ", "))
		}
		return nil
	})
}

func printDemoNext(w io.Writer, root *cobra.Command, rep demo.Report, dbFlag string) {
	fmt.Fprintln(w, "\nwhat to try next 接下来可以试试:")
	for _, s := range demo.Suggestions {
		c, rest, err := root.Find(s.Path)
		if err != nil || len(rest) > 0 || c == root || c.Name() != s.Path[len(s.Path)-1] {
			continue
		}
		line := s.Line(rep, dbFlag)
		if line == "" || !flagsExist(root, c, line) {
			line = firstExample(c)
		}
		fmt.Fprintf(w, "  # %s\n  %s\n", s.What, line)
	}
}

// flagsExist reports whether every --flag in line is one the command
// accepts, so a suggestion never outlives a renamed flag.
func flagsExist(root, c *cobra.Command, line string) bool {
	for _, f := range strings.Fields(line) {
		name, ok := strings.CutPrefix(f, "--")
		if !ok {
			continue
		}
		name, _, _ = strings.Cut(name, "=")
		if c.Flags().Lookup(name) == nil && c.InheritedFlags().Lookup(name) == nil && root.PersistentFlags().Lookup(name) == nil {
			return false
		}
	}
	return true
}

// firstExample is the first line of a command's Example, or its --help.
func firstExample(c *cobra.Command) string {
	for _, l := range strings.Split(c.Example, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "chorus ") {
			return l
		}
	}
	return c.CommandPath() + " --help"
}
