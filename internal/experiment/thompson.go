package experiment

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Thompson allocates the recipients of a long-running or triggered send
// among its variants by Thompson sampling: each recipient gets the arm
// whose rate, drawn from its Beta posterior, is highest. Arms that look
// better get more traffic as evidence builds up, while every arm keeps a
// chance in proportion to the probability that it is best, so a lucky
// start is corrected. A holdout is not an arm of the bandit: hold it back
// before allocating.
//
// A Thompson is not safe for concurrent use (it owns its random source).
type Thompson struct {
	// Prior of every arm's rate [uniform].
	Prior Prior
	// Floor is the least share of traffic Weights gives any arm, so that
	// no arm starves while conversions arrive late [0]. It must be below
	// 1/len(arms).
	Floor float64

	rng *rand.Rand
}

// NewThompson returns an allocator whose draws follow seed.
func NewThompson(prior Prior, floor float64, seed uint64) *Thompson {
	return &Thompson{Prior: prior, Floor: floor, rng: rand.New(rand.NewPCG(seed, 0xda3e39cb94b95bdb))}
}

// Choose returns the index of the arm for the next recipient, given what
// each arm has shown so far.
func (t *Thompson) Choose(arms []Counts) int {
	best, bestX := 0, -1.0
	for i, a := range arms {
		p := t.Prior.Posterior(a)
		x := distuv.Beta{Alpha: p.A, Beta: p.B, Src: t.rng}.Rand()
		if x > bestX {
			best, bestX = i, x
		}
	}
	return best
}

// Weights returns each arm's share of the next batch: its probability of
// being best (what Choose would give it on average, computed exactly by
// ProbBest), raised to at least Floor and renormalised. Use it to set
// the weights of a batched or scheduled send.
func (t *Thompson) Weights(arms []Counts) []float64 {
	posts := make([]BetaDist, len(arms))
	for i, a := range arms {
		posts[i] = t.Prior.Posterior(a)
	}
	w := ProbBest(posts)
	floor := t.Floor
	if n := float64(len(arms)); floor <= 0 || floor*n >= 1 {
		return w
	}
	// Give every arm below the floor exactly the floor and scale the
	// others down to share what is left; repeat while scaling pushes
	// another arm below it.
	fixed := make([]bool, len(w))
	for {
		free, nFixed := 0.0, 0
		for i, v := range w {
			if fixed[i] {
				nFixed++
			} else {
				free += v
			}
		}
		rest := 1 - floor*float64(nFixed)
		changed := false
		for i, v := range w {
			if fixed[i] {
				continue
			}
			if free > 0 && v/free*rest < floor {
				fixed[i], changed = true, true
			}
		}
		if !changed {
			for i, v := range w {
				switch {
				case fixed[i]:
					w[i] = floor
				case free > 0:
					w[i] = v / free * rest
				default:
					w[i] = rest / float64(len(w)-nFixed)
				}
			}
			return w
		}
	}
}
