package campaign

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

func TestSettingsDraft(t *testing.T) {
	brief := filepath.Join(t.TempDir(), "dbl11.yaml")
	if err := os.WriteFile(brief, []byte("occasion: 双11\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := DefaultSettings()
	s.Segment, s.Channels, s.Brief, s.Holdout, s.Variants, s.Rates, s.Test = "vip", "Email,sms", brief, "10%", 2, []string{"sms=5"}, "20"
	c, plan, err := s.Draft("dbl11")
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "dbl11" || c.Segment != "vip" || len(c.Channels) != 2 || c.Channels[0] != "email" || c.Holdout != 0.1 ||
		len(c.Variants) != 2 || c.Rates["sms"] != 5 || c.Brief != "occasion: 双11\n" || c.BriefFile != "dbl11.yaml" ||
		c.Mode != ModeBest || c.Approval != ApprovalAuto || c.Schedule.Kind != StartNow {
		t.Errorf("draft %+v", c)
	}
	if plan == nil || plan.Share != 0.2 || plan.Window != 24*time.Hour || plan.Metric != "conversion_rate" {
		t.Errorf("plan %+v", plan)
	}
	if _, plan, err := DefaultSettings().withBrief(brief).Draft("x"); err != nil || plan != nil {
		t.Errorf("no test: plan %+v, %v", plan, err)
	}
	for name, mut := range map[string]func(*Settings){
		"no brief file": func(s *Settings) { s.Brief = filepath.Join(t.TempDir(), "none.yaml") },
		"variants 0":    func(s *Settings) { s.Variants = 0 },
		"variants 27":   func(s *Settings) { s.Variants = MaxVariants + 1 },
		"holdout":       func(s *Settings) { s.Holdout = "60" },
		"start":         func(s *Settings) { s.Start = "tomorrow" },
		"rate":          func(s *Settings) { s.Rates = []string{"sms"} },
		"test":          func(s *Settings) { s.Test = "100" },
	} {
		s := DefaultSettings().withBrief(brief)
		mut(&s)
		if _, _, err := s.Draft("x"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%s: %v, want Invalid", name, err)
		}
	}
}

func (s Settings) withBrief(path string) Settings {
	s.Brief = path
	return s
}

// statusStore answers a campaign's state and counts from a script, one
// step per read of its counts.
type statusStore struct {
	Store
	steps []Status
	reads int
}

func (f *statusStore) GetCampaign(_ context.Context, name string) (Campaign, error) {
	return Campaign{ID: 1, Name: name, State: f.steps[min(f.reads, len(f.steps)-1)].State}, nil
}

func (f *statusStore) CampaignCounts(context.Context, int64) (Status, error) {
	st := f.steps[min(f.reads, len(f.steps)-1)]
	f.reads++
	return st, nil
}

func TestFollow(t *testing.T) {
	step := func(state string, pending int) Status {
		return Status{State: state, Total: 4, Counts: Counts{SendPending: pending, SendSent: 4 - pending}}
	}
	synctest.Test(t, func(t *testing.T) {
		f := &statusStore{steps: []Status{step(Running, 3), step(Running, 1), step(Completed, 0)}}
		svc := &Service{Store: f}
		first, err := svc.Status(t.Context(), "dbl11")
		if err != nil {
			t.Fatal(err)
		}
		var done []int64
		last, err := svc.Follow(t.Context(), first, time.Second, func(st Status) { done = append(done, st.Done()) })
		if err != nil || last.State != Completed || len(done) != 3 || done[0] != 1 || done[1] != 3 || done[2] != 4 {
			t.Errorf("Follow = %s, %v; done %v", last.State, err, done)
		}

		// a pause ends the watch; so does the end of ctx, without an error
		f = &statusStore{steps: []Status{step(Running, 2), step(Paused, 2)}}
		if last, err := (&Service{Store: f}).Follow(t.Context(), step(Running, 2), 0, func(Status) {}); err != nil || last.State != Paused {
			t.Errorf("paused: %s, %v", last.State, err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		f = &statusStore{steps: []Status{step(Running, 2)}}
		last, err = (&Service{Store: f}).Follow(ctx, step(Running, 2), time.Minute, func(Status) {
			if f.reads == 2 {
				cancel()
			}
		})
		if err != nil || last.State != Running {
			t.Errorf("cancelled: %s, %v", last.State, err)
		}
	})
}
