package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/store"
)

// profileRecs is how many recommendations a profile shows.
const profileRecs = 5

// profileRecommender returns the recommender whose products a profile
// shows, or nil for none. The recommend package is wired in here.
func (a *app) profileRecommender(ctx context.Context, s store.Store) insight.Recommender {
	return nil
}

func (a *app) profileCmd() *cobra.Command {
	var asOf string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "profile CUSTOMER",
		Short: "Print one customer's PII-free profile summary (画像)",
		Long: `Prints the compact profile used in prompts and shown to people: persona
fields (age as a 5-year band; never name, email, phone, address or id), RFM
segment, lifecycle stage, top categories and brands, price band, recent
purchases, preferred channel, recommendations and key figures (orders,
revenue, CLV, P(alive)). Labels follow the customer's language (zh or en).`,
		Example: `  chorus profile 12347
  chorus profile 12347 --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id := args[0]
			opts, err := a.insightOptions(asOf, "")
			if err != nil {
				return err
			}
			s, ds, err := a.loadInsight(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			c, err := s.GetCustomer(ctx, id)
			switch {
			case apperr.Is(err, apperr.NotFound) && ds.Index(id) >= 0:
				c = customer.Customer{ID: id} // known from events only
			case err != nil:
				return err
			}
			var m insight.Metrics
			snap, err := insight.Compute(ds, opts)
			switch {
			case apperr.Is(err, apperr.Invalid):
				// Too little data for population metrics: a profile of the
				// persona fields is still useful; say what is missing.
				fmt.Fprintf(a.stderr, "note: %v\n", err)
				m = insight.Metrics{CustomerID: id}
			case err != nil:
				return err
			default:
				m, _ = snap.Get(id)
				for _, n := range snap.Notes {
					fmt.Fprintf(a.stderr, "note: %s\n", n)
				}
			}
			ledger, err := s.Consents(ctx, id)
			if err != nil {
				return err
			}
			var recs []insight.ProductRec
			if r := a.profileRecommender(ctx, s); r != nil {
				if recs, err = r.Recommend(ctx, id, profileRecs); err != nil {
					slog.Warn("profile without recommendations", "err", err)
					recs = nil
				}
			}
			p := insight.BuildProfile(c, m, customer.CurrentConsent(ledger), ds, recs)
			if asJSON {
				return a.printJSON(p)
			}
			fmt.Fprint(a.stdout, p.Text())
			return nil
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "analysis date YYYY-MM-DD (default: the day after the last event)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
