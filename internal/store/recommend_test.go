package store_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

func TestRecommendSQLite(t *testing.T) {
	storetest.RunRecommend(t, func(t *testing.T) store.Store { return storetest.OpenSQLite(t) })
}

func TestRecommendPostgres(t *testing.T) {
	storetest.PostgresDSN(t) // skips with a message when no DSN is set
	storetest.RunRecommend(t, func(t *testing.T) store.Store { return storetest.OpenPostgres(t) })
}
