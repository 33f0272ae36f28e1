package policy_test

import (
	"sync"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// TestCapsUnderConcurrency lets many workers admit messages for the same
// customers at the same instant: exactly as many pass as the caps allow,
// on both engines.
func TestCapsUnderConcurrency(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s, contact()) // 1 marketing sms / 24 h, 3 marketing messages / 7 days
		channels := []string{"sms", "email", "push", "wechat"}
		customers := []string{"ann", "bob"}
		for _, id := range customers {
			w.customer(person(id, "Asia/Shanghai"))
			for _, ch := range channels {
				w.grant(id, ch, noon.Add(-30*24*time.Hour))
			}
		}
		const perChannel = 4
		type result struct {
			id, channel string
			d           policy.Decision
			err         error
		}
		results := make(chan result, len(customers)*len(channels)*perChannel)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for _, id := range customers {
			for _, ch := range channels {
				for range perChannel {
					wg.Go(func() {
						<-start
						d, err := w.g.Admit(ctx, policy.Message{CustomerID: id, Channel: ch, At: noon, Campaign: "race"})
						results <- result{id, ch, d, err}
					})
				}
			}
		}
		close(start)
		wg.Wait()
		close(results)
		allowed := map[string]int{}
		smsAllowed := map[string]int{}
		codes := map[string]int{}
		for r := range results {
			if r.err != nil {
				t.Fatalf("Admit(%s, %s): %v", r.id, r.channel, r.err)
			}
			if r.d.Allow {
				allowed[r.id]++
				if r.channel == "sms" {
					smsAllowed[r.id]++
				}
				continue
			}
			codes[r.d.Code]++
			if r.d.Code != "cap_channel_day" && r.d.Code != "cap_all_week" {
				t.Errorf("%s on %s skipped with %s, want a cap", r.id, r.channel, r.d.Code)
			}
		}
		for _, id := range customers {
			if allowed[id] != 3 || smsAllowed[id] > 1 {
				t.Errorf("%s: %d allowed (%d sms), want exactly 3 with at most 1 sms; skips %v", id, allowed[id], smsAllowed[id], codes)
			}
			sends, err := s.SendsSince(ctx, id, noon.Add(-time.Hour))
			if err != nil || len(sends) != 3 {
				t.Errorf("%s: %d sends logged (%v), want 3", id, len(sends), err)
			}
		}
	})
}
