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
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "shop",
		Short: "Show the shop's settings (name, language, time zone, currency, country)",
		Long: `The shop's name signs copy and SMS when no brand voice is stored; its language
is what customers are written to in when neither their own language nor
their country's is one Chorus writes (zh, en); its time zone judges quiet
hours of customers with no zone of their own and a country of several
zones.

Each setting comes from the configuration (shop.name, … or CHORUS_SHOP_NAME,
…), else from ` + "`chorus shop set`" + `, else from the first import that gives
evidence (the country most customers live in, the currency of the orders,
the language of the customers or of the country). The source is shown.`,
		Example: `  chorus shop
  chorus shop set name "Gift Co"
  chorus shop set time_zone Europe/London
  chorus shop --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withStore(cmd.Context(), func(st store.Store) error {
				r, err := a.shopSettings(cmd.Context(), st)
				if err != nil {
					return err
				}
				return a.printShop(r, asJSON)
			})
		},
	}
	cmd.PersistentFlags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.AddCommand(a.shopSetCmd(&asJSON), a.shopInferCmd(&asJSON))
	return cmd
}

func (a *app) shopSetCmd(asJSON *bool) *cobra.Command {
	return &cobra.Command{
		Use:   "set KEY VALUE",
		Short: "Set one shop setting: name, language, time_zone, currency or country",
		Example: `  chorus shop set name "Gift Co"
  chorus shop set language en
  chorus shop set country "United Kingdom"     # stored as GB
  chorus shop set currency £                   # stored as GBP`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
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
		},
	}
}

func (a *app) shopInferCmd(asJSON *bool) *cobra.Command {
	return &cobra.Command{
		Use:   "infer",
		Short: "Infer the settings that are still missing from the stored data",
		Long: `Fills each setting that is neither configured nor stored from the data, as
the first import does: the country most customers live in, the currency of
the orders, the language of the customers or of the country, the country's
time zone when it has one. Settings already stored are never changed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
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
		},
	}
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
