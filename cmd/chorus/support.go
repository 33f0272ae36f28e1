package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/support"
)

// askOutput is the contract of `chorus ask --json`.
type askOutput struct {
	Answer         string             `json:"answer"`
	Citations      []support.Citation `json:"citations"`
	Handoff        bool               `json:"handoff"`
	Intent         string             `json:"intent"`
	Language       string             `json:"language"`
	HandoffReason  string             `json:"handoff_reason,omitempty"`
	ConversationID string             `json:"conversation_id"`
	MessageID      int64              `json:"message_id,omitempty"`
	Flags          []string           `json:"flags,omitempty"`
	Model          string             `json:"model"`
	LatencyMS      float64            `json:"latency_ms"`
}

func toAskOutput(r support.Reply) askOutput {
	return askOutput{Answer: r.Answer, Citations: r.Citations, Handoff: r.Handoff, Intent: r.Intent, Language: r.Language, HandoffReason: r.HandoffReason,
		ConversationID: r.ConversationID, MessageID: r.MessageID, Flags: r.Flags, Model: r.Model, LatencyMS: r.LatencyMS}
}

func (a *app) askCmd() *cobra.Command {
	var customerID, lang, conv string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "ask TEXT",
		Short: "Ask the customer-service assistant one question",
		Long: `Answers one customer message from the catalog, the knowledge base (chorus kb
import) and, after verification, the customer's own orders, with citations
([product:SKU], [policy:ID], [order:ID]). It hands off to a person (chorus
support queue) when asked, on a strong complaint or a legal threat, and when
it cannot answer from its sources. The conversation is stored redacted.

Order details need the order id plus the order's e-mail or the last 4 digits
of its phone number. With the offline provider the answer is composed from
the sources; with a model (chorus llm) it uses tool calling. Either way every
figure is checked against the cited sources and the ad-law check runs.`,
		Example: `  chorus ask "七天无理由退货怎么退？"
  chorus ask "How much is the Everyday Camera Bag?" --json
  chorus ask "我的订单 CN26100200000108 到哪了？邮箱 wangfang@example.net" --customer C000001
  chorus ask "推荐一款适合旅行的包" --customer C000001 --language zh`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withApp(ctx, func(ap *chorusapp.App) error {
				as, done, err := ap.Support(ctx, nil)
				if err != nil {
					return err
				}
				defer done()
				r, err := as.Answer(ctx, support.Request{ConversationID: conv, CustomerID: customerID, Language: lang, Text: strings.Join(args, " "), Channel: "cli"}, nil)
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(toAskOutput(r))
				}
				a.printReply(a.stdout, r)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&customerID, "customer", "", "the signed-in customer's id (personalises; orders still need verification)")
	cmd.Flags().StringVar(&lang, "language", "", "answer in zh or en (default: the message's language)")
	cmd.Flags().StringVar(&conv, "conversation", "", "continue this conversation")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) printReply(w io.Writer, r support.Reply) {
	fmt.Fprintln(w, r.Answer)
	var cites []string
	for _, c := range r.Citations {
		cites = append(cites, c.String())
	}
	meta := fmt.Sprintf("intent %s · %s · %.1f ms", r.Intent, r.Model, r.LatencyMS)
	if len(cites) > 0 {
		meta += " · sources " + strings.Join(cites, " ")
	}
	if r.Handoff {
		meta += fmt.Sprintf(" · handed off (#%d, %s)", r.HandoffID, r.HandoffReason)
	}
	if r.MessageID > 0 {
		meta += fmt.Sprintf(" · message #%d", r.MessageID)
	}
	fmt.Fprintf(w, "  — %s\n", meta)
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
			return a.withApp(ctx, func(ap *chorusapp.App) error {
				as, done, err := ap.Support(ctx, nil)
				if err != nil {
					return err
				}
				defer done()
				return a.chat(ctx, ap.Store, as, customerID, lang)
			})
		},
	}
	cmd.Flags().StringVar(&customerID, "customer", "", "chat as this signed-in customer")
	cmd.Flags().StringVar(&lang, "language", "", "answer in zh or en (default: each message's language)")
	return cmd
}

func (a *app) chat(ctx context.Context, st support.Store, as *support.Assistant, customerID, lang string) error {
	fmt.Fprintln(a.stdout, "Chorus support — 输入问题后回车；/quit 退出，/good /bad /csat N 评价上一条回答。")
	in := bufio.NewScanner(a.stdin)
	c := &chatSession{a: a, st: st, as: as, req: support.Request{CustomerID: customerID, Language: lang, Channel: "cli"}}
	for {
		fmt.Fprint(a.stdout, "> ")
		if !in.Scan() {
			fmt.Fprintln(a.stdout)
			return in.Err()
		}
		line := strings.TrimSpace(in.Text())
		if err := c.showAgentReplies(ctx); err != nil {
			return err
		}
		var err error
		switch {
		case line == "":
		case line == "/quit" || line == "/exit":
			return nil
		case line == "/new":
			c.req.ConversationID, c.last = "", 0
			fmt.Fprintln(a.stdout, "(new conversation)")
		case line == "/good" || line == "/bad" || strings.HasPrefix(line, "/csat"):
			err = c.rate(ctx, line)
		default:
			err = c.answer(ctx, line)
		}
		if err != nil {
			return err
		}
	}
}

// chatSession is the state of `chorus support chat`: the conversation, the
// last answer (what /good rates) and the last message shown.
type chatSession struct {
	a          *app
	st         support.Store
	as         *support.Assistant
	req        support.Request
	last, seen int64
}

// showAgentReplies prints what a person answered from the queue since.
func (c *chatSession) showAgentReplies(ctx context.Context) error {
	if c.req.ConversationID == "" {
		return nil
	}
	ms, err := c.st.ConversationMessages(ctx, c.req.ConversationID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.ID > c.seen && m.Role == support.RoleAgent {
			fmt.Fprintf(c.a.stdout, "  [%s] %s\n", firstNonEmptyString(m.Author, "agent"), m.Text)
			c.last = m.ID
		}
		c.seen = max(c.seen, m.ID)
	}
	return nil
}

// rate records /good, /bad or /csat N for the last answer.
func (c *chatSession) rate(ctx context.Context, line string) error {
	if c.last == 0 {
		fmt.Fprintln(c.a.stdout, "(no answer to rate yet)")
		return nil
	}
	f := support.Feedback{MessageID: c.last, At: time.Now().UTC()}
	switch line {
	case "/good":
		f.Thumb = 1
	case "/bad":
		f.Thumb = -1
	default:
		n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "/csat")))
		if err != nil || n < 1 || n > 5 {
			fmt.Fprintln(c.a.stdout, "(CSAT is 1 to 5, e.g. /csat 4)")
			return nil
		}
		f.CSAT = n
	}
	if err := c.st.PutFeedback(ctx, f); err != nil {
		return err
	}
	fmt.Fprintln(c.a.stdout, "(thanks, recorded)")
	return nil
}

// answer streams the assistant's answer to line.
func (c *chatSession) answer(ctx context.Context, line string) error {
	req := c.req
	req.Text = line
	r, err := c.as.Answer(ctx, req, func(e support.Event) error {
		if e.Type == support.EventToken {
			_, err := io.WriteString(c.a.stdout, e.Text)
			return err
		}
		return nil
	})
	if apperr.Is(err, apperr.Invalid) {
		fmt.Fprintln(c.a.stdout, "\n(", err, ")")
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(c.a.stdout)
	c.req.ConversationID, c.last, c.seen = r.ConversationID, r.MessageID, r.MessageID
	if r.Handoff {
		fmt.Fprintf(c.a.stdout, "  — handed off to a person (#%d); they will reply in this conversation (%s)\n", r.HandoffID, r.ConversationID)
	}
	return nil
}

func firstNonEmptyString(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
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

Reports answer accuracy (every expected fact present, none forbidden, no
unsupported figure, the right hand-off decision), citation precision and
recall, groundedness (the share of figures found in the cited sources),
hand-off precision and recall, the injection refusal rate, latency p50/p95
and retrieval recall@5 per language. Conversations of an evaluation are
kept in memory, not in the shop's queue.

The demo shop's set is internal/support/testdata/eval_demo.jsonl.`,
		Example: `  chorus demo && chorus support eval internal/support/testdata/eval_demo.jsonl
  chorus support eval cases.jsonl --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			cases, err := readEvalCases(args[0], split)
			if err != nil {
				return err
			}
			return a.withApp(ctx, func(ap *chorusapp.App) error {
				as, done, err := ap.Support(ctx, support.NewMemoryRecorder())
				if err != nil {
					return err
				}
				defer done()
				bar := a.progress("eval", int64(len(cases)), "cases")
				prev := 0
				rep, err := support.Evaluate(ctx, as, cases, func(n int) { bar.Add(int64(n - prev)); prev = n })
				bar.Done()
				if err != nil {
					return err
				}
				if asJSON {
					if !failures {
						rep.Failures = nil
					}
					return a.printJSON(rep)
				}
				a.printEval(rep, failures)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&failures, "failures", false, "list the failed cases")
	cmd.Flags().StringVar(&split, "split", "", "only cases of this split (tune or holdout)")
	return cmd
}

// readEvalCases reads the evaluation set at path, the cases of split only
// when it is set.
func readEvalCases(path, split string) ([]support.EvalCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "open %s", path)
	}
	defer f.Close()
	cases, err := support.ReadEvalCases(f)
	if err == nil {
		cases, err = support.OfSplit(cases, split)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cases, nil
}

func (a *app) printEval(r support.EvalReport, failures bool) {
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "cases\t%d\t(provider %s)\n", r.Cases, r.Provider)
	fmt.Fprintf(tw, "accuracy\t%.3f\n", r.Accuracy)
	fmt.Fprintf(tw, "intent accuracy\t%.3f\n", r.IntentAccuracy)
	fmt.Fprintf(tw, "citation precision / recall\t%.3f / %.3f\n", r.CitationPrecision, r.CitationRecall)
	fmt.Fprintf(tw, "groundedness\t%.3f\t(%d of %d figures unsupported)\n", r.Groundedness, r.UnsupportedClaims, r.NumericClaims)
	fmt.Fprintf(tw, "hand-off precision / recall\t%.3f / %.3f\n", r.HandoffPrecision, r.HandoffRecall)
	fmt.Fprintf(tw, "injection refusal\t%.3f\t(%d cases)\n", r.InjectionRefusal, r.InjectionCases)
	fmt.Fprintf(tw, "latency p50 / p95 / max\t%.2f / %.2f / %.2f ms\n", r.LatencyMS.P50, r.LatencyMS.P95, r.LatencyMS.Max)
	for _, l := range []string{support.Zh, support.En} {
		if v, ok := r.RetrievalRecall5[l]; ok {
			fmt.Fprintf(tw, "retrieval recall@5 (%s)\t%.3f\n", l, v)
		}
	}
	for _, k := range sortedKeys(r.BySplit) {
		fmt.Fprintf(tw, "split %s\t%.3f\t(%d cases)\n", k, r.BySplit[k].Accuracy, r.BySplit[k].Cases)
	}
	for _, k := range sortedKeys(r.ByIntent) {
		fmt.Fprintf(tw, "intent %s\t%.3f\t(%d cases)\n", k, r.ByIntent[k].Accuracy, r.ByIntent[k].Cases)
	}
	tw.Flush()
	if failures {
		for _, f := range r.Failures {
			fmt.Fprintf(a.stdout, "\n✗ %s (line %d) %s\n  answer: %s\n  problems: %s\n", f.ID, f.Line, f.Question, f.Answer, strings.Join(f.Problems, "; "))
		}
	} else if len(r.Failures) > 0 {
		fmt.Fprintf(a.stdout, "%d case(s) failed; --failures lists them\n", len(r.Failures))
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && ks[j] < ks[j-1]; j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
	return ks
}

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
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(items)
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "#\tSTATUS\tREASON\tASSIGNEE\tLANG\tWAITING\tCONVERSATION\tSUMMARY")
				for _, h := range items {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", h.ID, h.Status, h.Reason, h.Assignee, h.Language,
						time.Since(h.CreatedAt).Round(time.Minute), h.ConversationID, h.Summary)
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&f.Status, "status", "", "queued, taken or closed (default: not closed)")
	cmd.Flags().StringVar(&f.Assignee, "assignee", "", "only this person's")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// queueEntryCmd is a queue command on one hand-off (its first argument);
// run returns what to print.
func (a *app) queueEntryCmd(use, short string, args cobra.PositionalArgs, run func(ctx context.Context, q *support.Inbox, id int64, rest []string) (string, error)) *cobra.Command {
	return &cobra.Command{
		Use: use, Short: short, Args: args,
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := handoffID(args[0])
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

func handoffID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.Invalid, "hand-off id %q is not a number such as 3", s)
	}
	return id, nil
}

func (a *app) supportShowCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show CONVERSATION",
		Short: "Print a conversation (as stored: redacted)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd.Context(), func(st store.Store) error {
				ms, err := st.ConversationMessages(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(ms)
				}
				for _, m := range ms {
					who := m.Role
					if m.Author != "" {
						who += " " + m.Author
					}
					fmt.Fprintf(a.stdout, "#%d %s [%s] %s\n", m.ID, m.CreatedAt.Format(time.DateTime), who, m.Text)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) supportFeedbackCmd() *cobra.Command {
	var thumb string
	var csat int
	var comment string
	cmd := &cobra.Command{
		Use:   "feedback MESSAGE",
		Short: "Record a customer's rating of an answer (👍/👎 and CSAT 1-5)",
		Example: `  chorus support feedback 12 --thumb up --csat 5
  chorus support feedback 13 --thumb down --comment "wrong size info"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(strings.TrimPrefix(args[0], "#"), 10, 64)
			if err != nil {
				return apperr.New(apperr.Invalid, "message id %q is not a number", args[0])
			}
			f := support.Feedback{MessageID: id, CSAT: csat, Comment: comment, At: time.Now().UTC()}
			switch thumb {
			case "up", "👍", "+1", "1":
				f.Thumb = 1
			case "down", "👎", "-1":
				f.Thumb = -1
			case "":
			default:
				return apperr.New(apperr.Invalid, "--thumb is up or down")
			}
			if f.Thumb == 0 && f.CSAT == 0 {
				return apperr.New(apperr.Invalid, "give --thumb up|down and/or --csat 1-5")
			}
			return a.withStore(cmd.Context(), func(st store.Store) error {
				if err := st.PutFeedback(cmd.Context(), f); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "feedback recorded for message #%d\n", id)
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
			u := time.Now().UTC()
			if until != "" {
				t, err := time.Parse(time.DateOnly, until)
				if err != nil {
					return apperr.New(apperr.Invalid, "--until must be a date like 2026-11-01")
				}
				u = t
			}
			s := u.AddDate(0, 0, -days)
			if since != "" {
				t, err := time.Parse(time.DateOnly, since)
				if err != nil {
					return apperr.New(apperr.Invalid, "--since must be a date like 2026-10-01")
				}
				s = t
			}
			return a.withStore(cmd.Context(), func(st store.Store) error {
				f, err := support.ComputeFigures(cmd.Context(), st, s, u)
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(f)
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintf(tw, "period\t%s – %s\n", f.Since.Format(time.DateOnly), f.Until.Format(time.DateOnly))
				fmt.Fprintf(tw, "conversations\t%d\n", f.Conversations)
				fmt.Fprintf(tw, "answers\t%d\t(assistant %d, people %d)\n", f.Answers+f.AgentAnswers, f.Answers, f.AgentAnswers)
				fmt.Fprintf(tw, "deflection rate\t%.3f\n", f.DeflectionRate)
				fmt.Fprintf(tw, "hand-off rate\t%.3f\n", f.HandoffRate)
				fmt.Fprintf(tw, "CSAT\t%.2f\t(%d ratings, %.0f%% 4-5)\n", f.CSAT, f.CSATCount, 100*f.CSATSatisfied)
				fmt.Fprintf(tw, "thumbs up\t%.3f\t(%d rated)\n", f.ThumbsUpRate, f.ThumbsCount)
				for _, d := range f.PerDay {
					fmt.Fprintf(tw, "  %s\t%d\n", d.Day, d.Answers)
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&since, "since", "", "first day (default: --days before --until)")
	cmd.Flags().StringVar(&until, "until", "", "exclusive last day (default: now)")
	cmd.Flags().IntVar(&days, "days", 30, "length of the period in days")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
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
			a.printReply(out, r)
		}
		return nil
	}}
}
