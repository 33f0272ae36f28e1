package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/campaign/worker"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/experiment"
	"github.com/chorusmkt/chorus/internal/store"
)

func (a *app) campaignCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "campaign",
		Short: "Create, plan, launch and follow multi-channel campaigns",
		Long: `A campaign sends one brief's offer to a segment across channels: each person
gets it on the best channel she allows (--mode best) or on every one
(--mode all), in each channel's own form from the content studio, with a
holdout group that gets nothing. Launching freezes the audience into
recipients and enqueues their sends; ` + "`chorus worker`" + ` delivers them.

  draft → scheduled → running ⇄ paused → completed | cancelled`,
		Example: `  chorus campaign create dbl11 --segment vip --channels email,sms --brief brief.yaml --holdout 10
  chorus campaign plan dbl11
  chorus campaign launch dbl11
  chorus worker &
  chorus campaign status dbl11 --follow`,
	}
	cmd.AddCommand(a.campaignCreateCmd(), a.campaignPlanCmd(), a.campaignLaunchCmd(),
		a.campaignMoveCmd("pause", "Stop sending; batches in flight finish"),
		a.campaignMoveCmd("resume", "Continue a paused campaign"),
		a.campaignMoveCmd("cancel", "End a campaign: pending recipients are skipped"),
		a.campaignStatusCmd(), a.campaignListCmd(), a.campaignRecipientsCmd(),
		a.campaignReportCmd())
	return cmd
}

// withCampaigns runs fn with the campaign service over the configured
// store and an insert-only queue; with studio, the content studio and the
// segment engine of the application layer are wired too (plan, launch).
func (a *app) withCampaigns(ctx context.Context, studio bool, fn func(*campaign.Service) error) error {
	return a.withStore(ctx, func(st store.Store) error {
		return a.campaignsOn(ctx, st, studio, false, func(w *worker.Worker) error { return fn(w.Service) })
	})
}

// campaignsOn wires the campaign send path over st (insert-only unless
// work), with the studio and audience of the application layer when
// studio is set, runs fn and stops it.
func (a *app) campaignsOn(ctx context.Context, st store.Store, studio, work bool, fn func(*worker.Worker) error) (err error) {
	w, err := worker.New(ctx, a.cfg, st, worker.Options{InsertOnly: !work})
	if err != nil {
		return err
	}
	defer func() {
		if cerr := w.Stop(); err == nil {
			err = cerr
		}
	}()
	if studio {
		ap, err := chorusapp.New(ctx, a.cfg, st, chorusapp.Options{Log: a.stderr})
		if err != nil {
			return err
		}
		defer func() {
			if cerr := ap.Close(ctx); err == nil {
				err = cerr
			}
		}()
		d, err := ap.Studio(ctx)
		if err != nil {
			return err
		}
		w.Service.Studio, w.Service.Audience = d, ap.Segments
	}
	return fn(w)
}

func (a *app) campaignCreateCmd() *cobra.Command {
	var (
		segmentName, channels, briefFile, mode, approval, depth, start, holdout string
		test, testWindow, testMetric, testDefault                               string
		variants                                                                int
		rates                                                                   []string
		deferQuiet, asJSON                                                      bool
	)
	cmd := &cobra.Command{
		Use:   "create NAME",
		Short: "Create a draft campaign",
		Example: `  chorus campaign create dbl11 --segment vip --channels email,sms --brief brief.yaml
  chorus campaign create spring --segment win_back --channels sms,email --mode all --variants 2 --holdout 10% --approval manual
  chorus campaign create night --segment vip --channels sms --brief b.yaml --start window   # each person's next allowed window`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := os.ReadFile(briefFile)
			if err != nil {
				return apperr.Wrap(err, apperr.Invalid, "--brief %s", briefFile)
			}
			c := campaign.Campaign{Name: args[0], Segment: segmentName, Mode: mode, Approval: approval, Depth: depth,
				Brief: string(b), BriefFile: filepath.Base(briefFile), Variants: campaign.EvenVariants(variants)}
			for _, ch := range strings.Split(channels, ",") {
				if ch = strings.ToLower(strings.TrimSpace(ch)); ch != "" {
					c.Channels = append(c.Channels, ch)
				}
			}
			if c.Holdout, err = parsePercent(holdout); err != nil {
				return err
			}
			if c.Schedule, err = parseStart(start, deferQuiet); err != nil {
				return err
			}
			if c.Rates, err = parseRates(rates); err != nil {
				return err
			}
			if variants < 1 || variants > 26 {
				return apperr.New(apperr.Invalid, "--variants %d: use 1 to 26", variants)
			}
			plan, err := parseTest(test, testWindow, testMetric, testDefault)
			if err != nil {
				return err
			}
			return a.withCampaigns(cmd.Context(), false, func(svc *campaign.Service) error {
				if plan != nil {
					if err := plan.Validate(c); err != nil { // before anything is stored
						return err
					}
				}
				c, err := svc.Create(cmd.Context(), c)
				if err != nil {
					return err
				}
				if plan != nil {
					if *plan, err = svc.SetTest(cmd.Context(), c.Name, *plan); err != nil {
						return err
					}
				}
				if asJSON {
					return a.printJSON(c)
				}
				fmt.Fprintf(a.stdout, "campaign %s created (draft): segment %s, channels %s, mode %s, %d variant(s), holdout %.4g%%, approval %s\n",
					c.Name, c.Segment, strings.Join(c.Channels, ","), c.Mode, len(c.Variants), c.Holdout*100, c.Approval)
				if plan != nil {
					fmt.Fprintf(a.stdout, "test: %.4g%% of the audience get the variants; after %s the winner (%s, else %s) goes to the rest\n",
						plan.Share*100, plan.Window, plan.Metric, orDefault(plan.Default, c.Variants[0].Name))
				}
				fmt.Fprintf(a.stdout, "next: chorus campaign plan %s\n", c.Name)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&segmentName, "segment", "", "the audience: a saved segment (required)")
	f.StringVar(&channels, "channels", "", "channels in order of preference, e.g. email,sms (required; email, sms, push, ad: a customer-match audience file)")
	f.StringVar(&briefFile, "brief", "", "the campaign brief, YAML or JSON (required)")
	f.StringVar(&mode, "mode", campaign.ModeBest, "best: one message on her best open channel; all: every open channel")
	f.IntVar(&variants, "variants", 1, "A/B variants of the copy, split evenly")
	f.StringVar(&holdout, "holdout", "0", "share of the audience held out as control, in percent (10 or 10%)")
	f.StringVar(&approval, "approval", campaign.ApprovalAuto, "auto: approve items that pass every check; manual: wait for chorus content review")
	f.StringVar(&depth, "depth", "segment", "personalisation depth of the copy: segment, cohort or individual")
	f.StringVar(&start, "start", "now", "when to send: now, a time (RFC 3339) or window (each person's next allowed window)")
	f.BoolVar(&deferQuiet, "defer-quiet", false, "defer a send that quiet hours stop to the window's opening instead of skipping it")
	f.StringSliceVar(&rates, "rate", nil, "messages per second on a channel, e.g. --rate sms=50 (for the campaign, shared by all worker processes)")
	f.StringVar(&test, "test", "", "test the variants on this share of the audience (e.g. 20%), then send the winner to the rest")
	f.StringVar(&testWindow, "test-window", "24h", "with --test: how long the test runs before the winner is chosen")
	f.StringVar(&testMetric, "test-metric", "conversion_rate", "with --test: what decides, conversion_rate or revenue_per_recipient")
	f.StringVar(&testDefault, "test-default", "", "with --test: the variant that goes out without a clear winner (default: the first)")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	_ = cmd.MarkFlagRequired("segment")
	_ = cmd.MarkFlagRequired("channels")
	_ = cmd.MarkFlagRequired("brief")
	return cmd
}

// parseTest reads --test and its options; nil without --test.
func parseTest(share, window, metric, def string) (*campaign.TestPlan, error) {
	share = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(share), "%"))
	if share == "" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(share, 64)
	if err != nil || !(v > 0 && v < 100) {
		return nil, apperr.New(apperr.Invalid, "--test %q: use a percentage of the audience, more than 0 and less than 100", share)
	}
	w, err := config.ParseDuration(window)
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "--test-window %q: use a duration such as 24h or 2d", window)
	}
	return &campaign.TestPlan{Share: v / 100, Window: w.Std(), Metric: experiment.Metric(strings.TrimSpace(metric)), Default: strings.TrimSpace(def)}, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func parsePercent(s string) (float64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v > 50 {
		return 0, apperr.New(apperr.Invalid, "--holdout %q: use a percentage from 0 to 50", s)
	}
	return v / 100, nil
}

func parseStart(s string, deferQuiet bool) (campaign.Schedule, error) {
	switch strings.TrimSpace(s) {
	case "", campaign.StartNow:
		return campaign.Schedule{Kind: campaign.StartNow, DeferQuiet: deferQuiet}, nil
	case campaign.StartWindow:
		return campaign.Schedule{Kind: campaign.StartWindow, DeferQuiet: true}, nil
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return campaign.Schedule{}, apperr.New(apperr.Invalid, "--start %q: use now, window or a time like 2026-11-11T00:00:00+08:00", s)
	}
	return campaign.Schedule{Kind: campaign.StartAt, At: t.UTC(), DeferQuiet: deferQuiet}, nil
}

func parseRates(rs []string) (map[string]float64, error) {
	out := map[string]float64{}
	for _, r := range rs {
		ch, v, ok := strings.Cut(r, "=")
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if !ok || err != nil || f <= 0 {
			return nil, apperr.New(apperr.Invalid, "--rate %q: use CHANNEL=MESSAGES_PER_SECOND, e.g. sms=50", r)
		}
		out[strings.ToLower(strings.TrimSpace(ch))] = f
	}
	return out, nil
}

func (a *app) campaignPlanCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "plan NAME",
		Short: "Show the audience, the split per channel, the skips and the model calls, sending nothing",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withCampaigns(cmd.Context(), true, func(svc *campaign.Service) error {
				p, err := svc.Plan(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(p)
				}
				fmt.Fprintf(a.stdout, "campaign %s · segment %s · audience %d · holdout %d · reached %d\n", p.Campaign, p.Segment, p.Audience, p.Holdout, p.Reached)
				fmt.Fprintf(a.stdout, "messages by channel: %s\n", countList(p.ByChannel))
				fmt.Fprintf(a.stdout, "by variant: %s\n", countList(p.ByVariant))
				if len(p.Fallbacks) > 0 {
					fmt.Fprintf(a.stdout, "fallbacks: %s\n", countList(p.Fallbacks))
				}
				fmt.Fprintf(a.stdout, "skipped at launch: %s\n", countList(p.Skipped))
				for _, ch := range sortedKeys(p.Closed) {
					fmt.Fprintf(a.stdout, "  %s closed for: %s\n", ch, countList(p.Closed[ch]))
				}
				fmt.Fprintf(a.stdout, "content: %d model calls for a clean run (at most %d with repairs), depth %s\n", p.Calls, p.MaxCalls, p.Content.Depth)
				fmt.Fprintln(a.stdout, p.Content.String())
				fmt.Fprintf(a.stdout, "next: chorus campaign launch %s\n", p.Campaign)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) campaignLaunchCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "launch NAME",
		Short: "Write the content, freeze the audience and enqueue every send",
		Long: `Launch writes the campaign's copy (resuming a run written before), approves
the items that passed every check when approval is auto, freezes the
segment into recipients, and in one transaction stores them, moves the
campaign to running (or scheduled) and enqueues their sends. ` + "`chorus worker`" + `
delivers them.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withCampaigns(cmd.Context(), true, func(svc *campaign.Service) error {
				l, err := svc.Launch(cmd.Context(), args[0])
				err = a.audited(cmd.Context(), err, nil, "campaign.launch", "campaign "+args[0], fmt.Sprintf("%d recipients", l.Recipients))
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(l)
				}
				fmt.Fprintf(a.stdout, "campaign %s %s: %d recipients; content run %s (%d model calls, %d items auto-approved)\n",
					l.Campaign.Name, l.Campaign.State, l.Recipients, l.Content.Run, l.Content.ModelCalls+l.Fallback.ModelCalls, l.Approved)
				a.printStatus(l.Status)
				fmt.Fprintf(a.stdout, "next: chorus worker   (then: chorus campaign status %s --follow)\n", l.Campaign.Name)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) campaignMoveCmd(action, short string) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   action + " NAME",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withCampaigns(cmd.Context(), false, func(svc *campaign.Service) error {
				var c campaign.Campaign
				var err error
				switch action {
				case "pause":
					c, err = svc.Pause(cmd.Context(), args[0])
				case "resume":
					c, err = svc.Resume(cmd.Context(), args[0])
				default:
					c, err = svc.Cancel(cmd.Context(), args[0])
				}
				err = a.audited(cmd.Context(), err, nil, "campaign."+action, "campaign "+args[0], "")
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(c)
				}
				fmt.Fprintf(a.stdout, "campaign %s is %s\n", c.Name, c.State)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) campaignStatusCmd() *cobra.Command {
	var asJSON, follow bool
	var every time.Duration
	cmd := &cobra.Command{
		Use:   "status NAME",
		Short: "Show a campaign's state and its recipients by state, channel and reason",
		Example: `  chorus campaign status dbl11 --json
  chorus campaign status dbl11 --follow   # a progress bar until it completes`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withCampaigns(ctx, false, func(svc *campaign.Service) error {
				st, err := svc.Status(ctx, args[0])
				if err != nil {
					return err
				}
				if follow {
					if st, err = a.followCampaign(ctx, svc, st, every); err != nil {
						return err
					}
				}
				if asJSON {
					return a.printJSON(st)
				}
				a.printStatus(st)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (with --follow: once it ends)")
	cmd.Flags().BoolVar(&follow, "follow", false, "show progress until the campaign completes or is cancelled")
	cmd.Flags().DurationVar(&every, "every", time.Second, "how often --follow polls")
	return cmd
}

// followCampaign shows a progress bar of terminal recipients until the
// campaign ends (or ctx, Ctrl-C, does).
func (a *app) followCampaign(ctx context.Context, svc *campaign.Service, st campaign.Status, every time.Duration) (campaign.Status, error) {
	bar := a.progress("campaign "+st.Campaign.Name, int64(st.Total), "recipients")
	defer bar.Done()
	shown := int64(0)
	for {
		done := int64(st.Total - st.Counts[campaign.SendPending])
		if done > shown {
			bar.Add(done - shown)
			shown = done
		}
		if campaign.Terminal(st.State) || st.State == campaign.Paused {
			return st, nil
		}
		select {
		case <-ctx.Done():
			return st, nil
		case <-time.After(max(every, 50*time.Millisecond)):
		}
		var err error
		if st, err = svc.Status(ctx, st.Campaign.Name); err != nil {
			return st, err
		}
	}
}

func (a *app) printStatus(st campaign.Status) {
	fmt.Fprintf(a.stdout, "campaign %s: %s · %d recipients rows · %s\n", st.Campaign.Name, st.State, st.Total, stateList(st.Counts))
	for _, ch := range sortedKeys(st.ByChannel) {
		fmt.Fprintf(a.stdout, "  %-6s %s\n", ch, stateList(st.ByChannel[ch]))
	}
	if len(st.ByVariant) > 1 {
		for _, v := range sortedKeys(st.ByVariant) {
			fmt.Fprintf(a.stdout, "  variant %s: %s\n", v, stateList(st.ByVariant[v]))
		}
	}
	if len(st.Skipped) > 0 {
		fmt.Fprintf(a.stdout, "  skipped by reason: %s\n", countList(st.Skipped))
	}
	if len(st.Failed) > 0 {
		fmt.Fprintf(a.stdout, "  failed by reason: %s\n", countList(st.Failed))
	}
	for _, k := range sortedKeys(st.Fallbacks) {
		fmt.Fprintf(a.stdout, "  fallback %s: %s\n", k, countList(st.Fallbacks[k]))
	}
	fmt.Fprintf(a.stdout, "  retries after an unrecorded outcome (possible duplicates, same Message-ID/webhook-id): %d · in flight: %d\n", st.Resends, st.InFlight)
	if !st.NextAt.IsZero() {
		fmt.Fprintf(a.stdout, "  next deferred or retried send: %s\n", st.NextAt.Local().Format(time.DateTime))
	}
}

func stateList(c campaign.Counts) string {
	var parts []string
	for _, s := range campaign.SendStates {
		parts = append(parts, fmt.Sprintf("%s %d", s, c[s]))
	}
	return strings.Join(parts, " · ")
}

func countList[V any](m map[string]V) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s %v", k, m[k]))
	}
	return strings.Join(parts, " · ")
}

func (a *app) campaignListCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List campaigns",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withCampaigns(cmd.Context(), false, func(svc *campaign.Service) error {
				cs, err := svc.List(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					if cs == nil {
						cs = []campaign.Campaign{}
					}
					return a.printJSON(cs)
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tSTATE\tSEGMENT\tCHANNELS\tMODE\tRECIPIENTS\tLAUNCHED")
				for _, c := range cs {
					launched := "-"
					if !c.LaunchedAt.IsZero() {
						launched = c.LaunchedAt.Local().Format(time.DateTime)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", c.Name, c.State, c.Segment, strings.Join(c.Channels, ","), c.Mode, c.Recipients, launched)
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) campaignRecipientsCmd() *cobra.Command {
	var (
		state  string
		after  int64
		limit  int
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "recipients NAME",
		Short: "List a campaign's recipients with their state and reason",
		Example: `  chorus campaign recipients dbl11 --state skipped
  chorus campaign recipients dbl11 --after 5000 --limit 1000 --json   # page on by the last id`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if state != "" && !slices.Contains(campaign.SendStates, state) {
				return apperr.New(apperr.Invalid, "--state %q: use %s", state, strings.Join(campaign.SendStates, ", "))
			}
			return a.withCampaigns(cmd.Context(), false, func(svc *campaign.Service) error {
				var rows []campaign.Send
				err := svc.Recipients(cmd.Context(), args[0], state, after, limit, func(s campaign.Send) error {
					rows = append(rows, s)
					return nil
				})
				if err != nil {
					return err
				}
				if asJSON {
					if rows == nil {
						rows = []campaign.Send{}
					}
					return a.printJSON(rows)
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "SEND\tCUSTOMER\tCHANNEL\tSTATE\tVARIANT\tATTEMPTS\tREASON")
				for _, s := range rows {
					why := s.Code
					if s.Reason != "" {
						why += ": " + s.Reason
					}
					if s.FallbackFrom != "" {
						why = strings.TrimPrefix(why+"; fallback from "+s.FallbackFrom+" ("+s.FallbackCode+")", "; ")
					}
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", s.ID, s.CustomerID, orDash(s.Channel), s.State, orDash(s.Variant), s.Attempts, why)
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&state, "state", "", "only this state: pending, sent, failed, skipped, holdout")
	cmd.Flags().Int64Var(&after, "after", 0, "start after this send id (paging)")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many rows (0: all)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (a *app) workerCmd() *cobra.Command {
	var id, cpuProf, memProf string
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Deliver campaign sends from the job queue until SIGTERM",
		Long: `The worker runs the durable job queue: it sends campaign batches over the
configured channels (delivery.email.smtp, delivery.webhooks.<channel>.url)
and reconciles campaigns every 30 s. Any number of workers may share one
PostgreSQL database (or one SQLite file on one machine); a killed worker's
jobs are rescued by the others after queue.rescue_after. On SIGTERM or
Ctrl-C it stops taking jobs and lets the batches in flight finish.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			stopProf, err := startProfiles(cpuProf, memProf)
			if err != nil {
				return err
			}
			defer stopProf()
			return a.withStore(ctx, func(st store.Store) (err error) {
				w, err := worker.New(ctx, a.cfg, st, worker.Options{ID: id})
				if err != nil {
					return err
				}
				defer func() {
					if serr := w.Stop(); err == nil {
						err = serr
					}
				}()
				var chans []string
				for ch := range w.Service.Senders {
					chans = append(chans, ch)
				}
				sort.Strings(chans)
				if len(chans) == 0 {
					fmt.Fprintln(a.stderr, "worker: warning: no channel is configured (delivery.email.smtp, delivery.webhooks.<channel>.url): sends will fail with no_sender")
				}
				if w.Service.Links == nil {
					fmt.Fprintln(a.stderr, "worker: warning: tracking.secret is not set: messages go out without tracking or unsubscribe links (email is refused)")
				}
				if err := w.Start(context.WithoutCancel(ctx)); err != nil {
					return err
				}
				fmt.Fprintf(a.stderr, "worker: running on %s (%s), channels %s; stop with Ctrl-C or SIGTERM\n", w.Queue.Engine(), redactDSN(a.cfg.DB), strings.Join(chans, ","))
				<-ctx.Done()
				fmt.Fprintln(a.stderr, "worker: stopping: finishing the batches in flight")
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&id, "id", "", "this worker's name among the workers (default: host and process)")
	cmd.Flags().StringVar(&cpuProf, "cpuprofile", "", "write a CPU profile (pprof) to this file")
	cmd.Flags().StringVar(&memProf, "memprofile", "", "write an allocation profile (pprof) to this file on exit")
	_ = cmd.Flags().MarkHidden("cpuprofile")
	_ = cmd.Flags().MarkHidden("memprofile")
	return cmd
}
