package config

import (
	"strconv"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Insight configures RFM, lifecycle, affinity and CLV (package insight).
//
// Environment keys: CHORUS_INSIGHT_MAP, CHORUS_INSIGHT_AS_OF,
// CHORUS_INSIGHT_HALF_LIFE_DAYS, CHORUS_INSIGHT_MIN_CUSTOMERS,
// CHORUS_INSIGHT_RFM_RECENCY_BREAKS, CHORUS_INSIGHT_RFM_FREQUENCY_BREAKS,
// CHORUS_INSIGHT_RFM_MONETARY_BREAKS (four comma-separated numbers),
// CHORUS_INSIGHT_PRICE_QUANTILES (three), CHORUS_INSIGHT_NEW_DAYS,
// CHORUS_INSIGHT_ACTIVE_FACTOR, CHORUS_INSIGHT_AT_RISK_FACTOR,
// CHORUS_INSIGHT_CHURN_FACTOR, CHORUS_INSIGHT_MIN_CADENCE_DAYS,
// CHORUS_INSIGHT_DEFAULT_CADENCE_DAYS, CHORUS_INSIGHT_CLV_HORIZON_DAYS,
// CHORUS_INSIGHT_CLV_DISCOUNT_RATE.
type Insight struct {
	// Map is the default RFM segment map: grid, rfm-package or the name
	// of one of SegmentMaps.
	Map string `yaml:"map"`
	// AsOf is the default analysis date (YYYY-MM-DD); empty means the day
	// after the last event.
	AsOf string `yaml:"as_of"`
	// MinCustomers is the fewest purchasing customers RFM scores; below
	// it quintiles say nothing and rfm fails with what is missing.
	MinCustomers int `yaml:"min_customers"`
	// RFMBreaks replaces the quintiles of a dimension by fixed break
	// points (four ascending inner edges; bins are right-closed).
	RFMBreaks RFMBreaks `yaml:"rfm_breaks"`
	// SegmentMaps are custom segment maps by name: ordered rules, first
	// match wins, else "others".
	SegmentMaps map[string][]SegmentRule `yaml:"segment_maps"`
	// HalfLifeDays is the half-life of the time decay of category and
	// brand affinity.
	HalfLifeDays float64 `yaml:"half_life_days"`
	// PriceQuantiles are the catalog price quantiles separating the
	// budget | mid | premium | luxury bands.
	PriceQuantiles []float64 `yaml:"price_quantiles"`
	Lifecycle      Lifecycle `yaml:"lifecycle"`
	CLV            CLV       `yaml:"clv"`
}

// RFMBreaks are custom break points per dimension.
type RFMBreaks struct {
	Recency   []float64 `yaml:"recency"`
	Frequency []float64 `yaml:"frequency"`
	Monetary  []float64 `yaml:"monetary"`
}

// SegmentRule is one rule of a custom segment map: score ranges ("4-5",
// "3", empty for any) and/or a regular expression on the "RFM" string.
type SegmentRule struct {
	Name    string `yaml:"name"`
	R       string `yaml:"r"`
	F       string `yaml:"f"`
	M       string `yaml:"m"`
	Pattern string `yaml:"pattern"`
}

// Lifecycle holds the stage thresholds. A customer's cadence is the median
// gap between her distinct purchase days (at least MinCadenceDays; the
// population median, or DefaultCadenceDays, for one-time buyers). With
// r = days since the last purchase: new when the first purchase is at
// most NewDays old; else active when r <= ActiveFactor×cadence, at_risk
// when r <= AtRiskFactor×cadence, lapsed when r <= ChurnFactor×cadence,
// churned beyond.
type Lifecycle struct {
	NewDays            float64 `yaml:"new_days"`
	ActiveFactor       float64 `yaml:"active_factor"`
	AtRiskFactor       float64 `yaml:"at_risk_factor"`
	ChurnFactor        float64 `yaml:"churn_factor"`
	MinCadenceDays     float64 `yaml:"min_cadence_days"`
	DefaultCadenceDays float64 `yaml:"default_cadence_days"`
}

// CLV configures the lifetime-value projection.
type CLV struct {
	HorizonDays int `yaml:"horizon_days"`
	// DiscountRate is the annual discount rate applied month by month.
	DiscountRate float64 `yaml:"discount_rate"`
}

func defaultInsight() Insight {
	return Insight{
		Map:            "grid",
		MinCustomers:   10,
		HalfLifeDays:   90,
		PriceQuantiles: []float64{0.25, 0.75, 0.95},
		Lifecycle: Lifecycle{
			NewDays: 30, ActiveFactor: 1.5, AtRiskFactor: 3, ChurnFactor: 6,
			MinCadenceDays: 7, DefaultCadenceDays: 90,
		},
		CLV: CLV{HorizonDays: 365, DiscountRate: 0.10},
	}
}

func (c *Insight) applyEnv(env Lookup) error {
	envString(env, &c.Map, "CHORUS_INSIGHT_MAP")
	envString(env, &c.AsOf, "CHORUS_INSIGHT_AS_OF")
	for _, f := range []struct {
		dst *float64
		key string
	}{
		{&c.HalfLifeDays, "CHORUS_INSIGHT_HALF_LIFE_DAYS"},
		{&c.Lifecycle.NewDays, "CHORUS_INSIGHT_NEW_DAYS"},
		{&c.Lifecycle.ActiveFactor, "CHORUS_INSIGHT_ACTIVE_FACTOR"},
		{&c.Lifecycle.AtRiskFactor, "CHORUS_INSIGHT_AT_RISK_FACTOR"},
		{&c.Lifecycle.ChurnFactor, "CHORUS_INSIGHT_CHURN_FACTOR"},
		{&c.Lifecycle.MinCadenceDays, "CHORUS_INSIGHT_MIN_CADENCE_DAYS"},
		{&c.Lifecycle.DefaultCadenceDays, "CHORUS_INSIGHT_DEFAULT_CADENCE_DAYS"},
		{&c.CLV.DiscountRate, "CHORUS_INSIGHT_CLV_DISCOUNT_RATE"},
	} {
		if err := envFloat(env, f.dst, f.key); err != nil {
			return err
		}
	}
	if err := envInt(env, &c.MinCustomers, "CHORUS_INSIGHT_MIN_CUSTOMERS"); err != nil {
		return err
	}
	if err := envInt(env, &c.CLV.HorizonDays, "CHORUS_INSIGHT_CLV_HORIZON_DAYS"); err != nil {
		return err
	}
	for _, l := range []struct {
		dst *[]float64
		key string
	}{
		{&c.RFMBreaks.Recency, "CHORUS_INSIGHT_RFM_RECENCY_BREAKS"},
		{&c.RFMBreaks.Frequency, "CHORUS_INSIGHT_RFM_FREQUENCY_BREAKS"},
		{&c.RFMBreaks.Monetary, "CHORUS_INSIGHT_RFM_MONETARY_BREAKS"},
		{&c.PriceQuantiles, "CHORUS_INSIGHT_PRICE_QUANTILES"},
	} {
		if err := envFloats(env, l.dst, l.key); err != nil {
			return err
		}
	}
	return nil
}

// envFloats sets *dst from a comma-separated list of numbers.
func envFloats(env Lookup, dst *[]float64, key string) error {
	v, ok := env(key)
	if !ok || strings.TrimSpace(v) == "" {
		return nil
	}
	var out []float64
	for _, p := range strings.Split(v, ",") {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return apperr.New(apperr.Invalid, "%s=%q: %q is not a number (want comma-separated numbers)", key, v, p)
		}
		out = append(out, f)
	}
	*dst = out
	return nil
}

func (c Insight) validate() error {
	switch c.Map {
	case "grid", "rfm-package":
	default:
		if _, ok := c.SegmentMaps[c.Map]; !ok {
			return apperr.New(apperr.Invalid, "insight.map %q: want grid, rfm-package or a name under insight.segment_maps", c.Map)
		}
	}
	if c.AsOf != "" {
		if _, err := time.Parse(time.DateOnly, c.AsOf); err != nil {
			return apperr.New(apperr.Invalid, "insight.as_of %q: want a date like 2011-12-10", c.AsOf)
		}
	}
	if c.MinCustomers < 5 {
		return apperr.New(apperr.Invalid, "insight.min_customers is %d: quintile scoring needs at least 5", c.MinCustomers)
	}
	for _, b := range []struct {
		name string
		v    []float64
	}{{"recency", c.RFMBreaks.Recency}, {"frequency", c.RFMBreaks.Frequency}, {"monetary", c.RFMBreaks.Monetary}} {
		if len(b.v) == 0 {
			continue
		}
		if len(b.v) != 4 || !ascending(b.v) {
			return apperr.New(apperr.Invalid, "insight.rfm_breaks.%s %v: want 4 strictly ascending numbers (the inner edges of 5 bins)", b.name, b.v)
		}
	}
	for name, rules := range c.SegmentMaps {
		if name == "grid" || name == "rfm-package" {
			return apperr.New(apperr.Invalid, "insight.segment_maps: %q is a built-in map name; choose another", name)
		}
		if len(rules) == 0 {
			return apperr.New(apperr.Invalid, "insight.segment_maps.%s has no rules", name)
		}
	}
	if c.HalfLifeDays <= 0 {
		return apperr.New(apperr.Invalid, "insight.half_life_days must be positive, got %g", c.HalfLifeDays)
	}
	if len(c.PriceQuantiles) != 3 || !ascending(c.PriceQuantiles) || c.PriceQuantiles[0] <= 0 || c.PriceQuantiles[2] >= 1 {
		return apperr.New(apperr.Invalid, "insight.price_quantiles %v: want 3 ascending numbers in (0,1), e.g. 0.25,0.75,0.95", c.PriceQuantiles)
	}
	l := c.Lifecycle
	if l.NewDays < 0 || l.MinCadenceDays <= 0 || l.DefaultCadenceDays <= 0 {
		return apperr.New(apperr.Invalid, "insight.lifecycle: new_days must be >= 0 and min_cadence_days, default_cadence_days > 0")
	}
	if !(l.ActiveFactor > 0 && l.ActiveFactor < l.AtRiskFactor && l.AtRiskFactor < l.ChurnFactor) {
		return apperr.New(apperr.Invalid, "insight.lifecycle: want 0 < active_factor < at_risk_factor < churn_factor, got %g, %g, %g", l.ActiveFactor, l.AtRiskFactor, l.ChurnFactor)
	}
	if c.CLV.HorizonDays <= 0 {
		return apperr.New(apperr.Invalid, "insight.clv.horizon_days must be positive, got %d", c.CLV.HorizonDays)
	}
	if c.CLV.DiscountRate < 0 || c.CLV.DiscountRate >= 1 {
		return apperr.New(apperr.Invalid, "insight.clv.discount_rate %g: want an annual rate in [0,1), e.g. 0.1", c.CLV.DiscountRate)
	}
	return nil
}

func ascending(v []float64) bool {
	for i := 1; i < len(v); i++ {
		if !(v[i] > v[i-1]) {
			return false
		}
	}
	return true
}
