package store_test

import (
	"github.com/chorusmkt/chorus/internal/importer"
	"testing"

	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

func TestConformanceSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return storetest.OpenSQLite(t) })
}

func TestConformancePostgres(t *testing.T) {
	storetest.PostgresDSN(t) // skips with a message when no DSN is set
	storetest.Run(t, func(t *testing.T) store.Store { return storetest.OpenPostgres(t) })
}

func TestDBSQLite(t *testing.T) {
	storetest.RunDB(t, func(t *testing.T) *store.DB { return storetest.OpenSQLite(t) })
}

func TestDBPostgres(t *testing.T) {
	storetest.PostgresDSN(t)
	storetest.RunDB(t, func(t *testing.T) *store.DB { return storetest.OpenPostgres(t) })
}

func TestImporterStoreSQLite(t *testing.T) {
	storetest.RunImporter(t, func(t *testing.T) importer.Store { return storetest.OpenSQLite(t) })
}

func TestImporterStorePostgres(t *testing.T) {
	storetest.PostgresDSN(t)
	storetest.RunImporter(t, func(t *testing.T) importer.Store { return storetest.OpenPostgres(t) })
}

func TestAPIStoreSQLite(t *testing.T) {
	storetest.RunAPI(t, func(t *testing.T) store.Store { return storetest.OpenSQLite(t) })
}

func TestAPIStorePostgres(t *testing.T) {
	storetest.PostgresDSN(t)
	storetest.RunAPI(t, func(t *testing.T) store.Store { return storetest.OpenPostgres(t) })
}
