package store_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

func TestSupportSQLite(t *testing.T) {
	storetest.RunSupport(t, func(t *testing.T) store.Store { return storetest.OpenSQLite(t) })
}

func TestSupportPostgres(t *testing.T) {
	storetest.PostgresDSN(t)
	storetest.RunSupport(t, func(t *testing.T) store.Store { return storetest.OpenPostgres(t) })
}
