package content

import (
	"context"
)

// Coverage measures what recipients actually receive once a run's items
// are rendered for them: how many messages name the customer's own
// recommended product, and how many rendered messages break a budget.
type Coverage struct {
	Messages         int `json:"messages"`
	NamingOwnProduct int `json:"naming_own_product"`
	// OptedOut are messages to customers who revoked personalised
	// marketing: they get their segment's message, not their own product.
	OptedOut int `json:"opted_out"`
	// PersonalisedNamingOwn counts, among the messages to customers who
	// did not opt out, those naming the customer's own product.
	PersonalisedNamingOwn int `json:"personalised_naming_own"`
	// NamingFirstChoice counts messages naming the customer's very first
	// recommendation (at cohort depth she may get another of her top k).
	NamingFirstChoice int `json:"naming_first_choice"`
	OverBudget        int `json:"over_budget"`
	// Missing counts recipients whose unit has no stored item yet.
	Missing int `json:"missing"`
}

// Measure renders the first variant of every unit for each of its
// recipients, locally, and counts. It makes no model call.
func Measure(ctx context.Context, st Store, p *Prepared) (Coverage, error) {
	var c Coverage
	items, err := st.ListItems(ctx, ItemFilter{RunID: p.Run.ID})
	if err != nil {
		return c, err
	}
	first := map[string]Item{}
	for _, it := range items {
		if old, ok := first[it.UnitKey]; !ok || it.Variant < old.Variant {
			first[it.UnitKey] = it
		}
	}
	for _, g := range p.Groups {
		for _, ch := range p.Run.Channels {
			it, ok := first[g.Key+"|"+ch]
			if !ok {
				c.Missing += len(g.Members)
				continue
			}
			t := p.target(ch, g)
			for _, i := range g.Members {
				if err := ctx.Err(); err != nil {
					return c, err
				}
				r := p.Recipients[i]
				m := Render(it, r, t)
				c.Messages++
				if r.OptOut {
					c.OptedOut++
				}
				if len(r.Choices) > 0 && ProductNamed(m.Copy.All(t.Spec), r.Choices[0]) {
					c.NamingFirstChoice++
				}
				if ProductNamed(m.Copy.All(t.Spec), r.Product) {
					c.NamingOwnProduct++
					if !r.OptOut {
						c.PersonalisedNamingOwn++
					}
				}
				if t.OverBudget(m.Copy) != "" {
					c.OverBudget++
				}
			}
		}
	}
	return c, nil
}
