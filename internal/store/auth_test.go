package store_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

func TestAuthSQLite(t *testing.T) {
	storetest.RunAuth(t, func(t *testing.T) auth.Store { return storetest.OpenSQLite(t) })
}

func TestAuthPostgres(t *testing.T) {
	storetest.PostgresDSN(t) // skips with a message when no DSN is set
	storetest.RunAuth(t, func(t *testing.T) auth.Store { return storetest.OpenPostgres(t) })
}
