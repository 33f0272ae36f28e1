package config

import (
	"encoding/base64"
	"errors"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// TrackingServer is what the tracking server (`chorus serve`) and the
// reports built on its hits need, beside the link settings of Tracking.
// Its fields sit directly under tracking: in the file.
type TrackingServer struct {
	// FlushInterval is how far behind the store opens and clicks may be:
	// the server batches hits in memory and writes them at least this
	// often (at most 1s). Unsubscribes are never batched.
	FlushInterval Duration `yaml:"flush_interval"`
	// Buffer is how many hits may wait in memory for the store; beyond
	// it a request waits for the writer (nothing is dropped).
	Buffer int `yaml:"buffer"`
	// Attribution says which purchases a campaign is credited with.
	Attribution Attribution `yaml:"attribution"`
	// UTM adds utm_* parameters to every click destination.
	UTM UTM `yaml:"utm"`
	// Machine tunes the detection of machine opens and clicks.
	Machine Machine `yaml:"machine"`
	// Unsubscribe limits requests to /u/ per client address.
	Unsubscribe UnsubscribeLimit `yaml:"unsubscribe"`
	// Hooks are the secrets that sign delivery receipts posted to
	// /hooks/{channel}. A webhook channel without one uses its
	// delivery.webhooks.<channel>.secret; email needs its own.
	Hooks map[string]Hook `yaml:"hooks"`
}

// Attribution credits purchases to sends.
type Attribution struct {
	// Window: a purchase is credited to the last human click on a send
	// at most this long before it (default 7 days).
	Window Duration `yaml:"window"`
	// ViewThrough also credits a purchase with no click in the window to
	// the last human open within ViewWindow (default off, 1 day).
	ViewThrough bool     `yaml:"view_through"`
	ViewWindow  Duration `yaml:"view_window"`
}

// UTM is the utm_* parameters added to click destinations. A parameter
// the destination already has is kept as the merchant wrote it.
type UTM struct {
	Enabled bool `yaml:"enabled"`
	// Source is utm_source (default chorus); utm_medium is the channel,
	// utm_campaign the campaign, utm_content the variant.
	Source string `yaml:"source"`
}

// Machine tunes machine-open detection.
type Machine struct {
	// PrefetchWindow: an open or click this soon after the message was
	// sent is a security scanner's prefetch (default 10s; 0 turns the
	// rule off).
	PrefetchWindow Duration `yaml:"prefetch_window"`
	// UserAgents are extra substrings (case-insensitive) of user agents
	// that are machines, beside the built-in list of scanners.
	UserAgents []string `yaml:"user_agents"`
	// Networks are extra CIDR ranges whose requests are machines (for
	// example Apple's Private Relay egress list), beside Apple's
	// 17.0.0.0/8.
	Networks []string `yaml:"networks"`
}

// UnsubscribeLimit is a token bucket per client address on /u/.
type UnsubscribeLimit struct {
	// Rate is requests per minute per address (default 30).
	Rate float64 `yaml:"rate"`
	// Burst is how many may come at once (default 10).
	Burst int `yaml:"burst"`
}

// Hook is the Standard Webhooks secret of one channel's receipts.
type Hook struct {
	Secret          string   `yaml:"secret"`
	PreviousSecrets []string `yaml:"previous_secrets"`
}

// MaxFlushInterval is the longest tracking.flush_interval: the issue
// promises hits in the store at most one second behind.
const MaxFlushInterval = time.Second

func defaultTrackingServer() TrackingServer {
	return TrackingServer{
		FlushInterval: Duration(250 * time.Millisecond),
		Buffer:        200_000,
		Attribution:   Attribution{Window: Duration(7 * 24 * time.Hour), ViewWindow: Duration(24 * time.Hour)},
		UTM:           UTM{Enabled: true, Source: "chorus"},
		Machine:       Machine{PrefetchWindow: Duration(10 * time.Second)},
		Unsubscribe:   UnsubscribeLimit{Rate: 30, Burst: 10},
	}
}

func defaultTracking() Tracking { return Tracking{TrackingServer: defaultTrackingServer()} }

// applyEnv reads CHORUS_TRACKING_FLUSH_INTERVAL, _BUFFER,
// _ATTRIBUTION_WINDOW, _ATTRIBUTION_VIEW_THROUGH, _ATTRIBUTION_VIEW_WINDOW,
// _UTM_ENABLED, _UTM_SOURCE, _MACHINE_PREFETCH_WINDOW,
// _MACHINE_USER_AGENTS and _MACHINE_NETWORKS (comma-separated),
// _UNSUBSCRIBE_RATE, _UNSUBSCRIBE_BURST and CHORUS_TRACKING_HOOKS_<CHANNEL>_SECRET.
func (t *TrackingServer) applyEnv(env Lookup) error {
	for key, dst := range map[string]*Duration{
		"CHORUS_TRACKING_FLUSH_INTERVAL":          &t.FlushInterval,
		"CHORUS_TRACKING_ATTRIBUTION_WINDOW":      &t.Attribution.Window,
		"CHORUS_TRACKING_ATTRIBUTION_VIEW_WINDOW": &t.Attribution.ViewWindow,
		"CHORUS_TRACKING_MACHINE_PREFETCH_WINDOW": &t.Machine.PrefetchWindow,
	} {
		if err := envDuration(env, dst, key); err != nil {
			return err
		}
	}
	if err := envInt(env, &t.Buffer, "CHORUS_TRACKING_BUFFER"); err != nil {
		return err
	}
	if err := envBool(env, &t.Attribution.ViewThrough, "CHORUS_TRACKING_ATTRIBUTION_VIEW_THROUGH"); err != nil {
		return err
	}
	if err := envBool(env, &t.UTM.Enabled, "CHORUS_TRACKING_UTM_ENABLED"); err != nil {
		return err
	}
	envString(env, &t.UTM.Source, "CHORUS_TRACKING_UTM_SOURCE")
	if v, ok := env("CHORUS_TRACKING_MACHINE_USER_AGENTS"); ok && v != "" {
		t.Machine.UserAgents = splitList(v, ",")
	}
	if v, ok := env("CHORUS_TRACKING_MACHINE_NETWORKS"); ok && v != "" {
		t.Machine.Networks = splitList(v, ",")
	}
	if err := envFloat(env, &t.Unsubscribe.Rate, "CHORUS_TRACKING_UNSUBSCRIBE_RATE"); err != nil {
		return err
	}
	if err := envInt(env, &t.Unsubscribe.Burst, "CHORUS_TRACKING_UNSUBSCRIBE_BURST"); err != nil {
		return err
	}
	for _, ch := range []string{"email", "sms", "push", "wechat", "app"} {
		key := "CHORUS_TRACKING_HOOKS_" + strings.ToUpper(ch) + "_SECRET"
		if v, ok := env(key); ok && v != "" {
			if t.Hooks == nil {
				t.Hooks = map[string]Hook{}
			}
			h := t.Hooks[ch]
			h.Secret = v
			t.Hooks[ch] = h
		}
	}
	return nil
}

func (t TrackingServer) validate() error {
	switch {
	case t.FlushInterval.Std() <= 0 || t.FlushInterval.Std() > MaxFlushInterval:
		return apperr.New(apperr.Invalid, "tracking.flush_interval=%s: use more than 0 and at most 1s (hits may be at most one second behind)", t.FlushInterval.Std())
	case t.Buffer < 1000:
		return apperr.New(apperr.Invalid, "tracking.buffer=%d: use at least 1000", t.Buffer)
	case t.Attribution.Window.Std() < time.Hour:
		return apperr.New(apperr.Invalid, "tracking.attribution.window=%s: use at least 1h", t.Attribution.Window.Std())
	case t.Attribution.ViewThrough && t.Attribution.ViewWindow.Std() < time.Minute:
		return apperr.New(apperr.Invalid, "tracking.attribution.view_window=%s: use at least 1m with view_through", t.Attribution.ViewWindow.Std())
	case t.Machine.PrefetchWindow.Std() < 0 || t.Machine.PrefetchWindow.Std() > 10*time.Minute:
		return apperr.New(apperr.Invalid, "tracking.machine.prefetch_window=%s: use 0 (off) to 10m", t.Machine.PrefetchWindow.Std())
	case !(t.Unsubscribe.Rate > 0):
		return apperr.New(apperr.Invalid, "tracking.unsubscribe.rate=%g: use a positive number of requests per minute", t.Unsubscribe.Rate)
	case t.Unsubscribe.Burst < 1:
		return apperr.New(apperr.Invalid, "tracking.unsubscribe.burst=%d: use at least 1", t.Unsubscribe.Burst)
	case t.UTM.Enabled && strings.TrimSpace(t.UTM.Source) == "":
		return apperr.New(apperr.Invalid, "tracking.utm.source is empty: name the source (e.g. chorus) or set tracking.utm.enabled: false")
	}
	for i, n := range t.Machine.Networks {
		if _, err := netip.ParsePrefix(strings.TrimSpace(n)); err != nil {
			return apperr.New(apperr.Invalid, "tracking.machine.networks[%d] %q is not a CIDR range such as 17.0.0.0/8", i, n)
		}
	}
	chs := make([]string, 0, len(t.Hooks))
	for ch := range t.Hooks {
		chs = append(chs, ch)
	}
	sort.Strings(chs)
	for _, ch := range chs {
		h := t.Hooks[ch]
		for i, s := range append([]string{h.Secret}, h.PreviousSecrets...) {
			if err := checkWebhookSecret(s); err != nil {
				name := "tracking.hooks." + ch + ".secret"
				if i > 0 {
					name = "tracking.hooks." + ch + ".previous_secrets"
				}
				return apperr.New(apperr.Invalid, "%s %v", name, err)
			}
		}
	}
	return nil
}

// checkWebhookSecret accepts a Standard Webhooks secret: whsec_ and base64
// of at least 16 bytes.
func checkWebhookSecret(s string) error {
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(strings.TrimSpace(s), "whsec_"))
	if err != nil || len(b) < 16 {
		return errors.New("must be whsec_ and base64 of at least 16 random bytes, e.g. whsec_$(openssl rand -base64 32)")
	}
	return nil
}
