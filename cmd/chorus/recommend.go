package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/recommend"
)

func (a *app) recommendCmd() *cobra.Command {
	o := &struct {
		K         int    `flag:"k"`
		JSON      bool   `flag:"json"`
		Segment   string `flag:"segment"`
		Customers string `flag:"customers"`
	}{K: 10}
	var req chorusapp.RecommendRequest
	return a.command("", cmdSpec{Use: "recommend [CUSTOMER]", Args: cobra.MaximumNArgs(1), Opts: o,
		Subs: []*cobra.Command{a.recommendEvalCmd(), a.recommendTrainCmd()},
		Check: func(_ *cobra.Command, args []string) (err error) {
			req = chorusapp.RecommendRequest{Segment: o.Segment, K: o.K, IDsGiven: o.Customers != "", Customer: strings.Join(args, "")}
			if req.IDsGiven && req.Customer == "" && req.Segment == "" {
				req.IDs, err = customer.ReadIDs("--customers", o.Customers, a.stdin)
			}
			return err
		},
		Run: renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (chorusapp.Recommendations, error) {
			r, err := ap.RecommendFor(ctx, req)
			if err == nil {
				fmt.Fprintln(a.stderr, r.Origin)
			}
			return r, err
		})})
}

func (a *app) recommendEvalCmd() *cobra.Command {
	o := &struct {
		Cutoff string `flag:"cutoff,required"`
		Until  string `flag:"until"`
		K      int    `flag:"k"`
		JSON   bool   `flag:"json"`
	}{K: 10}
	var opts recommend.EvalOptions
	return a.command("recommend", cmdSpec{Use: "eval --cutoff DATE", Args: cobra.NoArgs, Opts: o,
		// the protocol is recommend's; the help file says the same
		// (TestHelpComplete compares them)
		Long: "Trains on events before --cutoff and tests on purchases after it.\n\n" + recommend.Protocol,
		Check: func(*cobra.Command, []string) (err error) {
			opts, err = recommend.ParseEval(o.Cutoff, o.Until, o.K)
			return err
		},
		Run: renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (*recommend.EvalReport, error) {
			return ap.EvaluateRecommenders(ctx, opts)
		})})
}
