package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/store"
)

// TestCampaignResumeKeepsSchedule is the regression test of a paused
// campaign that was scheduled for the future: resume puts it back to
// scheduled (it used to start at once), and a worker running from the
// resume on sends nothing before the start and everything after it.
func TestCampaignResumeKeepsSchedule(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a worker against Mailpit")
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			r := newCampaignRig(t, engine, 40, "")
			at := time.Now().UTC().Add(10 * time.Second).Truncate(time.Second)
			r.must(t, "campaign", "create", "later", "--segment", "everyone", "--channels", "email", "--start", at.Format(time.RFC3339),
				"--brief", filepath.Join(filepath.Dir(r.cfg), "brief.yaml"))
			// a loaded machine may take longer than the 10 s from create to
			// the resume: a state read after the start proves nothing
			startPassed := func(step string) {
				if time.Now().After(at) {
					t.Skipf("the machine took more than 10 s from create to %s; the start passed", step)
				}
			}
			r.must(t, "campaign", "launch", "later")
			if st := r.status(t, "later"); st.State != campaign.Scheduled {
				startPassed("launch")
				t.Fatalf("after launch: %s", st.State)
			}
			r.must(t, "campaign", "pause", "later")
			r.must(t, "campaign", "resume", "later")
			st := r.status(t, "later")
			startPassed("resume")
			if st.State != campaign.Scheduled || st.Counts[campaign.SendPending] == 0 || st.Counts[campaign.SendSent] != 0 {
				t.Fatalf("after resume: state %s, counts %v (want scheduled with everything pending)", st.State, st.Counts)
			}
			stop := r.inProcessWorker(t, nil)
			defer stop()
			waitFor(t, "the campaign to complete after its start", 2*time.Minute, func() bool {
				return r.status(t, "later").State == campaign.Completed
			})
			sent := 0
			for _, sd := range r.sends(t, "later") {
				if sd.State == campaign.SendSent {
					sent++
					if sd.SentAt.Before(at) {
						t.Errorf("send %d went out at %s, before the start %s", sd.ID, sd.SentAt.Format(time.RFC3339Nano), at.Format(time.RFC3339))
					}
				}
			}
			if sent == 0 {
				t.Fatal("nothing was sent after the start")
			}
		})
	}
}

// sends lists the campaign's rows.
func (r *campaignRig) sends(t *testing.T, name string) []campaign.Send {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, r.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.GetCampaign(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	var out []campaign.Send
	if err := st.ListSends(ctx, c.ID, "", 0, 0, func(sd campaign.Send) error {
		out = append(out, sd)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}
