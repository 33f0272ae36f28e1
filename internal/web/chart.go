package web

import (
	"fmt"
	"math"
	"time"
)

// Chart is a server-side SVG bar chart's view model: every coordinate is
// computed here and every text goes through the template's escaping
// (templates/_chart.html), so no markup is built by hand.
type Chart struct {
	Title  string // a catalogue key
	Width  int
	Height int
	Bars   []Bar
	// Max is the y axis's top value, as shown; First and Last the dates
	// under the first and last bars.
	Max, First, Last string
	Empty            bool
}

// Bar is one bar: its box and its tooltip.
type Bar struct {
	X, Y, W, H float64
	Tip        string
}

const (
	chartW, chartH = 560, 160
	chartPadTop    = 12
	chartPadBottom = 20
	chartPadLeft   = 44
)

// barChart draws values (one per day from start) as bars; format shows a
// value.
func barChart(title string, start time.Time, step time.Duration, values []float64, format func(float64) string) Chart {
	c := Chart{Title: title, Width: chartW, Height: chartH}
	top := 0.0
	for _, v := range values {
		top = math.Max(top, v)
	}
	c.Empty = top == 0
	if top == 0 {
		top = 1
	}
	plotH := float64(chartH - chartPadTop - chartPadBottom)
	slot := float64(chartW-chartPadLeft) / float64(max(len(values), 1))
	for i, v := range values {
		h := plotH * math.Max(v, 0) / top
		day := start.Add(time.Duration(i) * step)
		c.Bars = append(c.Bars, Bar{
			X: float64(chartPadLeft) + float64(i)*slot + slot*0.1, W: math.Max(slot*0.8, 1),
			Y: float64(chartPadTop) + plotH - h, H: h,
			Tip: day.Format("2006-01-02") + ": " + format(v),
		})
	}
	c.Max = format(top)
	if len(values) > 0 {
		c.First = start.Format("01-02")
		c.Last = start.Add(time.Duration(len(values)-1) * step).Format("01-02")
	}
	return c
}

func formatCount(v float64) string { return fmt.Sprintf("%.0f", v) }

func formatPercent(v float64) string { return fmt.Sprintf("%.1f%%", v*100) }

func formatMoney(v float64) string { return fmt.Sprintf("%.2f", v) }
