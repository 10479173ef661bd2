package templates

import (
	"fmt"
	"math"

	"github.com/ictledger/ictledger/calculators"
)

// regionBar is one country's bar of a regional chart.
type regionBar struct {
	label string
	value calculators.Value
}

// countryBars draws one horizontal bar per country, in the order given,
// each labelled with its value, on a common axis from zero, with the
// median as a dashed line under the bars' labels (the caption names the
// unit and the median's value). It uses the axis, palette and caption
// of the other charts (chart.go). Unavailable values are written n/a;
// negative ones are drawn as zero. In region_v2 a chart of more than
// barsPerPage bars is drawn in parts of barsPerPage, one a page.
func (d *doc) countryBars(title string, bars []regionBar, median calculators.Value, u Unit) {
	hi, any := 0.0, false
	for _, b := range bars {
		if f, ok := float(b.value); ok {
			hi, any = math.Max(hi, f), true
		}
	}
	if !any {
		d.noData(title)
		return
	}
	if m, ok := float(median); ok {
		hi = math.Max(hi, m)
	}
	ax := niceAxis(hi)
	if d.regionV2() && len(bars) > barsPerPage {
		// One page's bars at a time, on the axis of them all, each part
		// titled with the jurisdictions it shows.
		for from := 0; from < len(bars); from += barsPerPage {
			to := min(len(bars), from+barsPerPage)
			d.countryBarsOn(fmt.Sprintf("%s · jurisdictions %d–%d of %d", title, from+1, to, len(bars)), bars[from:to], median, u, ax)
		}
		return
	}
	d.countryBarsOn(title, bars, median, u, ax)
}

// barsPerPage is how many bars of countryBars a page holds under the
// chart's title, with its axis labels (region_v2 continues a longer
// chart on the next page).
const barsPerPage = 50

// countryBarsOn draws countryBars' bars on the axis ax.
func (d *doc) countryBarsOn(title string, bars []regionBar, median calculators.Value, u Unit, ax axis) {
	const bar, gap, labelW, valueW = 3.4, 1.4, 18.0, 24.0
	h := float64(len(bars)) * (bar + gap)
	d.chartTitle(title, h+6)
	p := d.pdf
	x0, y0 := marginL+labelW, p.GetY()+1
	w := contentW - labelW - valueW
	xOf := func(v float64) float64 { return x0 + w*math.Max(v, 0)/ax.max }
	d.verticalGrid(ax, xOf, y0, h)
	if m, ok := float(median); ok {
		// Drawn first, so that the bars and their labels lie over it.
		d.medianLine(xOf(m), y0-0.5, xOf(m), y0+h+0.5)
	}
	d.font(false, 7)
	for i, b := range bars {
		y := y0 + float64(i)*(bar+gap) + gap/2
		p.SetXY(marginL, y+0.2)
		p.CellFormat(labelW-1.5, 3, d.fit(b.label, labelW-1.5), "", 0, "R", false, 0, "")
		f, ok := float(b.value)
		end := x0
		text := NA
		if ok {
			end, text = xOf(f), d.fig(u, b.value)
			d.fill(0)
			p.Rect(x0, y, end-x0, bar, "F")
		}
		p.SetFillColor(255, 255, 255)
		p.SetXY(end+0.6, y+0.2)
		p.CellFormat(p.GetStringWidth(text)+0.8, 3, text, "", 0, "C", true, 0, "")
	}
	p.SetDrawColor(90, 90, 90)
	p.SetLineWidth(0.2)
	p.Line(x0, y0, x0, y0+h)
	p.Line(x0, y0+h, x0+w, y0+h)
	d.font(false, 8)
	p.SetXY(marginL, y0+h+5)
}
