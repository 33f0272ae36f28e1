package tracking

import (
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/experiment"
)

// ReportQuery is a report as people ask for it (`chorus campaign report`
// flags, the API's query): each field left zero keeps the configured value.
type ReportQuery struct {
	By         string // comma-separated dimensions
	Window     string // attribution and measurement window, at least 1h
	ViewWindow string // view-through window, at least 1m; implies ViewThrough
	// ViewThrough, when set, turns view-through credit on or off.
	ViewThrough *bool
	Sequential  bool
	Tuning      int // sequential: the planned recipients of two arms
}

// Options are the report options of q over the configuration cfg; a
// setting that does not parse is Invalid.
func (q ReportQuery) Options(cfg config.Config) (ReportOptions, error) {
	by, err := ParseBy(q.By)
	if err != nil {
		return ReportOptions{}, err
	}
	att := cfg.Tracking.Attribution
	if q.Window != "" {
		d, err := config.ParseDuration(q.Window)
		if err != nil || d.Std() < time.Hour {
			return ReportOptions{}, apperr.New(apperr.Invalid, "--window %q: use a duration of at least 1h, e.g. 7d or 72h", q.Window)
		}
		att.Window = d
	}
	if q.ViewThrough != nil {
		att.ViewThrough = *q.ViewThrough
	}
	if q.ViewWindow != "" {
		d, err := config.ParseDuration(q.ViewWindow)
		if err != nil || d.Std() < time.Minute {
			return ReportOptions{}, apperr.New(apperr.Invalid, "--view-window %q: use a duration of at least 1m, e.g. 1d", q.ViewWindow)
		}
		att.ViewWindow, att.ViewThrough = d, true
	}
	exp := experiment.OptionsFromConfig(cfg.Experiment)
	exp.Sequential = q.Sequential
	if q.Tuning > 0 {
		exp.Tuning = int64(q.Tuning)
	}
	return ReportOptions{By: by, Rule: RuleFromConfig(att), Experiment: exp}, nil
}
