package campaign

import (
	"strconv"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/experiment"
)

// The parsers of a campaign's settings as people write them, shared by
// `chorus campaign create` and the REST API. Each error is Invalid and
// names the setting (as the CLI flag) and what to write instead.

// ParseChannels splits comma-separated channel lists into lower-case
// names in order, dropping blanks. Duplicates are kept: Validate refuses
// them.
func ParseChannels(lists ...string) []string {
	var out []string
	for _, l := range lists {
		for _, ch := range strings.Split(l, ",") {
			if ch = strings.ToLower(strings.TrimSpace(ch)); ch != "" {
				out = append(out, ch)
			}
		}
	}
	return out
}

// MaxVariants is the most variants a campaign splits its copy into.
const MaxVariants = 26

// SplitVariants is n even variants (0 means 1); n outside 1 to
// MaxVariants is Invalid.
func SplitVariants(n int) ([]Variant, error) {
	if n == 0 {
		n = 1
	}
	if n < 1 || n > MaxVariants {
		return nil, apperr.New(apperr.Invalid, "variants %d: use 1 to %d", n, MaxVariants)
	}
	return EvenVariants(n), nil
}

// percent reads "10" or "10%" as a number of percent, and s as read; ""
// is set=false.
func percent(s string) (v float64, read string, set bool, err error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return 0, s, false, nil
	}
	v, err = strconv.ParseFloat(s, 64)
	return v, s, true, err
}

// ParseHoldout reads the holdout share, in percent ("10" or "10%"), as a
// fraction; "" is none.
func ParseHoldout(s string) (float64, error) {
	v, read, _, err := percent(s)
	if err != nil || v < 0 || v > 50 {
		return 0, apperr.New(apperr.Invalid, "--holdout %q: use a percentage from 0 to 50", read)
	}
	return v / 100, nil
}

// ParseStart reads when a campaign sends: now ("" too), window (each
// person's next allowed window, which always defers quiet hours) or an
// RFC 3339 time.
func ParseStart(s string, deferQuiet bool) (Schedule, error) {
	switch s = strings.TrimSpace(s); s {
	case "", StartNow:
		return Schedule{Kind: StartNow, DeferQuiet: deferQuiet}, nil
	case StartWindow:
		return Schedule{Kind: StartWindow, DeferQuiet: true}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return Schedule{}, apperr.New(apperr.Invalid, "--start %q: use now, window or a time like 2026-11-11T00:00:00+08:00", s)
	}
	return Schedule{Kind: StartAt, At: t.UTC(), DeferQuiet: deferQuiet}, nil
}

// ParseRates reads CHANNEL=MESSAGES_PER_SECOND pairs.
func ParseRates(pairs []string) (map[string]float64, error) {
	out := map[string]float64{}
	for _, r := range pairs {
		ch, v, ok := strings.Cut(r, "=")
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if !ok || err != nil || f <= 0 {
			return nil, apperr.New(apperr.Invalid, "--rate %q: use CHANNEL=MESSAGES_PER_SECOND, e.g. sms=50", r)
		}
		out[strings.ToLower(strings.TrimSpace(ch))] = f
	}
	return out, nil
}

// ParseTestPlan reads a test of the variants on share percent of the
// audience for window, decided by metric, def going out without a clear
// winner; share "" is no test (nil).
func ParseTestPlan(share, window, metric, def string) (*TestPlan, error) {
	v, read, set, err := percent(share)
	if !set {
		return nil, nil
	}
	if err != nil || !(v > 0 && v < 100) {
		return nil, apperr.New(apperr.Invalid, "--test %q: use a percentage of the audience, more than 0 and less than 100", read)
	}
	w, err := config.ParseDuration(window)
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "--test-window %q: use a duration such as 24h or 2d", window)
	}
	return &TestPlan{Share: v / 100, Window: w.Std(), Metric: experiment.Metric(strings.TrimSpace(metric)), Default: strings.TrimSpace(def)}, nil
}
