package experiment

// Lift is what a campaign gained over its holdout (recipients who were
// held back and sent nothing): the incremental conversion rate, treated
// minus holdout, with its interval and p-value at the top level (the
// `lift` object of `campaign report`), and the same for revenue per
// recipient when the arms carry revenue. Method says whether the figures
// are fixed-horizon or sequential.
type Lift struct {
	Estimate
	Metric Metric  `json:"metric"` // what Estimate is about: conversion_rate
	Method Method  `json:"inference"`
	Level  float64 `json:"confidence_level"`
	// Relative is the treated rate over the holdout rate minus one; nil
	// when either has no conversions.
	Relative *Estimate `json:"relative,omitempty"`
	// IncrementalConversions is Estimate scaled to the treated
	// recipients: the conversions the campaign caused.
	IncrementalConversions Estimate `json:"incremental_conversions"`
	// WinProbability is P(treated rate > holdout rate), exact.
	WinProbability float64 `json:"win_probability"`
	// RevenuePerRecipient and IncrementalRevenue are the same for revenue
	// (nil without revenue).
	RevenuePerRecipient *RevenueComparison `json:"revenue_per_recipient,omitempty"`
	IncrementalRevenue  *Estimate          `json:"incremental_revenue,omitempty"`
	SRM                 SRM                `json:"srm"`
	Warnings            []string           `json:"warnings"`
}

// HoldoutLift measures treated against holdout with the statistics of
// Analyze (the holdout is the control; its Control field is ignored). Set
// both arms' Weight to the planned shares (e.g. 90 and 10) for the SRM
// check. The errors are Analyze's.
func HoldoutLift(treated, holdout Arm, opt Options) (Lift, error) {
	treated.Control, holdout.Control = false, true
	if treated.Name == "" {
		treated.Name = "treated"
	}
	if holdout.Name == "" || holdout.Name == treated.Name {
		holdout.Name = "holdout"
	}
	opt.Rule.Default = ""
	rep, err := Analyze([]Arm{treated, holdout}, opt)
	if err != nil {
		return Lift{}, err
	}
	v := rep.Variants[0]
	c := v.Comparison
	n := float64(treated.Recipients)
	l := Lift{
		Estimate: Estimate{Estimate: c.Difference, CILow: c.CILow, CIHigh: c.CIHigh, PValue: c.PValue, Method: string(rep.Method)},
		Metric:   MetricConversion, Method: rep.Method, Level: rep.Level,
		Relative:       c.RelativeLift,
		WinProbability: c.WinProbability,
		SRM:            rep.SRM,
		Warnings:       rep.Warnings,
	}
	l.Estimate.Method = liftMethod(rep.Method)
	l.IncrementalConversions = Estimate{Estimate: c.Difference * n, CILow: c.CILow * n, CIHigh: c.CIHigh * n, PValue: c.PValue, Method: l.Estimate.Method}
	if r := c.Revenue; r != nil {
		l.RevenuePerRecipient = r
		l.IncrementalRevenue = &Estimate{Estimate: r.Estimate.Estimate * n, CILow: r.CILow * n, CIHigh: r.CIHigh * n, PValue: r.PValue, Method: r.Method}
	}
	return l, nil
}

func liftMethod(m Method) string {
	if m == Sequential {
		return MethodSequential
	}
	return "newcombe_z_test"
}
