package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/recommend"
	"github.com/chorusmkt/chorus/internal/store"
)

// modelOrigin is where recommendModel got its model, as the commands
// print it.
type modelOrigin recommend.Origin

func (o modelOrigin) String() string {
	// The origin that comes with an error has no fingerprint.
	fp := o.Fingerprint[:min(12, len(o.Fingerprint))]
	if o.Reused {
		return fmt.Sprintf("reused the model trained %s (%.1fs then; data and settings unchanged, fingerprint %s) in %.2fs",
			o.TrainedAt.Local().Format(time.DateTime), o.TrainSeconds, fp, o.Seconds)
	}
	return fmt.Sprintf("trained on %d events in %.1fs (fingerprint %s)", o.Events, o.Seconds, fp)
}

// recommendModel returns the model of the store's current data and the
// configured options (recommend.LoadOrTrain: the saved one when current,
// else a training that is then saved), telling the training's progress on
// stderr. With force it always trains.
func (a *app) recommendModel(ctx context.Context, st recommend.Store, force bool) (*recommend.Model, modelOrigin, error) {
	opts := recommend.FromConfig(a.cfg.Recommend)
	opts.Progress = func(step string, took time.Duration) {
		fmt.Fprintf(a.stderr, "  %-24s %6.2fs\n", step, took.Seconds())
	}
	m, o, err := recommend.LoadOrTrain(ctx, st, opts, force, &recommend.Trace{
		Training: func(stale error) {
			if stale != nil {
				fmt.Fprintf(a.stderr, "note: retraining: %v\n", stale)
			}
			fmt.Fprintf(a.stderr, "training the recommenders (saved for reuse until the data or the recommend settings change)…\n")
		},
		Loaded: func(ds *recommend.Data, elapsed time.Duration) {
			fmt.Fprintf(a.stderr, "  loaded %d events, %d customers, %d items in %.1fs\n", len(ds.Events), ds.NumCustomers(), ds.NumItems(), elapsed.Seconds())
		},
		Trained: func(elapsed time.Duration) { fmt.Fprintf(a.stderr, "  trained in %.1fs\n", elapsed.Seconds()) },
		Saved:   func(bytes int) { fmt.Fprintf(a.stderr, "  saved the model (%.1f MB)\n", float64(bytes)/1e6) },
	})
	return m, modelOrigin(o), err
}

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
			return a.withStore(ctx, func(st store.Store) error {
				m, o, err := a.recommendModel(ctx, st, force)
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
