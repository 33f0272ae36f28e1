package delivery

import "context"

// Guard puts the reusable parts of the send path in front of a Sender:
// message validation, the sender's circuit breaker, and the rate limit per
// channel and scope, which a Throttled answer slows. It is itself a Sender
// with the same error contract.
type Guard struct {
	sender  Sender
	limiter *Limiter
	breaker *Breaker
}

// NewGuard wraps s; limiter and breaker may be nil to leave that part out.
func NewGuard(s Sender, limiter *Limiter, breaker *Breaker) *Guard {
	return &Guard{sender: s, limiter: limiter, breaker: breaker}
}

// Send validates m (Permanent invalid_message), asks the breaker
// (Temporary circuit_open with RetryAfter), waits for the rate limit
// (Throttled throttled_local with RetryAfter when it would wait too long;
// Temporary cancelled when ctx ends) and sends. A Throttled answer from the
// peer slows the scope it names (or m's scope) and pauses it for the
// answer's RetryAfter.
func (g *Guard) Send(ctx context.Context, m Message) (Result, error) {
	if err := m.Validate(); err != nil {
		return Result{}, err
	}
	done := func(error) {}
	if g.breaker != nil {
		d, err := g.breaker.Allow()
		if err != nil {
			return Result{}, err
		}
		done = d
	}
	scope := m.Scope()
	if g.limiter != nil {
		if err := g.limiter.Wait(ctx, m.Channel, scope); err != nil {
			done(err)
			return Result{}, err
		}
	}
	res, err := g.sender.Send(ctx, m)
	done(err)
	if err != nil {
		if e := AsError(err); e.Class == Throttled && g.limiter != nil {
			if e.Scope != "" {
				scope = e.Scope
			}
			g.limiter.Throttle(m.Channel, scope, e.RetryAfter)
		}
	}
	return res, err
}
