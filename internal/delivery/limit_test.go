package delivery

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// elapsed runs fn and reports how much (fake) time it took.
func elapsed(fn func()) time.Duration {
	start := time.Now()
	fn()
	return time.Since(start)
}

func TestLimiterChannelAndScope(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLimiter(LimiterConfig{
			Channels: map[string]Limits{Email: {Rate: 100, Burst: 1}},
			Scope:    map[string]Limits{Email: {Rate: 10, Burst: 1}},
			Scopes:   map[string]Limits{"big.com": {Rate: 50, Burst: 1}},
			MaxWait:  time.Minute,
		})
		ctx := context.Background()
		// One domain: its own 10/s bucket governs, 20 sends take ~1.9 s.
		d := elapsed(func() {
			for range 20 {
				if err := l.Wait(ctx, Email, "small.cn"); err != nil {
					t.Fatal(err)
				}
			}
		})
		if d < 1900*time.Millisecond || d > 1901*time.Millisecond {
			t.Fatalf("20 sends at 10/s took %s", d)
		}
		// The override: 50/s.
		d = elapsed(func() {
			for range 51 {
				l.Wait(ctx, Email, "big.com")
			}
		})
		if d < 999*time.Millisecond || d > 1001*time.Millisecond {
			t.Fatalf("51 sends at 50/s took %s", d)
		}
		// Many domains at once: the channel's 100/s bucket governs.
		d = elapsed(func() {
			for i := range 201 {
				l.Wait(ctx, Email, string(rune('a'+i%26))+".org")
			}
		})
		if d < 1999*time.Millisecond || d > 2001*time.Millisecond {
			t.Fatalf("201 sends over 26 domains at 100/s took %s", d)
		}
		// An unlisted channel is unlimited.
		d = elapsed(func() {
			for range 1000 {
				l.Wait(ctx, "sms-unlisted", "x")
			}
		})
		if d != 0 {
			t.Fatalf("unlimited channel waited %s", d)
		}
	})
}

func TestLimiterMaxWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLimiter(LimiterConfig{Scope: map[string]Limits{SMS: {Rate: 1, Burst: 1}}, MaxWait: 2 * time.Second})
		ctx := context.Background()
		for range 3 { // 0 s, 1 s, 2 s: within MaxWait
			if err := l.Wait(ctx, SMS, SMS); err != nil {
				t.Fatal(err)
			}
		}
		// Reserve far ahead from several goroutines at the same instant:
		// the third would wait 3 s and is refused without using capacity.
		l2 := NewLimiter(LimiterConfig{Scope: map[string]Limits{SMS: {Rate: 1, Burst: 1}}, MaxWait: 2 * time.Second})
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range 4 {
			wg.Go(func() { errs[i] = l2.Wait(ctx, SMS, SMS) })
			synctest.Wait() // each reserves before the next starts
		}
		wg.Wait()
		refused := 0
		for _, err := range errs {
			if err != nil {
				e := AsError(err)
				if e.Class != Throttled || e.Code != CodeThrottledLocal || e.RetryAfter <= 2*time.Second {
					t.Fatalf("refusal = %+v", e)
				}
				refused++
			}
		}
		if refused != 1 {
			t.Fatalf("%d of 4 refused, want 1 (waits 0, 1, 2 s pass; 3 s does not)", refused)
		}
		// The refused one used no capacity: the next send waits 1 s, not 2.
		if d := elapsed(func() { l2.Wait(ctx, SMS, SMS) }); d != time.Second {
			t.Fatalf("after a refusal the next send waited %s, want 1s", d)
		}
	})
}

func TestLimiterThrottleAndRecovery(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLimiter(LimiterConfig{Scope: map[string]Limits{Email: {Rate: 8, Burst: 1}}, Recovery: 10 * time.Second, MaxWait: time.Hour})
		ctx := context.Background()
		l.Wait(ctx, Email, "qq.com")
		l.Throttle(Email, "qq.com", 30*time.Second)
		if r, _ := l.Rate(Email, "qq.com"); r != 4 {
			t.Fatalf("after a throttle the rate is %v, want 4", r)
		}
		// Paused for the Retry-After.
		if d := elapsed(func() { l.Wait(ctx, Email, "qq.com") }); d < 30*time.Second {
			t.Fatalf("paused scope waited only %s", d)
		}
		// Other domains are not slowed.
		if r, _ := l.Rate(Email, "163.com"); r != 8 {
			t.Fatalf("another domain's rate = %v", r)
		}
		// Recovery: each 10 s without throttling doubles the rate back to 8.
		time.Sleep(10 * time.Second)
		l.Wait(ctx, Email, "qq.com")
		if r, _ := l.Rate(Email, "qq.com"); r != 8 {
			t.Fatalf("after recovery the rate is %v, want 8", r)
		}

		// An unlimited scope gets ThrottledRate, then is unlimited again
		// after five doublings.
		u := NewLimiter(LimiterConfig{ThrottledRate: 1, Recovery: time.Second, MaxWait: time.Hour})
		if _, limited := u.Rate(Email, "gmail.com"); limited {
			t.Fatal("unconfigured scope is limited")
		}
		u.Throttle(Email, "gmail.com", 0)
		if r, limited := u.Rate(Email, "gmail.com"); !limited || r != 1 {
			t.Fatalf("throttled unlimited scope: %v %v", r, limited)
		}
		for range 5 {
			time.Sleep(time.Second)
			u.Wait(ctx, Email, "gmail.com")
		}
		if _, limited := u.Rate(Email, "gmail.com"); limited {
			t.Fatal("scope did not recover to unlimited")
		}
		// A throttle at the floor stays at MinRate.
		f := NewLimiter(LimiterConfig{Scope: map[string]Limits{SMS: {Rate: 0.3}}, MinRate: 0.2})
		f.Throttle(SMS, SMS, 0)
		f.Throttle(SMS, SMS, 0)
		if r, _ := f.Rate(SMS, SMS); r != 0.2 {
			t.Fatalf("rate below the floor: %v", r)
		}
	})
}

func TestLimiterCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLimiter(LimiterConfig{Scope: map[string]Limits{Push: {Rate: 0.5, Burst: 1}}, MaxWait: time.Minute})
		l.Wait(context.Background(), Push, Push)
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		err := l.Wait(ctx, Push, Push)
		if e := AsError(err); e == nil || e.Code != CodeCancelled {
			t.Fatalf("cancelled wait = %v", err)
		}
		// The cancelled reservation was returned: the next waits 1.5 s more, not 3.5.
		if d := elapsed(func() { l.Wait(context.Background(), Push, Push) }); d != 1500*time.Millisecond {
			t.Fatalf("after a cancel the next send waited %s", d)
		}
	})
}

func TestLimiterForgetsIdleScopes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLimiter(LimiterConfig{Scope: map[string]Limits{Email: {Rate: 100}}, IdleTTL: time.Minute})
		for i := range 5000 {
			l.Wait(context.Background(), Email, string(rune(0x4e00+i))+".cn")
		}
		time.Sleep(2 * time.Minute)
		l.Wait(context.Background(), Email, "new.cn")
		l.mu.Lock()
		n := len(l.scopes)
		l.mu.Unlock()
		if n != 1 {
			t.Fatalf("%d scopes remembered after they went idle, want 1", n)
		}
	})
}
