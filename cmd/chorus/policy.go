package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
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

// policyVerdict is the JSON of `chorus policy check --json`.
type policyVerdict struct {
	policy.Decision
	CustomerID string `json:"customer_id"`
	Channel    string `json:"channel"`
	Purpose    string `json:"purpose"`
	LocalTime  string `json:"local_time"`
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
			return a.withGate(ctx, func(st store.Store, g *policy.Gate) error {
				c, err := st.GetCustomer(ctx, args[0])
				if err != nil {
					return err
				}
				loc := g.Location(c)
				when := time.Now().Truncate(time.Second)
				if at != "" {
					if when, err = parseAt(at, loc); err != nil {
						return err
					}
				}
				d, err := g.Decide(ctx, policy.Message{CustomerID: c.ID, Channel: channel, Purpose: purpose, At: when})
				if err != nil {
					return err
				}
				out := policyVerdict{Decision: d, CustomerID: c.ID, Channel: strings.ToLower(channel), Purpose: cmp.Or(strings.ToLower(purpose), policy.Marketing),
					LocalTime: d.At.In(loc).Format(time.RFC3339)}
				if asJSON {
					if err := a.printJSON(out); err != nil {
						return err
					}
				} else {
					a.printPolicyVerdict(out, loc)
				}
				if !d.Allow {
					return exitStatus(1)
				}
				return nil
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

// parseAt reads --at: RFC 3339 with its offset, or a wall-clock time in loc.
func parseAt(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, apperr.New(apperr.Invalid, `--at %q: want RFC 3339 (2026-03-08T08:30:00-04:00) or "2026-03-08 08:30" in the customer's zone`, s)
}

func (a *app) printPolicyVerdict(c policyVerdict, loc *time.Location) {
	verdict := "allow"
	if !c.Allow {
		verdict = "skip " + c.Code
	}
	fmt.Fprintf(a.stdout, "%s: %s %s at %s (%s): %s\n", c.CustomerID, c.Purpose, c.Channel, c.LocalTime, c.TimeZone, verdict)
	if !c.Allow {
		fmt.Fprintf(a.stdout, "  reason: %s\n", c.Reason)
		if !c.NextAt.IsZero() {
			fmt.Fprintf(a.stdout, "  next allowed: %s (%s)\n", c.NextAt.In(loc).Format(time.RFC3339), c.NextAt.UTC().Format(time.RFC3339))
		}
	}
	if c.Personalize {
		fmt.Fprintln(a.stdout, "  personalised content: yes")
	} else {
		fmt.Fprintln(a.stdout, "  personalised content: no (opted out of personalised marketing; send segment-level content)")
	}
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
				if asJSON {
					if skips == nil {
						skips = []policy.Skip{}
					}
					return a.printJSON(skips)
				}
				counts := map[string]int{}
				for _, s := range skips {
					counts[s.Code]++
				}
				codes := make([]string, 0, len(counts))
				for c := range counts {
					codes = append(codes, c)
				}
				slices.SortFunc(codes, func(x, y string) int { return cmp.Or(counts[y]-counts[x], strings.Compare(x, y)) })
				fmt.Fprintf(a.stdout, "%d skipped", len(skips))
				for _, c := range codes {
					fmt.Fprintf(a.stdout, ", %s %d", c, counts[c])
				}
				fmt.Fprintln(a.stdout)
				if len(skips) == 0 {
					return nil
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "CUSTOMER\tCHANNEL\tPURPOSE\tPLANNED\tCODE\tNEXT\tREASON")
				for _, s := range skips {
					next := "-"
					if !s.NextAt.IsZero() {
						next = s.NextAt.Format(time.RFC3339)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.CustomerID, s.Channel, s.Purpose, s.PlannedAt.Format(time.RFC3339), s.Code, next, s.Reason)
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&campaign, "campaign", "", `campaign name ("" lists skips made without one)`)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// withGate runs fn with the open store and the contact-policy gate built
// from the configuration over it.
func (a *app) withGate(ctx context.Context, fn func(store.Store, *policy.Gate) error) error {
	return a.withStore(ctx, func(st store.Store) error {
		g, err := policy.New(a.cfg.Compliance.Contact, st)
		if err != nil {
			return err
		}
		sh, err := a.shopSettings(ctx, st)
		if err != nil {
			return err
		}
		g.UseShop(sh.Settings)
		return fn(st, g)
	})
}
