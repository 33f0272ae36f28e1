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

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/campaign/worker"
	"github.com/chorusmkt/chorus/internal/store"
)

func (a *app) campaignCmd() *cobra.Command {
	return a.command("", cmdSpec{Use: "campaign", Subs: []*cobra.Command{a.campaignCreateCmd(), a.campaignPlanCmd(), a.campaignLaunchCmd(),
		a.campaignMoveCmd("pause"), a.campaignMoveCmd("resume"), a.campaignMoveCmd("cancel"),
		a.campaignStatusCmd(), a.campaignListCmd(), a.campaignRecipientsCmd(), a.campaignReportCmd()}})
}

// withCampaigns runs fn with the campaign service over the configured
// store and an insert-only queue; with studio, the content studio and the
// segment engine of the application layer are wired too (plan, launch).
func (a *app) withCampaigns(ctx context.Context, studio bool, fn func(*campaign.Service) error) error {
	return a.withStore(ctx, func(st store.Store) error {
		return a.campaignsOn(ctx, st, studio, false, func(w *worker.Worker) error { return fn(w.Service) })
	})
}

// renderCampaigns runs fn with the campaign service (as withCampaigns
// does, without the studio) and renders what it returns.
func renderCampaigns[R textWriter](ctx context.Context, a *app, asJSON bool, fn func(*campaign.Service) (R, error)) error {
	return a.withCampaigns(ctx, false, func(svc *campaign.Service) error { return renderResult[R](a, asJSON)(fn(svc)) })
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
	Segment     string   `flag:"segment,required"`
	Channels    string   `flag:"channels,required"`
	Brief       string   `flag:"brief,required"`
	Mode        string   `flag:"mode"`
	Variants    int      `flag:"variants"`
	Holdout     string   `flag:"holdout"`
	Approval    string   `flag:"approval"`
	Depth       string   `flag:"depth"`
	Start       string   `flag:"start"`
	DeferQuiet  bool     `flag:"defer-quiet"`
	Rates       []string `flag:"rate"`
	Test        string   `flag:"test"`
	TestWindow  string   `flag:"test-window"`
	TestMetric  string   `flag:"test-metric"`
	TestDefault string   `flag:"test-default"`
	JSON        bool     `flag:"json"`
}

// draft is the campaign and test plan the flags describe, named name.
func (o createFlags) draft(name string) (c campaign.Campaign, plan *campaign.TestPlan, err error) {
	b, err := os.ReadFile(o.Brief)
	if err != nil {
		return c, nil, apperr.Wrap(err, apperr.Invalid, "--brief %s", o.Brief)
	}
	c = campaign.Campaign{Name: name, Segment: o.Segment, Channels: campaign.ParseChannels(o.Channels), Mode: o.Mode,
		Approval: o.Approval, Depth: o.Depth, Brief: string(b), BriefFile: filepath.Base(o.Brief)}
	if c.Holdout, err = campaign.ParseHoldout(o.Holdout); err != nil {
		return c, nil, err
	}
	if c.Schedule, err = campaign.ParseStart(o.Start, o.DeferQuiet); err != nil {
		return c, nil, err
	}
	if c.Rates, err = campaign.ParseRates(o.Rates); err != nil {
		return c, nil, err
	}
	if c.Variants, err = campaign.SplitVariants(o.Variants); err != nil || o.Variants == 0 {
		return c, nil, apperr.New(apperr.Invalid, "--variants %d: use 1 to %d", o.Variants, campaign.MaxVariants)
	}
	plan, err = campaign.ParseTestPlan(o.Test, o.TestWindow, o.TestMetric, o.TestDefault)
	return c, plan, err
}

func (a *app) campaignCreateCmd() *cobra.Command {
	o := &createFlags{Mode: campaign.ModeBest, Variants: 1, Holdout: "0", Approval: campaign.ApprovalAuto, Depth: "segment", Start: "now",
		TestWindow: "24h", TestMetric: "conversion_rate"}
	return a.command("campaign", cmdSpec{Use: "create NAME", Args: cobra.ExactArgs(1), Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		c, plan, err := o.draft(args[0])
		if err != nil {
			return err
		}
		return a.withCampaigns(cmd.Context(), false, func(svc *campaign.Service) error {
			made, err := svc.CreateTested(cmd.Context(), c, plan)
			if err != nil {
				return err
			}
			if o.JSON {
				return a.printJSON(made.Campaign)
			}
			return a.renderNext(false, made, "chorus campaign plan "+made.Campaign.Name)
		})
	}})
}

// jsonOpts is the options of a command whose one flag is --json.
type jsonOpts struct {
	JSON bool `flag:"json"`
}

func (a *app) campaignPlanCmd() *cobra.Command {
	o := &jsonOpts{}
	return a.command("campaign", cmdSpec{Use: "plan NAME", Args: cobra.ExactArgs(1), Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		return a.withCampaigns(cmd.Context(), true, func(svc *campaign.Service) error {
			p, err := svc.Plan(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return a.renderNext(o.JSON, p, "chorus campaign launch "+p.Campaign)
		})
	}})
}

func (a *app) campaignLaunchCmd() *cobra.Command {
	o := &jsonOpts{}
	return a.command("campaign", cmdSpec{Use: "launch NAME", Args: cobra.ExactArgs(1), Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		return a.withCampaigns(cmd.Context(), true, func(svc *campaign.Service) error {
			l, err := svc.Launch(cmd.Context(), args[0])
			err = a.audited(cmd.Context(), err, nil, "campaign.launch", "campaign "+args[0], fmt.Sprintf("%d recipients", l.Recipients))
			if err != nil {
				return err
			}
			return a.renderNext(o.JSON, l, fmt.Sprintf("chorus worker   (then: chorus campaign status %s --follow)", l.Campaign.Name))
		})
	}})
}

func (a *app) campaignMoveCmd(action string) *cobra.Command {
	o := &jsonOpts{}
	return a.command("campaign", cmdSpec{Use: action + " NAME", Args: cobra.ExactArgs(1), Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		return renderCampaigns(cmd.Context(), a, o.JSON, func(svc *campaign.Service) (campaign.Campaign, error) {
			move := map[string]func(context.Context, string) (campaign.Campaign, error){
				"pause": svc.Pause, "resume": svc.Resume, "cancel": svc.Cancel}[action]
			c, err := move(cmd.Context(), args[0])
			return c, a.audited(cmd.Context(), err, nil, "campaign."+action, "campaign "+args[0], "")
		})
	}})
}

func (a *app) campaignStatusCmd() *cobra.Command {
	o := &struct {
		JSON   bool          `flag:"json"`
		Follow bool          `flag:"follow"`
		Every  time.Duration `flag:"every"`
	}{Every: time.Second}
	return a.command("campaign", cmdSpec{Use: "status NAME", Args: cobra.ExactArgs(1), Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		return renderCampaigns(ctx, a, o.JSON, func(svc *campaign.Service) (campaign.Status, error) {
			st, err := svc.Status(ctx, args[0])
			if err == nil && o.Follow {
				st, err = a.followCampaign(ctx, svc, st, o.Every)
			}
			return st, err
		})
	}})
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
	o := &jsonOpts{}
	return a.command("campaign", cmdSpec{Use: "list", Args: cobra.NoArgs, Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		return renderCampaigns(cmd.Context(), a, o.JSON, func(svc *campaign.Service) (campaign.List, error) {
			cs, err := svc.List(cmd.Context())
			return campaign.List(orEmpty(cs)), err
		})
	}})
}

func (a *app) campaignRecipientsCmd() *cobra.Command {
	o := &struct {
		State string `flag:"state"`
		After int64  `flag:"after"`
		Limit int    `flag:"limit"`
		JSON  bool   `flag:"json"`
	}{}
	cmd := a.command("campaign", cmdSpec{Use: "recipients NAME", Args: cobra.ExactArgs(1), Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		return renderCampaigns(cmd.Context(), a, o.JSON, func(svc *campaign.Service) (campaign.Sends, error) {
			rows := campaign.Sends{}
			err := svc.Recipients(cmd.Context(), args[0], o.State, o.After, o.Limit, func(s campaign.Send) error {
				rows = append(rows, s)
				return nil
			})
			return rows, err
		})
	}})
	// the states are campaign's; the help file says the same (TestHelpComplete compares them)
	cmd.Flags().Lookup("state").Usage = "only this state: " + strings.Join(campaign.SendStates, ", ")
	return cmd
}

func (a *app) workerCmd() *cobra.Command {
	o := &struct {
		ID           string `flag:"id"`
		CPUProfile   string `flag:"cpuprofile,hidden"`
		MemProfile   string `flag:"memprofile,hidden"`
		BlockProfile string `flag:"blockprofile,hidden"`
		MutexProfile string `flag:"mutexprofile,hidden"`
		Trace        string `flag:"trace,hidden"`
	}{}
	return a.command("", cmdSpec{Use: "worker", Args: cobra.NoArgs, Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		stopProf, err := startProfiles(profiles{cpu: o.CPUProfile, mem: o.MemProfile, block: o.BlockProfile, mutex: o.MutexProfile, trace: o.Trace})
		if err != nil {
			return err
		}
		defer stopProf()
		return a.withStore(cmd.Context(), func(st store.Store) error { return a.work(cmd.Context(), st, o.ID) })
	}})
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
