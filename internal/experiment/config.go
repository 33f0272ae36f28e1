package experiment

import "github.com/chorusmkt/chorus/internal/config"

// OptionsFromConfig is the analysis the configuration asks for (the
// experiment: section): level, decision rule, SRM threshold, sequential
// tuning and prior. Callers set Sequential, and a campaign its own planned
// Tuning, on the result.
func OptionsFromConfig(c config.Experiment) Options {
	return Options{
		Alpha:    c.Alpha,
		Tuning:   int64(c.SequentialTuning),
		Prior:    Prior{Alpha: c.PriorAlpha, Beta: c.PriorBeta},
		SRMAlpha: c.SRMAlpha,
		Rule:     Rule{MinSample: int64(c.MinSample), Threshold: c.Threshold},
	}
}
