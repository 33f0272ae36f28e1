package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/store"
)

// TestCampaignCapFallsBack: with a cap of one e-mail a week, a customer
// who got an e-mail yesterday and allows SMS is capped on e-mail at send
// time and gets the campaign by SMS instead (mode best, channels
// email,sms): her e-mail row is skipped fell_back and her SMS row, sent,
// records the fallback from e-mail and the cap. A capped customer who
// allows no SMS keeps the skip with the cap's code, counted by reason.
func TestCampaignCapFallsBack(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a worker against Mailpit")
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			r := newCampaignRig(t, engine, 120, `compliance:
  contact:
    caps:
      - {channel: email, max: 1, window: 7d}
`)
			r.must(t, "campaign", "create", "capped", "--segment", "everyone", "--channels", "email,sms", "--mode", "best",
				"--brief", filepath.Join(filepath.Dir(r.cfg), "brief.yaml"))
			r.must(t, "campaign", "launch", "capped")
			ctx := context.Background()
			st, err := store.Open(ctx, r.dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			var emailIDs []string
			for _, sd := range r.sends(t, "capped") {
				if sd.State == campaign.SendPending && sd.Channel == "email" {
					emailIDs = append(emailIDs, sd.CustomerID)
				}
			}
			cons, err := st.ConsentsByCustomer(ctx, emailIDs)
			if err != nil {
				t.Fatal(err)
			}
			var withSMS, without string
			for _, id := range emailIDs {
				cu, err := st.GetCustomer(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				sms := false
				for _, c := range cons[id] {
					if c.Channel == "sms" {
						sms = c.Status == customer.Granted
					}
				}
				switch {
				case sms && cu.Phone != "" && withSMS == "":
					withSMS = id
				case !sms && without == "":
					without = id
				}
			}
			if withSMS == "" || without == "" {
				t.Fatalf("the demo shop lacks an e-mail recipient with (%q) or without (%q) SMS", withSMS, without)
			}
			yesterday := time.Now().UTC().Add(-24 * time.Hour)
			if _, err := st.AddSends(ctx, []policy.Send{
				{CustomerID: withSMS, Channel: "email", Purpose: "marketing", SentAt: yesterday},
				{CustomerID: without, Channel: "email", Purpose: "marketing", SentAt: yesterday},
			}); err != nil {
				t.Fatal(err)
			}
			stop := r.inProcessWorker(t, nil)
			defer stop()
			waitFor(t, "the campaign to complete", 2*time.Minute, func() bool { return r.status(t, "capped").State == campaign.Completed })
			rows := map[string]campaign.Send{}
			for _, sd := range r.sends(t, "capped") {
				rows[sd.CustomerID+"/"+sd.Channel] = sd
			}
			if e := rows[withSMS+"/email"]; e.State != campaign.SendSkipped || e.Code != campaign.CodeFellBack || !strings.Contains(e.Reason, "sms") {
				t.Errorf("capped e-mail with SMS allowed: %s %s (%s), want skipped fell_back", e.State, e.Code, e.Reason)
			}
			if m := rows[withSMS+"/sms"]; m.State != campaign.SendSent || m.FallbackFrom != "email" || !strings.HasPrefix(m.FallbackCode, "cap_channel_") {
				t.Errorf("her SMS: %s, fallback from %q for %q; want sent, from email for a channel cap", m.State, m.FallbackFrom, m.FallbackCode)
			}
			if e := rows[without+"/email"]; e.State != campaign.SendSkipped || !strings.HasPrefix(e.Code, "cap_channel_") {
				t.Errorf("capped e-mail without SMS: %s %s, want skipped for the cap", e.State, e.Code)
			}
			if _, ok := rows[without+"/sms"]; ok {
				t.Errorf("an SMS row for a customer who allows no SMS")
			}
			stt := r.status(t, "capped")
			if stt.Skipped[rows[without+"/email"].Code] < 1 || stt.Skipped[campaign.CodeFellBack] < 1 || stt.Fallbacks["email→sms"][campaign.SendSent] < 1 {
				t.Errorf("status: skipped %v, fallbacks %v", stt.Skipped, stt.Fallbacks)
			}
		})
	}
}
