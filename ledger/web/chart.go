package web

import (
	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
)

// barChart is the geometry of a horizontal bar chart drawn as inline SVG
// by the template: one bar per operator, and a dashed line at the median.
// Coordinates are in the SVG's own units; the SVG scales to its box.
type barChart struct {
	Title, Unit     string
	Width, Height   int
	LabelW          int // the left column for operator names
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
	Y, TextY int
	W        string // bar width
	ValueX   string
	Missing  bool
}

const (
	chartWidth  = 640
	chartLabelW = 170
	chartRowH   = 26
	chartTop    = 28
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
	plotW := decimal.NewFromInt(chartWidth - chartLabelW - 80) // room for the value after the bar
	scale := func(d decimal.Decimal) decimal.Decimal {
		if maxV.Sign() <= 0 || d.Sign() <= 0 {
			return decimal.Zero
		}
		return d.Mul(plotW).DivRound(maxV, 2)
	}
	for i, l := range labels {
		y := chartTop + i*chartRowH
		b := bar{Label: l, Value: formatValue(values[i]), Y: y, TextY: y + chartRowH/2 + 4, Missing: !values[i].OK}
		w := scale(values[i].D)
		b.W = w.StringFixed(2)
		b.ValueX = w.Add(decimal.NewFromInt(chartLabelW + 6)).StringFixed(2)
		c.Bars = append(c.Bars, b)
	}
	c.ChartEnd = chartTop + len(labels)*chartRowH
	c.Height = c.ChartEnd + 10
	if median.OK {
		c.HasMedian = true
		x := scale(median.D).Add(decimal.NewFromInt(chartLabelW))
		c.MedianX = x.StringFixed(2)
		c.MedianLabel = "median " + formatValue(median)
		c.MedianAnchor = "middle"
		if x.Cmp(decimal.NewFromInt(chartWidth-90)) > 0 {
			c.MedianAnchor = "end"
		} else if x.Cmp(decimal.NewFromInt(chartLabelW+60)) < 0 {
			c.MedianAnchor = "start"
		}
	}
	return c
}
