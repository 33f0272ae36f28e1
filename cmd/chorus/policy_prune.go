package main

import (
	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
)

func (a *app) policyPruneCmd() *cobra.Command {
	o := &struct {
		Before string `flag:"before"`
		DryRun bool   `flag:"dry-run"`
		JSON   bool   `flag:"json"`
	}{}
	return a.command("policy", cmdSpec{use: "prune", args: cobra.NoArgs, opts: o, run: func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		return a.withApp(ctx, func(ap *chorusapp.App) error {
			r, err := ap.Gate.PruneLogs(ctx, o.Before, o.DryRun)
			return a.orRender(err, o.JSON, r)
		})
	}})
}
