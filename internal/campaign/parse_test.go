package campaign

import (
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

func TestParseSettings(t *testing.T) {
	if got := ParseChannels(" Email, sms ,,", "push"); len(got) != 3 || got[0] != "email" || got[1] != "sms" || got[2] != "push" {
		t.Errorf("ParseChannels = %q", got)
	}
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{{"", 0, true}, {"10", 0.1, true}, {" 10% ", 0.1, true}, {"50", 0.5, true}, {"51", 0, false}, {"-1", 0, false}, {"x", 0, false}} {
		got, err := ParseHoldout(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseHoldout(%q) = %v, %v", tc.in, got, err)
		}
		if err != nil && !apperr.Is(err, apperr.Invalid) {
			t.Errorf("ParseHoldout(%q): %v is not Invalid", tc.in, err)
		}
	}
	if vs, err := SplitVariants(0); err != nil || len(vs) != 1 {
		t.Errorf("SplitVariants(0) = %v, %v", vs, err)
	}
	if _, err := SplitVariants(MaxVariants + 1); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("SplitVariants(27): %v", err)
	}
	s, err := ParseStart("2026-11-11T00:00:00+08:00", true)
	if err != nil || s.Kind != StartAt || !s.At.Equal(time.Date(2026, 11, 10, 16, 0, 0, 0, time.UTC)) || !s.DeferQuiet {
		t.Errorf("ParseStart(time) = %+v, %v", s, err)
	}
	if s, _ := ParseStart("window", false); s.Kind != StartWindow || !s.DeferQuiet {
		t.Errorf("ParseStart(window) = %+v: a window start always defers quiet hours", s)
	}
	if _, err := ParseStart("tomorrow", false); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("ParseStart(tomorrow): %v", err)
	}
	if r, err := ParseRates([]string{"SMS=50", " email = 2.5"}); err != nil || r["sms"] != 50 || r["email"] != 2.5 {
		t.Errorf("ParseRates = %v, %v", r, err)
	}
	for _, bad := range []string{"sms", "sms=0", "sms=x"} {
		if _, err := ParseRates([]string{bad}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("ParseRates(%q): %v", bad, err)
		}
	}
}

func TestParseTestPlan(t *testing.T) {
	if p, err := ParseTestPlan(" ", "24h", "conversion_rate", ""); p != nil || err != nil {
		t.Errorf("no --test: %v, %v", p, err)
	}
	p, err := ParseTestPlan("20%", "2d", " revenue_per_recipient ", " B ")
	if err != nil || p.Share != 0.2 || p.Window != 48*time.Hour || p.Metric != "revenue_per_recipient" || p.Default != "B" {
		t.Errorf("ParseTestPlan = %+v, %v", p, err)
	}
	for _, share := range []string{"0", "100", "x%"} {
		if _, err := ParseTestPlan(share, "24h", "", ""); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("share %q: %v", share, err)
		}
	}
	if _, err := ParseTestPlan("20", "soon", "", ""); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("window soon: %v", err)
	}
}
