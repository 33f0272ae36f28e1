package main

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/campaign"
)

// TestCampaignRateShared runs a campaign with --rate email=100 on two
// worker processes: the rate holds for the campaign, not per process.
// Every slot is reserved in the store and no send goes out before its
// slot, so the last send cannot be earlier than (n-1)/100 s after the
// launch, however fast the machine (two per-process limiters would let
// it finish in about half that). A lower bound that slowness cannot
// break: no wall-clock budget is asserted.
func TestCampaignRateShared(t *testing.T) {
	if testing.Short() {
		t.Skip("runs worker processes against Mailpit")
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			r := newCampaignRig(t, engine, 600, "")
			r.must(t, "campaign", "create", "paced", "--segment", "everyone", "--channels", "email", "--rate", "email=100",
				"--brief", filepath.Join(filepath.Dir(r.cfg), "brief.yaml"))
			t0 := time.Now()
			r.must(t, "campaign", "launch", "paced")
			if st := r.status(t, "paced"); st.Counts[campaign.SendPending] < 250 {
				t.Fatalf("want several batches of pending email, got %v", st.Counts)
			}
			for _, id := range []string{"w1", "w2"} {
				r.startWorker(t, id)
			}
			waitFor(t, "the campaign to complete", 3*time.Minute, func() bool {
				return r.status(t, "paced").State == campaign.Completed
			})
			var last time.Time
			n := 0
			for _, sd := range r.sends(t, "paced") {
				if sd.State == campaign.SendSent {
					n++
					if sd.SentAt.After(last) {
						last = sd.SentAt
					}
				}
			}
			floor := t0.Add(time.Duration(n-1) * 10 * time.Millisecond)
			if n < 250 || last.Before(floor) {
				t.Fatalf("%d sent, the last at %s after launch; at 100/s for the campaign it cannot be before %s",
					n, last.Sub(t0), floor.Sub(t0))
			}
			t.Logf("%d sent by two workers; the last %s after launch (floor %s)", n, last.Sub(t0).Round(time.Millisecond), floor.Sub(t0))
		})
	}
}
