package main

import (
	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/store"
)

// policyCmd is `chorus policy …`: the contact policy every send passes.
func (a *app) policyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Check the contact policy (consent, suppression, quiet hours, caps) for a customer",
		Long: `Every send passes one gate: the suppression list, marketing consent on the
channel (a revocation on any channel stops marketing everywhere when
compliance.contact.revoke_stops_all is on), an address for the channel,
the channel's send window in the recipient's time zone, and the frequency
caps counted from the sends log. A customer who opted out of personalised
marketing (PIPL Art. 24) may still be contacted, with segment-level
content only.`,
	}
	cmd.AddCommand(a.policyCheckCmd(), a.policySkipsCmd(), a.policyPruneCmd())
	return cmd
}

func (a *app) policyCheckCmd() *cobra.Command {
	var channel, purpose, at string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check CUSTOMER",
		Short: "Decide whether a message to CUSTOMER may go out; exit status 0 allow, 1 skip",
		Long: `Prints the decision for one planned message and, for a skip, the reason
code, the reason and the earliest time the rule allows it. Nothing is
written. --at is the planned send time: RFC 3339 (2026-03-08T08:30:00-04:00)
or a wall-clock time "2026-03-08 08:30" in the customer's own time zone;
the default is now. The exit status is 0 when the message is allowed and 1
when it is skipped.`,
		Example: `  chorus policy check c1042 --channel sms
  chorus policy check c1042 --channel email --purpose transactional --json
  chorus policy check c1042 --channel sms --at "2026-03-08 07:30"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withApp(ctx, func(ap *chorusapp.App) error {
				v, err := ap.Gate.Check(ctx, args[0], channel, purpose, at)
				if err != nil {
					return err
				}
				if err = a.render(asJSON, v); err == nil && !v.Allow {
					return exitStatus(1)
				}
				return err
			})
		},
	}
	cmd.Flags().StringVar(&channel, "channel", "", "channel: email, sms, push, wechat, social, phone… (required)")
	cmd.Flags().StringVar(&purpose, "purpose", policy.Marketing, "marketing or transactional")
	cmd.Flags().StringVar(&at, "at", "", `planned send time: RFC 3339, or "YYYY-MM-DD HH:MM" in the customer's zone (default now)`)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	_ = cmd.MarkFlagRequired("channel")
	return cmd
}

func (a *app) policySkipsCmd() *cobra.Command {
	var campaign string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "skips",
		Short: "List the messages the gate skipped for a campaign, with their reasons",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withStore(ctx, func(st store.Store) error {
				skips, err := st.ListSkips(ctx, campaign)
				if err != nil {
					return err
				}
				return a.render(asJSON, policy.Skips(orEmpty(skips)))
			})
		},
	}
	cmd.Flags().StringVar(&campaign, "campaign", "", `campaign name ("" lists skips made without one)`)
	return jsonFlag(cmd, &asJSON)
}
