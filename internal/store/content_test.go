package store_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

func TestContentSQLite(t *testing.T) {
	storetest.RunContent(t, func(t *testing.T) store.Store { return storetest.OpenSQLite(t) })
}

func TestContentPostgres(t *testing.T) {
	storetest.PostgresDSN(t) // skips with a message when no DSN is set
	storetest.RunContent(t, func(t *testing.T) store.Store { return storetest.OpenPostgres(t) })
}
