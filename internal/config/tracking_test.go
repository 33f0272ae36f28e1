package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestTrackingAndServerDefaultsAndEnv(t *testing.T) {
	c := Default()
	tr := c.Tracking
	if tr.FlushInterval.Std() != 250*time.Millisecond || tr.Attribution.Window.Std() != 7*24*time.Hour || tr.Attribution.ViewThrough ||
		!tr.UTM.Enabled || tr.UTM.Source != "chorus" || tr.Machine.PrefetchWindow.Std() != 10*time.Second || c.Server.Addr != "127.0.0.1:8080" {
		t.Fatalf("defaults: %+v %+v", tr.TrackingServer, c.Server)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	env := envOf(map[string]string{
		"CHORUS_TRACKING_FLUSH_INTERVAL":           "250ms",
		"CHORUS_TRACKING_ATTRIBUTION_WINDOW":       "3d",
		"CHORUS_TRACKING_ATTRIBUTION_VIEW_THROUGH": "true",
		"CHORUS_TRACKING_MACHINE_NETWORKS":         "104.28.0.0/16, 172.224.0.0/12",
		"CHORUS_TRACKING_HOOKS_EMAIL_SECRET":       "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
		"CHORUS_TRACKING_UNSUBSCRIBE_RATE":         "12",
		"CHORUS_SERVER_ADDR":                       ":9000",
		"CHORUS_SERVER_TRUSTED_PROXIES":            "10.0.0.0/8",
	})
	c, err := Load("", env)
	if err != nil {
		t.Fatal(err)
	}
	tr = c.Tracking
	if tr.FlushInterval.Std() != 250*time.Millisecond || tr.Attribution.Window.Std() != 72*time.Hour || !tr.Attribution.ViewThrough ||
		len(tr.Machine.Networks) != 2 || tr.Hooks["email"].Secret == "" || tr.Unsubscribe.Rate != 12 || c.Server.Addr != ":9000" || c.Server.TrustedProxies[0] != "10.0.0.0/8" {
		t.Errorf("env: %+v %+v", tr.TrackingServer, c.Server)
	}
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
}

func TestTrackingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chorus.yaml")
	if err := os.WriteFile(path, []byte(`tracking:
  secret: "0123456789abcdef0123456789abcdef"
  flush_interval: 1s
  attribution: {window: 14d, view_through: true, view_window: 12h}
  utm: {source: newsletter}
  hooks:
    sms: {secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}
server:
  addr: "0.0.0.0:8443"
  shutdown_timeout: 5s
`), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Tracking.Attribution.Window.Std() != 14*24*time.Hour || c.Tracking.Attribution.ViewWindow.Std() != 12*time.Hour || c.Tracking.UTM.Source != "newsletter" ||
		!c.Tracking.UTM.Enabled || c.Server.ShutdownTimeout.Std() != 5*time.Second || c.Tracking.Secret == "" {
		t.Errorf("file: %+v %+v", c.Tracking, c.Server)
	}
}

func TestTrackingValidation(t *testing.T) {
	for name, tc := range map[string]struct {
		mutate func(*Config)
		want   string
	}{
		"flush too slow":  {func(c *Config) { c.Tracking.FlushInterval = Duration(2 * time.Second) }, "tracking.flush_interval"},
		"flush zero":      {func(c *Config) { c.Tracking.FlushInterval = 0 }, "tracking.flush_interval"},
		"window":          {func(c *Config) { c.Tracking.Attribution.Window = Duration(time.Minute) }, "tracking.attribution.window"},
		"network":         {func(c *Config) { c.Tracking.Machine.Networks = []string{"17.0.0.0"} }, "tracking.machine.networks[0]"},
		"hook secret":     {func(c *Config) { c.Tracking.Hooks = map[string]Hook{"email": {Secret: "short"}} }, "tracking.hooks.email.secret"},
		"unsub rate":      {func(c *Config) { c.Tracking.Unsubscribe.Rate = 0 }, "tracking.unsubscribe.rate"},
		"utm source":      {func(c *Config) { c.Tracking.UTM.Source = " " }, "tracking.utm.source"},
		"prefetch":        {func(c *Config) { c.Tracking.Machine.PrefetchWindow = Duration(time.Hour) }, "tracking.machine.prefetch_window"},
		"server addr":     {func(c *Config) { c.Server.Addr = "localhost" }, "server.addr"},
		"trusted proxies": {func(c *Config) { c.Server.TrustedProxies = []string{"proxy.internal"} }, "server.trusted_proxies[0]"},
	} {
		c := Default()
		tc.mutate(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error naming %s", name, err, tc.want)
		}
	}
	if d, err := ParseDuration("7d"); err != nil || d.Std() != 7*24*time.Hour {
		t.Errorf("7d: %v %v", d, err)
	}
	if _, err := ParseDuration("7x"); err == nil {
		t.Error("7x accepted")
	}
}
