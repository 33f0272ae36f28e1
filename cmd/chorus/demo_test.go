package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	clikit "github.com/chorusmkt/chorus/internal/cli"
	"github.com/chorusmkt/chorus/internal/demo"
)

func TestDemoCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "chorus.db")
	c := cli{db: db, env: demoEnv(t)}
	out, errOut, err := c.run(t, "demo", "--customers", "60", "--seed", "3")
	if err != nil {
		t.Fatalf("demo: %v\nstdout:\n%s\nstderr:\n%s", err, out, errOut)
	}
	for _, want := range []string{
		"演示店铺 · seed 3 · 2025-11-01 – 2026-10-31",
		"customers 顾客", "orders per month",
		"every generated record is stored",
		demo.SeedPersonaID + " 王芳 · 25岁 · 女 · 设计师 · 上海 · 兴趣 时尚、旅行、摄影",
		"left in cart 加购未买: 时尚相机包 (" + demo.CameraBagSKU + ")",
		"what to try next",
		"chorus demo --json --db " + db,
		// the pipeline: RFM, saved segments with counts, profile,
		// recommendations, one note and the whole campaign
		"── RFM segments RFM 分层 ──", "── segments 人群 ──", "photo_lovers", " of 60 ",
		"── profile 用户画像 ──", "── recommendations 推荐 ──", "── copy 文案 ──",
		"── campaign 营销活动 ──", "sample campaign 示例营销文案", "[vip · sms · zh",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, stage := range []string{"generated", "products", "customers", "consents", "events", "shop built"} {
		if !strings.Contains(errOut, stage) {
			t.Errorf("stderr lacks the %q progress line:\n%s", stage, errOut)
		}
	}
	// Every suggestion names a command that exists.
	root := newApp(nil, nil, nil).root()
	_, next, _ := strings.Cut(out, "what to try next")
	next, serve, ok := strings.Cut(next, "\n\nNext: ")
	m := demoPassword.FindStringSubmatch(serve)
	if !ok || !strings.Contains(serve, "chorus serve --addr 127.0.0.1:8080 --db "+db) || m == nil {
		t.Fatalf("the demo does not end with how to open the console and its login:\n%s", serve)
	}
	firstPassword := m[0]
	suggested := 0
	for _, line := range strings.Split(strings.TrimSpace(next), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) > 0 && f[0] == "#" {
			continue // what the next line does
		}
		suggested++
		if len(f) < 2 || f[0] != "chorus" {
			t.Fatalf("suggestion %q is not a chorus command", line)
		}
		if c, _, err := root.Find(f[1:2]); err != nil || c == root {
			t.Errorf("suggestion %q names no command", line)
		}
	}
	if suggested < 2 {
		t.Errorf("only %d suggestions:\n%s", suggested, next)
	}

	// A second run writes nothing and reports so in JSON, and leaves the
	// previews byte for byte as they were.
	index := filepath.Join(c.env["CHORUS_CONTENT_OUTPUT_DIR"], "index.html")
	before, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, err = c.run(t, "demo", "--customers", "60", "--seed", "3", "--json")
	if err != nil {
		t.Fatalf("demo --json: %v\n%s", err, errOut)
	}
	if after, err := os.ReadFile(index); err != nil || !bytes.Equal(before, after) {
		t.Errorf("index.html changed on the second run (%v)", err)
	}
	var rep demo.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("demo --json output is not a report: %v\n%s", err, out)
	}
	w := rep.Written
	if rep.Customers != 60 || rep.Events == 0 || w.EventsInserted != 0 || w.EventsDuplicate != rep.Events ||
		w.Customers.Unchanged != 60 || w.ConsentsAdded != 0 {
		t.Errorf("second run: %d customers, %d events, written %+v", rep.Customers, rep.Events, w)
	}
	if len(rep.Pipeline) < 2 {
		t.Fatalf("pipeline = %+v", rep.Pipeline)
	}
	// the second run resets the demo admin's password
	if l := rep.Console; l == nil || l.Name != "demo" || l.Created || "demo / "+l.Password == firstPassword {
		t.Errorf("console login of the second run = %+v; want demo's password reset", l)
	}
	for _, s := range rep.Pipeline {
		if s.Error != "" || s.Summary == "" {
			t.Errorf("step %+v", s)
		}
	}

	// Bad flags are the user's to fix.
	if _, _, err := c.run(t, "demo", "--customers", "3"); err == nil || !strings.Contains(err.Error(), "--customers") {
		t.Errorf("--customers 3: %v", err)
	}
	if _, _, err := c.run(t, "demo", "--end", "tomorrow"); err == nil || !strings.Contains(err.Error(), "--end") {
		t.Errorf("--end tomorrow: %v", err)
	}
}

func TestDemoSuggestionFlags(t *testing.T) {
	root := newApp(nil, nil, nil).root()
	c, _, err := root.Find([]string{"demo"})
	if err != nil {
		t.Fatal(err)
	}
	for line, want := range map[string]bool{
		"chorus demo --json --db x.db":  true,
		"chorus demo --seed=3":          true,
		"chorus demo --customer C00001": false, // a renamed or mistyped flag
		"chorus demo":                   true,
	} {
		if got := clikit.FlagsExist(root, c, line); got != want {
			t.Errorf("flagsExist(%q) = %v, want %v", line, got, want)
		}
	}
	if got := clikit.FirstExample(c); got != "chorus demo" {
		t.Errorf("firstExample = %q", got)
	}
}
