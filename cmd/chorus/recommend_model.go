package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/recommend"
)

// snapshotName is the one model snapshot the commands share.
const snapshotName = "default"

// snapshotStore is what the commands need to reuse trained models; both
// store engines provide it (migration 0005).
type snapshotStore interface {
	recommend.Source
	RecommendSourceVersion(ctx context.Context) (recommend.SourceVersion, error)
	SaveRecommendSnapshot(ctx context.Context, snap recommend.Snapshot) error
	LoadRecommendSnapshot(ctx context.Context, name, fingerprint string) (recommend.Snapshot, error)
}

// modelOrigin says where recommendModel got its model, for the user.
type modelOrigin struct {
	Reused       bool
	Fingerprint  string
	TrainedAt    time.Time
	TrainSeconds float64 // of the training that built the model
	Seconds      float64 // spent now (loading or training)
	Events       int64
}

func (o modelOrigin) String() string {
	// A store without snapshots leaves the fingerprint empty.
	fp := o.Fingerprint[:min(12, len(o.Fingerprint))]
	if o.Reused {
		return fmt.Sprintf("reused the model trained %s (%.1fs then; data and settings unchanged, fingerprint %s) in %.2fs",
			o.TrainedAt.Local().Format(time.DateTime), o.TrainSeconds, fp, o.Seconds)
	}
	return fmt.Sprintf("trained on %d events in %.1fs (fingerprint %s)", o.Events, o.Seconds, fp)
}

// recommendModel returns the recommendation model of the store's current
// data and the configured options: the saved snapshot when its fingerprint
// matches, otherwise a fresh training that is then saved. With force it
// always trains. A store that keeps no snapshots trains every time.
func (a *app) recommendModel(ctx context.Context, src recommend.Source, force bool) (*recommend.Model, modelOrigin, error) {
	opts := recommend.FromConfig(a.cfg.Recommend)
	t0 := time.Now()
	ss, ok := src.(snapshotStore)
	var o modelOrigin
	if ok {
		v, err := ss.RecommendSourceVersion(ctx)
		if err != nil {
			return nil, o, err
		}
		o.Fingerprint, o.Events = recommend.Fingerprint(v, opts), v.Events
		if !force {
			snap, err := ss.LoadRecommendSnapshot(ctx, snapshotName, o.Fingerprint)
			switch {
			case err == nil:
				m, err := recommend.UnmarshalModel(snap.Model)
				if err == nil {
					o.Reused, o.TrainedAt, o.TrainSeconds, o.Seconds = true, snap.CreatedAt, snap.TrainSeconds, time.Since(t0).Seconds()
					return m, o, nil
				}
				// A damaged or outdated snapshot is only a cache miss.
				fmt.Fprintf(a.stderr, "note: retraining: %v\n", err)
			case !apperr.Is(err, apperr.NotFound):
				return nil, o, err
			}
		}
	}
	fmt.Fprintf(a.stderr, "training the recommenders (saved for reuse until the data or the recommend settings change)…\n")
	ds, err := recommend.Load(ctx, src)
	if err != nil {
		return nil, o, err
	}
	fmt.Fprintf(a.stderr, "  loaded %d events, %d customers, %d items in %.1fs\n", len(ds.Events), ds.NumCustomers(), ds.NumItems(), time.Since(t0).Seconds())
	opts.Progress = func(step string, took time.Duration) {
		fmt.Fprintf(a.stderr, "  %-24s %6.2fs\n", step, took.Seconds())
	}
	m, err := recommend.TrainContext(ctx, ds, opts)
	if err != nil {
		return nil, o, err
	}
	o.Seconds = time.Since(t0).Seconds()
	if o.Events == 0 {
		o.Events = int64(len(ds.Events))
	}
	fmt.Fprintf(a.stderr, "  trained in %.1fs\n", o.Seconds)
	if ok {
		b, err := recommend.MarshalModel(m)
		if err != nil {
			return nil, o, err
		}
		err = ss.SaveRecommendSnapshot(ctx, recommend.Snapshot{Name: snapshotName, Fingerprint: o.Fingerprint, Model: b, TrainSeconds: o.Seconds, CreatedAt: time.Now()})
		if err != nil {
			return nil, o, err
		}
		fmt.Fprintf(a.stderr, "  saved the model (%.1f MB)\n", float64(len(b))/1e6)
	}
	return m, o, nil
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
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
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
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "retrain even when the saved model is current")
	return cmd
}
