package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/campaign/worker"
	clikit "github.com/chorusmkt/chorus/internal/cli"
	"github.com/chorusmkt/chorus/internal/store"
)

func (a *app) campaignCmd() *cobra.Command {
	return a.command("", cmdSpec{Use: "campaign", Subs: []*cobra.Command{a.campaignCreateCmd(), a.campaignPlanCmd(), a.campaignLaunchCmd(),
		a.campaignMoveCmd("pause"), a.campaignMoveCmd("resume"), a.campaignMoveCmd("cancel"),
		a.campaignStatusCmd(), a.campaignListCmd(), a.campaignRecipientsCmd(), a.campaignReportCmd()}})
}

// campaignRun is the Run of a campaign command: fn gets the command's
// context, the campaign service over the configured store and an
// insert-only queue (with studio, the content studio and the segment
// engine of the application layer are wired too: plan, launch) and the
// arguments.
func (a *app) campaignRun(studio bool, fn func(context.Context, *campaign.Service, []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		return a.withStore(ctx, func(st store.Store) error {
			return a.campaignsOn(ctx, st, studio, false, func(w *worker.Worker) error { return fn(ctx, w.Service, args) })
		})
	}
}

// renderCampaign is the Run of a campaign command (as campaignRun, without
// the studio) that renders what fn returns, as JSON with *asJSON.
func renderCampaign[R textWriter](a *app, asJSON *bool, fn func(context.Context, *campaign.Service, []string) (R, error)) func(*cobra.Command, []string) error {
	return a.campaignRun(false, func(ctx context.Context, svc *campaign.Service, args []string) error {
		r, err := fn(ctx, svc, args)
		return renderResult[R](a, *asJSON)(r, err)
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

func (a *app) campaignCreateCmd() *cobra.Command {
	o := &struct {
		campaign.Settings
		JSON bool `flag:"json"`
	}{Settings: campaign.DefaultSettings()}
	var c campaign.Campaign
	var plan *campaign.TestPlan
	return a.command("campaign", cmdSpec{Use: "create NAME", Args: cobra.ExactArgs(1), Opts: o,
		Check: func(_ *cobra.Command, args []string) (err error) { c, plan, err = o.Draft(args[0]); return err },
		Run: a.campaignRun(false, func(ctx context.Context, svc *campaign.Service, _ []string) error {
			made, err := svc.CreateTested(ctx, c, plan)
			if err != nil || o.JSON {
				return renderResult[campaign.Campaign](a, true)(made.Campaign, err)
			}
			return a.renderNext(false, made, nil, "chorus campaign plan "+made.Campaign.Name)
		})})
}

// jsonOpts is the options of a command whose one flag is --json.
type jsonOpts struct {
	JSON bool `flag:"json"`
}

func (a *app) campaignPlanCmd() *cobra.Command {
	o := &jsonOpts{}
	return a.command("campaign", cmdSpec{Use: "plan NAME", Args: cobra.ExactArgs(1), Opts: o, Run: a.campaignRun(true, func(ctx context.Context, svc *campaign.Service, args []string) error {
		p, err := svc.Plan(ctx, args[0])
		return a.renderNext(o.JSON, p, err, "chorus campaign launch "+p.Campaign)
	})})
}

func (a *app) campaignLaunchCmd() *cobra.Command {
	o := &jsonOpts{}
	return a.command("campaign", cmdSpec{Use: "launch NAME", Args: cobra.ExactArgs(1), Opts: o, Run: a.campaignRun(true, func(ctx context.Context, svc *campaign.Service, args []string) error {
		l, err := svc.Launch(ctx, args[0])
		err = a.audited(ctx, err, nil, "campaign.launch", "campaign "+args[0], fmt.Sprintf("%d recipients", l.Recipients))
		return a.renderNext(o.JSON, l, err, fmt.Sprintf("chorus worker   (then: chorus campaign status %s --follow)", l.Campaign.Name))
	})})
}

func (a *app) campaignMoveCmd(action string) *cobra.Command {
	o := &jsonOpts{}
	return a.command("campaign", cmdSpec{Use: action + " NAME", Args: cobra.ExactArgs(1), Opts: o, Run: renderCampaign(a, &o.JSON, func(ctx context.Context, svc *campaign.Service, args []string) (campaign.Campaign, error) {
		c, err := svc.Act(ctx, action, args[0])
		return c, a.audited(ctx, err, nil, "campaign."+action, "campaign "+args[0], "")
	})})
}

func (a *app) campaignStatusCmd() *cobra.Command {
	o := &struct {
		JSON   bool          `flag:"json"`
		Follow bool          `flag:"follow"`
		Every  time.Duration `flag:"every"`
	}{Every: time.Second}
	return a.command("campaign", cmdSpec{Use: "status NAME", Args: cobra.ExactArgs(1), Opts: o, Run: renderCampaign(a, &o.JSON, func(ctx context.Context, svc *campaign.Service, args []string) (campaign.Status, error) {
		st, err := svc.Status(ctx, args[0])
		if err != nil || !o.Follow {
			return st, err
		}
		// a bar of the recipients no longer pending, until the campaign ends (or Ctrl-C)
		bar, shown := a.progress("campaign "+st.Campaign.Name, int64(st.Total), "recipients"), int64(0)
		defer bar.Done()
		return svc.Follow(ctx, st, o.Every, func(st campaign.Status) {
			if d := st.Done(); d > shown {
				bar.Add(d - shown)
				shown = d
			}
		})
	})})
}

func (a *app) campaignListCmd() *cobra.Command {
	o := &jsonOpts{}
	return a.command("campaign", cmdSpec{Use: "list", Args: cobra.NoArgs, Opts: o, Run: renderCampaign(a, &o.JSON, func(ctx context.Context, svc *campaign.Service, _ []string) (campaign.List, error) {
		cs, err := svc.List(ctx)
		return campaign.List(orEmpty(cs)), err
	})})
}

func (a *app) campaignRecipientsCmd() *cobra.Command {
	o := &struct {
		campaign.RecipientQuery
		JSON bool `flag:"json"`
	}{}
	return a.command("campaign", cmdSpec{Use: "recipients NAME", Args: cobra.ExactArgs(1), Opts: o,
		// the states are campaign's; the help file says the same (TestHelpComplete compares them)
		Usage: map[string]string{"state": "only this state: " + strings.Join(campaign.SendStates, ", ")},
		Run: renderCampaign(a, &o.JSON, func(ctx context.Context, svc *campaign.Service, args []string) (campaign.Sends, error) {
			return svc.RecipientPage(ctx, args[0], o.RecipientQuery)
		})})
}

func (a *app) workerCmd() *cobra.Command {
	o := &struct {
		ID string `flag:"id"`
		clikit.Profiles
	}{}
	return a.command("", cmdSpec{Use: "worker", Args: cobra.NoArgs, Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		stopProf, err := o.Profiles.Start()
		if err != nil {
			return err
		}
		defer stopProf()
		ctx := cmd.Context()
		return a.withStore(ctx, func(st store.Store) error {
			w, err := worker.New(ctx, a.cfg, st, worker.Options{ID: o.ID})
			if err != nil {
				return err
			}
			return w.Run(ctx, a.stderr, redactDSN(a.cfg.DB))
		})
	}})
}
