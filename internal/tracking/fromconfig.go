package tracking

import (
	"log/slog"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/tracking/token"
)

// Options replace parts of the configured Service (tests, benchmarks).
type Options struct {
	// Now is the clock of hits, receipts and rate limits [time.Now].
	Now func() time.Time
	Log *slog.Logger
}

// FromConfig builds the tracking service of cfg over st: the token codec
// (tracking.secret and previous_secrets), the machine detector
// (tracking.machine), the hit recorder (tracking.flush_interval, buffer;
// not started) and the receipt verifiers (tracking.hooks, else
// delivery.webhooks secrets). Errors are apperr.Invalid naming the
// setting.
func FromConfig(cfg config.Config, st Store, o Options) (*Service, error) {
	t := cfg.Tracking
	if strings.TrimSpace(t.Secret) == "" {
		return nil, apperr.New(apperr.Invalid, "tracking.secret is not set: the tracking routes cannot verify links (set CHORUS_TRACKING_SECRET; generate one with openssl rand -base64 32)")
	}
	codec, err := token.New(t.Secret, t.PreviousSecrets...)
	if err != nil {
		return nil, err
	}
	det, err := NewDetector(t.Machine)
	if err != nil {
		return nil, err
	}
	hooks, err := NewHooks(cfg)
	if err != nil {
		return nil, err
	}
	rec := NewRecorder(st, det, RecorderOptions{Interval: t.FlushInterval.Std(), Buffer: t.Buffer, Now: o.Now, Log: o.Log})
	return NewService(st, codec, rec, det, ServiceOptions{Hooks: hooks, Now: o.Now}), nil
}
