package llm_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// The in-memory store (used when there is no database) passes the suite
// both engines pass.
func TestMemoryStoreConformance(t *testing.T) {
	storetest.RunLLM(t, func(*testing.T) llm.Store { return llm.NewMemoryStore() })
}
