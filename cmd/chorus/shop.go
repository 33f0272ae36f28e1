package main

import (
	"fmt"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/shop"
)

// shopCmd is `chorus shop`: the merchant's own settings.
func (a *app) shopCmd() *cobra.Command {
	o := &jsonOpts{}
	return a.command("", cmdSpec{Use: "shop", Args: cobra.NoArgs, Persistent: o,
		Subs: []*cobra.Command{a.shopSetCmd(&o.JSON), a.shopInferCmd(&o.JSON)},
		Run: func(cmd *cobra.Command, _ []string) error {
			return renderApp(cmd.Context(), a, o.JSON, func(ap *chorusapp.App) (shop.Resolved, error) { return ap.Shop(cmd.Context()) })
		}})
}

func (a *app) shopSetCmd(asJSON *bool) *cobra.Command {
	return a.command("shop", cmdSpec{Use: "set KEY VALUE", Args: cobra.ExactArgs(2), Run: func(cmd *cobra.Command, args []string) error {
		ctx := auth.WithActor(cmd.Context(), a.actor())
		return renderApp(ctx, a, *asJSON, func(ap *chorusapp.App) (shop.Resolved, error) {
			s, r, err := ap.SetShop(ctx, args[0], args[1])
			if err == nil && r.Sources[s.Key] == "config" {
				fmt.Fprintf(a.stderr, "note: shop.%s is set in the configuration (%q), which overrides the stored value\n", s.Key, r.Get(s.Key))
			}
			return r, err
		})
	}})
}

func (a *app) shopInferCmd(asJSON *bool) *cobra.Command {
	return a.command("shop", cmdSpec{Use: "infer", Args: cobra.NoArgs, Run: func(cmd *cobra.Command, _ []string) error {
		return renderApp(cmd.Context(), a, *asJSON, func(ap *chorusapp.App) (shop.Resolved, error) {
			written, r, err := ap.InferShop(cmd.Context())
			if err == nil && !*asJSON {
				fmt.Fprintf(a.stderr, "inferred %d setting(s)\n", len(written))
			}
			return r, err
		})
	}})
}
