package delivery

import (
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/config"
)

func TestFromConfig(t *testing.T) {
	d := config.Delivery{
		Email:    config.EmailDelivery{Rate: 200, DomainRate: 20, DomainRates: map[string]float64{"gmail.com": 50}, Retry: []config.Duration{config.Duration(time.Minute)}},
		Webhooks: map[string]config.WebhookDelivery{"sms": {Rate: 10}, "push": {}},
	}
	lc := LimiterConfigFrom(d)
	if lc.Channels[Email].Rate != 200 || lc.Scope[Email].Rate != 20 || lc.Scopes["gmail.com"].Rate != 50 || lc.Channels[SMS].Rate != 10 {
		t.Fatalf("limiter config %+v", lc)
	}
	if _, ok := lc.Channels[Push]; ok {
		t.Fatal("an unset rate became a limit")
	}
	if s := EmailScheduleFrom(d); len(s) != 1 || s[0] != time.Minute {
		t.Fatalf("schedule %v", s)
	}
	if s := EmailScheduleFrom(config.Delivery{}); len(s) != len(EmailSchedule) {
		t.Fatal("default schedule")
	}
}
