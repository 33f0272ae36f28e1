package campaign

import (
	"os"
	"path/filepath"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Settings are a new campaign's settings as a person writes them: the
// flags of `chorus campaign create` (each field's tag names its flag).
// Draft reads them into the campaign and its test plan.
type Settings struct {
	Segment     string   `flag:"segment,required"`
	Channels    string   `flag:"channels,required"`
	Brief       string   `flag:"brief,required"` // the brief's file (YAML or JSON)
	Mode        string   `flag:"mode"`
	Variants    int      `flag:"variants"`
	Holdout     string   `flag:"holdout"` // percent, "10" or "10%"
	Approval    string   `flag:"approval"`
	Depth       string   `flag:"depth"`
	Start       string   `flag:"start"`
	DeferQuiet  bool     `flag:"defer-quiet"`
	Rates       []string `flag:"rate"` // CHANNEL=MESSAGES_PER_SECOND
	Test        string   `flag:"test"` // percent of the audience; "" is no test
	TestWindow  string   `flag:"test-window"`
	TestMetric  string   `flag:"test-metric"`
	TestDefault string   `flag:"test-default"`
}

// DefaultSettings are the settings a person leaves out: the best channel
// each, one variant, no holdout, automatic approval, copy per segment,
// sent now; a test, when asked for, runs 24 hours on the conversion rate.
func DefaultSettings() Settings {
	return Settings{Mode: ModeBest, Variants: 1, Holdout: "0", Approval: ApprovalAuto, Depth: "segment", Start: StartNow,
		TestWindow: "24h", TestMetric: "conversion_rate"}
}

// Draft is the campaign name and its test plan (nil without a test) the
// settings describe, its brief read from the file s.Brief. Every error is
// Invalid and names the setting; Service.CreateTested checks the rest.
func (s Settings) Draft(name string) (c Campaign, plan *TestPlan, err error) {
	b, err := os.ReadFile(s.Brief)
	if err != nil {
		return c, nil, apperr.Wrap(err, apperr.Invalid, "--brief %s", s.Brief)
	}
	c = Campaign{Name: name, Segment: s.Segment, Channels: ParseChannels(s.Channels), Mode: s.Mode,
		Approval: s.Approval, Depth: s.Depth, Brief: string(b), BriefFile: filepath.Base(s.Brief)}
	if c.Holdout, err = ParseHoldout(s.Holdout); err != nil {
		return c, nil, err
	}
	if c.Schedule, err = ParseStart(s.Start, s.DeferQuiet); err != nil {
		return c, nil, err
	}
	if c.Rates, err = ParseRates(s.Rates); err != nil {
		return c, nil, err
	}
	if c.Variants, err = SplitVariants(s.Variants); err != nil || s.Variants == 0 {
		return c, nil, apperr.New(apperr.Invalid, "--variants %d: use 1 to %d", s.Variants, MaxVariants)
	}
	plan, err = ParseTestPlan(s.Test, s.TestWindow, s.TestMetric, s.TestDefault)
	return c, plan, err
}
