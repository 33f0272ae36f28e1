package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
	"github.com/chorusmkt/chorus/internal/tracking/token"
)

// TestServeFlushesOnSIGTERM runs `chorus serve` as a process of its own,
// clicks 3,000 tracked links and sends SIGTERM at once: the server exits 0
// and every click is in the database, as a hit and as an event, although
// the flush interval (1 s) had not come round for most of them.
func TestServeFlushesOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("runs chorus serve in a child process")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "chorus.db")
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	var sends []campaign.Send
	for i := range 50 {
		sends = append(sends, campaign.Send{CustomerID: fmt.Sprintf("C%03d", i), Channel: "email", State: campaign.SendSent, Variant: "A"})
	}
	_, ids := storetest.SeedCampaign(t, st, "term", campaign.EvenVariants(1), 0, sends)
	st.Close()
	addr := freeAddr(t)
	cfg := filepath.Join(dir, "chorus.yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf("db: %q\ntracking:\n  secret: %q\n  base_url: \"http://%s\"\n  flush_interval: 1s\n", db, testTrackingSecret, addr)), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildProcess$")
	cmd.Env = append(os.Environ(), childArgsEnv+"="+strings.Join([]string{"--config", cfg, "serve", "--addr", addr, "--no-workers"}, "\n"))
	var logs bytes.Buffer
	cmd.Stderr = &logs
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.Contains(line, "listening on http://"+addr) {
		t.Fatalf("serve said %q (%v)\n%s", line, err, logs.String())
	}
	go io.Copy(io.Discard, out)

	codec, _ := token.New(testTrackingSecret)
	links, _ := token.NewLinks("http://"+addr, codec)
	const clicks = 3000
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			for i := g; i < clicks; i += 8 {
				u, _ := links.Click(token.Send{SendID: strconv.FormatInt(ids[i%len(ids)], 10), Campaign: "term", Channel: "email", Variant: "A"}, 0, "https://shop.example/x")
				req, _ := http.NewRequest("GET", u, nil)
				req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
				resp, err := hc.Do(req)
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusFound {
					errs <- fmt.Errorf("click: %d", resp.StatusCode)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v\n%s", err, logs.String())
	}
	st, err = store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hits, _ := st.CountHits(context.Background(), "click")
	evs, _ := st.CountEvents(context.Background(), event.Filter{Types: []string{event.Click}})
	if hits != clicks || evs != clicks {
		t.Fatalf("after SIGTERM: %d click hits and %d click events stored, want %d\n%s", hits, evs, clicks, logs.String())
	}
}

// TestServeRefusesBadSettings: serve without a tracking secret, with a
// bad address, or on a port in use fails with a message that names the
// setting, exit 64 or 69.
func TestServeRefusesBadSettings(t *testing.T) {
	busy := freeAddr(t)
	ln, err := net.Listen("tcp", busy)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	secret := map[string]string{"CHORUS_TRACKING_SECRET": testTrackingSecret}
	for _, tc := range []struct {
		env  map[string]string
		args []string
		code int
		want string
	}{
		{nil, []string{"serve", "--addr", "127.0.0.1:0"}, 64, "tracking.secret"},
		{secret, []string{"serve", "--addr", "nohost"}, 64, "server.addr"},
		{secret, []string{"serve", "--addr", busy, "--no-workers"}, 69, "cannot listen on " + busy},
		{map[string]string{"CHORUS_TRACKING_SECRET": testTrackingSecret, "CHORUS_TRACKING_FLUSH_INTERVAL": "5s"}, []string{"serve"}, 64, "tracking.flush_interval"},
	} {
		_, _, err := cli{env: tc.env}.run(t, tc.args...)
		if code := exitCode(err, newApp(nil, io.Discard, io.Discard)); code != tc.code || err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: exit %d (%v), want %d naming %q", tc.args, code, err, tc.code, tc.want)
		}
	}
}
