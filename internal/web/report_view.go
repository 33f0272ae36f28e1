package web

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/chorusmkt/chorus/internal/tracking"
)

// Stage is one step of the funnel: people, and the share of the first
// stage and of the stage before.
type Stage struct {
	Key      string // recipients, sent, delivered, opens, clicks, conversions
	Count    int64
	OfFirst  float64
	OfBefore float64
	// the shares as the page prints them
	OfFirstText, OfBeforeText string
}

// Funnel is the stages of a cell, recipients first.
func Funnel(c tracking.Cell) []Stage {
	raw := []struct {
		k string
		n int64
	}{{"recipients", c.Recipients}, {"sent", c.Sent}, {"delivered", c.Delivered},
		{"opens", c.Opens}, {"clicks", c.Clicks}, {"conversions", c.Conversions}}
	out := make([]Stage, len(raw))
	for i, r := range raw {
		out[i] = Stage{Key: r.k, Count: r.n, OfFirst: ratio(r.n, raw[0].n)}
		if i > 0 {
			out[i].OfBefore = ratio(r.n, raw[i-1].n)
		} else {
			out[i].OfBefore = 1
		}
	}
	for i := range out {
		out[i].OfFirstText, out[i].OfBeforeText = percent(out[i].OfFirst, 1), percent(out[i].OfBefore, 1)
	}
	return out
}

// percent prints a share as a percentage with digits decimals.
func percent(v float64, digits int) string { return fmt.Sprintf("%.*f%%", digits, v*100) }

// points prints a difference of shares in percentage points, signed.
func points(v float64) string { return fmt.Sprintf("%+.2f", v*100) }

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// VariantView is a variant's row: its cell, its conversion rate with the
// Wilson interval, and, against the control, the difference with its
// interval, p-value and win probability.
type VariantView struct {
	Cell                 tracking.Cell
	Control              bool
	Rate, Low, High      float64
	HasDiff              bool
	Diff, DiffLo, DiffHi float64
	PValue, WinProb      float64
	Significant          bool
	// the figures as the page prints them
	RateText, DiffText, PText, WinText string
}

// LiftView is the holdout comparison as the page prints it.
type LiftView struct {
	Estimate, Low, High, P string
	TreatedCVR, HoldoutCVR string
}

// ReportView is the reports page of one campaign.
type ReportView struct {
	Report   tracking.Report
	Funnel   []Stage
	Variants []VariantView
	// FunnelSVG and IntervalSVG are the charts, drawn on the server.
	FunnelSVG   template.HTML
	IntervalSVG template.HTML
	LiftSVG     template.HTML
	Lift        *LiftView
}

// NewReportView lays out r for the page; labels are the chart's words in
// the viewer's language (keys: the funnel's stage keys, "rate", "lift",
// "holdout", "treated").
func NewReportView(r tracking.Report, labels map[string]string) ReportView {
	v := ReportView{Report: r, Funnel: Funnel(r.Total)}
	byName := map[string]int{}
	for i, c := range r.Variants {
		byName[c.Variant] = i
		v.Variants = append(v.Variants, VariantView{Cell: c, Rate: c.CVR})
	}
	if r.Test != nil {
		for _, t := range r.Test.Variants {
			i, ok := byName[t.Variant]
			if !ok {
				continue
			}
			vv := &v.Variants[i]
			vv.Control, vv.Rate, vv.Low, vv.High = t.Control, t.Rate, t.RateCILow, t.RateCIHigh
			if t.Comparison != nil {
				vv.HasDiff, vv.Diff, vv.DiffLo, vv.DiffHi = true, t.Difference, t.CILow, t.CIHigh
				vv.PValue, vv.WinProb, vv.Significant = t.PValue, t.WinProbability, t.Significant
			}
		}
	}
	for i := range v.Variants {
		x := &v.Variants[i]
		x.RateText = fmt.Sprintf("%s [%s, %s]", percent(x.Rate, 2), percent(x.Low, 2), percent(x.High, 2))
		x.DiffText, x.PText, x.WinText = "—", "—", "—"
		if x.HasDiff {
			x.DiffText = fmt.Sprintf("%s [%s, %s]", points(x.Diff), points(x.DiffLo), points(x.DiffHi))
			x.PText, x.WinText = fmt.Sprintf("%.4f", x.PValue), percent(x.WinProb, 1)
		}
	}
	if l := r.Lift; l != nil {
		v.Lift = &LiftView{Estimate: points(l.Estimate.Estimate), Low: points(l.CILow), High: points(l.CIHigh),
			P: fmt.Sprintf("%.4f", l.PValue), TreatedCVR: percent(l.Treated.CVR, 2), HoldoutCVR: percent(l.Holdout.CVR, 2)}
	}
	v.FunnelSVG = FunnelChart(v.Funnel, labels)
	var bars []Interval
	for _, x := range v.Variants {
		bars = append(bars, Interval{Label: x.Cell.Variant, Value: x.Rate, Low: x.Low, High: x.High})
	}
	v.IntervalSVG = IntervalChart(bars, labels["rate"])
	if r.Lift != nil {
		v.LiftSVG = IntervalChart([]Interval{{Label: labels["lift"], Value: r.Lift.Estimate.Estimate,
			Low: r.Lift.CILow, High: r.Lift.CIHigh}}, labels["lift"])
	}
	return v
}

// The charts are SVG written here, not by a library: a few rectangles and
// lines, every label escaped (esc) and every number formatted by us, so
// the markup is trusted HTML.

// FunnelChart draws the funnel as horizontal bars, each labelled with its
// count and its share of the first stage.
func FunnelChart(st []Stage, labels map[string]string) template.HTML {
	const w, rowH, labelW = 520, 28, 110
	h := rowH*len(st) + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart funnel" viewBox="0 0 %d %d" width="%d" height="%d" role="img">`, w, h, w, h)
	barW := float64(w - labelW - 120)
	for i, s := range st {
		y := 4 + i*rowH
		name := labels[s.Key]
		if name == "" {
			name = s.Key
		}
		bw := math.Max(s.OfFirst*barW, 1)
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="13">%s</text>`, y+17, esc(name))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="#3b6fd8" opacity="%.2f"/>`, labelW, y+3, bw, rowH-8, 1-0.1*float64(i))
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="12">%d · %.1f%%</text>`, float64(labelW)+bw+6, y+17, s.Count, s.OfFirst*100)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // #nosec: built from escaped labels and numbers
}

// Interval is a value with its interval, for IntervalChart.
type Interval struct {
	Label            string
	Value, Low, High float64
}

// IntervalChart draws each value as a dot on its interval's whisker over
// one shared axis (which includes 0, so a difference's sign shows).
func IntervalChart(xs []Interval, axis string) template.HTML {
	if len(xs) == 0 {
		return ""
	}
	const w, rowH, labelW, pad = 600, 30, 90, 170
	lo, hi := 0.0, 0.0
	for _, x := range xs {
		lo, hi = math.Min(lo, math.Min(x.Low, x.Value)), math.Max(hi, math.Max(x.High, x.Value))
	}
	if hi-lo < 1e-9 {
		hi = lo + 0.01
	}
	plotW := float64(w - labelW - pad)
	px := func(v float64) float64 { return float64(labelW) + (v-lo)/(hi-lo)*plotW }
	h := rowH*len(xs) + 30
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart interval" viewBox="0 0 %d %d" width="%d" height="%d" role="img">`, w, h, w, h)
	fmt.Fprintf(&b, `<line x1="%.1f" y1="0" x2="%.1f" y2="%d" stroke="#999" stroke-dasharray="3,3"/>`, px(0), px(0), h-24)
	for i, x := range xs {
		y := 4 + i*rowH + rowH/2
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="13">%s</text>`, y+4, esc(x.Label))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#3b6fd8" stroke-width="2"/>`, px(x.Low), y, px(x.High), y)
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%d" r="4" fill="#1d3f8f"/>`, px(x.Value), y)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11">%.2f%% [%.2f, %.2f]</text>`, px(x.High)+6, y+4, x.Value*100, x.Low*100, x.High*100)
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11">%s: %.2f%% … %.2f%%</text>`, labelW, h-6, esc(axis), lo*100, hi*100)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func esc(s string) string { return template.HTMLEscapeString(s) }
