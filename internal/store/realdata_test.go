package store_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

func TestRealdataSQLite(t *testing.T) {
	storetest.RunRealdata(t, func(t *testing.T) store.Store { return storetest.OpenSQLite(t) })
}

func TestRealdataPostgres(t *testing.T) {
	storetest.RunRealdata(t, func(t *testing.T) store.Store { return storetest.OpenPostgres(t) })
}
