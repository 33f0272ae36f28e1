package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/bench"
	"github.com/chorusmkt/chorus/internal/campaign/campaignbench"
	"github.com/chorusmkt/chorus/internal/compliance/adlaw/adlawbench"
	"github.com/chorusmkt/chorus/internal/compliance/policy/policybench"
	"github.com/chorusmkt/chorus/internal/demo/demobench"
	"github.com/chorusmkt/chorus/internal/experiment/experimentbench"
	"github.com/chorusmkt/chorus/internal/httpapi/apibench"
	"github.com/chorusmkt/chorus/internal/importer/importbench"
	"github.com/chorusmkt/chorus/internal/insight/insightbench"
	"github.com/chorusmkt/chorus/internal/llm/llmbench"
	"github.com/chorusmkt/chorus/internal/recommend/recommendbench"
	"github.com/chorusmkt/chorus/internal/segment/segmentbench"
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
	run  func(context.Context, bench.Env) (textWriter, error)
}

// partial is a report worth printing next to its error (see
// demobench.Report.Partial).
type partial interface{ Partial() bool }

// area is the subcommand use running an area's Command with the options
// o, as the flags leave them; an error returns no report unless the
// report is partial.
func area[O any, R textWriter](use string, o O, run func(context.Context, bench.Env, O) (R, error)) benchSpec {
	return benchSpec{use: use, args: cobra.NoArgs, opts: &o, run: func(ctx context.Context, env bench.Env) (textWriter, error) {
		r, err := run(ctx, env, o)
		if p, ok := any(r).(partial); err != nil && (!ok || !p.Partial()) {
			return nil, err
		}
		return r, err
	}}
}

// benchCmd groups the end-to-end benchmarks, one per area, in the order
// of the help.
func (a *app) benchCmd() *cobra.Command {
	llm := area("llm", llmbench.DefaultOptions(), llmbench.Command)
	llm.args = cobra.ArbitraryArgs
	var subs []*cobra.Command
	for _, b := range []benchSpec{
		area("segment", segmentbench.DefaultOptions(), segmentbench.Command),
		area("demo", demobench.DefaultOptions(), demobench.Command),
		area("insight", insightbench.Options{Runs: 5}, insightbench.Command),
		area("recommend", recommendbench.DefaultOptions(), recommendbench.Command),
		llm,
		area("import", importbench.DefaultOptions(), importbench.Command),
		area("check", adlawbench.DefaultOptions(), adlawbench.Command),
		area("policy", policybench.DefaultOptions(), policybench.Command),
		area("support", supportbench.DefaultOptions(), supportbench.Command),
		area("experiment", experimentbench.DefaultOptions(), experimentbench.Command),
		area("send", campaignbench.DefaultOptions(), campaignbench.Command),
		area("track", trackingbench.DefaultOptions(), trackingbench.Command),
		area("console", webbench.DefaultOptions(), webbench.Command),
		area("api", apibench.DefaultOptions(), apibench.Command),
	} {
		subs = append(subs, a.benchCommand(b))
	}
	return a.command("", cmdSpec{Use: "bench", Subs: subs})
}

// benchCommand is the cobra command of b, with its --json; b runs with
// the loaded configuration and the command's stderr for its notes.
func (a *app) benchCommand(b benchSpec) *cobra.Command {
	var asJSON bool
	return a.command("bench", cmdSpec{Use: b.use, Args: b.args, Opts: b.opts, Flags: map[string]any{"json": &asJSON},
		Run: func(cmd *cobra.Command, _ []string) error {
			r, err := b.run(cmd.Context(), bench.Env{Config: a.cfg, Lookup: a.env, Log: a.stderr, Progress: a.progress})
			if r == nil {
				return a.compileFailure(asJSON, err) // a segment expression's error is printed as JSON too
			}
			if rerr := a.render(asJSON, r); rerr != nil {
				return rerr
			}
			return err
		}})
}
