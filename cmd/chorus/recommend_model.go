package main

import (
	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
)

func (a *app) recommendTrainCmd() *cobra.Command {
	o := &struct {
		Force bool `flag:"force"`
	}{}
	return a.command("recommend", cmdSpec{Use: "train", Args: cobra.NoArgs, Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		return a.withApp(ctx, func(ap *chorusapp.App) error {
			m, origin, err := ap.Recommend.Model(ctx, o.Force)
			if err != nil {
				return err
			}
			return m.WriteTraining(a.stdout, origin)
		})
	}})
}
