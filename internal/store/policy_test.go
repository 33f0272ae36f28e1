package store_test

import (
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"testing"

	"github.com/chorusmkt/chorus/internal/store/storetest"
)

func TestPolicySQLite(t *testing.T) {
	storetest.RunPolicy(t, func(t *testing.T) policy.Store { return storetest.OpenSQLite(t) })
}

func TestPolicyPostgres(t *testing.T) {
	storetest.PostgresDSN(t) // skips with a message when no DSN is set
	storetest.RunPolicy(t, func(t *testing.T) policy.Store { return storetest.OpenPostgres(t) })
}
