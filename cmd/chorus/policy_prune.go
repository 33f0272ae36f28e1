package main

import (
	"context"

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
	return a.command("policy", cmdSpec{Use: "prune", Args: cobra.NoArgs, Opts: o, Run: renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (policy.PruneReport, error) {
		return ap.Gate.PruneLogs(ctx, o.Before, o.DryRun)
	})})
}
