package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
)

func (a *app) recommendTrainCmd() *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "train",
		Short: "Train the recommenders now and save the model for reuse",
		Long: `Trains every recommender and the tuned blend on the store's events and saves
the model in the store, keyed by a fingerprint of the data (event count, latest
event id and time, product and customer edits) and the recommend settings.
'chorus recommend' and 'chorus profile' reuse it while the fingerprint holds
and retrain by themselves when it does not; run this after an import to pay
the training time once, up front. --force retrains even when nothing changed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withApp(ctx, func(ap *chorusapp.App) error {
				m, o, err := ap.Recommend.Model(ctx, force)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "%s\nmodel: %s\n", o, m.Describe())
				t := m.Tuning
				var parts []string
				for _, n := range slices.Sorted(maps.Keys(t.Weights)) {
					parts = append(parts, fmt.Sprintf("%s %.2f", n, t.Weights[n]))
				}
				fmt.Fprintf(a.stdout, "hybrid weights: %s; item-to-item co-occurrence half-life: %s (%s", strings.Join(parts, ", "), halfLife(t.RecentHalfLife), t.Reason)
				if t.Tuned {
					fmt.Fprintf(a.stdout, ": validation from %s, %d customers, NDCG@10 %.4f", t.ValidationFrom.Format(time.DateOnly), t.ValidationUsers, t.NDCG)
				}
				fmt.Fprintln(a.stdout, ")")
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "retrain even when the saved model is current")
	return cmd
}
