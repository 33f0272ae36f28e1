package policy_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// The benchmark's in-memory store passes the suite both engines pass, so
// that the gate's timings apart from SQL are of a store that behaves.
func TestMemStoreConformance(t *testing.T) {
	storetest.RunPolicy(t, func(*testing.T) policy.Store { return newMemStore() })
}
