package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/store"
)

// TestCampaignVariantsAllSent is the regression test of a campaign with
// two variants written by the offline writer from a thin Chinese brief
// (as the console's wizard makes one): where the first drafts were
// flagged, the writer's repairs came out alike and all but one variant
// was dropped as a duplicate, so that variant's recipients got nothing
// while the campaign reported completed. Now every unit has each
// variant's own copy, each variant is sent, and any recipient whose
// variant had no copy would be terminal with the counted reason
// no_content.
func TestCampaignVariantsAllSent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a worker against Mailpit")
	}
	r := newCampaignRig(t, "sqlite", 120, "")
	bf := filepath.Join(filepath.Dir(r.cfg), "thin.yaml")
	if err := os.WriteFile(bf, []byte("name: journey-d11\ngoal: 双11唤醒老客\nlanguage: zh\nchannels: [email]\noffer:\n  text: 全场8折\nsender: 【Lumen】\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r.must(t, "campaign", "create", "ab", "--segment", "everyone", "--channels", "email", "--variants", "2", "--holdout", "10", "--brief", bf)
	r.must(t, "campaign", "launch", "ab")
	stop := r.inProcessWorker(t, nil)
	defer stop()
	waitFor(t, "the campaign to complete", 2*time.Minute, func() bool {
		return r.status(t, "ab").State == campaign.Completed
	})
	st := r.status(t, "ab")
	noContent := 0
	for _, sd := range r.sends(t, "ab") {
		switch {
		case sd.State == campaign.SendPending:
			t.Errorf("send %d (variant %s) is pending in a completed campaign", sd.ID, sd.Variant)
		case sd.State == campaign.SendSkipped && sd.Code == "":
			t.Errorf("send %d (variant %s) skipped without a reason", sd.ID, sd.Variant)
		case sd.Code == campaign.CodeNoContent:
			noContent++
		}
	}
	for _, v := range []string{"A", "B"} {
		if st.ByVariant[v][campaign.SendSent] == 0 {
			t.Errorf("variant %s: nothing sent (counts %v)", v, st.ByVariant[v])
		}
	}
	if st.Skipped[campaign.CodeNoContent] != noContent {
		t.Errorf("status counts %d no_content skips, the rows %d", st.Skipped[campaign.CodeNoContent], noContent)
	}
	if sum := st.Counts[campaign.SendSent] + st.Counts[campaign.SendFailed] + st.Counts[campaign.SendSkipped] + st.Counts[campaign.SendHoldout]; sum != st.Total {
		t.Errorf("terminal rows %d of %d (counts %v)", sum, st.Total, st.Counts)
	}
	// each variant has its own copy in every unit, also where the first
	// drafts were flagged and repaired (the repairs used to come out
	// alike, leaving one item per unit)
	ctx := context.Background()
	db, err := store.Open(ctx, r.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	items, err := db.ListItems(ctx, content.ItemFilter{RunID: st.Campaign.ContentRun})
	if err != nil || len(items) == 0 {
		t.Fatalf("items of run %s: %d, %v", st.Campaign.ContentRun, len(items), err)
	}
	perUnit := map[string]map[int]bool{}
	for _, it := range items {
		if perUnit[it.UnitKey] == nil {
			perUnit[it.UnitKey] = map[int]bool{}
		}
		perUnit[it.UnitKey][it.Variant] = true
	}
	for unit, vs := range perUnit {
		if len(vs) != 2 {
			t.Errorf("unit %s has variants %v, want 2", unit, vs)
		}
	}
	t.Logf("counts %v by variant %v skipped %v", st.Counts, st.ByVariant, st.Skipped)
}
