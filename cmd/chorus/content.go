package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/store"
)

func (a *app) contentCmd() *cobra.Command {
	review := a.command("content", cmdSpec{Use: "review", Subs: []*cobra.Command{a.reviewListCmd(), a.reviewShowCmd(),
		a.reviewDecideCmd("approve", content.StatusApproved), a.reviewDecideCmd("reject", content.StatusRejected), a.reviewEditCmd()}})
	voice := a.command("content", cmdSpec{Use: "voice", Subs: []*cobra.Command{a.voiceSetCmd(), a.voiceShowCmd(), a.exampleCmd("voice")}})
	brief := a.command("content", cmdSpec{Use: "brief", Subs: []*cobra.Command{a.exampleCmd("brief"), a.briefCheckCmd()}})
	return a.command("", cmdSpec{Use: "content", Subs: []*cobra.Command{review, voice, brief, a.lintCmd()}})
}

func (a *app) lintCmd() *cobra.Command {
	o := &struct {
		Run  string `flag:"run"`
		All  bool   `flag:"all"`
		JSON bool   `flag:"json"`
	}{}
	return a.command("content", cmdSpec{Use: "lint", Args: cobra.NoArgs, Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		return a.withApp(ctx, func(ap *chorusapp.App) error {
			d, err := ap.Reviewer(ctx)
			if err != nil {
				return err
			}
			rep, err := d.LintStored(ctx, o.Run)
			if err != nil {
				return err
			}
			if !o.All {
				rep.Details = nil
			}
			return a.render(o.JSON, rep)
		})
	}})
}

func (a *app) reviewListCmd() *cobra.Command {
	f := content.ItemFilter{Limit: 200}
	var asJSON bool
	return a.command("content review", cmdSpec{Use: "list", Args: cobra.NoArgs,
		Flags: map[string]any{"run": &f.RunID, "status": &f.Status, "channel": &f.Channel, "limit": &f.Limit, "json": &asJSON},
		Run: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd.Context(), func(st store.Store) error {
				items, err := st.ListItems(cmd.Context(), f)
				if err != nil {
					return err
				}
				return a.renderFunc(asJSON, orEmpty(items), func(w io.Writer) error { return content.WriteItems(w, items) })
			})
		}})
}

func (a *app) reviewShowCmd() *cobra.Command {
	o := &struct {
		JSON bool `flag:"json"`
		HTML bool `flag:"html"`
	}{}
	return a.command("content review", cmdSpec{Use: "show ITEM", Args: cobra.ExactArgs(1), Opts: o, Run: func(cmd *cobra.Command, args []string) error {
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
			if o.HTML {
				fmt.Fprintln(a.stdout, it.HTML)
				return nil
			}
			return a.renderFunc(o.JSON, map[string]any{"item": it, "audit": trail}, func(w io.Writer) error { return it.WriteText(w, trail) })
		})
	}})
}

func (a *app) reviewDecideCmd(verb, to string) *cobra.Command {
	o := &struct {
		By   string `flag:"by"`
		Note string `flag:"note"`
		JSON bool   `flag:"json"`
	}{By: contentEnvOr(a, "USER", "cli")}
	return a.command("content review", cmdSpec{Use: verb + " ITEM...", Args: cobra.MinimumNArgs(1), Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		return a.withApp(ctx, func(ap *chorusapp.App) error {
			d, err := ap.Reviewer(ctx)
			if err != nil {
				return err
			}
			var done []content.Item
			for _, id := range args {
				it, err := d.Review(ctx, id, to, o.By, o.Note)
				err = noteHint(err, it, to, o.Note)
				err = a.audited(ctx, err, ap.Store, "content."+verb, "item "+id, "by "+o.By)
				if err != nil {
					return err
				}
				done = append(done, it)
				if !o.JSON {
					fmt.Fprintf(a.stdout, "%s %s\n", id, to)
				}
			}
			if o.JSON {
				return a.printJSON(done)
			}
			return nil
		})
	}})
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
	o := &struct {
		Field string `flag:"field,required"`
		Value string `flag:"value,required"`
		By    string `flag:"by"`
		Note  string `flag:"note"`
		JSON  bool   `flag:"json"`
	}{By: contentEnvOr(a, "USER", "cli")}
	return a.command("content review", cmdSpec{Use: "edit ITEM --field NAME --value TEXT", Args: cobra.ExactArgs(1), Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		return a.withApp(ctx, func(ap *chorusapp.App) error {
			d, err := ap.Reviewer(ctx)
			if err != nil {
				return err
			}
			it, vs, err := d.Edit(ctx, args[0], o.Field, o.Value, o.By, o.Note)
			if err != nil {
				return err
			}
			if o.JSON {
				return a.printJSON(it)
			}
			fmt.Fprintf(a.stdout, "%s %s\n", it.ID, it.Status)
			for _, v := range vs {
				fmt.Fprintf(a.stdout, "⚠ %s\n", v)
			}
			return nil
		})
	}})
}

func (a *app) voiceSetCmd() *cobra.Command {
	return a.command("content voice", cmdSpec{Use: "set FILE", Args: cobra.ExactArgs(1), Run: func(cmd *cobra.Command, args []string) error {
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
	}})
}

func (a *app) voiceShowCmd() *cobra.Command {
	return a.command("content voice", cmdSpec{Use: "show NAME", Args: cobra.ExactArgs(1), Run: func(cmd *cobra.Command, args []string) error {
		return a.withStore(cmd.Context(), func(st store.Store) error {
			v, err := st.GetVoice(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return a.printJSON(v)
		})
	}})
}

func contentEnvOr(a *app, key, def string) string {
	if v, ok := a.env(key); ok && v != "" {
		return v
	}
	return def
}

func (a *app) exampleCmd(what string) *cobra.Command {
	return a.command("content "+what, cmdSpec{Use: "example", Args: cobra.NoArgs, Run: func(cmd *cobra.Command, args []string) error {
		b, v := content.ExampleFiles()
		if what == "voice" {
			b = v
		}
		_, err := a.stdout.Write(b)
		return err
	}})
}

func (a *app) briefCheckCmd() *cobra.Command {
	o := &struct {
		Segment  string `flag:"segment"`
		Channels string `flag:"channels"`
	}{}
	return a.command("content brief", cmdSpec{Use: "check FILE", Args: cobra.ExactArgs(1), Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		b, err := content.LoadBrief(args[0])
		if err != nil {
			return err
		}
		if o.Segment == "" && b.Segment == "" {
			fmt.Fprintf(a.stdout, "%s: parses (name %s, offer %q); give --segment to check it against the audience\n", args[0], b.Name, b.Offer.Text)
			return nil
		}
		var chs []string
		if o.Channels != "" {
			if chs, err = content.ParseChannels(o.Channels); err != nil {
				return err
			}
		} else if len(b.Channels) == 0 {
			chs = []string{content.SMS}
		}
		return a.withApp(cmd.Context(), func(ap *chorusapp.App) error {
			p, err := ap.PrepareCampaign(cmd.Context(), content.CampaignRequest{Brief: b, Segment: o.Segment, Channels: chs, Variants: 1})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s: ok — run %s\n%s", args[0], p.Run.ID, p.Plan)
			return nil
		})
	}})
}
