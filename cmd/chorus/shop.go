package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/shop"
	"github.com/chorusmkt/chorus/internal/store"
)

// shopSettings returns the shop's effective settings: the configuration's
// shop.* keys over what the store holds.
func (a *app) shopSettings(ctx context.Context, st store.Store) (shop.Resolved, error) {
	return shop.LoadConfigured(ctx, st, a.cfg.Shop)
}

// shopCmd is `chorus shop`: the merchant's own settings.
func (a *app) shopCmd() *cobra.Command {
	o := &struct {
		JSON bool `flag:"json"`
	}{}
	return a.command("", cmdSpec{Use: "shop", Args: cobra.NoArgs, Persistent: o,
		Subs: []*cobra.Command{a.shopSetCmd(&o.JSON), a.shopInferCmd(&o.JSON)},
		Run: func(cmd *cobra.Command, _ []string) error {
			return renderStore(cmd.Context(), a, o.JSON, func(st store.Store) (shop.Resolved, error) { return a.shopSettings(cmd.Context(), st) })
		}})
}

func (a *app) shopSetCmd(asJSON *bool) *cobra.Command {
	return a.command("shop", cmdSpec{Use: "set KEY VALUE", Args: cobra.ExactArgs(2), Run: func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		return a.withStore(ctx, func(st store.Store) error {
			s, err := shop.Set(ctx, st, args[0], args[1], time.Now())
			err = a.audited(ctx, err, st, "settings.change", "shop."+s.Key, "value "+s.Value)
			if err != nil {
				return err
			}
			r, err := a.shopSettings(ctx, st)
			if err != nil {
				return err
			}
			if src := r.Sources[s.Key]; src == "config" {
				fmt.Fprintf(a.stderr, "note: shop.%s is set in the configuration (%q), which overrides the stored value\n", s.Key, r.Get(s.Key))
			}
			return a.printShop(r, *asJSON)
		})
	}})
}

func (a *app) shopInferCmd(asJSON *bool) *cobra.Command {
	return a.command("shop", cmdSpec{Use: "infer", Args: cobra.NoArgs, Run: func(cmd *cobra.Command, _ []string) error {
		ctx := cmd.Context()
		return a.withStore(ctx, func(st store.Store) error {
			cfg, err := shop.FromConfig(a.cfg.Shop)
			if err != nil {
				return err
			}
			written, err := shop.InferMissing(ctx, st, cfg, "the stored data", time.Now())
			if err != nil {
				return err
			}
			if !*asJSON {
				fmt.Fprintf(a.stderr, "inferred %d setting(s)\n", len(written))
			}
			r, err := a.shopSettings(ctx, st)
			if err != nil {
				return err
			}
			return a.printShop(r, *asJSON)
		})
	}})
}

func (a *app) printShop(r shop.Resolved, asJSON bool) error { return a.render(asJSON, r) }

// askShopName says which shop settings an import inferred and, when the
// shop still has no name, asks for one on a terminal (or says how to set
// it).
func (a *app) askShopName(ctx context.Context, ap *chorusapp.App, written []shop.Setting) error {
	shop.WriteInferred(a.stderr, written)
	r, err := ap.Shop(ctx)
	if err != nil || r.Name != "" {
		return err
	}
	if f, ok := a.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(a.stderr, "Shop name, to sign copy and SMS with (Enter to skip): ")
		line, _ := bufio.NewReader(f).ReadString('\n')
		if name := strings.TrimSpace(line); name != "" {
			if _, err := shop.Set(ctx, ap.Store, shop.KeyName, name, time.Now()); err != nil {
				return apperr.Wrap(err, apperr.KindOf(err), "shop name")
			}
			return nil
		}
	}
	fmt.Fprintln(a.stderr, `the shop has no name yet: copy is signed with it (chorus shop set name "…")`)
	return nil
}
