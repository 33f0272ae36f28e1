package content_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/llm/offline"
)

// DemoCampaign writes JSON and HTML previews for each segment, every item
// passing its checks with the offline writer, and a second call resumes
// with no model call.
func TestDemoCampaignWritesPreviews(t *testing.T) {
	tees := catalogOf(2)
	for i, title := range []string{"Organic Cotton Tee", "Linen Overshirt"} {
		tees[i].Title = title
		tees[i].Language = content.En
		tees[i].SellingPoints = []string{"organic cotton"}
	}
	zh := linen
	zh.SKU, zh.Title = "LIN-02", "亚麻阔腿裤"
	in := audience(40, "vip", []catalog.Product{linen, zh, tees[0], tees[1]})
	in.members["new"] = in.members["vip"][:10]
	d := deps(t, offline.New(), in)
	out := t.TempDir()
	s, err := content.DemoCampaign(context.Background(), d, out, []string{"vip", "new"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Items == 0 || len(s.Campaigns) != 2 {
		t.Fatalf("summary: %d items, %d campaigns", s.Items, len(s.Campaigns))
	}
	// budgets and required elements always hold; a message the writer
	// wrote without its product is flagged (and only that), never passed
	for _, c := range s.Campaigns {
		for rule, n := range c.FlaggedReasons {
			if rule != "product" {
				t.Errorf("segment %s: %d %s violations: %v", c.Segment, n, rule, c.FlaggedExamples)
			}
		}
		if c.Flagged > 0 {
			t.Logf("segment %s: %d of %d items flagged for not naming the product", c.Segment, c.Flagged, c.Items)
		}
	}
	for _, f := range []string{"index.html", "summary.json", "vip/items.json", "new/items.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Fatalf("missing %s: %v", f, err)
		}
	}
	var items []content.Item
	b, _ := os.ReadFile(filepath.Join(out, "vip", "items.json"))
	if err := json.Unmarshal(b, &items); err != nil || len(items) == 0 {
		t.Fatalf("items.json: %v (%d items)", err, len(items))
	}
	emails, _ := filepath.Glob(filepath.Join(out, "vip", "email-*.html"))
	if len(emails) == 0 {
		t.Fatal("no email preview written")
	}
	html, _ := os.ReadFile(emails[0])
	if !strings.Contains(string(html), content.UnsubscribePlaceholder) || strings.Contains(string(html), content.SlotFirstName) {
		t.Fatalf("email preview must keep the unsubscribe placeholder and fill the name slot:\n%s", html)
	}
	idx, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !strings.Contains(string(idx), "demo-double11") || strings.Count(string(idx), `class="card`) != s.Items {
		t.Fatalf("index.html does not show every item")
	}
	if len(s.Samples) == 0 {
		t.Fatal("no samples to print")
	}
	again, err := content.DemoCampaign(context.Background(), d, out, []string{"vip", "new"})
	if err != nil || again.ModelCalls != 0 {
		t.Fatalf("second demo run: %d model calls, err %v", again.ModelCalls, err)
	}
	// the previews follow the plan, not the order workers finished in
	if !reflect.DeepEqual(again.Samples, s.Samples) {
		t.Errorf("samples differ between runs:\n%v\n%v", s.Samples, again.Samples)
	}
	if !slices.IsSortedFunc(items, func(a, b content.Item) int { return strings.Compare(a.UnitKey, b.UnitKey) }) {
		t.Error("items.json is not in plan order")
	}
}

// The previews page renders in a real browser with its lint summary, the
// worst-20 list and every item shown as its channel shows it (a bubble
// for an SMS, a notification for a push, an inbox row for an email).
func TestPreviewsRenderInChromium(t *testing.T) {
	bin := "/usr/bin/chromium"
	if _, err := os.Stat(bin); err != nil {
		t.Skip("chromium is not installed at /usr/bin/chromium; the previews are not rendered")
	}
	in := audience(24, "vip", []catalog.Product{linen})
	d := deps(t, offline.New(), in)
	out := t.TempDir()
	s, err := content.DemoCampaign(context.Background(), d, out, []string{"vip"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dom, err := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--dump-dom", "file://"+filepath.Join(out, "index.html")).Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	page := string(dom)
	for _, want := range []string{`id="lint"`, "Copy lint 文案检查", "Worst 20", `class="sms"`, `class="push"`, `class="inbox"`, `class="note"`, `class="ad"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the rendered page lacks %s", want)
		}
	}
	if n := strings.Count(page, `class="card`); n != s.Items {
		t.Errorf("%d cards rendered for %d items", n, s.Items)
	}
}
