package store_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/store/storetest"
)

func TestCampaignSQLite(t *testing.T) { storetest.RunCampaign(t, "sqlite") }

func TestCampaignPostgres(t *testing.T) { storetest.RunCampaign(t, "postgres") }
