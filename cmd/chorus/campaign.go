package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/campaign/worker"
	"github.com/chorusmkt/chorus/internal/store"
)

func (a *app) campaignCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "campaign",
		Short: "Create, plan, launch and follow multi-channel campaigns",
		Long: `A campaign sends one brief's offer to a segment across channels: on each
person's best allowed channel (--mode best) or every one (--mode all), in
each channel's form from the content studio, with a holdout that gets
nothing. Launching freezes the audience and enqueues the sends; ` + "`chorus worker`" + `
delivers them.

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
	if !studio {
		return fn(w)
	}
	return a.onApp(ctx, st, func(ap *chorusapp.App) error {
		d, err := ap.Studio(ctx)
		if err != nil {
			return err
		}
		w.Service.Studio, w.Service.Audience = d, ap.Segments
		return fn(w)
	})
}

// createFlags are the flags of `chorus campaign create`.
type createFlags struct {
	segment, channels, brief, mode, approval, depth, start, holdout string
	test, testWindow, testMetric, testDefault                       string
	variants                                                        int
	rates                                                           []string
	deferQuiet, asJSON                                              bool
}

func (o *createFlags) bind(f *pflag.FlagSet) {
	f.StringVar(&o.segment, "segment", "", "the audience: a saved segment (required)")
	f.StringVar(&o.channels, "channels", "", "channels in order of preference, e.g. email,sms (required; email, sms, push, ad: a customer-match audience file)")
	f.StringVar(&o.brief, "brief", "", "the campaign brief, YAML or JSON (required)")
	f.StringVar(&o.mode, "mode", campaign.ModeBest, "best: one message on her best open channel; all: every open channel")
	f.IntVar(&o.variants, "variants", 1, "A/B variants of the copy, split evenly")
	f.StringVar(&o.holdout, "holdout", "0", "share of the audience held out as control, in percent (10 or 10%)")
	f.StringVar(&o.approval, "approval", campaign.ApprovalAuto, "auto: approve items that pass every check; manual: wait for chorus content review")
	f.StringVar(&o.depth, "depth", "segment", "personalisation depth of the copy: segment, cohort or individual")
	f.StringVar(&o.start, "start", "now", "when to send: now, a time (RFC 3339) or window (each person's next allowed window)")
	f.BoolVar(&o.deferQuiet, "defer-quiet", false, "defer a send that quiet hours stop to the window's opening instead of skipping it")
	f.StringSliceVar(&o.rates, "rate", nil, "messages per second on a channel, e.g. --rate sms=50 (for the campaign, shared by all worker processes)")
	f.StringVar(&o.test, "test", "", "test the variants on this share of the audience (e.g. 20%), then send the winner to the rest")
	f.StringVar(&o.testWindow, "test-window", "24h", "with --test: how long the test runs before the winner is chosen")
	f.StringVar(&o.testMetric, "test-metric", "conversion_rate", "with --test: what decides, conversion_rate or revenue_per_recipient")
	f.StringVar(&o.testDefault, "test-default", "", "with --test: the variant that goes out without a clear winner (default: the first)")
	f.BoolVar(&o.asJSON, "json", false, "print JSON")
}

// draft is the campaign and test plan the flags describe, named name.
func (o createFlags) draft(name string) (c campaign.Campaign, plan *campaign.TestPlan, err error) {
	b, err := os.ReadFile(o.brief)
	if err != nil {
		return c, nil, apperr.Wrap(err, apperr.Invalid, "--brief %s", o.brief)
	}
	c = campaign.Campaign{Name: name, Segment: o.segment, Channels: campaign.ParseChannels(o.channels), Mode: o.mode,
		Approval: o.approval, Depth: o.depth, Brief: string(b), BriefFile: filepath.Base(o.brief)}
	if c.Holdout, err = campaign.ParseHoldout(o.holdout); err != nil {
		return c, nil, err
	}
	if c.Schedule, err = campaign.ParseStart(o.start, o.deferQuiet); err != nil {
		return c, nil, err
	}
	if c.Rates, err = campaign.ParseRates(o.rates); err != nil {
		return c, nil, err
	}
	if c.Variants, err = campaign.SplitVariants(o.variants); err != nil || o.variants == 0 {
		return c, nil, apperr.New(apperr.Invalid, "--variants %d: use 1 to %d", o.variants, campaign.MaxVariants)
	}
	plan, err = campaign.ParseTestPlan(o.test, o.testWindow, o.testMetric, o.testDefault)
	return c, plan, err
}

func (a *app) campaignCreateCmd() *cobra.Command {
	var o createFlags
	cmd := &cobra.Command{
		Use:   "create NAME",
		Short: "Create a draft campaign",
		Example: `  chorus campaign create dbl11 --segment vip --channels email,sms --brief brief.yaml
  chorus campaign create spring --segment win_back --channels sms,email --mode all --variants 2 --holdout 10% --approval manual
  chorus campaign create night --segment vip --channels sms --brief b.yaml --start window   # each person's next allowed window`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, plan, err := o.draft(args[0])
			if err != nil {
				return err
			}
			return a.withCampaigns(cmd.Context(), false, func(svc *campaign.Service) error {
				made, err := svc.CreateTested(cmd.Context(), c, plan)
				if err != nil {
					return err
				}
				if o.asJSON {
					return a.printJSON(made.Campaign)
				}
				return a.renderNext(false, made, "chorus campaign plan "+made.Campaign.Name)
			})
		},
	}
	o.bind(cmd.Flags())
	for _, f := range []string{"segment", "channels", "brief"} {
		_ = cmd.MarkFlagRequired(f)
	}
	return cmd
}

func (a *app) campaignPlanCmd() *cobra.Command {
	var asJSON bool
	return jsonFlag(&cobra.Command{
		Use:   "plan NAME",
		Short: "Show the audience, the split per channel, the skips and the model calls, sending nothing",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withCampaigns(cmd.Context(), true, func(svc *campaign.Service) error {
				p, err := svc.Plan(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				return a.renderNext(asJSON, p, "chorus campaign launch "+p.Campaign)
			})
		},
	}, &asJSON)
}

func (a *app) campaignLaunchCmd() *cobra.Command {
	var asJSON bool
	return jsonFlag(&cobra.Command{
		Use:   "launch NAME",
		Short: "Write the content, freeze the audience and enqueue every send",
		Long: `Launch writes the campaign's copy (resuming an earlier run), approves what
passed every check under approval auto, freezes the segment into
recipients and, in one transaction, stores them, moves the campaign to
running (or scheduled) and enqueues their sends for ` + "`chorus worker`" + `.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withCampaigns(cmd.Context(), true, func(svc *campaign.Service) error {
				l, err := svc.Launch(cmd.Context(), args[0])
				err = a.audited(cmd.Context(), err, nil, "campaign.launch", "campaign "+args[0], fmt.Sprintf("%d recipients", l.Recipients))
				if err != nil {
					return err
				}
				return a.renderNext(asJSON, l, fmt.Sprintf("chorus worker   (then: chorus campaign status %s --follow)", l.Campaign.Name))
			})
		},
	}, &asJSON)
}

func (a *app) campaignMoveCmd(action, short string) *cobra.Command {
	var asJSON bool
	return jsonFlag(&cobra.Command{
		Use:   action + " NAME",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withCampaigns(cmd.Context(), false, func(svc *campaign.Service) error {
				move := map[string]func(context.Context, string) (campaign.Campaign, error){
					"pause": svc.Pause, "resume": svc.Resume, "cancel": svc.Cancel}[action]
				c, err := move(cmd.Context(), args[0])
				if err = a.audited(cmd.Context(), err, nil, "campaign."+action, "campaign "+args[0], ""); err != nil {
					return err
				}
				return a.render(asJSON, c)
			})
		},
	}, &asJSON)
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
				if err == nil && follow {
					st, err = a.followCampaign(ctx, svc, st, every)
				}
				if err != nil {
					return err
				}
				return a.render(asJSON, st)
			})
		},
	}
	cmd.Flags().BoolVar(&follow, "follow", false, "show progress until the campaign completes or is cancelled")
	cmd.Flags().DurationVar(&every, "every", time.Second, "how often --follow polls")
	return jsonFlag(cmd, &asJSON, "print JSON (with --follow: once it ends)")
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

// stateList and countList are the campaign's count lists (demo output).
func stateList(c campaign.Counts) string { return c.String() }

func countList[V any](m map[string]V) string { return campaign.CountList(m) }

func (a *app) campaignListCmd() *cobra.Command {
	var asJSON bool
	return jsonFlag(&cobra.Command{
		Use:   "list",
		Short: "List campaigns",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withCampaigns(cmd.Context(), false, func(svc *campaign.Service) error {
				cs, err := svc.List(cmd.Context())
				if err != nil {
					return err
				}
				return a.render(asJSON, campaign.List(orEmpty(cs)))
			})
		},
	}, &asJSON)
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
			return a.withCampaigns(cmd.Context(), false, func(svc *campaign.Service) error {
				rows := campaign.Sends{}
				err := svc.Recipients(cmd.Context(), args[0], state, after, limit, func(s campaign.Send) error {
					rows = append(rows, s)
					return nil
				})
				if err != nil {
					return err
				}
				return a.render(asJSON, rows)
			})
		},
	}
	cmd.Flags().StringVar(&state, "state", "", "only this state: "+strings.Join(campaign.SendStates, ", "))
	cmd.Flags().Int64Var(&after, "after", 0, "start after this send id (paging)")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many rows (0: all)")
	return jsonFlag(cmd, &asJSON)
}

func (a *app) workerCmd() *cobra.Command {
	var id string
	var prof profiles
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Deliver campaign sends from the job queue until SIGTERM",
		Long: `The worker runs the durable job queue: it sends campaign batches over the
configured channels (delivery.email.smtp, delivery.webhooks.<channel>.url)
and reconciles campaigns every 30 s. Workers may share one PostgreSQL
database (or one SQLite file on one machine); a killed worker's jobs are
rescued by the others after queue.rescue_after. On SIGTERM or Ctrl-C it
stops taking jobs and lets the batches in flight finish.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			stopProf, err := startProfiles(prof)
			if err != nil {
				return err
			}
			defer stopProf()
			return a.withStore(cmd.Context(), func(st store.Store) error { return a.work(cmd.Context(), st, id) })
		},
	}
	cmd.Flags().StringVar(&id, "id", "", "this worker's name among the workers (default: host and process)")
	for _, f := range []struct {
		p          *string
		name, what string
	}{
		{&prof.cpu, "cpuprofile", "write a CPU profile (pprof) to this file"},
		{&prof.mem, "memprofile", "write an allocation profile (pprof) to this file on exit"},
		{&prof.block, "blockprofile", "write a block profile (pprof: where goroutines waited) to this file on exit"},
		{&prof.mutex, "mutexprofile", "write a mutex contention profile (pprof) to this file on exit"},
		{&prof.trace, "trace", "write an execution trace (go tool trace) to this file"},
	} {
		cmd.Flags().StringVar(f.p, f.name, "", f.what)
		_ = cmd.Flags().MarkHidden(f.name)
	}
	return cmd
}

// work runs the queue workers over st until ctx ends, then drains them.
func (a *app) work(ctx context.Context, st store.Store, id string) (err error) {
	w, err := worker.New(ctx, a.cfg, st, worker.Options{ID: id})
	if err != nil {
		return err
	}
	defer func() {
		if serr := w.Stop(); err == nil {
			err = serr
		}
	}()
	chans := slices.Sorted(maps.Keys(w.Service.Senders))
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
}
