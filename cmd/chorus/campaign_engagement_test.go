package main

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// TestCampaignEngagementRoutes: a first campaign goes out on email and
// SMS to everyone; one customer then clicks her SMS and ignores her
// email, another opens only her email, and a third's only open is a
// machine's. A second campaign (mode best, email before SMS) sends the
// first customer SMS, and the others email: the channel choice weighs
// each person's engagement per channel, not only consent and address.
func TestCampaignEngagementRoutes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a worker against Mailpit")
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			r := newCampaignRig(t, engine, 60, "")
			brief := filepath.Join(filepath.Dir(r.cfg), "brief.yaml")
			r.must(t, "campaign", "create", "first", "--segment", "everyone", "--channels", "email,sms", "--mode", "all", "--brief", brief)
			r.must(t, "campaign", "launch", "first")
			stop := r.inProcessWorker(t, nil)
			waitFor(t, "the first campaign to complete", 2*time.Minute, func() bool { return r.status(t, "first").State == campaign.Completed })
			stop()
			// customers with both channels sent
			sent := map[string]map[string]int64{}
			for _, sd := range r.sends(t, "first") {
				if sd.State == campaign.SendSent {
					if sent[sd.CustomerID] == nil {
						sent[sd.CustomerID] = map[string]int64{}
					}
					sent[sd.CustomerID][sd.Channel] = sd.ID
				}
			}
			var both []string
			for id, m := range sent {
				if len(m) == 2 {
					both = append(both, id)
				}
			}
			if len(both) < 3 {
				t.Fatalf("only %d customers got both channels", len(both))
			}
			slices.Sort(both) // the same three roles every run, not a map's pick
			smsFan, emailFan, machine := both[0], both[1], both[2]
			hit := func(cust, ch, kind string, bot bool, key int64) tracking.Hit {
				return tracking.Hit{Key: key, Kind: kind, SendID: sent[cust][ch], Campaign: "first", Channel: ch, CustomerID: cust, Machine: bot,
					At: time.Now().UTC()}
			}
			ctx := context.Background()
			st, err := store.Open(ctx, r.dsn)
			if err != nil {
				t.Fatal(err)
			}
			_, err = st.InsertHits(ctx, []tracking.Hit{
				hit(smsFan, "sms", tracking.KindClick, false, 9001),
				hit(emailFan, "email", tracking.KindOpen, false, 9002),
				hit(machine, "sms", tracking.KindClick, true, 9003),
			})
			st.Close()
			if err != nil {
				t.Fatal(err)
			}
			r.must(t, "campaign", "create", "second", "--segment", "everyone", "--channels", "email,sms", "--mode", "best", "--brief", brief)
			r.must(t, "campaign", "launch", "second")
			got := map[string]string{}
			for _, sd := range r.sends(t, "second") {
				if sd.State == campaign.SendPending {
					got[sd.CustomerID] = sd.Channel
				}
			}
			if got[smsFan] != "sms" || got[emailFan] != "email" || got[machine] != "email" {
				t.Fatalf("second campaign's channels: sms fan %q, email fan %q, machine-only %q (want sms, email, email)",
					got[smsFan], got[emailFan], got[machine])
			}
			// everyone else with both channels open keeps the campaign's order
			for _, id := range both[3:] {
				if got[id] != "" && got[id] != "email" {
					t.Errorf("customer without engagement routed to %s", got[id])
				}
			}
		})
	}
}
