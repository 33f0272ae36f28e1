package main

import (
	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
)

func (a *app) policyPruneCmd() *cobra.Command {
	o := &struct {
		Before string `flag:"before"`
		DryRun bool   `flag:"dry-run"`
		JSON   bool   `flag:"json"`
	}{}
	return a.command("policy", cmdSpec{Use: "prune", Args: cobra.NoArgs, Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		return renderApp(cmd.Context(), a, o.JSON, func(ap *chorusapp.App) (policy.PruneReport, error) {
			return ap.Gate.PruneLogs(cmd.Context(), o.Before, o.DryRun)
		})
	}})
}
