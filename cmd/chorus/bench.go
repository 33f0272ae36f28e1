package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign/campaignbench"
	"github.com/chorusmkt/chorus/internal/compliance/adlaw"
	"github.com/chorusmkt/chorus/internal/compliance/adlaw/adlawbench"
	"github.com/chorusmkt/chorus/internal/compliance/policy/policybench"
	"github.com/chorusmkt/chorus/internal/demo"
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

// benchSpec is one `chorus bench` subcommand: flags bound to the area's
// options, and a run returning the report to print (with --json as JSON).
// A run may return a report and an error: the report is printed, then the
// error is the command's.
type benchSpec struct {
	use   string
	args  cobra.PositionalArgs // nil: cobra.NoArgs
	flags map[string]any
	run   func(ctx context.Context) (textWriter, error)
}

// report adapts an area's (report, error) to a benchSpec's run: no
// report when there is an error.
func report[R textWriter](r R, err error) (textWriter, error) {
	if err != nil {
		return nil, err
	}
	return r, nil
}

// benchCmd groups the end-to-end benchmarks, one per area.
func (a *app) benchCmd() *cobra.Command {
	var subs []*cobra.Command
	for _, b := range a.benches() {
		subs = append(subs, a.benchCommand(b))
	}
	return a.command("", cmdSpec{Use: "bench", Subs: subs})
}

// benchCommand is the cobra command of b, with its --json.
func (a *app) benchCommand(b benchSpec) *cobra.Command {
	var asJSON bool
	b.flags["json"] = &asJSON
	args := b.args
	if args == nil {
		args = cobra.NoArgs
	}
	return a.command("bench", cmdSpec{Use: b.use, Args: args, Flags: b.flags, Run: func(cmd *cobra.Command, _ []string) error {
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

// benches is every `chorus bench` subcommand, in the order of the help.
func (a *app) benches() []benchSpec {
	return []benchSpec{a.benchSegment(), a.benchDemo(), a.benchInsight(), a.benchRecommend(), a.benchLLM(), a.benchImport(),
		a.benchCheck(), a.benchPolicy(), a.benchSupport(), a.benchExperiment(), a.benchSend(), a.benchTrack(), a.benchConsole(), a.benchAPI()}
}

// scratch opens a scratch database beside the configured one for a
// benchmark, which drops it when done.
func (a *app) scratch(ctx context.Context) (store.Store, func() error, error) {
	return store.OpenScratch(ctx, a.cfg.DB)
}

func (a *app) benchSegment() benchSpec {
	o := segmentbench.Options{N: 1_000_000, Seed: 1, Runs: 5,
		Expression: `rfm.segment in ["at_risk","cant_loose"] && affinity["camera"] > 0.3 && consent.email && clv > 200`}
	return benchSpec{use: "segment",
		flags: map[string]any{"n": &o.N, "seed": &o.Seed, "workers": &o.Workers, "runs": &o.Runs, "expr": &o.Expression},
		run:   func(ctx context.Context) (textWriter, error) { return report(segmentbench.Measure(ctx, o)) }}
}

func (a *app) benchDemo() benchSpec {
	seed, customers := int64(demo.DefaultSeed), demo.DefaultCustomers
	return benchSpec{use: "demo", flags: map[string]any{"seed": &seed, "customers": &customers},
		run: func(ctx context.Context) (textWriter, error) {
			r, err := demobench.Measure(ctx, seed, customers)
			if err != nil && r.Events == 0 {
				return nil, err
			}
			return r, err // a build that wrote events is reported even when a later stage failed
		}}
}

func (a *app) benchInsight() benchSpec {
	runs := 5
	return benchSpec{use: "insight", flags: map[string]any{"runs": &runs}, run: func(ctx context.Context) (r textWriter, err error) {
		err = a.withStore(ctx, func(st store.Store) error {
			r, err = report(insightbench.Measure(ctx, st, insightbench.Options{Insight: insight.OptionsFromConfig(a.cfg.Insight), Runs: runs,
				HorizonDays: a.cfg.Insight.CLV.HorizonDays, DiscountRate: a.cfg.Insight.CLV.DiscountRate}))
			return err
		})
		return r, err
	}}
}

func (a *app) benchRecommend() benchSpec {
	runs, k := 3, 10
	return benchSpec{use: "recommend", flags: map[string]any{"runs": &runs, "k": &k}, run: func(ctx context.Context) (r textWriter, err error) {
		err = a.withStore(ctx, func(st store.Store) error {
			r, err = report(recommendbench.Measure(ctx, st, recommend.FromConfig(a.cfg.Recommend), runs, k))
			return err
		})
		return r, err
	}}
}

func (a *app) benchLLM() benchSpec {
	o := llmbench.Options{Requests: 2000, RPM: 12000, Latency: 20 * time.Millisecond, Concurrency: 64, FaultItems: 1000, FaultRate: 0.30, MaxAttempts: 4}
	return benchSpec{use: "llm", args: cobra.ArbitraryArgs,
		flags: map[string]any{"requests": &o.Requests, "rpm": &o.RPM, "latency": &o.Latency, "concurrency": &o.Concurrency,
			"fault-items": &o.FaultItems, "fault-rate": &o.FaultRate, "max-attempts": &o.MaxAttempts},
		run: func(ctx context.Context) (textWriter, error) {
			st, drop, err := store.OpenScratch(ctx, "") // a temporary SQLite file, whatever --db names
			if err != nil {
				return nil, err
			}
			defer drop()
			fmt.Fprintln(a.stderr, "running the LLM bench (throughput, cached re-run, faulty provider)…")
			return report(llmbench.Measure(ctx, o, st))
		}}
}

func (a *app) benchImport() benchSpec {
	file, runs := "", 3
	return benchSpec{use: "import", flags: map[string]any{"file": &file, "runs": &runs}, run: func(ctx context.Context) (textWriter, error) {
		if file == "" {
			file = importbench.DefaultFile(a.env)
		}
		return report(importbench.Measure(ctx, file, runs, a.stderr))
	}}
}

func (a *app) benchCheck() benchSpec {
	n, runs, seed := 10000, 3, uint64(1)
	return benchSpec{use: "check", flags: map[string]any{"n": &n, "runs": &runs, "seed": &seed}, run: func(ctx context.Context) (textWriter, error) {
		ck, err := adlaw.FromConfig(a.cfg.Compliance.AdLaw)
		if err != nil {
			return nil, err
		}
		return report(adlawbench.Measure(ctx, ck, n, runs, seed))
	}}
}

func (a *app) benchPolicy() benchSpec {
	o := policybench.Options{Customers: 10000, Sends: 200000, Stale: 50000, N: 20000, Workers: 1, MaxPhase: 5 * time.Second, Seed: 1}
	return benchSpec{use: "policy",
		flags: map[string]any{"customers": &o.Customers, "sends": &o.Sends, "stale": &o.Stale, "n": &o.N, "max-phase": &o.MaxPhase,
			"workers": &o.Workers, "seed": &o.Seed},
		run: func(ctx context.Context) (textWriter, error) {
			st, drop, err := a.scratch(ctx)
			if err != nil {
				return nil, err
			}
			defer drop()
			return report(policybench.Measure(ctx, a.cfg.Compliance.Contact, st, o))
		}}
}

func (a *app) benchSupport() benchSpec {
	runs := 3
	return benchSpec{use: "support", flags: map[string]any{"runs": &runs}, run: func(ctx context.Context) (r textWriter, err error) {
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
			r, err = report(supportbench.Measure(ctx, as, ap.Store, provider, support.DemoEvalSet(), runs))
			return err
		})
		return r, err
	}}
}

func (a *app) benchExperiment() benchSpec {
	o := experimentbench.Options{Sims: 10000, Recipients: 10000, Looks: 20, Rate: 0.05, Lift: 0.20, Alpha: 0.05, BanditSims: 200,
		BanditRecipients: 20000, BanditBatch: 500, BanditRates: []float64{0.04, 0.05, 0.06}, HeavySims: 1000, Seed: 1}
	return benchSpec{use: "experiment",
		flags: map[string]any{"sims": &o.Sims, "recipients": &o.Recipients, "looks": &o.Looks, "rate": &o.Rate, "lift": &o.Lift,
			"alpha": &o.Alpha, "bandit-sims": &o.BanditSims, "bandit-recipients": &o.BanditRecipients, "bandit-batch": &o.BanditBatch,
			"bandit-rates": &o.BanditRates, "heavy-sims": &o.HeavySims, "seed": &o.Seed},
		run: func(ctx context.Context) (textWriter, error) {
			p := a.progress("simulations", o.Runs(), "runs")
			return report(experimentbench.Run(ctx, o, p))
		}}
}

func (a *app) benchSend() benchSpec {
	o := campaignbench.Options{N: 20000, Workers: 1, Connections: 4,
		Progress: func(format string, args ...any) { fmt.Fprintf(a.stderr, "bench send: "+format+"\n", args...) }}
	return benchSpec{use: "send",
		flags: map[string]any{"n": &o.N, "workers": &o.Workers, "connections": &o.Connections, "profile": &o.ProfileDir},
		run: func(ctx context.Context) (textWriter, error) {
			bin, err := os.Executable()
			if err != nil {
				return nil, apperr.Wrap(err, apperr.Internal, "find the chorus executable")
			}
			o.DSN, o.Binary = a.cfg.DB, bin
			return report(campaignbench.Run(ctx, o))
		}}
}

func (a *app) benchTrack() benchSpec {
	o := trackingbench.Options{Requests: 100_000, Rounds: 3, Concurrency: 16, Sends: 10_000, Warmup: 5_000}
	return benchSpec{use: "track",
		flags: map[string]any{"requests": &o.Requests, "rounds": &o.Rounds, "concurrency": &o.Concurrency, "sends": &o.Sends,
			"warmup": &o.Warmup, "flush-interval": &o.FlushInterval},
		run: func(ctx context.Context) (textWriter, error) {
			p := a.progress("requests", int64(2*max(o.Rounds, 1)*max(o.Requests, 1)), "req")
			defer p.Done()
			return report(trackingbench.Run(ctx, a.scratch, o, p))
		}}
}

func (a *app) benchConsole() benchSpec {
	o := webbench.Options{Customers: 100_000, Seed: 1, N: 50}
	return benchSpec{use: "console", flags: map[string]any{"customers": &o.Customers, "seed": &o.Seed, "db": &o.DB, "n": &o.N},
		run: func(ctx context.Context) (textWriter, error) {
			return report(webbench.Run(ctx, o, func(s string) { fmt.Fprintf(a.stderr, "bench console: %s\n", s) }))
		}}
}

func (a *app) benchAPI() benchSpec {
	o := apibench.Options{Batch: 5000, Batches: 10, Customers: 20000, Rounds: 3}
	return benchSpec{use: "api", flags: map[string]any{"batch": &o.Batch, "batches": &o.Batches, "customers": &o.Customers, "rounds": &o.Rounds},
		run: func(ctx context.Context) (textWriter, error) { return report(apibench.Run(ctx, a.scratch, o)) }}
}
