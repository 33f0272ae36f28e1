package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
)

// suppressCmd is `chorus suppress add|list|remove`: the global suppression
// list the contact policy checks before every send.
func (a *app) suppressCmd() *cobra.Command {
	return a.command("", cmdSpec{Use: "suppress", Subs: []*cobra.Command{a.suppressAddCmd(), a.suppressListCmd(), a.suppressRemoveCmd()}})
}

func (a *app) suppressAddCmd() *cobra.Command {
	o := &struct {
		policy.SuppressRequest
		File string `flag:"file"`
	}{SuppressRequest: policy.SuppressRequest{Reason: "manual"}}
	var r policy.SuppressRequest
	return a.command("suppress", cmdSpec{Use: "add VALUE...", Opts: o,
		Usage: map[string]string{"reason": "why: " + strings.Join(policy.Reasons, ", ")},
		Check: func(_ *cobra.Command, args []string) error {
			r = o.SuppressRequest
			r.Values, r.Source = args, "cli"
			return r.AddFile(o.File)
		},
		Run: a.lineRun(func(ctx context.Context, ap *chorusapp.App, _ []string) (string, error) {
			n, added, err := ap.Gate.Suppress(ctx, r)
			return fmt.Sprintf("suppressed %d (%d new, %d updated)", n, added, n-added), err
		})})
}

func (a *app) suppressListCmd() *cobra.Command {
	o := &struct {
		Kind string `flag:"kind"`
		JSON bool   `flag:"json"`
	}{}
	return a.command("suppress", cmdSpec{Use: "list", Args: cobra.NoArgs, Opts: o, Run: renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (policy.Suppressions, error) {
		return policy.ListSuppressions(ctx, ap.Store, o.Kind)
	})})
}

func (a *app) suppressRemoveCmd() *cobra.Command {
	o := &struct {
		Kind string `flag:"kind"`
	}{}
	return a.command("suppress", cmdSpec{Use: "remove VALUE...", Args: cobra.MinimumNArgs(1), Opts: o, Run: a.appRun(func(ctx context.Context, ap *chorusapp.App, args []string) error {
		for _, v := range args {
			removed, err := ap.Gate.Unsuppress(ctx, o.Kind, v)
			for _, k := range removed {
				fmt.Fprintf(a.stdout, "removed %s %s\n", k.Kind, k.Value)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})})
}
