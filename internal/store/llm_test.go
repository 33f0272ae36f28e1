package store_test

import (
	"github.com/chorusmkt/chorus/internal/llm"
	"testing"

	"github.com/chorusmkt/chorus/internal/store/storetest"
)

func TestLLMSQLite(t *testing.T) {
	storetest.RunLLM(t, func(t *testing.T) llm.Store { return storetest.OpenSQLite(t) })
}

func TestLLMPostgres(t *testing.T) {
	storetest.PostgresDSN(t) // skips with a message when no DSN is set
	storetest.RunLLM(t, func(t *testing.T) llm.Store { return storetest.OpenPostgres(t) })
}
