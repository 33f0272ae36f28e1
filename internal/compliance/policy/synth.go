package policy

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/chorusmkt/chorus/internal/customer"
)

// Population is a synthetic shop for benchmarks of the gate: customers,
// their consent ledgers and a suppression list.
type Population struct {
	Customers    []customer.Customer
	Consents     []customer.Consent
	Suppressions []Suppression
}

// benchChannels are the channels of synthetic sends and messages, with
// their shares.
var (
	benchChannels = []string{customer.ChannelEmail, customer.ChannelSMS, "push", "wechat"}
	benchWeights  = []float64{0.40, 0.20, 0.30, 0.10}
)

// Synthetic returns n deterministic customers (same n and seed, same
// shop), their ledgers as of at and a suppression list. About 92% have an
// e-mail address and 85% a phone number; 70% have no time zone (the
// default), the rest are in Shanghai, New York, London or Tokyo. Each of
// e-mail, SMS, push and WeChat is granted for marketing with probability
// 0.75 about a year before at, and 12% of grants are revoked later (a
// third of those granted again); 4% refused personalised marketing. The
// suppression list stops 1.5% of the e-mail addresses (bounces), 1% of
// the phone numbers (complaints) and 0.5% of the customers (unsubscribes,
// marketing only), and holds n/5 addresses of people who are not
// customers.
func Synthetic(n int, at time.Time, seed uint64) Population {
	rng := rand.New(rand.NewPCG(seed, 0x90117c))
	zones := []string{"Asia/Shanghai", "America/New_York", "Europe/London", "Asia/Tokyo"}
	p := Population{Customers: make([]customer.Customer, n)}
	sup := func(kind, value, reason string, marketingOnly bool) {
		sp, err := NewSuppression(kind, value, reason, marketingOnly, "", "synthetic", at.Add(-time.Duration(rng.IntN(300*24))*time.Hour))
		if err == nil { // the values below are all valid
			p.Suppressions = append(p.Suppressions, sp)
		}
	}
	for i := range p.Customers {
		c := customer.Customer{ID: fmt.Sprintf("s%06d", i)}
		if rng.Float64() < 0.92 {
			c.Email = c.ID + "@example.com"
		}
		if rng.Float64() < 0.85 {
			c.Phone = fmt.Sprintf("+86 139 %04d %04d", i/10000%10000, i%10000)
		}
		if rng.Float64() < 0.30 {
			c.TimeZone = zones[rng.IntN(len(zones))]
		}
		p.Customers[i] = c
		for _, ch := range benchChannels {
			if rng.Float64() >= 0.75 {
				continue
			}
			granted := at.Add(-time.Duration(300+rng.IntN(100)) * 24 * time.Hour)
			p.Consents = append(p.Consents, customer.Consent{CustomerID: c.ID, Channel: ch, Purpose: Marketing, Status: customer.Granted,
				LegalBasis: "consent", Source: "synthetic", At: granted})
			if rng.Float64() >= 0.12 {
				continue
			}
			revoked := granted.Add(time.Duration(1+rng.IntN(200)) * 24 * time.Hour)
			p.Consents = append(p.Consents, customer.Consent{CustomerID: c.ID, Channel: ch, Purpose: Marketing, Status: customer.Revoked,
				Source: "synthetic", At: revoked})
			if rng.IntN(3) == 0 {
				p.Consents = append(p.Consents, customer.Consent{CustomerID: c.ID, Channel: ch, Purpose: Marketing, Status: customer.Granted,
					LegalBasis: "consent", Source: "synthetic", At: revoked.Add(time.Duration(1+rng.IntN(60)) * 24 * time.Hour)})
			}
		}
		if rng.Float64() < 0.04 {
			p.Consents = append(p.Consents, customer.Consent{CustomerID: c.ID, Channel: "app", Purpose: customer.PurposePersonalization,
				Status: customer.Revoked, Source: "synthetic", At: at.Add(-time.Duration(1+rng.IntN(200)) * 24 * time.Hour)})
		}
		switch u := rng.Float64(); {
		case u < 0.015 && c.Email != "":
			sup(KindEmail, c.Email, "hard_bounce", false)
		case u >= 0.015 && u < 0.025 && c.Phone != "":
			sup(KindPhone, c.Phone, "complaint", false)
		case u >= 0.025 && u < 0.030:
			sup(KindCustomer, c.ID, "unsubscribe", true)
		}
	}
	for i := range n / 5 {
		sup(KindEmail, fmt.Sprintf("gone%06d@example.net", i), "unsubscribe", true)
	}
	return p
}

// SyntheticSends returns n sends to the customers ids, spread evenly at
// random over [from, to), in time order: 40% marketing and 60%
// transactional, on e-mail, SMS, push and WeChat in the shares 40/20/30/10.
func SyntheticSends(ids []string, n int, from, to time.Time, seed uint64) []Send {
	rng := rand.New(rand.NewPCG(seed, 0x5e4d5))
	out := make([]Send, n)
	span := to.Sub(from)
	for i := range out {
		purpose := Transactional
		if rng.Float64() < 0.40 {
			purpose = Marketing
		}
		// i/n keeps the times ordered; the jitter stays within one slot.
		at := from.Add(time.Duration((float64(i) + rng.Float64()) / float64(n) * float64(span))).Truncate(time.Microsecond)
		out[i] = Send{CustomerID: ids[rng.IntN(len(ids))], Channel: benchChannels[pickWeighted(rng, benchWeights)], Purpose: purpose,
			Campaign: "synthetic", SentAt: at.UTC()}
	}
	return out
}

// SyntheticMessages returns n messages to the customers ids planned at at:
// customers in a shuffled order (each once before any twice), channels in
// the shares of SyntheticSends, 85% marketing.
func SyntheticMessages(ids []string, n int, at time.Time, campaign string, seed uint64) []Message {
	rng := rand.New(rand.NewPCG(seed, 0x3e55a9e))
	order := rng.Perm(len(ids))
	out := make([]Message, n)
	for i := range out {
		purpose := Marketing
		if rng.Float64() >= 0.85 {
			purpose = Transactional
		}
		out[i] = Message{CustomerID: ids[order[i%len(order)]], Channel: benchChannels[pickWeighted(rng, benchWeights)], Purpose: purpose,
			At: at, Campaign: campaign}
	}
	return out
}

func pickWeighted(rng *rand.Rand, weights []float64) int {
	u := rng.Float64()
	for i, w := range weights {
		if u < w {
			return i
		}
		u -= w
	}
	return len(weights) - 1
}
