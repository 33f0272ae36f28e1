package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/recommend"
	"github.com/chorusmkt/chorus/internal/shop"
	"github.com/chorusmkt/chorus/internal/store"
)

// profileRecommender returns the configured hybrid recommender of the
// store (the saved model when current, else a fresh training) adapted to
// insight.Recommender.
func (a *app) profileRecommender(ctx context.Context, s store.Store) (insight.Recommender, error) {
	m, origin, err := a.recommendModel(ctx, s, false)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(a.stderr, "recommendations: %s\n", origin)
	return recommenderAdapter{m}, nil
}

// recommenderAdapter turns recommend.Items into profile entries.
type recommenderAdapter struct{ m *recommend.Model }

func (r recommenderAdapter) Recommend(_ context.Context, id string, k int) ([]insight.ProductRec, error) {
	items, err := r.m.Recommend(id, k)
	if err != nil {
		return nil, err
	}
	out := make([]insight.ProductRec, len(items))
	for i, it := range items {
		out[i] = insight.ProductRec{SKU: it.SKU, Title: it.Title, Score: it.Score, Reason: it.Reason}
	}
	return out, nil
}

func (a *app) profileCmd() *cobra.Command {
	var asOf string
	var asJSON bool
	var recs int
	cmd := &cobra.Command{
		Use:   "profile CUSTOMER",
		Short: "Print one customer's PII-free profile summary (画像)",
		Long: `Prints the compact profile used in prompts and shown to people: persona
fields (age as a 5-year band; never name, email, phone, address or id), RFM
segment, lifecycle stage, top categories and brands, price band, recent
purchases, preferred channel, recommendations and key figures (orders,
revenue, CLV, P(alive)). Labels follow the language Chorus writes to the
customer in: her own (zh or en), else her country's, else the shop's.
Recommendations come from the hybrid recommender trained on the store,
trained once and reused until the data or the recommend settings change
(--recs 0 skips them); a customer who revoked consent to personalisation
gets none.`,
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
			return a.withInsight(ctx, func(s store.Store, ds *insight.Dataset) error {
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
				if recs < 0 {
					return apperr.New(apperr.Invalid, "--recs %d: want 0 or more", recs)
				}
				consents := customer.CurrentConsent(ledger)
				var products []insight.ProductRec
				if recs > 0 && !insight.PersonalizationRevoked(consents) {
					// A profile without recommendations is still a profile:
					// report why they are missing and go on.
					r, err := a.profileRecommender(ctx, s)
					if err == nil {
						products, err = r.Recommend(ctx, id, recs)
					}
					if err != nil {
						fmt.Fprintf(a.stderr, "note: no recommendations: %v\n", err)
						products = nil
					}
				}
				p := insight.BuildProfile(c, m, consents, ds, products)
				sh, err := a.shopSettings(ctx, s)
				if err != nil {
					return err
				}
				// The language she is written to in, by the one rule.
				p.Language = shop.CustomerLanguage(c, sh.Settings).Value
				if asJSON {
					return a.printJSON(p)
				}
				fmt.Fprint(a.stdout, p.Text())
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "analysis date YYYY-MM-DD (default: the day after the last event)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().IntVar(&recs, "recs", 5, "recommended products to include (0: none, skips training)")
	return cmd
}
