package delivery

import (
	"math/rand/v2"
	"time"
)

// Schedule is a retry schedule: the delay before each retry, the first
// entry after the first failure. A message that failed len(s)+1 times is
// given up.
type Schedule []time.Duration

// WebhookSchedule is the Standard Webhooks retry schedule: after the
// immediate attempt, 5 seconds, 5 minutes, 30 minutes, 2 hours, 5 hours,
// 10 hours and 10 hours again (about 27.5 hours in all).
var WebhookSchedule = Schedule{
	5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour,
	5 * time.Hour, 10 * time.Hour, 10 * time.Hour,
}

// EmailSchedule is the default retry schedule of email: quick first
// retries for a passing fault, then growing gaps up to about four days,
// the give-up time RFC 5321 §4.5.4.1 suggests.
var EmailSchedule = Schedule{
	time.Minute, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour,
	12 * time.Hour, 24 * time.Hour, 24 * time.Hour, 24 * time.Hour,
}

// Attempts is how many attempts the schedule allows in all.
func (s Schedule) Attempts() int { return len(s) + 1 }

// Delay returns the wait before the next attempt after failures failed
// attempts (1 after the first failure), and false once the schedule is
// exhausted. The delay is jittered by up to ±10% so that retries of one
// burst spread out.
func (s Schedule) Delay(failures int) (time.Duration, bool) {
	if failures < 1 || failures > len(s) {
		return 0, false
	}
	return jitter(s[failures-1]), true
}

func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	spread := int64(d) / 10
	if spread <= 0 {
		return d
	}
	return d + time.Duration(rand.Int64N(2*spread+1)-spread)
}

// RetryDelay turns a failed attempt into the queue's next step: the delay
// before the next attempt and true, or false when the message must not be
// retried (permanent, endpoint gone, or the schedule is exhausted).
// failures counts the failed attempts, this one included. A RetryAfter the
// peer or the breaker asked for wins over the schedule when it is longer.
func RetryDelay(err error, failures int, s Schedule) (time.Duration, bool) {
	e := AsError(err)
	if e == nil || !e.Retryable() {
		return 0, false
	}
	d, ok := s.Delay(failures)
	if !ok {
		return 0, false
	}
	if e.RetryAfter > d {
		d = e.RetryAfter
	}
	return d, true
}
