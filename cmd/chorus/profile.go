package main

import (
	"fmt"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
)

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
			if recs < 0 {
				return apperr.New(apperr.Invalid, "--recs %d: want 0 or more", recs)
			}
			return a.withApp(ctx, func(ap *chorusapp.App) error {
				p, notes, err := ap.ExplainProfile(ctx, id, opts, recs)
				if err != nil {
					return err
				}
				for _, n := range notes {
					fmt.Fprintf(a.stderr, "note: %s\n", n)
				}
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
