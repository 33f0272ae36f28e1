package main

import (
	"context"
	"fmt"

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
	return a.command("", cmdSpec{Use: "recommend [CUSTOMER]", Args: cobra.MaximumNArgs(1), Opts: o,
		Subs: []*cobra.Command{a.recommendEvalCmd(), a.recommendTrainCmd()},
		Run: func(cmd *cobra.Command, args []string) error {
			req := chorusapp.RecommendRequest{Segment: o.Segment, K: o.K, IDsGiven: o.Customers != ""}
			if len(args) == 1 {
				req.Customer = args[0]
			}
			if req.IDsGiven && req.Customer == "" && req.Segment == "" {
				var err error
				if req.IDs, err = customer.ReadIDs("--customers", o.Customers, a.stdin); err != nil {
					return err
				}
			}
			return renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (chorusapp.Recommendations, error) {
				r, err := ap.RecommendFor(ctx, req)
				if err == nil {
					fmt.Fprintln(a.stderr, r.Origin)
				}
				return r, err
			})(cmd, args)
		}})
}

func (a *app) recommendEvalCmd() *cobra.Command {
	o := &struct {
		Cutoff string `flag:"cutoff,required"`
		Until  string `flag:"until"`
		K      int    `flag:"k"`
		JSON   bool   `flag:"json"`
	}{K: 10}
	cmd := a.command("recommend", cmdSpec{Use: "eval --cutoff DATE", Args: cobra.NoArgs, Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		opts, err := recommend.ParseEval(o.Cutoff, o.Until, o.K)
		if err != nil {
			return err
		}
		return renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (*recommend.EvalReport, error) {
			return ap.EvaluateRecommenders(ctx, opts)
		})(cmd, args)
	}})
	// the protocol is recommend's; the help file says the same
	// (TestHelpComplete compares them)
	cmd.Long = "Trains on events before --cutoff and tests on purchases after it.\n\n" + recommend.Protocol
	return cmd
}
