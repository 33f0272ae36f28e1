package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/campaign/worker"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/store"
)

// demoCampaignName is the sample campaign the demo creates.
const demoCampaignName = "demo-double11"

// demoSendStep creates the sample campaign (a draft: the demo's 双11 brief
// to win_back on email then SMS, best channel per person, 10% holdout)
// and, with `chorus demo --send`, launches it and delivers it in-process
// through the configured SMTP server and webhooks until it completes.
func (a *app) demoSendStep(st store.Store) demoStep {
	return demoStep{name: "campaign send 发送", run: func(ctx context.Context, _ *chorusapp.App, _ *demo.Report, out io.Writer) error {
		return a.campaignsOn(ctx, st, true, a.demoSend, func(w *worker.Worker) error { return a.demoSend1(ctx, w, out) })
	}}
}

func (a *app) demoSend1(ctx context.Context, w *worker.Worker, out io.Writer) error {
	svc := w.Service
	c, err := svc.Get(ctx, demoCampaignName)
	if apperr.Is(err, apperr.NotFound) {
		b, berr := content.DemoBrief()
		if berr != nil {
			return berr
		}
		js, _ := json.Marshal(b)
		c, err = svc.Create(ctx, campaign.Campaign{Name: demoCampaignName, Segment: "win_back", Channels: []string{"email", "sms"},
			Mode: campaign.ModeBest, Holdout: 0.1, Brief: string(js), BriefFile: "brief.json"})
	}
	if err != nil {
		return err
	}
	if !a.demoSend {
		fmt.Fprintf(out, "campaign %s (%s): segment %s, channels %s, mode %s, holdout 10%%\n", c.Name, c.State, c.Segment, "email,sms", c.Mode)
		fmt.Fprintf(out, "send it: configure delivery.email.smtp (e.g. Mailpit) and run chorus demo --send, or chorus campaign launch %s and chorus worker\n", c.Name)
		return nil
	}
	if _, ok := svc.Senders["email"]; !ok {
		return apperr.New(apperr.Invalid, "demo --send: no SMTP server configured: set delivery.email.smtp and delivery.email.from (CHORUS_DELIVERY_EMAIL_SMTP, e.g. smtp://127.0.0.1:1025 for Mailpit)")
	}
	if c.State == campaign.Draft {
		if _, err := svc.Launch(ctx, c.Name); err != nil {
			return err
		}
	}
	if err := w.Start(ctx); err != nil {
		return err
	}
	for {
		st, err := svc.Status(ctx, c.Name)
		if err != nil {
			return err
		}
		if campaign.Terminal(st.State) {
			fmt.Fprintf(out, "campaign %s %s: %s\n", st.Campaign.Name, st.State, stateList(st.Counts))
			fmt.Fprintf(out, "skipped by reason: %s\n", countList(st.Skipped))
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
