package experiment

import (
	"fmt"
)

// Metric is what "better" means to the decision rule.
type Metric string

// The metrics a rule can decide on.
const (
	MetricConversion Metric = "conversion_rate"
	MetricRevenue    Metric = "revenue_per_recipient"
)

// Rule is the decision rule of "test on X%, then send the winner to the
// rest": zero fields take the defaults in brackets.
type Rule struct {
	// MinSample is the recipients every arm needs before any winner is
	// named [500].
	MinSample int64 `json:"min_sample"`
	// Threshold is the win probability against the control a variant
	// needs [0.95].
	Threshold float64 `json:"threshold"`
	// Metric decides on conversion rate (Beta posteriors, exact) or on
	// revenue per recipient (normal approximation) [conversion rate].
	Metric Metric `json:"metric"`
	// Default is the arm that goes out when there is no clear winner
	// [the control].
	Default string `json:"default,omitempty"`
	// RequireSignificance also asks for a Holm-adjusted p-value below
	// the report's alpha, by the report's method (so, in a sequential
	// report, one valid under peeking).
	RequireSignificance bool `json:"require_significance"`
}

// Default decision rule values.
const (
	DefaultMinSample = 500
	DefaultThreshold = 0.95
)

func (r Rule) withDefaults() Rule {
	if r.MinSample <= 0 {
		r.MinSample = DefaultMinSample
	}
	if !(r.Threshold > 0 && r.Threshold < 1) {
		r.Threshold = DefaultThreshold
	}
	if r.Metric == "" {
		r.Metric = MetricConversion
	}
	return r
}

// Decision codes.
const (
	DecisionWinner              = "winner"
	DecisionSampleRatioMismatch = "sample_ratio_mismatch"
	DecisionInsufficientSample  = "insufficient_sample"
	DecisionNoClearWinner       = "no_clear_winner"
	DecisionNoRevenue           = "no_revenue"
)

// Decision is which arm goes to the rest of the audience, and why.
type Decision struct {
	// Send is the arm that goes out: the winner, else the rule's default
	// (the control unless declared).
	Send string `json:"send"`
	// Winner is true when Send won by the rule; false when it is the
	// default because nothing did.
	Winner bool   `json:"winner"`
	Code   string `json:"code"`
	// Reason says why, in English and in Chinese.
	Reason   string `json:"reason"`
	ReasonZh string `json:"reason_zh"`
	Rule     Rule   `json:"rule"`
}

// Decide applies rule to a report. With no clear winner the default arm
// goes out. The checks run in order: the SRM check must pass (a broken
// split voids everything), every arm must have rule.MinSample
// recipients, and a variant must beat the control with probability at
// least rule.Threshold on rule.Metric (and, with RequireSignificance, be
// significant after Holm). Among several such variants the one most
// likely to be best wins (by conversion, its ProbBest; by revenue, the
// highest revenue per recipient).
func Decide(r Report, rule Rule) Decision {
	rule = rule.withDefaults()
	def := rule.Default
	if def == "" || !r.hasArm(def) {
		def = r.Control
	}
	d := Decision{Send: def, Rule: rule}
	pct := func(p float64) string { return fmt.Sprintf("%.1f%%", 100*p) }

	if r.SRM.Mismatch {
		d.Code = DecisionSampleRatioMismatch
		d.Reason = fmt.Sprintf("the recipients are not split as planned (SRM p = %.2g); %s goes out until assignment is fixed", r.SRM.PValue, def)
		d.ReasonZh = fmt.Sprintf("样本比例失衡（SRM p = %.2g），分组或追踪有误，结果不可信；发送 %s", r.SRM.PValue, def)
		return d
	}
	for _, v := range r.Variants {
		if v.Recipients < rule.MinSample {
			d.Code = DecisionInsufficientSample
			d.Reason = fmt.Sprintf("%s has %d recipients, fewer than the %d required per arm; %s goes out", v.Variant, v.Recipients, rule.MinSample, def)
			d.ReasonZh = fmt.Sprintf("%s 仅有 %d 位收件人，少于每组所需的 %d 位；发送 %s", v.Variant, v.Recipients, rule.MinSample, def)
			return d
		}
	}
	bestName, bestP := "", -1.0
	var winners []VariantResult
	for _, v := range r.Variants {
		if v.Comparison == nil {
			continue
		}
		p := v.WinProbability
		if rule.Metric == MetricRevenue {
			if v.Comparison.Revenue == nil {
				d.Code = DecisionNoRevenue
				d.Reason = fmt.Sprintf("the rule decides on revenue per recipient but the arms carry no revenue; %s goes out", def)
				d.ReasonZh = fmt.Sprintf("规则按人均收入决策，但数据不含收入；发送 %s", def)
				return d
			}
			p = v.Comparison.Revenue.WinProbability
		}
		if p > bestP {
			bestName, bestP = v.Variant, p
		}
		if p >= rule.Threshold && (!rule.RequireSignificance || (v.Significant && v.Difference > 0)) {
			winners = append(winners, v)
		}
	}
	if len(winners) == 0 {
		d.Code = DecisionNoClearWinner
		extra, extraZh := "", ""
		if rule.RequireSignificance && bestP >= rule.Threshold {
			extra, extraZh = ", and is not significant after Holm's correction", "，且经 Holm 校正后不显著"
		}
		d.Reason = fmt.Sprintf("no variant beats %s with %s probability on %s: the best, %s, has %s%s; %s goes out",
			r.Control, pct(rule.Threshold), metricName(rule.Metric), bestName, pct(bestP), extra, def)
		d.ReasonZh = fmt.Sprintf("没有变体以 %s 的概率胜过 %s（%s）：最好的 %s 为 %s%s；发送 %s",
			pct(rule.Threshold), r.Control, metricNameZh(rule.Metric), bestName, pct(bestP), extraZh, def)
		return d
	}
	w := winners[0]
	for _, v := range winners[1:] {
		if better(v, w, rule.Metric) {
			w = v
		}
	}
	p := w.WinProbability
	if rule.Metric == MetricRevenue {
		p = w.Comparison.Revenue.WinProbability
	}
	d.Send, d.Winner, d.Code = w.Variant, true, DecisionWinner
	d.Reason = fmt.Sprintf("%s beats %s on %s with %s probability (threshold %s)", w.Variant, r.Control, metricName(rule.Metric), pct(p), pct(rule.Threshold))
	d.ReasonZh = fmt.Sprintf("%s 以 %s 的概率在%s上胜过 %s（阈值 %s）", w.Variant, pct(p), metricNameZh(rule.Metric), r.Control, pct(rule.Threshold))
	if len(winners) > 1 {
		d.Reason += fmt.Sprintf("; of the %d variants that do, it is the most likely to be best (%s)", len(winners), pct(w.ProbBest))
		d.ReasonZh += fmt.Sprintf("；在 %d 个胜出的变体中它最可能最优（%s）", len(winners), pct(w.ProbBest))
	}
	return d
}

func better(a, b VariantResult, m Metric) bool {
	if m == MetricRevenue && a.Revenue != nil && b.Revenue != nil {
		return a.Revenue.PerRecipient > b.Revenue.PerRecipient
	}
	return a.ProbBest > b.ProbBest
}

func metricName(m Metric) string {
	if m == MetricRevenue {
		return "revenue per recipient"
	}
	return "conversion rate"
}

func metricNameZh(m Metric) string {
	if m == MetricRevenue {
		return "人均收入"
	}
	return "转化率"
}

func (r Report) hasArm(name string) bool {
	for _, v := range r.Variants {
		if v.Variant == name {
			return true
		}
	}
	return false
}
