package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/store"
)

func (a *app) contentCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "content",
		Short: "Review generated copy and manage brand voices",
	}
	review := &cobra.Command{Use: "review", Short: "List, show, approve, reject and edit generated items"}
	review.AddCommand(a.reviewListCmd(), a.reviewShowCmd(), a.reviewDecideCmd("approve", content.StatusApproved),
		a.reviewDecideCmd("reject", content.StatusRejected), a.reviewEditCmd())
	voice := &cobra.Command{Use: "voice", Short: "Store and show brand voices (tone, vocabulary, taboo words, emoji, examples)"}
	voice.AddCommand(a.voiceSetCmd(), a.voiceShowCmd(), a.exampleCmd("voice"))
	brief := &cobra.Command{Use: "brief", Short: "Campaign briefs: print an example, check a file"}
	brief.AddCommand(a.exampleCmd("brief"), a.briefCheckCmd())
	cmd.AddCommand(review, voice, brief, a.lintCmd())
	return cmd
}

func (a *app) lintCmd() *cobra.Command {
	var runID string
	var asJSON, all bool
	cmd := &cobra.Command{
		Use:   "lint",
		Short: "Check stored copy as a marketer would: truncation, machine dates, measure words, hooks, repetition, glued links, grammar",
		Long: `Lints the stored items of one run (--run) or of every run, whatever model wrote
them, against their run's brief, voice and product. Codes: ellipsis (cut off
with "…"), date (2026-11-11 where copy writes 11月11日 / "November 11"),
measure_word (这只华夫格盖毯: a blanket takes 条), interest (an interest the
product does not serve), occasion (a holiday or season the product is not for),
product_repeat (the full name more than twice in a body), repeated_sentence,
glued (a link or the opt-out run into the text), agreement (English subject and
verb). It also reports, per run and channel, the sentence skeleton the most
messages share (above 15% readers see the same sentence over and over).
Generation runs the same checks and repairs or flags what fails.`,
		Example: "  chorus content lint --run run_1a2b3c4d5e6f\n  chorus content lint --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withApp(ctx, func(ap *chorusapp.App) error {
				d, err := ap.Reviewer(ctx)
				if err != nil {
					return err
				}
				rep, err := d.LintStored(ctx, runID)
				if err != nil {
					return err
				}
				if !all {
					rep.Details = nil
				}
				return a.render(asJSON, rep)
			})
		},
	}
	cmd.Flags().StringVar(&runID, "run", "", "only this run (default: every run)")
	cmd.Flags().BoolVar(&all, "all", false, "list every item's findings, not only the 20 worst")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) reviewListCmd() *cobra.Command {
	var f content.ItemFilter
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List items (newest runs first), optionally by run, status and channel",
		Example: "  chorus content review list --status flagged\n  chorus content review list --run run_1a2b3c --channel sms --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd.Context(), func(st store.Store) error {
				items, err := st.ListItems(cmd.Context(), f)
				if err != nil {
					return err
				}
				if asJSON {
					if items == nil {
						items = []content.Item{}
					}
					return a.printJSON(items)
				}
				return content.WriteItems(a.stdout, items)
			})
		},
	}
	cmd.Flags().StringVar(&f.RunID, "run", "", "only this run")
	cmd.Flags().StringVar(&f.Status, "status", "", "draft | flagged | approved | rejected")
	cmd.Flags().StringVar(&f.Channel, "channel", "", "only this channel")
	cmd.Flags().IntVar(&f.Limit, "limit", 200, "at most this many items (0: all)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) reviewShowCmd() *cobra.Command {
	var asJSON, html bool
	cmd := &cobra.Command{
		Use:   "show ITEM",
		Short: "Show an item with its checks and audit trail",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withStore(ctx, func(st store.Store) error {
				it, err := st.GetItem(ctx, args[0])
				if err != nil {
					return err
				}
				trail, err := st.AuditTrail(ctx, it.ID)
				if err != nil {
					return err
				}
				if html {
					fmt.Fprintln(a.stdout, it.HTML)
					return nil
				}
				if asJSON {
					return a.printJSON(map[string]any{"item": it, "audit": trail})
				}
				return it.WriteText(a.stdout, trail)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&html, "html", false, "print the email HTML only")
	return cmd
}

func (a *app) reviewDecideCmd(verb, to string) *cobra.Command {
	var actor, note string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   verb + " ITEM...",
		Short: strings.ToUpper(verb[:1]) + verb[1:] + " items (recorded in the audit trail)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withApp(ctx, func(ap *chorusapp.App) error {
				d, err := ap.Reviewer(ctx)
				if err != nil {
					return err
				}
				var done []content.Item
				for _, id := range args {
					it, err := d.Review(ctx, id, to, actor, note)
					err = noteHint(err, it, to, note)
					err = a.audited(ctx, err, ap.Store, "content."+verb, "item "+id, "by "+actor)
					if err != nil {
						return err
					}
					done = append(done, it)
					if !asJSON {
						fmt.Fprintf(a.stdout, "%s %s\n", id, to)
					}
				}
				if asJSON {
					return a.printJSON(done)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&actor, "by", contentEnvOr(a, "USER", "cli"), "who decides (audit trail)")
	cmd.Flags().StringVar(&note, "note", "", "why (required to approve a flagged item)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// noteHint adds the CLI's flag to the studio's refusal to approve a
// flagged item without a note.
func noteHint(err error, it content.Item, to, note string) error {
	if err == nil || !apperr.Is(err, apperr.Invalid) || to != content.StatusApproved || it.Status != content.StatusFlagged || strings.TrimSpace(note) != "" {
		return err
	}
	return apperr.New(apperr.Invalid, "%s (give it with --note TEXT)", err.Error())
}

func (a *app) reviewEditCmd() *cobra.Command {
	var field, value, actor, note string
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "edit ITEM --field NAME --value TEXT",
		Short:   "Change one field; the item is checked again (draft if it passes, flagged if not)",
		Example: `  chorus content review edit ci_0123abcd --field text --value "【Lumen】双11全场8折，11月11日截止。回T退订"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withApp(ctx, func(ap *chorusapp.App) error {
				d, err := ap.Reviewer(ctx)
				if err != nil {
					return err
				}
				it, vs, err := d.Edit(ctx, args[0], field, value, actor, note)
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(it)
				}
				fmt.Fprintf(a.stdout, "%s %s\n", it.ID, it.Status)
				for _, v := range vs {
					fmt.Fprintf(a.stdout, "⚠ %s\n", v)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&field, "field", "", "field to change (e.g. text, subject, body_text, headline)")
	cmd.Flags().StringVar(&value, "value", "", "the new text")
	cmd.Flags().StringVar(&actor, "by", contentEnvOr(a, "USER", "cli"), "who edits (audit trail)")
	cmd.Flags().StringVar(&note, "note", "", "why")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	_ = cmd.MarkFlagRequired("field")
	_ = cmd.MarkFlagRequired("value")
	return cmd
}

func (a *app) voiceSetCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "set FILE",
		Short:   "Store a brand voice from a YAML or JSON file (replacing one of the same name)",
		Example: "  chorus content voice set lumen.yaml",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := content.LoadVoice(args[0])
			if err != nil {
				return err
			}
			return a.withStore(cmd.Context(), func(st store.Store) error {
				if err := st.PutVoice(cmd.Context(), v); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "voice %q stored (brand %s, emoji %s, %d taboo words, %d examples)\n", v.Name, v.Brand, v.Emoji, len(v.Taboo), len(v.Examples))
				return nil
			})
		},
	}
}

func (a *app) voiceShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show NAME",
		Short: "Print a stored brand voice as JSON",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd.Context(), func(st store.Store) error {
				v, err := st.GetVoice(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				return a.printJSON(v)
			})
		},
	}
}

func contentEnvOr(a *app, key, def string) string {
	if v, ok := a.env(key); ok && v != "" {
		return v
	}
	return def
}

func (a *app) exampleCmd(what string) *cobra.Command {
	return &cobra.Command{
		Use:     "example",
		Short:   "Print an example " + what + " file (the demo campaign's) to start from",
		Example: "  chorus content " + what + " example > " + map[string]string{"brief": "double11.yaml", "voice": "voice.yaml"}[what],
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			b, v := content.ExampleFiles()
			if what == "voice" {
				b = v
			}
			_, err := a.stdout.Write(b)
			return err
		},
	}
}

func (a *app) briefCheckCmd() *cobra.Command {
	var segmentName, channels string
	cmd := &cobra.Command{
		Use:   "check FILE",
		Short: "Check a brief against the catalog, segments and voices without any model call",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := content.LoadBrief(args[0])
			if err != nil {
				return err
			}
			if segmentName == "" && b.Segment == "" {
				fmt.Fprintf(a.stdout, "%s: parses (name %s, offer %q); give --segment to check it against the audience\n", args[0], b.Name, b.Offer.Text)
				return nil
			}
			var chs []string
			if channels != "" {
				if chs, err = content.ParseChannels(channels); err != nil {
					return err
				}
			} else if len(b.Channels) == 0 {
				chs = []string{content.SMS}
			}
			return a.withApp(cmd.Context(), func(ap *chorusapp.App) error {
				p, err := ap.PrepareCampaign(cmd.Context(), content.CampaignRequest{Brief: b, Segment: segmentName, Channels: chs, Variants: 1})
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "%s: ok — run %s\n%s", args[0], p.Run.ID, p.Plan)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&segmentName, "segment", "", "segment to check the audience of")
	cmd.Flags().StringVar(&channels, "channels", "", "channels (default: the brief's, else sms)")
	return cmd
}
