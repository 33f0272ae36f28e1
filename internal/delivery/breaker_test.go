package delivery

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

var (
	down   = &Error{Class: Temporary, Code: CodeConnection, Msg: "connection refused"}
	bounce = &Error{Class: Permanent, Code: CodeMailboxUnknown, Suppress: true}
)

func TestBreaker(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := NewBreaker("smtp", BreakerConfig{Threshold: 3, Cooldown: 10 * time.Second, MaxCooldown: 30 * time.Second})
		send := func(err error) error {
			done, aerr := b.Allow()
			if aerr != nil {
				return aerr
			}
			done(err)
			return nil
		}
		// Bounces and throttling are answers: they never open it.
		for range 10 {
			send(bounce)
			send(&Error{Class: Throttled, Code: CodeThrottled})
		}
		if b.State() != BreakerClosed {
			t.Fatal("answers opened the breaker")
		}
		// A success in between resets the count.
		send(down)
		send(down)
		send(nil)
		send(down)
		send(down)
		if b.State() != BreakerClosed {
			t.Fatal("non-consecutive failures opened the breaker")
		}
		send(down)
		if b.State() != BreakerOpen {
			t.Fatalf("state %s after 3 failures in a row", b.State())
		}
		err := send(nil)
		e := AsError(err)
		if e == nil || e.Code != CodeCircuitOpen || e.Class != Temporary || e.RetryAfter != 10*time.Second {
			t.Fatalf("open breaker: %+v", e)
		}
		time.Sleep(10 * time.Second)
		if b.State() != BreakerHalfOpen {
			t.Fatalf("after the cooldown: %s", b.State())
		}
		// One probe at a time.
		done, err := b.Allow()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Allow(); AsError(err).Code != CodeCircuitOpen {
			t.Fatalf("second probe let through: %v", err)
		}
		done(down) // failed probe: open for twice as long
		done(nil)  // a second call is ignored
		if b.State() != BreakerOpen {
			t.Fatal("failed probe did not reopen")
		}
		time.Sleep(19 * time.Second)
		if b.State() != BreakerOpen {
			t.Fatal("cooldown did not double")
		}
		time.Sleep(time.Second)
		done, _ = b.Allow()
		done(down)
		time.Sleep(30 * time.Second) // capped at MaxCooldown
		done, err = b.Allow()
		if err != nil {
			t.Fatalf("cooldown beyond its cap: %v", err)
		}
		done(nil)
		if b.State() != BreakerClosed {
			t.Fatal("good probe did not close")
		}
		// A cancelled probe says nothing: the next caller probes.
		for range 3 {
			send(down)
		}
		time.Sleep(10 * time.Second)
		done, _ = b.Allow()
		done(AsError(context.Canceled))
		if done, err = b.Allow(); err != nil {
			t.Fatalf("probe slot not released after a cancel: %v", err)
		}
		done(nil)
	})
}

func TestGuard(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var calls int
		answers := []error{}
		s := SenderFunc(func(ctx context.Context, m Message) (Result, error) {
			calls++
			if len(answers) == 0 {
				return Result{ID: MessageID(m.Key, "shop.cn")}, nil
			}
			err := answers[0]
			answers = answers[1:]
			return Result{}, err
		})
		lim := NewLimiter(LimiterConfig{Scope: map[string]Limits{Email: {Rate: 10, Burst: 1}}, MaxWait: time.Minute})
		g := NewGuard(s, lim, NewBreaker("smtp", BreakerConfig{Threshold: 2, Cooldown: time.Minute}))
		m := Message{Key: Key("c", "C1", Email), Channel: Email, To: "x@qq.com", Subject: "s", Text: "t"}
		ctx := context.Background()

		if _, err := g.Send(ctx, Message{Channel: Email}); ClassOf(err) != Permanent {
			t.Fatalf("invalid message: %v", err)
		}
		if calls != 0 {
			t.Fatal("invalid message reached the sender")
		}
		res, err := g.Send(ctx, m)
		if err != nil || res.ID != m.Key+"@shop.cn" {
			t.Fatalf("send: %v %+v", err, res)
		}
		// A throttle from the peer slows and pauses the recipient's domain.
		answers = []error{&Error{Class: Throttled, Code: CodeThrottled, RetryAfter: 20 * time.Second}}
		if _, err := g.Send(ctx, m); ClassOf(err) != Throttled {
			t.Fatalf("throttled: %v", err)
		}
		if r, _ := lim.Rate(Email, "qq.com"); r != 5 {
			t.Fatalf("domain rate after throttle %v", r)
		}
		if d := elapsed(func() { g.Send(ctx, m) }); d < 20*time.Second {
			t.Fatalf("paused domain sent after %s", d)
		}
		// Two peer failures open the breaker; the sender is not called.
		answers = []error{down, down}
		g.Send(ctx, m)
		g.Send(ctx, m)
		before := calls
		_, err = g.Send(ctx, m)
		if AsError(err).Code != CodeCircuitOpen || calls != before {
			t.Fatalf("open breaker still sends: %v", err)
		}
	})
}
