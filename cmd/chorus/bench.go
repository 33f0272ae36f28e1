package main

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign/campaignbench"
	"github.com/chorusmkt/chorus/internal/compliance/adlaw"
	"github.com/chorusmkt/chorus/internal/compliance/adlaw/adlawbench"
	"github.com/chorusmkt/chorus/internal/compliance/policy/policybench"
	"github.com/chorusmkt/chorus/internal/demo/demobench"
	"github.com/chorusmkt/chorus/internal/experiment/experimentbench"
	"github.com/chorusmkt/chorus/internal/httpapi/apibench"
	"github.com/chorusmkt/chorus/internal/importer/importbench"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/insight/insightbench"
	"github.com/chorusmkt/chorus/internal/llm/llmbench"
	"github.com/chorusmkt/chorus/internal/recommend"
	"github.com/chorusmkt/chorus/internal/recommend/recommendbench"
	"github.com/chorusmkt/chorus/internal/segment/segmentbench"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/support"
	"github.com/chorusmkt/chorus/internal/support/supportbench"
	"github.com/chorusmkt/chorus/internal/tracking/trackingbench"
	"github.com/chorusmkt/chorus/internal/web/webbench"
)

// benchSpec is one `chorus bench` subcommand: the area's options (a
// struct whose tagged fields are the flags, its values the defaults) and
// a run returning the report to print (with --json as JSON). A run may
// return a report and an error: the report is printed, then the error is
// the command's.
type benchSpec struct {
	use  string
	args cobra.PositionalArgs
	opts any
	run  func(ctx context.Context) (textWriter, error)
}

// bench is the subcommand use running run with the options o, as the
// flags leave them; an error returns no report.
func bench[O any, R textWriter](use string, o O, run func(context.Context, O) (R, error)) benchSpec {
	return benchSpec{use: use, args: cobra.NoArgs, opts: &o, run: func(ctx context.Context) (textWriter, error) {
		r, err := run(ctx, o)
		if err != nil {
			return nil, err
		}
		return r, nil
	}}
}

// benchCmd groups the end-to-end benchmarks, one per area, in the order
// of the help.
func (a *app) benchCmd() *cobra.Command {
	llm := bench("llm", llmbench.DefaultOptions(), a.benchLLM)
	llm.args = cobra.ArbitraryArgs
	var subs []*cobra.Command
	for _, b := range []benchSpec{
		bench("segment", segmentbench.DefaultOptions(), segmentbench.Measure),
		benchDemo(),
		bench("insight", insightbench.Options{Runs: 5}, a.benchInsight),
		bench("recommend", recommendbench.DefaultOptions(), a.benchRecommend),
		llm,
		bench("import", importbench.DefaultOptions(), a.benchImport),
		bench("check", adlawbench.DefaultOptions(), a.benchCheck),
		bench("policy", policybench.DefaultOptions(), a.benchPolicy),
		bench("support", supportbench.DefaultOptions(), a.benchSupport),
		bench("experiment", experimentbench.DefaultOptions(), a.benchExperiment),
		bench("send", campaignbench.DefaultOptions(), a.benchSend),
		bench("track", trackingbench.DefaultOptions(), a.benchTrack),
		bench("console", webbench.DefaultOptions(), a.benchConsole),
		bench("api", apibench.DefaultOptions(), func(ctx context.Context, o apibench.Options) (apibench.Report, error) {
			return apibench.Run(ctx, a.scratch, o)
		}),
	} {
		subs = append(subs, a.benchCommand(b))
	}
	return a.command("", cmdSpec{Use: "bench", Subs: subs})
}

// benchCommand is the cobra command of b, with its --json.
func (a *app) benchCommand(b benchSpec) *cobra.Command {
	var asJSON bool
	return a.command("bench", cmdSpec{Use: b.use, Args: b.args, Opts: b.opts, Flags: map[string]any{"json": &asJSON},
		Run: func(cmd *cobra.Command, _ []string) error {
			r, err := b.run(cmd.Context())
			if r == nil {
				return a.compileFailure(asJSON, err) // a segment expression's error is printed as JSON too
			}
			if rerr := a.render(asJSON, r); rerr != nil {
				return rerr
			}
			return err
		}})
}

// benchDemo reports a build that wrote events even when a later stage
// failed.
func benchDemo() benchSpec {
	o := demobench.DefaultOptions()
	return benchSpec{use: "demo", args: cobra.NoArgs, opts: &o, run: func(ctx context.Context) (textWriter, error) {
		r, err := demobench.Measure(ctx, o.Seed, o.Customers)
		if err != nil && r.Events == 0 {
			return nil, err
		}
		return r, err
	}}
}

// scratch opens a scratch database beside the configured one for a
// benchmark, which drops it when done.
func (a *app) scratch(ctx context.Context) (store.Store, func() error, error) {
	return store.OpenScratch(ctx, a.cfg.DB)
}

// onScratch runs fn on a scratch database (dsn "" is a temporary SQLite
// file, whatever --db names) and drops it.
func onScratch[R any](ctx context.Context, dsn string, fn func(store.Store) (R, error)) (r R, err error) {
	st, drop, err := store.OpenScratch(ctx, dsn)
	if err != nil {
		return r, err
	}
	defer drop()
	return fn(st)
}

// onStore runs fn on the configured store.
func onStore[R any](ctx context.Context, a *app, fn func(store.Store) (R, error)) (r R, err error) {
	err = a.withStore(ctx, func(st store.Store) (err error) {
		r, err = fn(st)
		return err
	})
	return r, err
}

func (a *app) benchInsight(ctx context.Context, o insightbench.Options) (insightbench.Report, error) {
	o.Insight, o.HorizonDays, o.DiscountRate = insight.OptionsFromConfig(a.cfg.Insight), a.cfg.Insight.CLV.HorizonDays, a.cfg.Insight.CLV.DiscountRate
	return onStore(ctx, a, func(st store.Store) (insightbench.Report, error) { return insightbench.Measure(ctx, st, o) })
}

func (a *app) benchRecommend(ctx context.Context, o recommendbench.Options) (recommendbench.Report, error) {
	return onStore(ctx, a, func(st store.Store) (recommendbench.Report, error) {
		return recommendbench.Measure(ctx, st, recommend.FromConfig(a.cfg.Recommend), o.Runs, o.K)
	})
}

func (a *app) benchLLM(ctx context.Context, o llmbench.Options) (llmbench.Report, error) {
	return onScratch(ctx, "", func(st store.Store) (llmbench.Report, error) {
		fmt.Fprintln(a.stderr, "running the LLM bench (throughput, cached re-run, faulty provider)…")
		return llmbench.Measure(ctx, o, st)
	})
}

func (a *app) benchImport(ctx context.Context, o importbench.Options) (importbench.Report, error) {
	if o.File == "" {
		o.File = importbench.DefaultFile(a.env)
	}
	return importbench.Measure(ctx, o.File, o.Runs, a.stderr)
}

func (a *app) benchCheck(ctx context.Context, o adlawbench.Options) (adlawbench.Report, error) {
	ck, err := adlaw.FromConfig(a.cfg.Compliance.AdLaw)
	if err != nil {
		return adlawbench.Report{}, err
	}
	return adlawbench.Measure(ctx, ck, o.N, o.Runs, o.Seed)
}

func (a *app) benchPolicy(ctx context.Context, o policybench.Options) (policybench.Report, error) {
	return onScratch(ctx, a.cfg.DB, func(st store.Store) (policybench.Report, error) {
		return policybench.Measure(ctx, a.cfg.Compliance.Contact, st, o)
	})
}

func (a *app) benchSupport(ctx context.Context, o supportbench.Options) (r supportbench.Report, err error) {
	err = a.withApp(ctx, func(ap *chorusapp.App) error {
		as, done, err := ap.Support(ctx, support.NewMemoryRecorder())
		if err != nil {
			return err
		}
		defer done()
		provider := "offline"
		if !as.Offline() {
			provider = a.cfg.LLM.Provider
		}
		r, err = supportbench.Measure(ctx, as, ap.Store, provider, support.DemoEvalSet(), o.Runs)
		return err
	})
	return r, err
}

func (a *app) benchExperiment(ctx context.Context, o experimentbench.Options) (experimentbench.Report, error) {
	return experimentbench.Run(ctx, o, a.progress("simulations", o.Runs(), "runs"))
}

func (a *app) benchSend(ctx context.Context, o campaignbench.Options) (campaignbench.Report, error) {
	bin, err := os.Executable()
	if err != nil {
		return campaignbench.Report{}, apperr.Wrap(err, apperr.Internal, "find the chorus executable")
	}
	o.DSN, o.Binary = a.cfg.DB, bin
	o.Progress = func(format string, args ...any) { fmt.Fprintf(a.stderr, "bench send: "+format+"\n", args...) }
	return campaignbench.Run(ctx, o)
}

func (a *app) benchTrack(ctx context.Context, o trackingbench.Options) (trackingbench.Report, error) {
	p := a.progress("requests", int64(2*max(o.Rounds, 1)*max(o.Requests, 1)), "req")
	defer p.Done()
	return trackingbench.Run(ctx, a.scratch, o, p)
}

func (a *app) benchConsole(ctx context.Context, o webbench.Options) (webbench.Report, error) {
	return webbench.Run(ctx, o, func(s string) { fmt.Fprintf(a.stderr, "bench console: %s\n", s) })
}
