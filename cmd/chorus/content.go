package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/content"
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
	return a.command("content", cmdSpec{Use: "lint", Args: cobra.NoArgs, Opts: o, Run: renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (content.LintReport, error) {
		return ap.LintContent(ctx, o.Run, o.All)
	})})
}

func (a *app) reviewListCmd() *cobra.Command {
	f := content.ItemFilter{Limit: 200}
	var asJSON bool
	return a.command("content review", cmdSpec{Use: "list", Args: cobra.NoArgs,
		Flags: map[string]any{"run": &f.RunID, "status": &f.Status, "channel": &f.Channel, "limit": &f.Limit, "json": &asJSON},
		Run: renderRun(a, &asJSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (chorusapp.Items, error) {
			return ap.ListItems(ctx, f)
		})})
}

func (a *app) reviewShowCmd() *cobra.Command {
	o := &struct {
		JSON bool `flag:"json"`
		HTML bool `flag:"html"`
	}{}
	return a.command("content review", cmdSpec{Use: "show ITEM", Args: cobra.ExactArgs(1), Opts: o, Run: a.appRun(func(ctx context.Context, ap *chorusapp.App, args []string) error {
		d, err := ap.ItemDetail(ctx, args[0])
		if err != nil || !o.HTML {
			return renderResult[content.Detail](a, o.JSON)(d, err)
		}
		_, err = fmt.Fprintln(a.stdout, d.Item.HTML)
		return err
	})})
}

func (a *app) reviewDecideCmd(verb, to string) *cobra.Command {
	o := &struct {
		By   string `flag:"by"`
		Note string `flag:"note"`
		JSON bool   `flag:"json"`
	}{By: a.userOr("cli")}
	return a.command("content review", cmdSpec{Use: verb + " ITEM...", Args: cobra.MinimumNArgs(1), Opts: o, Run: a.appRun(func(ctx context.Context, ap *chorusapp.App, args []string) error {
		var done []content.Item
		for _, id := range args {
			it, err := ap.DecideItem(ctx, id, to, o.By, o.Note)
			err = a.audited(ctx, noteHint(err, it, to, o.Note), ap.Store, "content."+verb, "item "+id, "by "+o.By)
			if err != nil {
				return err
			}
			if done = append(done, it); !o.JSON {
				fmt.Fprintf(a.stdout, "%s %s\n", id, to)
			}
		}
		if o.JSON {
			return a.printJSON(done)
		}
		return nil
	})})
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
	}{By: a.userOr("cli")}
	return a.command("content review", cmdSpec{Use: "edit ITEM --field NAME --value TEXT", Args: cobra.ExactArgs(1), Opts: o, Run: a.appRun(func(ctx context.Context, ap *chorusapp.App, args []string) error {
		it, vs, err := ap.EditItem(ctx, args[0], o.Field, o.Value, o.By, o.Note)
		if err != nil || o.JSON {
			return renderResult[content.Item](a, true)(it, err)
		}
		fmt.Fprintf(a.stdout, "%s %s\n", it.ID, it.Status)
		for _, v := range vs {
			fmt.Fprintf(a.stdout, "⚠ %s\n", v)
		}
		return nil
	})})
}

func (a *app) voiceSetCmd() *cobra.Command {
	return a.command("content voice", cmdSpec{Use: "set FILE", Args: cobra.ExactArgs(1), Run: a.lineRun(func(ctx context.Context, ap *chorusapp.App, args []string) (string, error) {
		v, err := ap.SetVoice(ctx, args[0])
		return fmt.Sprintf("voice %q stored (brand %s, emoji %s, %d taboo words, %d examples)", v.Name, v.Brand, v.Emoji, len(v.Taboo), len(v.Examples)), err
	})})
}

func (a *app) voiceShowCmd() *cobra.Command {
	return a.command("content voice", cmdSpec{Use: "show NAME", Args: cobra.ExactArgs(1), Run: renderRun(a, nil, func(ctx context.Context, ap *chorusapp.App, args []string) (content.Voice, error) {
		return ap.Store.GetVoice(ctx, args[0])
	})})
}

// userOr is $USER, or def when it is not set.
func (a *app) userOr(def string) string {
	if v, ok := a.env("USER"); ok && v != "" {
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
		chs, err := parseChannels(o.Channels)
		if err != nil {
			return err
		}
		return a.withApp(cmd.Context(), func(ap *chorusapp.App) error {
			p, err := ap.CheckBrief(cmd.Context(), b, o.Segment, chs)
			if err == nil {
				fmt.Fprintf(a.stdout, "%s: ok — run %s\n%s", args[0], p.Run.ID, p.Plan)
			}
			return err
		})
	}})
}

// parseChannels is the channels of a --channels list, none when empty.
func parseChannels(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	return content.ParseChannels(s)
}
