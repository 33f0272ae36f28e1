package main

import (
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
				return m.WriteTraining(a.stdout, o)
			})
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "retrain even when the saved model is current")
	return cmd
}
