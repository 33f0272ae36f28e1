package policy

import (
	"fmt"
	"time"

	"github.com/chorusmkt/chorus/internal/customer"
)

// consent judges marketing consent on channel. A revocation on another
// channel stops marketing here too (when configured) unless this channel
// was granted again after it; a revocation that a later grant on its own
// channel superseded no longer counts.
func (g *Gate) consent(state customer.ConsentState, channel string) (code, reason string) {
	own, ok := state[customer.Key(channel, Marketing)]
	switch {
	case !ok:
		return CodeNoConsent, fmt.Sprintf("no marketing consent on %s was ever given", channel)
	case own.Status == customer.Revoked:
		return CodeConsentRevoked, fmt.Sprintf("marketing consent on %s was revoked on %s", channel, day(own.At))
	case own.Status != customer.Granted:
		return CodeNoConsent, fmt.Sprintf("marketing consent on %s has status %q", channel, own.Status)
	}
	if !g.cfg.RevokeStopsAll {
		return "", ""
	}
	var latest customer.Consent
	for _, c := range state {
		if c.Purpose == Marketing && c.Channel != channel && c.Status == customer.Revoked && c.At.After(latest.At) {
			latest = c
		}
	}
	if !latest.At.IsZero() && own.At.Before(latest.At) {
		return CodeOptedOutElsewhere, fmt.Sprintf("marketing consent was revoked on %s on %s, after the %s grant of %s",
			latest.Channel, day(latest.At), channel, day(own.At))
	}
	return "", ""
}

// personalize reports whether personalised content may be used: false when
// the latest personalization entry on any channel is a revocation (PIPL
// Art. 24 lets a person refuse personalised marketing as such, not per
// channel). Without any entry personalisation is allowed.
func personalize(state customer.ConsentState) bool {
	var latest customer.Consent
	found := false
	for _, c := range state {
		if c.Purpose != customer.PurposePersonalization {
			continue
		}
		if !found || c.At.After(latest.At) || (c.At.Equal(latest.At) && c.Status == customer.Revoked) {
			latest, found = c, true
		}
	}
	return !found || latest.Status != customer.Revoked
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }
