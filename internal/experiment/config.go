package experiment

import (
	"io"
	"os"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
)

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

// Overrides are analysis settings given for one run (`chorus experiment
// analyze` flags): a zero number keeps the configured value.
type Overrides struct {
	Metric, Default    string
	Sequential, Signif bool
	Tuning, MinSample  int
	Alpha, Threshold   float64
	SRMAlpha           float64
}

// Options are the configured options with o over them, checked: a value
// the analysis cannot use is Invalid (named as its flag), never replaced
// by a default.
func (o Overrides) Options(c config.Experiment) (Options, error) {
	metric, err := ParseMetric(o.Metric)
	if err != nil {
		return Options{}, err
	}
	opt := OptionsFromConfig(c)
	opt.Sequential = o.Sequential
	opt.Alpha = or(o.Alpha, opt.Alpha)
	opt.Tuning = int64(or(o.Tuning, int(opt.Tuning)))
	opt.SRMAlpha = or(o.SRMAlpha, opt.SRMAlpha)
	opt.Rule.MinSample = int64(or(o.MinSample, int(opt.Rule.MinSample)))
	opt.Rule.Threshold = or(o.Threshold, opt.Rule.Threshold)
	opt.Rule.Metric, opt.Rule.Default, opt.Rule.RequireSignificance = metric, o.Default, o.Signif
	return opt, opt.check()
}

// or is v when it is set (non-zero), else def.
func or[T int | float64](v, def T) T {
	if v != 0 {
		return v
	}
	return def
}

// check rejects settings the analysis would otherwise replace by its
// defaults.
func (o Options) check() error {
	switch {
	case !(o.Alpha > 0 && o.Alpha < 0.5):
		return apperr.New(apperr.Invalid, "--alpha %g: use a level between 0 and 0.5, e.g. 0.05", o.Alpha)
	case !(o.Rule.Threshold > 0.5 && o.Rule.Threshold < 1):
		return apperr.New(apperr.Invalid, "--threshold %g: a win probability between 0.5 and 1, e.g. 0.95", o.Rule.Threshold)
	case o.Rule.MinSample < 1:
		return apperr.New(apperr.Invalid, "--min-sample %d: at least 1", o.Rule.MinSample)
	case o.Tuning < 2:
		return apperr.New(apperr.Invalid, "--tuning %d: the planned recipients of two arms, at least 2", o.Tuning)
	case !(o.SRMAlpha > 0 && o.SRMAlpha < 0.5):
		return apperr.New(apperr.Invalid, "--srm-alpha %g: use a level between 0 and 0.5, e.g. 0.001", o.SRMAlpha)
	}
	return nil
}

// ReadTableFile reads the counts of path ("-": in).
func ReadTableFile(path string, in io.Reader, control string) (Table, error) {
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return Table{}, apperr.Wrap(err, apperr.Invalid, "open %s", path)
		}
		defer f.Close()
		in = f
	}
	tab, err := ReadTable(in, control)
	if err != nil {
		return tab, apperr.Wrap(err, apperr.Invalid, "%s", path)
	}
	return tab, nil
}
