package experiment

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
)

func TestOverridesOptions(t *testing.T) {
	cfg := config.Experiment{Alpha: 0.05, SequentialTuning: 10000, SRMAlpha: 0.001, MinSample: 500, Threshold: 0.95}
	opt, err := Overrides{Metric: "conversion"}.Options(cfg)
	if err != nil || opt.Alpha != 0.05 || opt.Tuning != 10000 || opt.Rule.MinSample != 500 || opt.Rule.Threshold != 0.95 {
		t.Fatalf("no overrides: %+v, %v", opt, err)
	}
	opt, err = Overrides{Metric: "revenue", Alpha: 0.1, MinSample: 10, Sequential: true, Default: "A"}.Options(cfg)
	if err != nil || opt.Alpha != 0.1 || opt.Rule.MinSample != 10 || !opt.Sequential || opt.Rule.Default != "A" || opt.Rule.Metric != MetricRevenue {
		t.Fatalf("overrides: %+v, %v", opt, err)
	}
	for _, bad := range []Overrides{
		{Metric: "clicks"}, {Metric: "conversion", Alpha: 0.7}, {Metric: "conversion", Threshold: 0.4},
		{Metric: "conversion", MinSample: -1}, {Metric: "conversion", Tuning: 1}, {Metric: "conversion", SRMAlpha: 0.9},
	} {
		if _, err := bad.Options(cfg); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%+v: %v, want Invalid", bad, err)
		}
	}
}
