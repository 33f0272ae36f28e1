package store_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

func TestActivitySQLite(t *testing.T) {
	storetest.RunActivity(t, func(t *testing.T) store.Store { return storetest.OpenSQLite(t) })
}

func TestActivityPostgres(t *testing.T) {
	storetest.PostgresDSN(t)
	storetest.RunActivity(t, func(t *testing.T) store.Store { return storetest.OpenPostgres(t) })
}
