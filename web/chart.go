package web

import (
	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/numfmt"
)

// barChart is the geometry of a horizontal bar chart drawn as inline SVG
// by the template: one row per operator, its name above its bar, and a
// dashed line at the median. Names above the bars keep the chart narrow,
// so that its text stays legible when it shrinks to a phone's width.
// Coordinates are in the SVG's own units; the SVG scales to its box.
type barChart struct {
	Title, Unit     string
	Of              string // what a bar stands for: "operator", "country"
	MedianOf        string // whose median the dashed line is, in words
	Width, Height   int
	LabelW          int // where bars start
	Bars            []bar
	HasMedian       bool
	MedianX         string
	MedianLabel     string
	MedianAnchor    string // text-anchor of the median's label
	AxisY, ChartEnd int
}

type bar struct {
	Label    string
	Value    string // formatted, or "n/a"
	LabelY   int    // baseline of the name
	Y, TextY int    // top of the bar, baseline of the value
	W        string // bar width
	ValueX   string
	Missing  bool
}

const (
	chartWidth  = 400
	chartLabelW = 2
	chartRowH   = 42
	chartTop    = 26
	chartLabelN = 44 // longest operator name shown in full
)

// newBarChart lays out values (one per label, unavailable ones shown as
// n/a without a bar) against a zero-based axis.
func newBarChart(title, unit string, labels []string, values []calculators.Value, median calculators.Value) barChart {
	c := barChart{Title: title, Unit: unit, Width: chartWidth, LabelW: chartLabelW, AxisY: chartTop - 6}
	maxV := decimal.Zero
	for _, v := range values {
		if v.OK && v.D.Cmp(maxV) > 0 {
			maxV = v.D
		}
	}
	if median.OK && median.D.Cmp(maxV) > 0 {
		maxV = median.D
	}
	plotW := decimal.NewFromInt(chartWidth - chartLabelW - 62) // room for the value after the bar
	scale := func(d decimal.Decimal) decimal.Decimal {
		if maxV.Sign() <= 0 || d.Sign() <= 0 {
			return decimal.Zero
		}
		return d.Mul(plotW).DivRound(maxV, 2)
	}
	for i, l := range labels {
		y := chartTop + i*chartRowH
		if r := []rune(l); len(r) > chartLabelN {
			l = string(r[:chartLabelN-1]) + "…"
		}
		b := bar{Label: l, Value: numfmt.Figure(values[i], unit), LabelY: y + 15, Y: y + 20, TextY: y + 34, Missing: !values[i].OK}
		w := scale(values[i].D)
		b.W = w.StringFixed(2)
		b.ValueX = w.Add(decimal.NewFromInt(chartLabelW + 6)).StringFixed(2)
		c.Bars = append(c.Bars, b)
	}
	c.ChartEnd = chartTop + len(labels)*chartRowH
	c.Height = c.ChartEnd + 4
	if median.OK {
		c.HasMedian = true
		x := scale(median.D).Add(decimal.NewFromInt(chartLabelW))
		c.MedianX = x.StringFixed(2)
		c.MedianLabel = "median " + numfmt.Figure(median, unit)
		c.MedianAnchor = "middle"
		if x.Cmp(decimal.NewFromInt(chartWidth-70)) > 0 {
			c.MedianAnchor = "end"
		} else if x.Cmp(decimal.NewFromInt(chartLabelW+70)) < 0 {
			c.MedianAnchor = "start"
		}
	}
	return c
}
