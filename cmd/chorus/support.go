package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/support"
)

func (a *app) askCmd() *cobra.Command {
	o := &struct {
		Customer     string `flag:"customer"`
		Language     string `flag:"language"`
		Conversation string `flag:"conversation"`
		JSON         bool   `flag:"json"`
	}{}
	return a.command("", cmdSpec{Use: "ask TEXT", Args: cobra.MinimumNArgs(1), Opts: o, Run: a.appRun(func(ctx context.Context, ap *chorusapp.App, args []string) error {
		r, err := ap.Ask(ctx, support.Request{ConversationID: o.Conversation, CustomerID: o.Customer, Language: o.Language,
			Text: strings.Join(args, " "), Channel: "cli"})
		if err != nil || !o.JSON {
			return renderResult[support.Reply](a, false)(r, err)
		}
		return a.printJSON(r.Summary())
	})})
}

// supportCmd is `chorus support …`.
func (a *app) supportCmd() *cobra.Command {
	queue := a.command("support", cmdSpec{Use: "queue", Subs: []*cobra.Command{a.queueListCmd(), a.queueTakeCmd(), a.queueReplyCmd(), a.queueCloseCmd()}})
	return a.command("", cmdSpec{Use: "support", Subs: []*cobra.Command{a.supportChatCmd(), a.supportEvalCmd(), queue,
		a.supportShowCmd(), a.supportFeedbackCmd(), a.supportFiguresCmd()}})
}

func (a *app) supportChatCmd() *cobra.Command {
	o := &struct {
		Customer string `flag:"customer"`
		Language string `flag:"language"`
	}{}
	return a.command("support", cmdSpec{Use: "chat", Args: cobra.NoArgs, Opts: o, Run: a.appRun(func(ctx context.Context, ap *chorusapp.App, _ []string) error {
		return ap.SupportChat(ctx, support.Request{CustomerID: o.Customer, Language: o.Language, Channel: "cli"}, a.stdin, a.stdout)
	})})
}

func (a *app) supportEvalCmd() *cobra.Command {
	o := &struct {
		JSON     bool   `flag:"json"`
		Failures bool   `flag:"failures"`
		Split    string `flag:"split"`
	}{}
	return a.command("support", cmdSpec{Use: "eval FILE", Args: cobra.ExactArgs(1), Opts: o, Run: a.appRun(func(ctx context.Context, ap *chorusapp.App, args []string) error {
		cases, err := support.ReadEvalFile(args[0], o.Split)
		if err != nil {
			return err
		}
		bar, prev := a.progress("eval", int64(len(cases)), "cases"), 0
		rep, err := ap.EvalSupport(ctx, cases, func(n int) { bar.Add(int64(n - prev)); prev = n })
		bar.Done()
		return renderResult[support.EvalListing](a, o.JSON)(rep.Listing(o.Failures), err)
	})})
}

func (a *app) queueListCmd() *cobra.Command {
	var asJSON bool
	var f support.HandoffFilter
	flags := map[string]any{"status": &f.Status, "assignee": &f.Assignee, "json": &asJSON}
	return a.command("support queue", cmdSpec{Use: "list", Args: cobra.NoArgs, Flags: flags,
		Run: renderRun(a, &asJSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (support.InboxItems, error) {
			return ap.Inbox.List(ctx, f)
		})})
}

// queueEntryCmd is a queue command on one hand-off (its first argument)
// with flags opts; run returns what to print.
func (a *app) queueEntryCmd(use string, args cobra.PositionalArgs, opts any, run func(ctx context.Context, q *support.Inbox, id int64, rest []string) (string, error)) *cobra.Command {
	var id int64
	return a.command("support queue", cmdSpec{Use: use, Args: args, Opts: opts,
		Check: func(_ *cobra.Command, args []string) (err error) {
			id, err = support.ParseHandoffID(args[0])
			return err
		},
		Run: a.lineRun(func(ctx context.Context, ap *chorusapp.App, args []string) (string, error) {
			return run(ctx, ap.Inbox, id, args[1:])
		})})
}

// asOpts is the --as of a queue command, by default the login user.
type asOpts struct {
	As string `flag:"as"`
}

func (a *app) queueTakeCmd() *cobra.Command {
	o := &asOpts{As: os.Getenv("USER")}
	return a.queueEntryCmd("take ID", cobra.ExactArgs(1), o, func(ctx context.Context, q *support.Inbox, id int64, _ []string) (string, error) {
		h, err := q.Take(ctx, id, o.As)
		return fmt.Sprintf("#%d is yours, %s (conversation %s); chorus support show %s", h.ID, h.Assignee, h.ConversationID, h.ConversationID), err
	})
}

func (a *app) queueReplyCmd() *cobra.Command {
	o := &asOpts{As: os.Getenv("USER")}
	return a.queueEntryCmd("reply ID TEXT", cobra.MinimumNArgs(2), o, func(ctx context.Context, q *support.Inbox, id int64, text []string) (string, error) {
		m, err := q.Reply(ctx, id, o.As, strings.Join(text, " "))
		return fmt.Sprintf("sent as message #%d in %s", m.ID, m.ConversationID), err
	})
}

func (a *app) queueCloseCmd() *cobra.Command {
	o := &struct {
		Resolution string `flag:"resolution"`
		As         string `flag:"as"`
	}{}
	return a.queueEntryCmd("close ID", cobra.ExactArgs(1), o, func(ctx context.Context, q *support.Inbox, id int64, _ []string) (string, error) {
		h, err := q.Resolve(ctx, id, o.As, o.Resolution)
		return fmt.Sprintf("#%d closed", h.ID), err
	})
}

func (a *app) supportShowCmd() *cobra.Command {
	return callCmd(a, "support", "show CONVERSATION", cobra.ExactArgs(1), func(ctx context.Context, ap *chorusapp.App, args []string) (support.Transcript, error) {
		return ap.Transcript(ctx, args[0])
	})
}

func (a *app) supportFeedbackCmd() *cobra.Command {
	o := &struct {
		Thumb   string `flag:"thumb"`
		CSAT    int    `flag:"csat"`
		Comment string `flag:"comment"`
	}{}
	var f support.Feedback
	return a.command("support", cmdSpec{Use: "feedback MESSAGE", Args: cobra.ExactArgs(1), Opts: o,
		Check: func(_ *cobra.Command, args []string) (err error) {
			f, err = support.ParseFeedback(args[0], o.Thumb, o.CSAT, o.Comment, time.Now().UTC())
			return err
		},
		Run: a.lineRun(func(ctx context.Context, ap *chorusapp.App, _ []string) (string, error) {
			return fmt.Sprintf("feedback recorded for message #%d", f.MessageID), ap.Feedback(ctx, f)
		})})
}

func (a *app) supportFiguresCmd() *cobra.Command {
	o := &struct {
		Since string `flag:"since"`
		Until string `flag:"until"`
		Days  int    `flag:"days"`
		JSON  bool   `flag:"json"`
	}{Days: 30}
	var s, u time.Time
	return a.command("support", cmdSpec{Use: "figures", Args: cobra.NoArgs, Opts: o,
		Check: func(*cobra.Command, []string) (err error) {
			s, u, err = support.ParsePeriod(o.Since, o.Until, o.Days, time.Now())
			return err
		},
		Run: renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (support.Figures, error) {
			return ap.SupportFigures(ctx, s, u)
		})})
}
