package deliverytest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Mailpit is a running Mailpit (github.com/axllent/mailpit), the SMTP peer
// and mailbox of the email tests.
type Mailpit struct {
	// SMTPAddr is the SMTP host:port; URL the base URL of its HTTP API.
	SMTPAddr string
	URL      string

	cmd    *exec.Cmd
	client *http.Client
	exited chan struct{}
	log    bytes.Buffer
}

// MailpitOptions are extra settings of a Mailpit.
type MailpitOptions struct {
	// TLSCert and TLSKey (PEM files) offer STARTTLS; with RequireTLS the
	// SMTP port speaks implicit TLS (smtps) instead.
	TLSCert, TLSKey string
	RequireTLS      bool
	// RequireSTARTTLS refuses mail before STARTTLS.
	RequireSTARTTLS bool
	// AuthUser and AuthPass require SMTP AUTH with these credentials.
	AuthUser, AuthPass string
}

// MailpitBinary finds the mailpit binary: $CHORUS_MAILPIT, then $PATH,
// then $GOPATH/bin (default ~/go/bin), where `go install
// github.com/axllent/mailpit@v1.33.1` puts it. It returns "" when absent.
func MailpitBinary() string {
	if p := os.Getenv("CHORUS_MAILPIT"); p != "" {
		return p
	}
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	var dirs []string
	if gp := os.Getenv("GOPATH"); gp != "" {
		for _, d := range filepath.SplitList(gp) {
			dirs = append(dirs, filepath.Join(d, "bin"))
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go", "bin"))
	}
	for _, d := range dirs {
		p := filepath.Join(d, "mailpit")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

// StartMailpit runs Mailpit on free loopback ports for the test (with
// --disable-version-check --max 100000) and stops it at the end. It skips
// the test, saying why, when the binary is absent; .ci/run installs it.
func StartMailpit(t testing.TB, opts MailpitOptions) *Mailpit {
	t.Helper()
	bin := MailpitBinary()
	if bin == "" {
		t.Skip("mailpit is not installed (go install github.com/axllent/mailpit@v1.33.1, or set CHORUS_MAILPIT): skipping the test against a real SMTP peer")
	}
	var lastErr error
	for range 3 { // a free port can be taken between picking and binding
		m, err := startMailpit(bin, opts)
		if err == nil {
			t.Cleanup(m.Stop)
			return m
		}
		lastErr = err
	}
	t.Fatalf("deliverytest: mailpit did not start: %v", lastErr)
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func startMailpit(bin string, o MailpitOptions) (*Mailpit, error) {
	sp, err := freePort()
	if err != nil {
		return nil, err
	}
	hp, err := freePort()
	if err != nil {
		return nil, err
	}
	m := &Mailpit{
		SMTPAddr: "127.0.0.1:" + strconv.Itoa(sp),
		URL:      "http://127.0.0.1:" + strconv.Itoa(hp),
		client:   &http.Client{Timeout: 30 * time.Second},
		exited:   make(chan struct{}),
	}
	args := []string{"--smtp", m.SMTPAddr, "--listen", "127.0.0.1:" + strconv.Itoa(hp),
		"--disable-version-check", "--max", "100000", "--smtp-disable-rdns", "--quiet"}
	if o.TLSCert != "" {
		args = append(args, "--smtp-tls-cert", o.TLSCert, "--smtp-tls-key", o.TLSKey)
		if o.RequireTLS {
			args = append(args, "--smtp-require-tls")
		}
		if o.RequireSTARTTLS {
			args = append(args, "--smtp-require-starttls")
		}
	}
	dir, err := os.MkdirTemp("", "mailpit-")
	if err != nil {
		return nil, err
	}
	if o.AuthUser != "" {
		f := filepath.Join(dir, "auth")
		if err := os.WriteFile(f, []byte(o.AuthUser+":"+o.AuthPass+"\n"), 0o600); err != nil {
			return nil, err
		}
		args = append(args, "--smtp-auth-file", f)
		if o.TLSCert == "" {
			args = append(args, "--smtp-auth-allow-insecure")
		}
	}
	args = append(args, "--database", filepath.Join(dir, "mailpit.db"))
	m.cmd = exec.Command(bin, args...)
	m.cmd.Stdout, m.cmd.Stderr = &m.log, &m.log
	if err := m.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	go func() {
		m.cmd.Wait()
		os.RemoveAll(dir)
		close(m.exited)
	}()
	// Ready when both the API answers and the SMTP port accepts.
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-m.exited:
			return nil, fmt.Errorf("mailpit exited: %s", strings.TrimSpace(m.log.String()))
		case <-deadline.C:
			m.Stop()
			return nil, fmt.Errorf("mailpit not ready after 30 s: %s", strings.TrimSpace(m.log.String()))
		case <-tick.C:
		}
		if _, err := m.Count(context.Background()); err != nil {
			continue
		}
		if c, err := net.DialTimeout("tcp", m.SMTPAddr, time.Second); err == nil {
			c.Close()
			return m, nil
		}
	}
}

// Stop ends Mailpit; a second call does nothing.
func (m *Mailpit) Stop() {
	select {
	case <-m.exited:
		return
	default:
	}
	m.cmd.Process.Signal(os.Interrupt)
	select {
	case <-m.exited:
	case <-time.After(10 * time.Second):
		m.cmd.Process.Kill()
		<-m.exited
	}
}

// Address is a name and address as Mailpit reports them.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// MailpitMessage is one message of Mailpit's list.
type MailpitMessage struct {
	ID        string    `json:"ID"`
	MessageID string    `json:"MessageID"`
	From      Address   `json:"From"`
	To        []Address `json:"To"`
	Subject   string    `json:"Subject"`
	Created   time.Time `json:"Created"`
	Size      int       `json:"Size"`
}

// MailpitDetail is one message as GET /api/v1/message/{ID} gives it.
type MailpitDetail struct {
	MailpitMessage
	Text            string `json:"Text"`
	HTML            string `json:"HTML"`
	ListUnsubscribe struct {
		Header     string   `json:"Header"`
		Links      []string `json:"Links"`
		Errors     string   `json:"Errors"`
		HeaderPost string   `json:"HeaderPost"`
	} `json:"ListUnsubscribe"`
}

func (m *Mailpit) get(ctx context.Context, path string, v any) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.URL+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := m.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("mailpit GET %s: %s: %s", path, resp.Status, bytes.TrimSpace(b))
	}
	if v != nil {
		return b, json.Unmarshal(b, v)
	}
	return b, nil
}

// Count returns how many messages Mailpit holds.
func (m *Mailpit) Count(ctx context.Context) (int, error) {
	var r struct {
		Total int `json:"total"`
	}
	_, err := m.get(ctx, "/api/v1/messages?limit=1", &r)
	return r.Total, err
}

// Messages lists every message (newest first), paging through the API
// (GET /api/v1/messages).
func (m *Mailpit) Messages(ctx context.Context) ([]MailpitMessage, error) {
	var out []MailpitMessage
	for start := 0; ; {
		var r struct {
			Total    int              `json:"total"`
			Messages []MailpitMessage `json:"messages"`
		}
		if _, err := m.get(ctx, fmt.Sprintf("/api/v1/messages?start=%d&limit=1000", start), &r); err != nil {
			return nil, err
		}
		out = append(out, r.Messages...)
		start += len(r.Messages)
		if len(r.Messages) == 0 || start >= r.Total {
			return out, nil
		}
	}
}

// Message returns one message (GET /api/v1/message/{ID}).
func (m *Mailpit) Message(ctx context.Context, id string) (MailpitDetail, error) {
	var d MailpitDetail
	_, err := m.get(ctx, "/api/v1/message/"+id, &d)
	return d, err
}

// Headers returns a message's headers (GET /api/v1/message/{ID}/headers).
func (m *Mailpit) Headers(ctx context.Context, id string) (map[string][]string, error) {
	h := map[string][]string{}
	_, err := m.get(ctx, "/api/v1/message/"+id+"/headers", &h)
	return h, err
}

// Raw returns a message as received, with Mailpit's Received and
// Return-Path lines on top (GET /api/v1/message/{ID}/raw).
func (m *Mailpit) Raw(ctx context.Context, id string) ([]byte, error) {
	return m.get(ctx, "/api/v1/message/"+id+"/raw", nil)
}

// DeleteAll deletes every message (DELETE /api/v1/messages).
func (m *Mailpit) DeleteAll(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, m.URL+"/api/v1/messages", nil)
	if err != nil {
		return err
	}
	resp, err := m.client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("mailpit DELETE /api/v1/messages: %s", resp.Status)
	}
	return nil
}
