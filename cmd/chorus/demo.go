package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/demo/demobench"
	"github.com/chorusmkt/chorus/internal/store"
)

// demoStep is a stage of the demo pipeline (chorusapp.DemoStep) that
// needs the CLI's own wiring.
type demoStep struct {
	name string
	run  func(ctx context.Context, ap *chorusapp.App, rep *demo.Report, out io.Writer) error
}

// demoSteps is the pipeline: the application's steps, then customer
// service and the sample campaign's send.
func (a *app) demoSteps(st store.Store) []chorusapp.DemoStep {
	steps := chorusapp.DemoSteps()
	for _, s := range []demoStep{a.demoSupportStep(st), a.demoSendStep(st)} {
		steps = append(steps, chorusapp.DemoStep{Name: s.name, Run: s.run})
	}
	return steps
}

func (a *app) demoCmd() *cobra.Command {
	var (
		seed      int64
		customers int
		end       string
		asJSON    bool
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Build a bilingual demo shop and run the pipeline on it",
		Long: `Builds, deterministically for a seed, a bilingual demo shop in the database:
Chinese and English-speaking customers with personas, a catalog across ten
categories (with a camera-bag / travel / photography line), a consent ledger
with revocations, and twelve months of views, carts, orders, refunds and
campaign engagement with each market's seasonality (618, 双11, Black Friday,
Christmas). Then it runs the analysis pipeline on it and says what to try next.

The same seed always gives the same data, and running the demo twice changes
nothing. 演示店铺：同一个种子总是生成相同的数据，重复运行不会重复写入。`,
		Example: `  chorus demo
  chorus demo --seed 7 --customers 5000 --db demo.db
  chorus demo --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			endAt := demo.DefaultEnd()
			if end != "" {
				t, err := time.Parse(time.DateOnly, end)
				if err != nil {
					return apperr.New(apperr.Invalid, "--end must be a date like 2026-11-01 (got %q)", end)
				}
				endAt = t
			}
			return a.runDemo(cmd, demo.Options{Seed: seed, Customers: customers, End: endAt}, asJSON)
		},
	}
	cmd.Flags().Int64Var(&seed, "seed", demo.DefaultSeed, "random seed; the same seed gives the same shop")
	cmd.Flags().IntVar(&customers, "customers", demo.DefaultCustomers, fmt.Sprintf("number of customers (%d–%d)", demo.MinCustomers, demo.MaxCustomers))
	cmd.Flags().StringVar(&end, "end", "", "exclusive end date of the twelve months of data (default 2026-11-01)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	cmd.Flags().BoolVar(&a.demoSend, "send", false, "launch the sample campaign and deliver it through the configured SMTP server (Mailpit) and webhooks")
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

// benchDemoCmd measures `chorus demo` end to end on a fresh SQLite file:
// the first build, each of its stages, and the rebuild that must write
// nothing.
func (a *app) benchDemoCmd() *cobra.Command {
	var (
		seed      int64
		customers int
		asJSON    bool
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Time building the demo shop into a fresh SQLite file, and rebuilding it",
		Long: `Builds the demo shop into a new SQLite file in a temporary directory, then
builds it again (which must write nothing), and prints the time of each
stage, the events written per second and the peak memory of the process.
The target is a whole build under 10 s for the default 2,000 customers.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := demobench.Measure(cmd.Context(), seed, customers)
			if err != nil && r.Events == 0 {
				return err
			}
			if asJSON {
				if perr := a.printJSON(r); perr != nil {
					return perr
				}
			} else if perr := r.WriteText(a.stdout); perr != nil {
				return perr
			}
			return err
		},
	}
	cmd.Flags().Int64Var(&seed, "seed", demo.DefaultSeed, "random seed")
	cmd.Flags().IntVar(&customers, "customers", demo.DefaultCustomers, "number of customers")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the figures as JSON")
	return cmd
}
