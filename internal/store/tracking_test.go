package store_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
	"github.com/chorusmkt/chorus/internal/tracking"
)

var (
	_ tracking.Store       = store.Store(nil)
	_ tracking.ReportStore = store.Store(nil)
)

func TestTrackingSQLite(t *testing.T) {
	storetest.RunTracking(t, func(t *testing.T) store.Store { return storetest.OpenSQLite(t) })
}

func TestTrackingPostgres(t *testing.T) {
	storetest.PostgresDSN(t) // skips with a message when no DSN is set
	storetest.RunTracking(t, func(t *testing.T) store.Store { return storetest.OpenPostgres(t) })
}
