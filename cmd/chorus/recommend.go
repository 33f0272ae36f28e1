package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
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
			ctx := cmd.Context()
			if o.K < 1 {
				return apperr.New(apperr.Invalid, "--k is %d; ask for at least 1 item", o.K)
			}
			sources := 0
			for _, set := range []bool{len(args) == 1, o.Segment != "", o.Customers != ""} {
				if set {
					sources++
				}
			}
			if sources != 1 {
				return apperr.New(apperr.Invalid, "name exactly one of: a CUSTOMER argument, --segment NAME, --customers FILE")
			}
			return a.withApp(ctx, func(ap *chorusapp.App) error {
				return a.runRecommend(ctx, ap, args, o.Segment, o.Customers, o.K, o.JSON)
			})
		}})
}

// runRecommend recommends k items for the customer in args, the members
// of segName or the ids in customersFile, with the current model.
func (a *app) runRecommend(ctx context.Context, ap *chorusapp.App, args []string, segName, customersFile string, k int, asJSON bool) error {
	var ids []string
	var err error
	switch {
	case segName != "":
		if ids, err = ap.Segments.Members(ctx, segName); err != nil {
			return err
		}
	case customersFile != "":
		if ids, err = customer.ReadIDs("--customers", customersFile, a.stdin); err != nil {
			return err
		}
	}
	if len(args) == 1 {
		if err := ap.Known(ctx, args[0]); err != nil {
			return err
		}
	}
	m, origin, err := ap.Recommend.Model(ctx, false)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stderr, origin)
	if len(args) == 1 {
		return a.printRecommendations(a.stdout, m, args[0], k, asJSON)
	}
	batches, err := m.RecommendMany(ctx, ids, k)
	if err != nil {
		return err
	}
	if asJSON {
		return a.printJSON(batches)
	}
	return recommend.WriteBatches(a.stdout, batches)
}

// printRecommendations prints one customer's top k items on w (JSON on
// stdout with asJSON).
func (a *app) printRecommendations(w io.Writer, m *recommend.Model, id string, k int, asJSON bool) error {
	if !asJSON {
		return m.WriteFor(w, id, k)
	}
	items, err := m.Recommend(id, k)
	if err != nil {
		return err
	}
	return a.printJSON(recommend.Batch{CustomerID: id, Known: m.Known(id), Items: items})
}

func (a *app) recommendEvalCmd() *cobra.Command {
	o := &struct {
		Cutoff string `flag:"cutoff,required"`
		Until  string `flag:"until"`
		K      int    `flag:"k"`
		JSON   bool   `flag:"json"`
	}{K: 10}
	cmd := a.command("recommend", cmdSpec{Use: "eval --cutoff DATE", Args: cobra.NoArgs, Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		opts, err := recommend.ParseEval(o.Cutoff, o.Until, o.K)
		if err != nil {
			return err
		}
		return renderApp(ctx, a, o.JSON, func(ap *chorusapp.App) (*recommend.EvalReport, error) { return ap.EvaluateRecommenders(ctx, opts) })
	}})
	// the protocol is recommend's; the help file says the same
	// (TestHelpComplete compares them)
	cmd.Long = "Trains on events before --cutoff and tests on purchases after it.\n\n" + recommend.Protocol
	return cmd
}
