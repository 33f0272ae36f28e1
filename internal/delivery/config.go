package delivery

import (
	"time"

	"github.com/chorusmkt/chorus/internal/config"
)

// LimiterConfigFrom turns the configured rates into a LimiterConfig: the
// email channel's rate, its per-domain rate and overrides, and each webhook
// channel's rate as the limit of its one scope (the endpoint).
func LimiterConfigFrom(d config.Delivery) LimiterConfig {
	lc := LimiterConfig{Channels: map[string]Limits{}, Scope: map[string]Limits{}, Scopes: map[string]Limits{}}
	if d.Email.Rate > 0 {
		lc.Channels[Email] = Limits{Rate: d.Email.Rate}
	}
	if d.Email.DomainRate > 0 {
		lc.Scope[Email] = Limits{Rate: d.Email.DomainRate}
	}
	for dom, r := range d.Email.DomainRates {
		lc.Scopes[dom] = Limits{Rate: r}
	}
	for ch, w := range d.Webhooks {
		if w.Rate > 0 {
			lc.Channels[ch] = Limits{Rate: w.Rate}
		}
	}
	return lc
}

// EmailScheduleFrom is the configured email retry schedule
// (delivery.email.retry), or EmailSchedule when none is set.
func EmailScheduleFrom(d config.Delivery) Schedule {
	if len(d.Email.Retry) == 0 {
		return EmailSchedule
	}
	s := make(Schedule, len(d.Email.Retry))
	for i, r := range d.Email.Retry {
		s[i] = time.Duration(r)
	}
	return s
}
