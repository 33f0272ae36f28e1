package main

import (
	"context"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
)

func (a *app) recommendTrainCmd() *cobra.Command {
	o := &struct {
		Force bool `flag:"force"`
	}{}
	return a.command("recommend", cmdSpec{Use: "train", Args: cobra.NoArgs, Opts: o, Run: a.appRun(func(ctx context.Context, ap *chorusapp.App, _ []string) error {
		m, origin, err := ap.Recommend.Model(ctx, o.Force)
		if err != nil {
			return err
		}
		return m.WriteTraining(a.stdout, origin)
	})})
}
