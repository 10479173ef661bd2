package web

import (
	"math"
	"strconv"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/numfmt"
)

// barChart is the geometry of a horizontal bar chart drawn as inline SVG
// by the template: one row per operator (or country), its name and value
// on a line above its bar, a value axis with ticks under the bars, and
// the median as a dashed line through the bars' band only, behind them,
// labelled above the first row. Across the chart, positions are
// percentages of the SVG's width, so that the chart fills its card at
// any width while its text keeps its size; down it, they are pixels.
type barChart struct {
	Title, Unit string
	Of          string // what a bar stands for: "operator", "country"
	MedianOf    string // whose median the dashed line is, in words
	Height      int
	Bars        []bar
	Ticks       []tick
	HasMedian   bool
	MedianX     string // percentage of the width
	MedianLabel string
	// MedianAnchor is the text-anchor of the median's label: it starts
	// or ends at the line near an edge of the chart, so it is never cut.
	MedianAnchor string
	AxisY        int // the value axis, under the last bar
	TickY        int // baseline of the tick labels
}

// bar is one row of a barChart.
type bar struct {
	Label string
	// Full is the name as a wide chart shows it (the stylesheet picks
	// Label or Full by the chart's width); "" when it is Label.
	Full    string
	Value   string // formatted, or "n/a"
	LabelY  int    // baseline of the name and value
	Y       int    // top of the bar
	BandY   int    // top of the band the gridlines and the median cross
	W       string // bar width, a percentage of the chart's
	Missing bool
}

// tick is one labelled value of a barChart's axis.
type tick struct {
	X      string // percentage of the width
	Label  string
	Anchor string // text-anchor: the end ticks stay inside the chart
}

const (
	chartTop  = 24 // room above the first row for the median's label
	chartRowH = 40
	chartBarH = 16
	// chartLabelW bounds a row's name and value, in widths of a Latin
	// letter (a CJK character counts two), so that both fit on one line
	// of a phone's screen (about 330 px of card at 390 px).
	chartLabelW = 40
	// chartFullW bounds them in a chart at least 42rem wide.
	chartFullW = 84
)

// newBarChart lays out values (one per label, unavailable ones shown as
// n/a without a bar) against a zero-based axis with 3 to 6 ticks.
func newBarChart(title, unit string, labels []string, values []calculators.Value, median calculators.Value) barChart {
	c := barChart{Title: title, Unit: unit}
	hi := 0.0
	for _, v := range values {
		hi = math.Max(hi, drawn(v))
	}
	hi = math.Max(hi, drawn(median))
	top, step, places := niceScale(hi)
	pct := func(f float64) string {
		return strconv.FormatFloat(100*math.Min(math.Max(f, 0), top)/top, 'f', 2, 64) + "%"
	}
	for i, l := range labels {
		y := chartTop + i*chartRowH
		var v calculators.Value
		if i < len(values) {
			v = values[i]
		}
		b := bar{Value: numfmt.Figure(v, unit), LabelY: y + 14, Y: y + 21, BandY: y + 18, W: pct(drawn(v)), Missing: !v.OK}
		b.Label = shorten(l, chartLabelW-textWidth(b.Value)-1)
		if full := shorten(l, chartFullW-textWidth(b.Value)-1); full != b.Label {
			b.Full = full
		}
		c.Bars = append(c.Bars, b)
	}
	c.AxisY = chartTop + len(labels)*chartRowH
	c.TickY = c.AxisY + 16
	c.Height = c.TickY + 6
	n := int(math.Round(top / step))
	for i := 0; i <= n; i++ {
		v := float64(i) * step
		t := tick{X: pct(v), Label: tickLabel(v, places), Anchor: "middle"}
		switch i {
		case 0:
			t.Anchor = "start"
		case n:
			t.Anchor = "end"
		}
		c.Ticks = append(c.Ticks, t)
	}
	if median.OK {
		c.HasMedian = true
		m := drawn(median)
		c.MedianX = pct(m)
		c.MedianLabel = "median " + numfmt.Figure(median, unit)
		c.MedianAnchor = "middle"
		if m > 0.8*top {
			c.MedianAnchor = "end"
		} else if m < 0.2*top {
			c.MedianAnchor = "start"
		}
	}
	return c
}

// drawn is a value as a length on the axis: negative and unavailable
// values (and any beyond float64) have none.
func drawn(v calculators.Value) float64 {
	if !v.OK {
		return 0
	}
	f := v.D.InexactFloat64()
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return 0
	}
	return f
}

// niceScale covers [0, hi] with a step of 1, 2, 2.5 or 5 x 10^k and 3 to
// 6 ticks: the axis's end, its step, and the decimal places its labels
// need.
func niceScale(hi float64) (top, step float64, places int32) {
	if hi <= 0 || math.IsNaN(hi) {
		hi = 1
	}
	hi = math.Min(math.Max(hi, 1e-9), 1e300)
	raw := hi / 4
	exp := math.Floor(math.Log10(raw))
	base := math.Pow(10, exp)
	step = 10 * base
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*base >= raw {
			step = m * base
			break
		}
	}
	if exp < 0 {
		places = int32(-exp)
	}
	if step/base == 2.5 && exp <= 0 {
		places++
	}
	return math.Ceil(hi/step-1e-9) * step, step, places
}

// tickLabel shows an axis value (never negative) with places decimals,
// its integer digits grouped by thousands as the values' are.
func tickLabel(v float64, places int32) string {
	return numfmt.Group(decimal.NewFromFloat(v).StringFixed(places), false)
}

// textWidth is how wide s is drawn, in widths of a Latin letter: wide
// (CJK) characters count two, combining marks nothing.
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

func runeWidth(r rune) int {
	switch {
	case unicode.In(r, unicode.Mn, unicode.Me):
		return 0
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul), r >= 0xFF00 && r <= 0xFF60, r >= 0x3000 && r <= 0x303F:
		return 2
	}
	return 1
}

// shorten cuts s to at most w widths, ending it with "…" when cut.
func shorten(s string, w int) string {
	if textWidth(s) <= w {
		return s
	}
	out, used := []rune{}, 0
	for _, r := range s {
		if used+runeWidth(r) > w-1 {
			break
		}
		out = append(out, r)
		used += runeWidth(r)
	}
	return string(out) + "…"
}
