package main

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/delivery/export"
	"github.com/chorusmkt/chorus/internal/store"
)

// TestCampaignAdAudience runs a campaign on the ad channel: its sends go
// through the same queue, policy and states as messages, and each chunk
// becomes a customer-match CSV in the export folder. Customers who gave
// consent to ad matching are sent and their hashed e-mail addresses are in
// the files; the others are skipped no_consent; the file holds no address
// in clear.
func TestCampaignAdAudience(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a worker")
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			r := newCampaignRig(t, engine, 60, "")
			dir := filepath.Join(t.TempDir(), "exports")
			r.env["CHORUS_DELIVERY_EXPORT_DIR"] = dir
			ctx := context.Background()
			st, err := store.Open(ctx, r.dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			var cs []customer.Customer
			if err := st.ListCustomers(ctx, func(c customer.Customer) error { cs = append(cs, c); return nil }); err != nil {
				t.Fatal(err)
			}
			consented := map[string]string{} // id → e-mail
			var cons []customer.Consent
			for i, c := range cs {
				if i%2 == 0 && c.Email != "" {
					consented[c.ID] = c.Email
					cons = append(cons, customer.Consent{CustomerID: c.ID, Channel: customer.ChannelAd, Status: customer.Granted, Source: "test",
						At: time.Now().UTC().Add(-time.Hour)})
				}
			}
			if _, err := st.AddConsents(ctx, cons); err != nil {
				t.Fatal(err)
			}
			r.must(t, "campaign", "create", "retarget", "--segment", "everyone", "--channels", "ad",
				"--brief", filepath.Join(filepath.Dir(r.cfg), "brief.yaml"))
			r.must(t, "campaign", "launch", "retarget")
			stop := r.inProcessWorker(t, nil)
			defer stop()
			waitFor(t, "the campaign to complete", 2*time.Minute, func() bool { return r.status(t, "retarget").State == campaign.Completed })
			hashes := map[string]bool{}
			files, _ := filepath.Glob(filepath.Join(dir, "retarget.*.google.csv"))
			for _, f := range files {
				fh, err := os.Open(f)
				if err != nil {
					t.Fatal(err)
				}
				recs, err := csv.NewReader(fh).ReadAll()
				fh.Close()
				if err != nil || len(recs) < 2 || recs[0][0] != "Email" {
					t.Fatalf("%s: %v %v", f, recs, err)
				}
				for _, rec := range recs[1:] {
					hashes[rec[0]] = true
					if strings.Contains(rec[0], "@") {
						t.Fatalf("an address in clear in %s", f)
					}
				}
			}
			sent := 0
			for _, sd := range r.sends(t, "retarget") {
				email, ok := consented[sd.CustomerID]
				switch {
				case sd.State == campaign.SendSent:
					sent++
					if !ok {
						t.Errorf("%s sent to the audience without consent", sd.CustomerID)
					}
					n, _ := export.NormalizeEmail(export.Google, email)
					sum := sha256.Sum256([]byte(n))
					if !hashes[hex.EncodeToString(sum[:])] {
						t.Errorf("%s is sent but her hash is in no audience file", sd.CustomerID)
					}
					if !strings.HasPrefix(sd.PeerID, dir) {
						t.Errorf("peer id %q does not name the file", sd.PeerID)
					}
				case ok && sd.State != campaign.SendHoldout:
					t.Errorf("%s consented but %s %s", sd.CustomerID, sd.State, sd.Code)
				case !ok && sd.State == campaign.SendSkipped && sd.Code != "no_consent":
					t.Errorf("%s skipped for %s, want no_consent", sd.CustomerID, sd.Code)
				}
			}
			if sent == 0 || len(files) == 0 {
				t.Fatalf("%d sent, %d files", sent, len(files))
			}
		})
	}
}
