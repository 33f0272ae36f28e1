package app

import (
	"context"
	"encoding/json"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/content"
)

// DemoCampaignName is the sample campaign the demo creates.
const DemoCampaignName = "demo-double11"

// DemoCampaign creates the demo's sample campaign on svc unless it
// exists: a draft of the demo's 双11 brief to win_back on email then SMS,
// best channel per person, 10% holdout.
func DemoCampaign(ctx context.Context, svc *campaign.Service) (campaign.Campaign, error) {
	c, err := svc.Get(ctx, DemoCampaignName)
	if !apperr.Is(err, apperr.NotFound) {
		return c, err
	}
	b, err := content.DemoBrief()
	if err != nil {
		return c, err
	}
	js, _ := json.Marshal(b)
	return svc.Create(ctx, campaign.Campaign{Name: DemoCampaignName, Segment: "win_back", Channels: []string{"email", "sms"},
		Mode: campaign.ModeBest, Holdout: 0.1, Brief: string(js), BriefFile: "brief.json"})
}

// DemoDeliver launches campaign c (a draft) on svc, calls start (the
// worker that delivers it) and polls its status until it ends. It needs
// an email sender: the demo sends through SMTP (Mailpit).
func DemoDeliver(ctx context.Context, svc *campaign.Service, c campaign.Campaign, start func(context.Context) error) (campaign.Status, error) {
	if _, ok := svc.Senders["email"]; !ok {
		return campaign.Status{}, apperr.New(apperr.Invalid, "demo --send: no SMTP server configured: set delivery.email.smtp and delivery.email.from (CHORUS_DELIVERY_EMAIL_SMTP, e.g. smtp://127.0.0.1:1025 for Mailpit)")
	}
	if c.State == campaign.Draft {
		if _, err := svc.Launch(ctx, c.Name); err != nil {
			return campaign.Status{}, err
		}
	}
	if err := start(ctx); err != nil {
		return campaign.Status{}, err
	}
	for {
		st, err := svc.Status(ctx, c.Name)
		if err != nil || campaign.Terminal(st.State) {
			return st, err
		}
		select {
		case <-ctx.Done():
			return st, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
