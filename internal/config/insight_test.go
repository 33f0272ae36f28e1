package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
)

func TestInsightDefaultsAreValid(t *testing.T) {
	if err := defaultInsight().validate(); err != nil {
		t.Fatal(err)
	}
}

func TestInsightFromFileAndEnv(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chorus.yaml")
	yaml := `insight:
  map: vip
  rfm_breaks:
    recency: [30, 90, 180, 365]
  segment_maps:
    vip:
      - {name: best, r: "4-5", f: "4-5"}
      - {name: big_spenders, pattern: "^..5$"}
  lifecycle:
    new_days: 14
`
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"CHORUS_INSIGHT_HALF_LIFE_DAYS":      "30",
		"CHORUS_INSIGHT_RFM_MONETARY_BREAKS": "10, 50,100,500",
		"CHORUS_INSIGHT_CLV_HORIZON_DAYS":    "180",
	}
	c, err := Load(path, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	in := c.Insight
	if in.Map != "vip" || len(in.SegmentMaps["vip"]) != 2 || in.SegmentMaps["vip"][1].Pattern != "^..5$" {
		t.Errorf("segment maps = %+v", in.SegmentMaps)
	}
	if in.RFMBreaks.Recency[3] != 365 || in.RFMBreaks.Monetary[1] != 50 || in.HalfLifeDays != 30 || in.CLV.HorizonDays != 180 {
		t.Errorf("insight = %+v", in)
	}
	if in.Lifecycle.NewDays != 14 || in.Lifecycle.ActiveFactor != 1.5 {
		t.Errorf("lifecycle = %+v (file value and kept default)", in.Lifecycle)
	}
}

func TestInsightValidationNamesTheSetting(t *testing.T) {
	for _, c := range []struct {
		mod  func(*Insight)
		want string
	}{
		{func(i *Insight) { i.Map = "unknown" }, "insight.map"},
		{func(i *Insight) { i.AsOf = "10/12/2011" }, "insight.as_of"},
		{func(i *Insight) { i.MinCustomers = 2 }, "insight.min_customers"},
		{func(i *Insight) { i.RFMBreaks.Frequency = []float64{1, 2, 3} }, "insight.rfm_breaks.frequency"},
		{func(i *Insight) { i.PriceQuantiles = []float64{0.5, 0.25, 0.9} }, "insight.price_quantiles"},
		{func(i *Insight) { i.Lifecycle.AtRiskFactor = 1 }, "insight.lifecycle"},
		{func(i *Insight) { i.CLV.DiscountRate = 1.5 }, "insight.clv.discount_rate"},
		{func(i *Insight) { i.SegmentMaps = map[string][]SegmentRule{"grid": {{Name: "x"}}} }, "built-in"},
	} {
		in := defaultInsight()
		c.mod(&in)
		err := in.validate()
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("err = %v, want an invalid error naming %s", err, c.want)
		}
	}
	bad := map[string]string{"CHORUS_INSIGHT_RFM_RECENCY_BREAKS": "1,two,3,4"}
	in := defaultInsight()
	if err := in.applyEnv(func(k string) (string, bool) { v, ok := bad[k]; return v, ok }); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "CHORUS_INSIGHT_RFM_RECENCY_BREAKS") {
		t.Errorf("bad env list: %v", err)
	}
}
