package store_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

func TestSegmentSQLite(t *testing.T) {
	storetest.RunSegment(t, func(t *testing.T) store.Store { return storetest.OpenSQLite(t) })
}

func TestSegmentPostgres(t *testing.T) {
	storetest.PostgresDSN(t) // skips with a message when no DSN is set
	storetest.RunSegment(t, func(t *testing.T) store.Store { return storetest.OpenPostgres(t) })
}
