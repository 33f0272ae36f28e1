package policy

import "time"

// Test hooks for the external test package.

// SetNow replaces the gate's clock.
func SetNow(g *Gate, now func() time.Time) { g.now = now }

const (
	PruneBatch     = pruneBatch
	AutoPruneBatch = autoPruneBatch
	AutoPruneEvery = autoPruneEvery
)
