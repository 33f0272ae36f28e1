package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
)

func TestExperimentFromFileAndEnv(t *testing.T) {
	if err := defaultExperiment().validate(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "chorus.yaml")
	if err := os.WriteFile(path, []byte("experiment:\n  min_sample: 1000\n  threshold: 0.9\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"CHORUS_EXPERIMENT_ALPHA": "0.01", "CHORUS_EXPERIMENT_SEQUENTIAL_TUNING": "50000"}
	c, err := Load(path, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	e := c.Experiment
	if e.MinSample != 1000 || e.Threshold != 0.9 || e.Alpha != 0.01 || e.SequentialTuning != 50000 || e.SRMAlpha != 0.001 || e.PriorAlpha != 1 {
		t.Errorf("experiment = %+v", e)
	}
	for key, val := range map[string]string{
		"CHORUS_EXPERIMENT_THRESHOLD":  "1.5",
		"CHORUS_EXPERIMENT_MIN_SAMPLE": "0",
		"CHORUS_EXPERIMENT_ALPHA":      "zero",
	} {
		c, err := Load("", func(k string) (string, bool) { return val, k == key })
		if err == nil {
			err = c.Validate()
		}
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), strings.ToLower(strings.TrimPrefix(key, "CHORUS_EXPERIMENT_"))) && !strings.Contains(err.Error(), key) {
			t.Errorf("%s=%s: %v", key, val, err)
		}
	}
}
