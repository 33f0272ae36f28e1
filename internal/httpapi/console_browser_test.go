package httpapi_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const chromium = "/usr/bin/chromium"

// artifacts is where screenshots go: $CHORUS_ARTIFACTS, else the test's
// temporary directory.
func artifacts(t *testing.T) string {
	dir := os.Getenv("CHORUS_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	dir = filepath.Join(dir, "console")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// stuck writes every goroutine's stack (the console server runs in this
// process) to the artifacts when a page never shows what the test waits
// for, so that a hang seen once in CI says where the handler waited.
func stuck(t *testing.T, dir, name string) {
	t.Helper()
	p := filepath.Join(dir, name+"-goroutines.txt")
	f, err := os.Create(p)
	if err != nil {
		t.Log(err)
		return
	}
	defer f.Close()
	if err := pprof.Lookup("goroutine").WriteTo(f, 2); err != nil {
		t.Log(err)
		return
	}
	t.Logf("goroutines %s", p)
}

// TestConsoleInChromium signs in through the form in a real browser,
// visits each page of this stream with a screenshot, types an expression
// and sees htmx swap in its live count (the CSP lets our script run and
// the CSRF header through), finds the hostile names inert, and signs out.
func TestConsoleInChromium(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("no browser at %s (apt-get install -y chromium): %v", chromium, err)
	}
	if testing.Short() {
		t.Skip("-short: no browser")
	}
	c := shopConsole(t)
	dir := artifacts(t)
	actx, cancel := chromedp.NewExecAllocator(t.Context(), chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("no-first-run", true), chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900))
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// A liveness bound, not a speed check: under -race on a loaded 2-core
	// machine the first profile page (a recommender training) took over 60 s.
	ctx, cancel = context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 is a PNG
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name+".png")
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot %s", p)
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(c.srv.URL+"/customers"), chromedp.WaitVisible(`input[name="name"]`)); err != nil {
		t.Fatal(err)
	}
	shot("01-login")
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(`input[name="name"]`, "marketer"),
		chromedp.SendKeys(`input[name="password"]`, testPassword),
		chromedp.Submit(`input[name="password"]`),
		chromedp.WaitVisible(`#customer-rows`),
	); err != nil {
		t.Fatal(err)
	}
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/customers") {
		t.Fatalf("after sign-in at %s, want the page asked for first", loc)
	}
	pages := []struct{ name, path, sel string }{
		{"02-dashboard", "/", "svg.chart"},
		{"03-customers", "/customers?q=EVIL", "#customer-rows"},
		{"04-profile", "/customers/EVIL1", "h1"},
		{"05-segments", "/segments", "textarea"},
		{"06-compliance", "/compliance?campaign=", "h1"},
		{"07-settings", "/settings", "h1"},
	}
	for _, p := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(c.srv.URL+p.path), chromedp.WaitVisible(p.sel)); err != nil {
			stuck(t, dir, p.name)
			t.Fatalf("%s: %v", p.path, err)
		}
		imgs, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("img, script:not([src])").length`))
		if err != nil || imgs != 0 {
			t.Fatalf("%s: %d elements from hostile names became markup (%v)", p.path, imgs, err)
		}
		shot(p.name)
	}
	if got := text("h1"); !strings.Contains(got, "Settings") {
		t.Fatalf("settings heading %q", got)
	}
	// The live count: type into the editor, htmx posts with the CSRF
	// header and swaps the count in.
	if err := chromedp.Do(ctx, chromedp.Navigate(c.srv.URL+"/segments"), chromedp.WaitVisible("textarea"),
		chromedp.SendKeys("textarea", `orders >= 1`)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("#segment-preview .kpi") !== null`)); err != nil {
		t.Fatalf("no live count swapped in: %v", err)
	}
	if got := text("#segment-preview .kpi"); !strings.Contains(got, "of 61 customers") {
		t.Fatalf("live count %q", got)
	}
	shot("08-segment-live-count")
	// Switch to Chinese, then sign out.
	if err := chromedp.Do(ctx, chromedp.Click(`form.lang button`), chromedp.WaitVisible(`html[lang="zh-CN"]`)); err != nil {
		t.Fatal(err)
	}
	shot("09-segments-zh")
	if err := chromedp.Do(ctx, chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`input[name="password"]`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(c.srv.URL+"/settings"), chromedp.WaitVisible(`input[name="password"]`)); err != nil {
		t.Fatalf("after sign-out a page is still shown: %v", err)
	}
}
