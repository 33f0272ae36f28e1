package main

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/experiment"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/tracking"
	"github.com/chorusmkt/chorus/internal/tracking/token"
)

// TestTestThenSendTheWinner is issue 14's "test on X%, then send the
// winner to the rest": a two-variant email campaign tests on 40% of the
// audience for a short window while chorus serve runs; the test group's
// B recipients click and buy, A's do not; when the window ends the rest
// get B, the decision and its reason are stored, and the report shows the
// test, the rest and the winner.
func TestTestThenSendTheWinner(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a campaign against Mailpit")
	}
	r, held := newServedRig(t, "experiment:\n  min_sample: 20\n")
	addr := held.addr
	brief := filepath.Join(filepath.Dir(r.cfg), "brief.yaml")
	out := r.must(t, "campaign", "create", "ab", "--segment", "everyone", "--channels", "email", "--variants", "2",
		"--test", "40%", "--test-window", "20s", "--brief", brief)
	if !strings.Contains(out, "after 20s the winner") {
		t.Errorf("create said:\n%s", out)
	}
	if _, err := r.run(t, "campaign", "create", "bad", "--segment", "everyone", "--channels", "email", "--test", "40%", "--brief", brief); err == nil {
		t.Error("a test with one variant was accepted")
	}
	launched := time.Now()
	r.must(t, "campaign", "launch", "ab")
	ctx := context.Background()
	st, err := store.Open(ctx, r.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, _ := st.GetCampaign(ctx, "ab")
	rest, err := st.RestSends(ctx, c.ID)
	if err != nil || len(rest) == 0 {
		t.Fatalf("rest rows: %d %v", len(rest), err)
	}
	stop := r.serving(t, held)
	// the test group is sent while the rest waits
	waitFor(t, "the test group's sends", 3*time.Minute, func() bool {
		return r.status(t, "ab").Counts[campaign.SendPending] == len(rest)
	})
	codec, _ := token.New(testTrackingSecret)
	msgs, err := r.mp.Messages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var orders []event.Event
	testB := 0
	for _, m := range msgs {
		d, _ := r.mp.Message(ctx, m.ID)
		px, links := pixelRE.FindStringSubmatch(d.HTML), linkRE.FindAllStringSubmatch(d.HTML, -1)
		cl, err := codec.Verify(strings.TrimPrefix(htmlUnescape(px[1]), "http://"+addr+token.OpenPath), token.Open)
		if err != nil {
			t.Fatal(err)
		}
		if cl.Variant != "B" {
			continue
		}
		testB++
		req, _ := http.NewRequest("GET", htmlUnescape(links[0][1]), nil)
		req.Header.Set("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36")
		resp, err := hc.Do(req)
		if err != nil || resp.StatusCode != http.StatusFound {
			t.Fatalf("click: %v %v", resp, err)
		}
		resp.Body.Close()
		sends, _ := st.Sends(ctx, []int64{mustID(cl.SendID)})
		orders = append(orders, event.Event{CustomerID: sends[mustID(cl.SendID)].CustomerID, Type: event.Purchase, SKU: "CN-PHOTO-BAG01",
			OrderID: "AB-" + cl.SendID, Amount: 120, OccurredAt: time.Now().UTC().Add(time.Second)})
	}
	if testB < 20 {
		t.Fatalf("only %d test messages of B", testB)
	}
	if _, err := st.InsertEvents(ctx, orders); err != nil {
		t.Fatal(err)
	}
	// about 5 s on a loaded 2-core machine: a window that closed before
	// the purchases were in decides without them, which tests nothing
	if d := time.Since(launched); d >= 20*time.Second {
		t.Skipf("the test group's sends, clicks and purchases took %s, past the 20 s window", d.Round(time.Second))
	}
	waitFor(t, "the rest's sends", 3*time.Minute, func() bool { return r.status(t, "ab").Counts[campaign.SendPending] == 0 })
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	plan, ok, err := st.TestPlan(ctx, c.ID)
	if err != nil || !ok || plan.Winner != "B" || plan.Decision == nil || plan.Decision.Code != experiment.DecisionWinner {
		t.Fatalf("decision: %+v %v %v", plan, ok, err)
	}
	restB, restOther := 0, 0
	_ = st.ListSends(ctx, c.ID, "", 0, 0, func(s campaign.Send) error {
		if rest[s.ID] {
			if s.Variant == "B" {
				restB++
			} else {
				restOther++
			}
		}
		return nil
	})
	if restB != len(rest) || restOther != 0 {
		t.Errorf("rest: %d rows of B, %d of another", restB, restOther)
	}
	var rep tracking.Report
	if err := json.Unmarshal([]byte(r.must(t, "campaign", "report", "ab", "--json")), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Rest == nil || rep.Rest.Variant != "B" || rep.Rest.Recipients == 0 || rep.TestPlan == nil || rep.TestPlan.Winner != "B" || rep.Test == nil {
		t.Fatalf("report: rest %+v, plan %+v", rep.Rest, rep.TestPlan)
	}
	for _, v := range rep.Variants {
		if v.Variant == "B" && int(v.Clicks) != testB {
			t.Errorf("test group B: %d clicks, want %d", v.Clicks, testB)
		}
	}
	text := r.must(t, "campaign", "report", "ab")
	if !strings.Contains(text, "rest: winner B") || !strings.Contains(text, "B went out") {
		t.Errorf("report text:\n%s", text)
	}
	t.Logf("test: %d of B clicked and bought; decision: %s; %d rest recipients got B", testB, plan.Decision.Reason, rep.Rest.Recipients)
}
