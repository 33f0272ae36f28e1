package main

import (
	"context"
	"fmt"
	"io"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/campaign/worker"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/store"
)

// demoSendStep creates the sample campaign (a draft: the demo's 双11 brief
// to win_back on email then SMS, best channel per person, 10% holdout)
// and, with `chorus demo --send`, launches it and delivers it in-process
// through the configured SMTP server and webhooks until it completes.
func (a *app) demoSendStep(st store.Store) chorusapp.DemoStep {
	return chorusapp.DemoStep{Name: "campaign send 发送", Run: func(ctx context.Context, _ *chorusapp.App, _ *demo.Report, out io.Writer) error {
		return a.campaignsOn(ctx, st, true, a.demoSend, func(w *worker.Worker) error { return a.demoSend1(ctx, w, out) })
	}}
}

func (a *app) demoSend1(ctx context.Context, w *worker.Worker, out io.Writer) error {
	c, err := chorusapp.DemoCampaign(ctx, w.Service)
	if err != nil {
		return err
	}
	if !a.demoSend {
		fmt.Fprintf(out, "campaign %s (%s): segment %s, channels %s, mode %s, holdout 10%%\n", c.Name, c.State, c.Segment, "email,sms", c.Mode)
		fmt.Fprintf(out, "send it: configure delivery.email.smtp (e.g. Mailpit) and run chorus demo --send, or chorus campaign launch %s and chorus worker\n", c.Name)
		return nil
	}
	st, err := chorusapp.DemoDeliver(ctx, w.Service, c, w.Start)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "campaign %s %s: %s\n", st.Campaign.Name, st.State, st.Counts)
	fmt.Fprintf(out, "skipped by reason: %s\n", campaign.CountList(st.Skipped))
	return nil
}
