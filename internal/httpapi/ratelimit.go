package httpapi

import (
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// ipLimiter is a token bucket per client address. Addresses idle for
// longer than it takes to refill are forgotten, so the map stays the size
// of the recent clients. An IPv6 client is limited by its /64, which one
// subscriber line gets whole.
type ipLimiter struct {
	rate  rate.Limit
	burst int
	now   func() time.Time

	mu      sync.Mutex
	buckets map[netip.Addr]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newIPLimiter(perSecond float64, burst int, now func() time.Time) *ipLimiter {
	if now == nil {
		now = time.Now
	}
	return &ipLimiter{rate: rate.Limit(perSecond), burst: burst, now: now, buckets: map[netip.Addr]*bucket{}}
}

// allow takes a token for a; when there is none it returns how long until
// one is due.
func (l *ipLimiter) allow(a netip.Addr) (bool, time.Duration) {
	if a.Is6() && !a.Is4In6() {
		p, _ := a.Prefix(64)
		a = p.Addr()
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	idle := time.Duration(float64(l.burst)/float64(l.rate)*float64(time.Second)) + time.Minute
	if now.Sub(l.swept) > idle {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > idle {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b := l.buckets[a]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(l.rate, l.burst)}
		l.buckets[a] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}
