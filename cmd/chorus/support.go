package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/support"
)

// withAssistant runs fn with the application and its support assistant
// (conversations kept by rec; nil: the store's).
func (a *app) withAssistant(ctx context.Context, rec support.Recorder, fn func(*chorusapp.App, *support.Assistant) error) error {
	return a.withApp(ctx, func(ap *chorusapp.App) error {
		as, done, err := ap.Support(ctx, rec)
		if err != nil {
			return err
		}
		defer done()
		return fn(ap, as)
	})
}

func (a *app) askCmd() *cobra.Command {
	var customerID, lang, conv string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "ask TEXT",
		Short: "Ask the customer-service assistant one question",
		Long: `Answers one customer message from the catalog, the knowledge base (chorus kb
import) and, after verification (the order id plus its e-mail or the last 4
digits of its phone), the customer's own orders, citing [product:SKU],
[policy:ID], [order:ID]. It hands off to a person (chorus support queue) when
asked, on a strong complaint or legal threat, and when its sources cannot
answer. Offline the answer is composed from the sources; with a model (chorus
llm) it uses tool calling. Every figure is checked against the cited sources
and the ad-law check runs. The conversation is stored redacted.`,
		Example: `  chorus ask "七天无理由退货怎么退？"
  chorus ask "How much is the Everyday Camera Bag?" --json
  chorus ask "我的订单 CN26100200000108 到哪了？邮箱 wangfang@example.net" --customer C000001
  chorus ask "推荐一款适合旅行的包" --customer C000001 --language zh`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withAssistant(ctx, nil, func(_ *chorusapp.App, as *support.Assistant) error {
				r, err := as.Answer(ctx, support.Request{ConversationID: conv, CustomerID: customerID, Language: lang, Text: strings.Join(args, " "), Channel: "cli"}, nil)
				if err != nil || !asJSON {
					return orWrite(err, r, a.stdout)
				}
				return a.printJSON(r.Summary())
			})
		},
	}
	cmd.Flags().StringVar(&customerID, "customer", "", "the signed-in customer's id (personalises; orders still need verification)")
	cmd.Flags().StringVar(&lang, "language", "", "answer in zh or en (default: the message's language)")
	cmd.Flags().StringVar(&conv, "conversation", "", "continue this conversation")
	return jsonFlag(cmd, &asJSON)
}

// orWrite is err, else the error of writing v's text to w.
func orWrite(err error, v textWriter, w io.Writer) error {
	if err != nil {
		return err
	}
	return v.WriteText(w)
}

// supportCmd is `chorus support …`.
func (a *app) supportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "support",
		Short: "Customer service: chat, the hand-off queue, feedback, figures and evaluation",
	}
	cmd.AddCommand(a.supportChatCmd(), a.supportEvalCmd(), a.supportQueueCmd(), a.supportShowCmd(), a.supportFeedbackCmd(), a.supportFiguresCmd())
	return cmd
}

func (a *app) supportChatCmd() *cobra.Command {
	var customerID, lang string
	cmd := &cobra.Command{
		Use:   "chat",
		Short: "Talk to the assistant in the terminal",
		Long: `An interactive session: type a message and press Enter. Commands:
  /good, /bad        rate the last answer (👍/👎)
  /csat N            rate the last answer 1-5
  /new               start a new conversation
  /quit              leave (Ctrl-D works too)
A person's replies from the hand-off queue (chorus support queue reply) are
shown when you next press Enter.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return a.withAssistant(ctx, nil, func(ap *chorusapp.App, as *support.Assistant) error {
				c := &support.Chat{Assistant: as, Store: ap.Store, In: a.stdin, Out: a.stdout}
				return c.Run(ctx, support.Request{CustomerID: customerID, Language: lang, Channel: "cli"})
			})
		},
	}
	cmd.Flags().StringVar(&customerID, "customer", "", "chat as this signed-in customer")
	cmd.Flags().StringVar(&lang, "language", "", "answer in zh or en (default: each message's language)")
	return cmd
}

func (a *app) supportEvalCmd() *cobra.Command {
	var asJSON, failures bool
	var split string
	cmd := &cobra.Command{
		Use:   "eval FILE",
		Short: "Measure the assistant on an evaluation set (JSONL)",
		Long: `Each line of FILE is one case:
  {"question": "…", "customer": "C000001", "expect_facts": ["¥399"],
   "expect_citations": [{"kind":"product","id":"CN-PHOTO-BAG01"}], "expect_handoff": false}
Optional keys: language, intent, injection (the kind of prompt injection),
forbid_facts (must not be stated), split (tune | holdout), turns (earlier
messages of the conversation).

Reports answer accuracy (expected facts present, none forbidden, no
unsupported figure, the right hand-off), citation precision and recall,
groundedness, hand-off precision and recall, the injection refusal rate,
latency p50/p95 and retrieval recall@5 per language. Conversations are kept
in memory. The demo shop's set is internal/support/testdata/eval_demo.jsonl.`,
		Example: `  chorus demo && chorus support eval internal/support/testdata/eval_demo.jsonl
  chorus support eval cases.jsonl --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cases, err := support.ReadEvalFile(args[0], split)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			return a.withAssistant(ctx, support.NewMemoryRecorder(), func(_ *chorusapp.App, as *support.Assistant) error {
				bar := a.progress("eval", int64(len(cases)), "cases")
				prev := 0
				rep, err := support.Evaluate(ctx, as, cases, func(n int) { bar.Add(int64(n - prev)); prev = n })
				bar.Done()
				if err != nil || !asJSON {
					return orWrite(err, evalText{rep, failures}, a.stdout)
				}
				if !failures {
					rep.Failures = nil
				}
				return a.printJSON(rep)
			})
		},
	}
	cmd.Flags().BoolVar(&failures, "failures", false, "list the failed cases")
	cmd.Flags().StringVar(&split, "split", "", "only cases of this split (tune or holdout)")
	return jsonFlag(cmd, &asJSON)
}

// evalText is an evaluation's text, with or without its failed cases.
type evalText struct {
	support.EvalReport
	list bool
}

func (e evalText) WriteText(w io.Writer) error { return e.EvalReport.WriteText(w, e.list) }

func (a *app) supportQueueCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "queue",
		Short: "The hand-off queue that people work: list, take, reply, close",
		Example: `  chorus support queue list
  chorus support queue take 3 --as lin
  chorus support queue reply 3 --as lin "您好，已为您登记换货，明天发出。"
  chorus support queue close 3 --resolution "exchange sent"`,
	}
	cmd.AddCommand(a.queueListCmd(), a.queueTakeCmd(), a.queueReplyCmd(), a.queueCloseCmd())
	return cmd
}

// withQueue runs fn with the hand-off queue of the configured store.
func (a *app) withQueue(cmd *cobra.Command, fn func(ctx context.Context, q *support.Inbox) error) error {
	ctx := cmd.Context()
	return a.withApp(ctx, func(ap *chorusapp.App) error { return fn(ctx, ap.Inbox) })
}

func (a *app) queueListCmd() *cobra.Command {
	var asJSON bool
	var f support.HandoffFilter
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List hand-offs (default: those not closed)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withQueue(cmd, func(ctx context.Context, q *support.Inbox) error {
				items, err := q.List(ctx, f)
				if err != nil || asJSON {
					return orJSON(err, a, items)
				}
				return support.InboxItems(items).WriteText(a.stdout)
			})
		},
	}
	cmd.Flags().StringVar(&f.Status, "status", "", "queued, taken or closed (default: not closed)")
	cmd.Flags().StringVar(&f.Assignee, "assignee", "", "only this person's")
	return jsonFlag(cmd, &asJSON)
}

// orJSON is err, else the error of printing v as JSON.
func orJSON(err error, a *app, v any) error {
	if err != nil {
		return err
	}
	return a.printJSON(v)
}

// queueEntryCmd is a queue command on one hand-off (its first argument);
// run returns what to print.
func (a *app) queueEntryCmd(use, short string, args cobra.PositionalArgs, run func(ctx context.Context, q *support.Inbox, id int64, rest []string) (string, error)) *cobra.Command {
	return &cobra.Command{
		Use: use, Short: short, Args: args,
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := support.ParseHandoffID(args[0])
			if err != nil {
				return err
			}
			return a.withQueue(cmd, func(ctx context.Context, q *support.Inbox) error {
				out, err := run(ctx, q, id, args[1:])
				if err == nil {
					fmt.Fprintln(a.stdout, out)
				}
				return err
			})
		},
	}
}

func (a *app) queueTakeCmd() *cobra.Command {
	var as string
	cmd := a.queueEntryCmd("take ID", "Take a queued hand-off", cobra.ExactArgs(1), func(ctx context.Context, q *support.Inbox, id int64, _ []string) (string, error) {
		h, err := q.Take(ctx, id, as)
		return fmt.Sprintf("#%d is yours, %s (conversation %s); chorus support show %s", h.ID, h.Assignee, h.ConversationID, h.ConversationID), err
	})
	cmd.Flags().StringVar(&as, "as", os.Getenv("USER"), "your name")
	return cmd
}

func (a *app) queueReplyCmd() *cobra.Command {
	var as string
	cmd := a.queueEntryCmd("reply ID TEXT", "Answer the customer in the hand-off's conversation", cobra.MinimumNArgs(2), func(ctx context.Context, q *support.Inbox, id int64, text []string) (string, error) {
		m, err := q.Reply(ctx, id, as, strings.Join(text, " "))
		return fmt.Sprintf("sent as message #%d in %s", m.ID, m.ConversationID), err
	})
	cmd.Flags().StringVar(&as, "as", os.Getenv("USER"), "your name")
	return cmd
}

func (a *app) queueCloseCmd() *cobra.Command {
	var resolution, as string
	cmd := a.queueEntryCmd("close ID", "Resolve a hand-off: the conversation goes back to the assistant", cobra.ExactArgs(1), func(ctx context.Context, q *support.Inbox, id int64, _ []string) (string, error) {
		h, err := q.Resolve(ctx, id, as, resolution)
		return fmt.Sprintf("#%d closed", h.ID), err
	})
	cmd.Flags().StringVar(&resolution, "resolution", "", "what was done")
	cmd.Flags().StringVar(&as, "as", "", "your name (refused when another person has the hand-off)")
	return cmd
}

func (a *app) supportShowCmd() *cobra.Command {
	var asJSON bool
	return jsonFlag(&cobra.Command{
		Use:   "show CONVERSATION",
		Short: "Print a conversation (as stored: redacted)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd.Context(), func(st store.Store) error {
				ms, err := st.ConversationMessages(cmd.Context(), args[0])
				if err != nil || asJSON {
					return orJSON(err, a, ms)
				}
				return support.Transcript(ms).WriteText(a.stdout)
			})
		},
	}, &asJSON)
}

func (a *app) supportFeedbackCmd() *cobra.Command {
	var thumb, comment string
	var csat int
	cmd := &cobra.Command{
		Use:   "feedback MESSAGE",
		Short: "Record a customer's rating of an answer (👍/👎 and CSAT 1-5)",
		Example: `  chorus support feedback 12 --thumb up --csat 5
  chorus support feedback 13 --thumb down --comment "wrong size info"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := support.ParseFeedback(args[0], thumb, csat, comment, time.Now().UTC())
			if err != nil {
				return err
			}
			return a.withStore(cmd.Context(), func(st store.Store) error {
				if err := st.PutFeedback(cmd.Context(), f); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "feedback recorded for message #%d\n", f.MessageID)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&thumb, "thumb", "", "up or down")
	cmd.Flags().IntVar(&csat, "csat", 0, "satisfaction 1-5")
	cmd.Flags().StringVar(&comment, "comment", "", "the customer's comment")
	return cmd
}

func (a *app) supportFiguresCmd() *cobra.Command {
	var since, until string
	var days int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "figures",
		Short: "Deflection rate, hand-off rate, CSAT and answers per day",
		Long: `Over the answers of a period (default: the last 30 days):
  deflection rate   conversations resolved without a person / conversations
  hand-off rate     conversations handed to a person / conversations
  CSAT              mean rating (1-5) and the share of 4s and 5s
  thumbs            share of 👍 among rated answers
  answers per day   the assistant's answers by day`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, u, err := support.ParsePeriod(since, until, days, time.Now())
			if err != nil {
				return err
			}
			return a.withStore(cmd.Context(), func(st store.Store) error {
				f, err := support.ComputeFigures(cmd.Context(), st, s, u)
				if err != nil {
					return err
				}
				return a.render(asJSON, f)
			})
		},
	}
	cmd.Flags().StringVar(&since, "since", "", "first day (default: --days before --until)")
	cmd.Flags().StringVar(&until, "until", "", "exclusive last day (default: now)")
	cmd.Flags().IntVar(&days, "days", 30, "length of the period in days")
	return jsonFlag(cmd, &asJSON)
}

// demoSupportStep loads the demo shop's knowledge base and asks the
// assistant two questions.
func (a *app) demoSupportStep(st store.Store) demoStep {
	return demoStep{name: "customer service 客服", run: func(ctx context.Context, ap *chorusapp.App, _ *demo.Report, out io.Writer) error {
		reps, err := support.ImportFS(ctx, st, demo.KnowledgeBase())
		if err != nil {
			return err
		}
		n := 0
		for _, r := range reps {
			n += r.Imported + r.Updated + r.Unchanged
		}
		fmt.Fprintf(out, "knowledge base: %d entries from %d files\n", n, len(reps))
		as, done, err := ap.Support(ctx, support.NewMemoryRecorder())
		if err != nil {
			return err
		}
		defer done()
		for _, q := range []string{"七天无理由退货怎么申请？", "Is the Everyday Camera Bag waterproof?"} {
			r, err := as.Answer(ctx, support.Request{Text: q, Channel: "demo"}, nil)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "Q: %s\n", q)
			if err := r.WriteText(out); err != nil {
				return err
			}
		}
		return nil
	}}
}
