package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/shop"
)

// shopCmd is `chorus shop`: the merchant's own settings.
func (a *app) shopCmd() *cobra.Command {
	o := &jsonOpts{}
	set := a.command("shop", cmdSpec{Use: "set KEY VALUE", Args: cobra.ExactArgs(2),
		Run: renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, args []string) (shop.Resolved, error) {
			s, r, err := ap.SetShop(auth.WithActor(ctx, a.actor()), args[0], args[1])
			if err == nil && r.Sources[s.Key] == "config" {
				fmt.Fprintf(a.stderr, "note: shop.%s is set in the configuration (%q), which overrides the stored value\n", s.Key, r.Get(s.Key))
			}
			return r, err
		})})
	infer := a.command("shop", cmdSpec{Use: "infer", Args: cobra.NoArgs,
		Run: renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (shop.Resolved, error) {
			written, r, err := ap.InferShop(ctx)
			if err == nil && !o.JSON {
				fmt.Fprintf(a.stderr, "inferred %d setting(s)\n", len(written))
			}
			return r, err
		})})
	return a.command("", cmdSpec{Use: "shop", Args: cobra.NoArgs, Persistent: o, Subs: []*cobra.Command{set, infer},
		Run: renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (shop.Resolved, error) { return ap.Shop(ctx) })})
}
