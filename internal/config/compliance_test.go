package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

func TestSendRetention(t *testing.T) {
	day := 24 * time.Hour
	c := Default().Compliance.Contact
	if got, want := c.Retention(), 7*day+RetentionMargin; got != want || c.LongestCapWindow() != 7*day {
		t.Fatalf("default retention = %s (longest window %s), want %s", got, c.LongestCapWindow(), want)
	}
	for _, tc := range []struct {
		retention Duration
		caps      string
		want      string // error text; "" means valid
	}{
		{0, "", ""},
		{Duration(7 * day), "", ""}, // exactly the longest window
		{Duration(90 * day), "", ""},
		{Duration(72 * time.Hour), "", "compliance.contact.send_retention 72h is shorter than the 168h window of caps[1]"},
		{Duration(-time.Hour), "", "send_retention -1h is negative"},
		{Duration(48 * time.Hour), "sms:marketing:1/24h", ""},
		{Duration(48 * time.Hour), "sms:marketing:1/24h,push::5/720h,*::9/72h", "shorter than the 720h window of caps[1]"},
		{Duration(time.Hour), "-", ""}, // no caps: any positive retention
	} {
		cc := c
		cc.SendRetention = tc.retention
		if tc.caps == "-" {
			cc.Caps = nil
		} else if tc.caps != "" {
			caps, err := ParseCaps(tc.caps)
			if err != nil {
				t.Fatal(err)
			}
			cc.Caps = caps
		}
		err := cc.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("retention %s, caps %q: %v", tc.retention.Std(), tc.caps, err)
		case tc.want != "" && (!apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), tc.want) ||
			!strings.Contains(err.Error(), "CHORUS_COMPLIANCE_SEND_RETENTION")):
			t.Errorf("retention %s, caps %q: %v, want Invalid with %q", tc.retention.Std(), tc.caps, err, tc.want)
		case tc.want == "" && tc.retention > 0 && cc.Retention() != tc.retention.Std():
			t.Errorf("Retention() = %s, want the setting %s", cc.Retention(), tc.retention.Std())
		}
	}
}

func TestSendRetentionFromFileAndEnv(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chorus.yaml")
	if err := os.WriteFile(path, []byte("compliance:\n  contact:\n    send_retention: 2160h\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, func(string) (string, bool) { return "", false })
	if err != nil || c.Validate() != nil || c.Compliance.Contact.Retention() != 90*24*time.Hour {
		t.Fatalf("file: %v, retention %s", err, c.Compliance.Contact.Retention())
	}
	env := map[string]string{"CHORUS_COMPLIANCE_SEND_RETENTION": "24h"}
	c, err = Load(path, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "send_retention 24h is shorter than the 168h window") {
		t.Fatalf("env retention under the week cap: %v", err)
	}
	env["CHORUS_COMPLIANCE_SEND_RETENTION"] = "a while"
	if _, err := Load("", func(k string) (string, bool) { v, ok := env[k]; return v, ok }); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("bad env retention: %v", err)
	}
}

func TestSkipRetention(t *testing.T) {
	c := Default().Compliance.Contact
	if c.SkipsRetention() != DefaultSkipRetention {
		t.Fatalf("default skip retention = %s", c.SkipsRetention())
	}
	c.SkipRetention = Duration(-time.Hour)
	if err := c.Validate(); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "skip_retention -1h is negative") ||
		!strings.Contains(err.Error(), "CHORUS_COMPLIANCE_SKIP_RETENTION") {
		t.Fatalf("negative skip retention: %v", err)
	}
	env := map[string]string{"CHORUS_COMPLIANCE_SKIP_RETENTION": "720h"}
	cfg, err := Load("", func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil || cfg.Validate() != nil || cfg.Compliance.Contact.SkipsRetention() != 720*time.Hour {
		t.Fatalf("env skip retention: %v, %s", err, cfg.Compliance.Contact.SkipsRetention())
	}
}
