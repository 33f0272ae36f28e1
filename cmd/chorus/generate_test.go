package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/store"
)

// The generate and review commands end to end on a small demo shop with
// the offline writer: bad briefs fail before any model call, the plan
// runs nothing, a campaign run is stored and a second run resumes it, and
// an item can be reviewed.
func TestGenerateAndReviewCommands(t *testing.T) {
	dir := t.TempDir()
	c := cli{db: filepath.Join(dir, "chorus.db"), env: demoEnv(t)}
	if out, errOut, err := c.run(t, "demo", "--customers", "40", "--seed", "5"); err != nil {
		t.Fatalf("demo: %v\n%s\n%s", err, out, errOut)
	}
	brief, voice := content.ExampleFiles()
	bf, vf := filepath.Join(dir, "brief.yaml"), filepath.Join(dir, "voice.yaml")
	os.WriteFile(bf, brief, 0o644)
	os.WriteFile(vf, voice, 0o644)
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("name: x\ngoal: g\nproducts: [NOPE]\n"), 0o644)
	if _, _, err := c.run(t, "generate", "--segment", "all", "--channels", "sms", "--brief", bad); err == nil ||
		!strings.Contains(err.Error(), `bad.yaml: field products[0]: unknown product "NOPE"`) {
		t.Fatalf("bad brief: %v", err)
	}
	if _, _, err := c.run(t, "generate", "--segment", "all", "--channels", "sms,fax", "--brief", bf); err == nil || !strings.Contains(err.Error(), `unknown channel "fax"`) {
		t.Fatalf("bad channel: %v", err)
	}
	if out, _, err := c.run(t, "content", "voice", "set", vf); err != nil || !strings.Contains(out, `voice "lumen-demo" stored`) {
		t.Fatalf("voice set: %v %s", err, out)
	}
	out, _, err := c.run(t, "generate", "--segment", "all", "--channels", "sms,email", "--brief", bf, "--plan")
	if err != nil || !strings.Contains(out, "individual") || !strings.Contains(out, "*cohort") {
		t.Fatalf("plan: %v\n%s", err, out)
	}
	out, _, err = c.run(t, "generate", "--segment", "all", "--channels", "sms,email", "--brief", bf, "--json")
	if err != nil {
		t.Fatalf("generate: %v\n%s", err, out)
	}
	var s content.Summary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("summary JSON: %v\n%s", err, out)
	}
	if s.Generated == 0 || s.Generated != s.Units || s.ModelCalls < s.Units || s.Coverage == nil || s.Coverage.OverBudget != 0 {
		t.Fatalf("summary = %+v", s)
	}
	out, _, err = c.run(t, "generate", "--segment", "all", "--channels", "sms,email", "--brief", bf, "--json")
	var s2 content.Summary
	if err != nil || json.Unmarshal([]byte(out), &s2) != nil || s2.Resumed != s.Units || s2.ModelCalls != 0 {
		t.Fatalf("re-run: %v resumed %d calls %d", err, s2.Resumed, s2.ModelCalls)
	}
	out, _, err = c.run(t, "content", "review", "list", "--run", s.Run, "--status", "draft", "--json")
	var items []content.Item
	if err != nil || json.Unmarshal([]byte(out), &items) != nil || len(items) == 0 {
		t.Fatalf("review list: %v\n%s", err, out)
	}
	id := items[0].ID
	if _, _, err := c.run(t, "content", "review", "approve", id, "--by", "ana"); err != nil {
		t.Fatal(err)
	}
	out, _, err = c.run(t, "content", "review", "show", id)
	if err != nil || !strings.Contains(out, "approved") || !strings.Contains(out, "ana") {
		t.Fatalf("review show: %v\n%s", err, out)
	}
	// the stored run linted as a marketer would, through the application
	out, _, err = c.run(t, "content", "lint", "--run", s.Run, "--json")
	var rep content.LintReport
	if err != nil || json.Unmarshal([]byte(out), &rep) != nil || rep.Items == 0 || rep.Unchecked != 0 || len(rep.ByCode) != len(content.LintCodes) {
		t.Fatalf("content lint: %v\n%s", err, out)
	}
	if out, _, err := c.run(t, "content", "lint"); err != nil || !strings.Contains(out, "checked ") || !strings.Contains(out, "agreement ") {
		t.Fatalf("content lint (text): %v\n%s", err, out)
	}
	if _, _, err := c.run(t, "content", "lint", "--run", "run_nope"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("content lint of an unknown run: %v", err)
	}
	// single shot from an inline profile and product file, no store involved
	pf := filepath.Join(dir, "product.json")
	os.WriteFile(pf, []byte(`{"title":"轻量旅行相机包","price":399,"currency":"CNY","selling_points":["防泼水","一机两镜"]}`), 0o644)
	out, _, err = cli{env: demoEnv(t)}.run(t, "generate", "--profile", "age=25,gender=female,occupation=designer,interests=fashion|travel|photography",
		"--product-file", pf, "--channel", "xiaohongshu", "--json")
	if err != nil || !strings.Contains(out, `"channel": "xiaohongshu"`) || !strings.Contains(out, "轻量旅行相机包") {
		t.Fatalf("single shot: %v\n%s", err, out)
	}
}

// The demo campaign over the application's studio, for every customer.
func TestDemoContent(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "chorus.db")
	if out, errOut, err := (cli{db: db, env: demoEnv(t)}).run(t, "demo", "--customers", "30", "--seed", "9"); err != nil {
		t.Fatalf("demo: %v\n%s\n%s", err, out, errOut)
	}
	var buf strings.Builder
	a := cli{db: db}.configured(t, &buf, &buf)
	st, err := store.Open(t.Context(), a.cfg.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ap, err := chorusapp.New(t.Context(), a.cfg, st, chorusapp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ap.Close(t.Context())
	d, err := ap.Studio(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ds, err := content.DemoCampaign(t.Context(), d, filepath.Join(dir, "out"), nil) // "all": every customer
	if err != nil {
		t.Fatal(err)
	}
	_ = ds.WriteText(&buf)
	if ds.Items == 0 || !strings.Contains(buf.String(), "sample campaign") || !strings.Contains(buf.String(), "index.html") {
		t.Fatalf("demo content: %+v\n%s", ds, buf.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "index.html")); err != nil {
		t.Fatal(err)
	}
}
