package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/store"
)

// suppressCmd is `chorus suppress add|list|remove`: the global suppression
// list the contact policy checks before every send.
func (a *app) suppressCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "suppress",
		Short: "Manage the global suppression list (bounced, complained, unsubscribed addresses)",
		Long: `Suppressed e-mail addresses stop e-mail, phone numbers stop SMS and calls,
customer ids stop every channel. Entries added with --marketing-only still
let transactional messages (order and delivery notices) through; the others
(hard bounces, complaints, legal requests) stop those too. A value's kind is
guessed (an @ makes an e-mail address, digits a phone number, anything else
a customer id) unless --kind says it.`,
	}
	cmd.AddCommand(a.suppressAddCmd(), a.suppressListCmd(), a.suppressRemoveCmd())
	return cmd
}

func (a *app) suppressAddCmd() *cobra.Command {
	var kind, reason, note, file string
	var marketingOnly bool
	cmd := &cobra.Command{
		Use:   "add VALUE...",
		Short: "Suppress e-mail addresses, phone numbers or customer ids",
		Example: `  chorus suppress add ann@example.com --reason hard_bounce
  chorus suppress add +8613800138000 --reason complaint
  chorus suppress add c1042 --reason unsubscribe --marketing-only
  chorus suppress add --file bounces.txt --kind email --reason hard_bounce`,
		RunE: func(cmd *cobra.Command, args []string) error {
			values := append([]string(nil), args...)
			source := "cli"
			if file != "" {
				vs, err := policy.ReadValues(file)
				if err != nil {
					return err
				}
				values = append(values, vs...)
				source = "file:" + file
			}
			return a.withApp(cmd.Context(), func(ap *chorusapp.App) error {
				n, added, err := ap.Gate.Suppress(cmd.Context(), policy.SuppressRequest{Values: values, Kind: kind, Reason: reason,
					MarketingOnly: marketingOnly, Note: note, Source: source})
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "suppressed %d (%d new, %d updated)\n", n, added, n-added)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", "email, phone or customer (default: guessed from each value)")
	cmd.Flags().StringVar(&reason, "reason", "manual", "why: "+strings.Join(policy.Reasons, ", "))
	cmd.Flags().BoolVar(&marketingOnly, "marketing-only", false, "still allow transactional messages")
	cmd.Flags().StringVar(&note, "note", "", "free text kept with the entry")
	cmd.Flags().StringVar(&file, "file", "", "also read values from FILE, one per line (# comments)")
	return cmd
}

func (a *app) suppressListCmd() *cobra.Command {
	var kind string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List suppressed values, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withStore(ctx, func(st store.Store) error {
				all, err := policy.ListSuppressions(ctx, st, kind)
				if err != nil {
					return err
				}
				return a.render(asJSON, all)
			})
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", "only this kind: email, phone or customer")
	return jsonFlag(cmd, &asJSON)
}

func (a *app) suppressRemoveCmd() *cobra.Command {
	var kind string
	cmd := &cobra.Command{
		Use:   "remove VALUE...",
		Short: "Lift suppressions",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withApp(ctx, func(ap *chorusapp.App) error {
				for _, v := range args {
					removed, err := ap.Gate.Unsuppress(ctx, kind, v)
					for _, k := range removed {
						fmt.Fprintf(a.stdout, "removed %s %s\n", k.Kind, k.Value)
					}
					if err != nil {
						return err
					}
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", "email, phone or customer (default: guessed from each value)")
	return cmd
}
