package main

import (
	"context"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
)

// policyCmd is `chorus policy …`: the contact policy every send passes.
func (a *app) policyCmd() *cobra.Command {
	return a.command("", cmdSpec{Use: "policy", Subs: []*cobra.Command{a.policyCheckCmd(), a.policySkipsCmd(), a.policyPruneCmd()}})
}

func (a *app) policyCheckCmd() *cobra.Command {
	o := &struct {
		Channel string `flag:"channel,required"`
		Purpose string `flag:"purpose"`
		At      string `flag:"at"`
		JSON    bool   `flag:"json"`
	}{Purpose: policy.Marketing}
	return a.command("policy", cmdSpec{Use: "check CUSTOMER", Args: cobra.ExactArgs(1), Opts: o, Run: a.appRun(func(ctx context.Context, ap *chorusapp.App, args []string) error {
		v, err := ap.Gate.Check(ctx, args[0], o.Channel, o.Purpose, o.At)
		if err != nil {
			return err
		}
		if err = a.render(o.JSON, v); err == nil && !v.Allow {
			return exitStatus(1)
		}
		return err
	})})
}

func (a *app) policySkipsCmd() *cobra.Command {
	o := &struct {
		Campaign string `flag:"campaign"`
		JSON     bool   `flag:"json"`
	}{}
	return a.command("policy", cmdSpec{Use: "skips", Args: cobra.NoArgs, Opts: o, Run: renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (policy.Skips, error) {
		skips, err := ap.Store.ListSkips(ctx, o.Campaign)
		return policy.Skips(orEmpty(skips)), err
	})})
}
