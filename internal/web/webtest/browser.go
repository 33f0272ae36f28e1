// Package webtest runs the console's real peers for tests: a headless
// Chromium driven by chromedp and a Mailpit SMTP server and mailbox. Each
// helper skips the test, with a message saying what is missing, when its
// program is not installed, and stops what it started when the test ends.
package webtest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian installs chromium; $CHORUS_CHROMIUM
// overrides it.
const ChromiumPath = "/usr/bin/chromium"

func chromium() string {
	if p := os.Getenv("CHORUS_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat(ChromiumPath); err == nil {
		return ChromiumPath
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// Browser starts a headless Chromium with a fresh profile and returns a
// context for chromedp.Run on its first tab. The browser is closed when
// the test ends. It skips the test when no chromium is installed.
func Browser(t testing.TB) context.Context {
	t.Helper()
	path := chromium()
	if path == "" {
		t.Skip("chromium is not installed (apt-get install -y chromium, or set CHORUS_CHROMIUM): skipping the browser test")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		cancel()
		cancelAlloc()
		t.Fatalf("starting chromium %s: %v", path, err)
	}
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	return ctx
}

// Artifacts is the folder screenshots go to: $CHORUS_ARTIFACTS, created
// when missing, else a folder under the test's temporary directory (kept
// only as long as the test runs; the paths are logged).
func Artifacts(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("CHORUS_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(t.TempDir(), "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifacts folder %s: %v", dir, err)
	}
	return dir
}

// Screenshot saves the whole page of ctx's tab as dir/NAME.png and logs
// the path.
func Screenshot(t testing.TB, ctx context.Context, dir, name string) string {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	name = strings.Map(func(r rune) rune {
		if r == '/' || r == ' ' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatalf("screenshot %s: %v", p, err)
	}
	t.Logf("screenshot: %s", p)
	return p
}
