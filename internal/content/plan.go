package content

import (
	"fmt"
	"sort"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/content/lexicon"
	"github.com/chorusmkt/chorus/internal/llm"
)

// Personalization depths.
const (
	DepthSegment    = "segment"
	DepthCohort     = "cohort"
	DepthIndividual = "individual"
)

// Depths in order of cost.
var Depths = []string{DepthSegment, DepthCohort, DepthIndividual}

// ParseDepth checks a depth name.
func ParseDepth(s string) (string, error) {
	switch s {
	case DepthSegment, DepthCohort, DepthIndividual:
		return s, nil
	}
	return "", apperr.New(apperr.Invalid, "unknown depth %q (segment, cohort or individual)", s)
}

// Group is the audience of one prompt: a segment (segment depth), a cohort
// (segment × top interest × recommended product × language) or one
// customer (individual depth). Customers who revoked personalised
// marketing are always grouped at segment level.
type Group struct {
	Key      string           `json:"key"`
	Segment  string           `json:"segment"`
	Interest string           `json:"interest,omitempty"`
	Lang     string           `json:"language"`
	Product  catalog.Product  `json:"product"`
	Persona  llm.PersonaFacts `json:"persona"`
	// Members index the recipients slice the groups were built from.
	Members  []int  `json:"-"`
	Customer string `json:"customer,omitempty"`
}

// Groups partitions recipients for a depth, deterministically (sorted by
// key) so that a re-run builds the same units.
func Groups(depth string, rs []Recipient) []Group {
	byKey := map[string]*Group{}
	var keys []string
	info := describer()
	for i, r := range rs {
		var k string
		g := Group{Segment: r.Segment, Lang: r.Language, Product: r.Product}
		r.Interest = servedInterest(r, info)
		switch {
		case r.OptOut || depth == DepthSegment:
			k = "s|" + r.Segment + "|" + r.Language
			if r.OptOut && depth != DepthSegment {
				k += "|no-personalization"
			}
		case depth == DepthCohort:
			k = "c|" + r.Segment + "|" + r.Interest + "|" + r.Product.SKU + "|" + r.Language
			g.Interest = r.Interest
		default:
			k = "i|" + r.CustomerID
			g.Interest = r.Interest
			g.Customer = r.CustomerID
		}
		if byKey[k] == nil {
			g.Key = k
			byKey[k] = &g
			keys = append(keys, k)
		}
		byKey[k].Members = append(byKey[k].Members, i)
	}
	sort.Strings(keys)
	out := make([]Group, 0, len(keys))
	for _, k := range keys {
		g := byKey[k]
		finishGroup(g, rs, info)
		out = append(out, *g)
	}
	return out
}

// finishGroup picks the group's product (the customers' own at cohort and
// individual depth, the most recommended one at segment level) and its
// PII-free persona (the traits most members share).
func finishGroup(g *Group, rs []Recipient, info func(catalog.Product) lexicon.ProductInfo) {
	prod := map[string]int{}
	age, gender, interest := map[string]int{}, map[string]int{}, map[string]int{}
	var recent [][]string
	for _, i := range g.Members {
		r := rs[i]
		prod[r.Product.SKU]++
		age[r.AgeBand]++
		gender[r.Gender]++
		recent = append(recent, r.Recent)
	}
	if sku := mode(prod, 0); sku != "" {
		for _, i := range g.Members {
			if rs[i].Product.SKU == sku {
				g.Product = rs[i].Product
				break
			}
		}
	}
	// the interests the group's product serves
	for _, i := range g.Members {
		r := rs[i]
		r.Product = g.Product
		interest[servedInterest(r, info)]++
	}
	n := len(g.Members)
	p := llm.PersonaFacts{Segment: g.Segment, AgeBand: mode(age, 0.6*float64(n)), Gender: mode(gender, 0.6*float64(n))}
	if in := mode(interest, 0); in != "" {
		p.Interests = []string{in}
	}
	if g.Interest != "" {
		p.Interests = []string{g.Interest}
	}
	// a purchase the copy may recall ("goes with the … you bought") must
	// be true of every reader of the message
	if g.Key[0] != 's' {
		p.RecentPurchases = shared(recent, 3)
	}
	g.Persona = p
}

// mode is the most frequent non-empty key with at least min votes.
func mode(m map[string]int, minVotes float64) string {
	best, bestN := "", 0
	for k, n := range m {
		if k == "" {
			continue
		}
		if n > bestN || (n == bestN && k < best) {
			best, bestN = k, n
		}
	}
	if float64(bestN) < minVotes {
		return ""
	}
	return best
}

// DepthCost is what one depth would cost.
type DepthCost struct {
	Depth  string `json:"depth"`
	Groups int    `json:"groups"`
	// Calls are the model calls of a clean run: one per group and channel
	// (the variants of a message come from one call).
	Calls int `json:"calls"`
	// MaxCalls adds every repair round for every variant.
	MaxCalls int `json:"max_calls"`
	// CallsPerCustomer is Calls / audience.
	CallsPerCustomer float64 `json:"calls_per_customer"`
}

// Plan is what a campaign will cost before anything runs.
type Plan struct {
	Audience int         `json:"audience"`
	Channels []string    `json:"channels"`
	Variants int         `json:"variants"`
	Depth    string      `json:"depth"`
	Messages int         `json:"messages"` // audience × channels delivered
	Depths   []DepthCost `json:"depths"`
	// Saving is individual calls / chosen-depth calls.
	Saving float64 `json:"saving"`
	// TopK is how many of her top recommendations a customer's cohort
	// product may be chosen from.
	TopK int `json:"top_k"`
}

// Pack chooses, for each customer, the product of her top k
// recommendations (Choices) that the most customers of the same segment
// and language also have among their top k — so cohorts (segment ×
// interest × product × language) are shared by many customers while each
// still gets one of her own recommendations. k = 1 keeps her first.
// Ties go to her own ranking. rs is not modified.
func Pack(rs []Recipient, k int) []Recipient {
	out := make([]Recipient, len(rs))
	copy(out, rs)
	if k <= 1 {
		return out
	}
	freq := map[string]int{}
	key := func(r Recipient, sku string) string { return r.Segment + "|" + r.Language + "|" + sku }
	for _, r := range rs {
		for _, c := range r.Choices[:min(k, len(r.Choices))] {
			freq[key(r, c.SKU)]++
		}
	}
	for i, r := range out {
		best, bestN := r.Product, -1
		for _, c := range r.Choices[:min(k, len(r.Choices))] {
			if n := freq[key(r, c.SKU)]; n > bestN {
				best, bestN = c, n
			}
		}
		out[i].Product = best
	}
	return out
}

// MakePlan costs every depth for the recipients; nothing is called.
// Cohort depth is costed with cohorts packed over each customer's topK
// recommendations (see Pack).
func MakePlan(rs []Recipient, channels []string, depth string, variants, maxRepairs, topK int) Plan {
	p := Plan{Audience: len(rs), Channels: channels, Variants: max(variants, 1), Depth: depth, Messages: len(rs) * len(channels), TopK: topK}
	calls := map[string]int{}
	for _, d := range Depths {
		members := rs
		if d == DepthCohort {
			members = Pack(rs, topK)
		}
		g := len(Groups(d, members))
		c := DepthCost{Depth: d, Groups: g, Calls: g * len(channels), MaxCalls: g * len(channels) * (1 + p.Variants*maxRepairs)}
		if len(rs) > 0 {
			c.CallsPerCustomer = float64(c.Calls) / float64(len(rs))
		}
		calls[d] = c.Calls
		p.Depths = append(p.Depths, c)
	}
	if calls[depth] > 0 {
		p.Saving = float64(calls[DepthIndividual]) / float64(calls[depth])
	}
	return p
}

// String renders the plan as a small table.
func (p Plan) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "audience %d customers × %d channels (%s) = %d messages, %d variant(s) each\n",
		p.Audience, len(p.Channels), strings.Join(p.Channels, ","), p.Messages, p.Variants)
	fmt.Fprintf(&b, "%-11s %8s %12s %16s %18s\n", "depth", "groups", "model calls", "with repairs ≤", "calls/customer")
	for _, d := range p.Depths {
		mark := " "
		if d.Depth == p.Depth {
			mark = "*"
		}
		fmt.Fprintf(&b, "%s%-10s %8d %12d %16d %18.4f\n", mark, d.Depth, d.Groups, d.Calls, d.MaxCalls, d.CallsPerCustomer)
	}
	if p.Saving > 0 {
		fmt.Fprintf(&b, "%s uses %.1f× fewer calls than individual\n", p.Depth, p.Saving)
	}
	if p.TopK > 1 {
		fmt.Fprintf(&b, "cohort products are chosen among each customer's top %d recommendations (--top-k 1: always her first)\n", p.TopK)
	}
	return b.String()
}
