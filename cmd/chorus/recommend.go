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
	var k int
	var asJSON bool
	var segName, customersFile string
	cmd := &cobra.Command{
		Use:   "recommend [CUSTOMER]",
		Short: "Recommend products for a customer, a segment or a list of customers",
		Long: `Ranks products with the recommenders (recency-weighted popularity, item-to-item,
implicit ALS, content similarity and their tuned hybrid blend) trained on every
purchase, cart, view and refund event in the store, and prints the top --k products for one
customer, for every member of a saved segment (--segment) or for the ids in a
file, one per line (--customers). Each item carries the reason it is there.
Already-bought items (unless of a consumable category: recommend.consumable,
"*" for every item, as for wholesale buyers who restock), out-of-stock and
inactive products are left out; at most recommend.diversity_cap items share a
category. A customer without history gets the popular items.

Training settings come from the recommend: config section (CHORUS_RECOMMEND_*).
The trained model is saved in the store and reused until the data or those
settings change ('chorus recommend train' builds it up front).
Measure the recommenders with 'chorus recommend eval'.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if k < 1 {
				return apperr.New(apperr.Invalid, "--k is %d; ask for at least 1 item", k)
			}
			sources := 0
			for _, set := range []bool{len(args) == 1, segName != "", customersFile != ""} {
				if set {
					sources++
				}
			}
			if sources != 1 {
				return apperr.New(apperr.Invalid, "name exactly one of: a CUSTOMER argument, --segment NAME, --customers FILE")
			}
			return a.withApp(ctx, func(ap *chorusapp.App) error { return a.runRecommend(ctx, ap, args, segName, customersFile, k, asJSON) })
		},
	}
	cmd.Flags().IntVar(&k, "k", 10, "number of products per customer")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&segName, "segment", "", "recommend for every member of this saved segment")
	cmd.Flags().StringVar(&customersFile, "customers", "", "recommend for the customer ids in this file, one per line ('-' for stdin)")
	cmd.AddCommand(a.recommendEvalCmd(), a.recommendTrainCmd())
	return cmd
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
	var k int
	var asJSON bool
	var cutoff, until string
	cmd := &cobra.Command{
		Use:   "eval --cutoff DATE",
		Short: "Measure every recommender offline on a temporal split",
		Long:  "Trains on events before --cutoff and tests on purchases after it.\n\n" + recommend.Protocol,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			opts, err := recommend.ParseEval(cutoff, until, k)
			if err != nil {
				return err
			}
			return a.withApp(ctx, func(ap *chorusapp.App) error {
				rep, err := ap.EvaluateRecommenders(ctx, opts)
				if err != nil {
					return err
				}
				return a.render(asJSON, rep)
			})
		},
	}
	cmd.Flags().StringVar(&cutoff, "cutoff", "", "train before this date, test from it (YYYY-MM-DD, UTC)")
	cmd.Flags().StringVar(&until, "until", "", "end of the test period (default: end of the data)")
	cmd.Flags().IntVar(&k, "k", 10, "length of the ranked lists (the K of the metrics)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	_ = cmd.MarkFlagRequired("cutoff")
	return cmd
}
