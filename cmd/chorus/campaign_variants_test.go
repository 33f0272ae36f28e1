package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/campaign"
)

// TestCampaignVariantsAllSent is the regression test of a campaign with
// two variants written by the offline writer from a thin Chinese brief
// (as the console's wizard makes one): a unit where the writer gave
// fewer distinct variants used to leave that variant's recipients with
// nothing sent while the campaign reported completed. Now each variant
// is sent where it was written, and a recipient whose variant has no
// copy is terminal with the counted reason no_content.
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
	t.Logf("counts %v by variant %v skipped %v", st.Counts, st.ByVariant, st.Skipped)
}
