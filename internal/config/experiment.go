package config

import (
	"github.com/chorusmkt/chorus/internal/apperr"
)

// Experiment configures the statistics of experiments and the rule that
// names a winner (package experiment): every key can be set in YAML under
// experiment: or with the CHORUS_EXPERIMENT_* variable named beside it.
type Experiment struct {
	// Alpha is the two-sided significance level; intervals are at
	// 1-Alpha (CHORUS_EXPERIMENT_ALPHA).
	Alpha float64 `yaml:"alpha"`
	// MinSample is the recipients every arm needs before a winner is
	// named (CHORUS_EXPERIMENT_MIN_SAMPLE).
	MinSample int `yaml:"min_sample"`
	// Threshold is the win probability against the control a variant
	// needs to be sent to the rest (CHORUS_EXPERIMENT_THRESHOLD).
	Threshold float64 `yaml:"threshold"`
	// SRMAlpha is the p-value under which the split is called a sample
	// ratio mismatch (CHORUS_EXPERIMENT_SRM_ALPHA).
	SRMAlpha float64 `yaml:"srm_alpha"`
	// SequentialTuning is the planned recipients of a variant and the
	// control together, where sequential intervals are narrowest
	// (CHORUS_EXPERIMENT_SEQUENTIAL_TUNING). A campaign passes its own
	// planned size; this is the fallback.
	SequentialTuning int `yaml:"sequential_tuning"`
	// PriorAlpha and PriorBeta are the Beta prior of every conversion
	// rate for win probabilities (CHORUS_EXPERIMENT_PRIOR_ALPHA, _BETA).
	PriorAlpha float64 `yaml:"prior_alpha"`
	PriorBeta  float64 `yaml:"prior_beta"`
}

func defaultExperiment() Experiment {
	return Experiment{Alpha: 0.05, MinSample: 500, Threshold: 0.95, SRMAlpha: 0.001, SequentialTuning: 10000, PriorAlpha: 1, PriorBeta: 1}
}

func (e *Experiment) applyEnv(env Lookup) error {
	for _, f := range []struct {
		key string
		dst *float64
	}{
		{"CHORUS_EXPERIMENT_ALPHA", &e.Alpha},
		{"CHORUS_EXPERIMENT_THRESHOLD", &e.Threshold},
		{"CHORUS_EXPERIMENT_SRM_ALPHA", &e.SRMAlpha},
		{"CHORUS_EXPERIMENT_PRIOR_ALPHA", &e.PriorAlpha},
		{"CHORUS_EXPERIMENT_PRIOR_BETA", &e.PriorBeta},
	} {
		if err := envFloat(env, f.dst, f.key); err != nil {
			return err
		}
	}
	if err := envInt(env, &e.MinSample, "CHORUS_EXPERIMENT_MIN_SAMPLE"); err != nil {
		return err
	}
	return envInt(env, &e.SequentialTuning, "CHORUS_EXPERIMENT_SEQUENTIAL_TUNING")
}

func (e Experiment) validate() error {
	switch {
	case !(e.Alpha > 0 && e.Alpha < 0.5):
		return apperr.New(apperr.Invalid, "experiment.alpha = %g: use a level between 0 and 0.5, e.g. 0.05", e.Alpha)
	case e.MinSample < 1:
		return apperr.New(apperr.Invalid, "experiment.min_sample = %d: at least 1 recipient per arm", e.MinSample)
	case !(e.Threshold > 0.5 && e.Threshold < 1):
		return apperr.New(apperr.Invalid, "experiment.threshold = %g: a win probability between 0.5 and 1, e.g. 0.95", e.Threshold)
	case !(e.SRMAlpha > 0 && e.SRMAlpha < 0.5):
		return apperr.New(apperr.Invalid, "experiment.srm_alpha = %g: use a level between 0 and 0.5, e.g. 0.001", e.SRMAlpha)
	case e.SequentialTuning < 2:
		return apperr.New(apperr.Invalid, "experiment.sequential_tuning = %d: the planned recipients of two arms, at least 2", e.SequentialTuning)
	case !(e.PriorAlpha > 0) || !(e.PriorBeta > 0):
		return apperr.New(apperr.Invalid, "experiment.prior_alpha and prior_beta must be positive (1 and 1 is the uniform prior)")
	}
	return nil
}
