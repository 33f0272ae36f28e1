package tracking

import (
	"context"

	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/experiment"
)

// TestJudge decides a campaign's "test on X%, then send the winner" from
// the test group's report: the credited conversions (or revenue) of each
// variant, by experiment.Decide with the configured rule (minimum sample,
// win-probability threshold) and the plan's metric and default. It
// implements campaign.Judge.
type TestJudge struct {
	Store ReportStore
	// Rule is the attribution rule; Options the statistics' (Options.Rule
	// is the decision rule).
	Rule    Rule
	Options experiment.Options
}

// JudgeTest reports which variant goes to the rest, and why. A test whose
// figures cannot be computed (a variant without recipients) sends the
// default, saying so. Errors are the store's.
func (j TestJudge) JudgeTest(ctx context.Context, c campaign.Campaign, p campaign.TestPlan) (experiment.Decision, error) {
	rule := j.Options.Rule
	rule.Metric = p.Metric
	rule.Default = p.Default
	if rule.Default == "" && len(c.Variants) > 0 {
		rule.Default = c.Variants[0].Name
	}
	opts := j.Options
	opts.Rule = rule
	rep, err := Reporter{Store: j.Store}.Report(ctx, c.Name, ReportOptions{Rule: j.Rule, Experiment: opts})
	if err != nil {
		return experiment.Decision{}, err
	}
	if rep.Test == nil {
		why := "the test has no figures to compare"
		if len(rep.Warnings) > 0 {
			why = rep.Warnings[len(rep.Warnings)-1]
		}
		return experiment.Decision{Send: rule.Default, Code: experiment.DecisionInsufficientSample, Rule: rule,
			Reason:   why + ": the default " + rule.Default + " goes out",
			ReasonZh: "测试无法比较：发送默认版本 " + rule.Default}, nil
	}
	return experiment.Decide(*rep.Test, rule), nil
}
