package templates

import (
	"math"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
)

// Charts are drawn with gofpdf primitives at the current position, full
// content width. Geometry uses float64 (exact decimals are only for the
// printed numbers). A chart with nothing to show prints a one-line
// "no data for ..." instead of an empty frame.

// series is one named row of values, one per category, drawn in
// palette colour color (so that a series keeps its colour across charts).
type series struct {
	name   string
	color  int
	values []calculators.Value
}

// palette: Paul Tol's "bright" scheme, distinguishable in grey print and
// by colour-blind readers.
var palette = [...][3]int{
	{68, 119, 170}, {102, 204, 238}, {34, 136, 51}, {204, 187, 68},
	{238, 102, 119}, {170, 51, 119}, {187, 187, 187},
}

// paletteV4 is the palette of disclosure_v4: Paul Tol's "bright" scheme
// followed by five colours of his "muted" and "vibrant" schemes that
// differ from it, so that a chart of up to twelve parts (the energy
// domains and carriers) repeats no colour.
var paletteV4 = [...][3]int{
	{68, 119, 170}, {102, 204, 238}, {34, 136, 51}, {204, 187, 68},
	{238, 102, 119}, {170, 51, 119}, {187, 187, 187},
	{51, 34, 136}, {68, 170, 153}, {153, 153, 51}, {136, 34, 85}, {238, 119, 51},
}

// colors is the palette of the document's layout.
func (d *doc) colors() [][3]int {
	if d.v4() {
		return paletteV4[:]
	}
	return palette[:]
}

// color is palette colour i of the document's layout.
func (d *doc) color(i int) [3]int {
	cs := d.colors()
	return cs[i%len(cs)]
}

func (d *doc) fill(i int) {
	c := d.color(i)
	d.pdf.SetFillColor(c[0], c[1], c[2])
}

func (d *doc) noData(what string) { d.note("No data for " + what + ".") }

// float is a value as a chart coordinate. A value beyond float64 (one of
// more than 308 digits) is drawn as unavailable: it has no place on an
// axis, and sums or shares of it would be NaN.
func float(v calculators.Value) (float64, bool) {
	if !v.OK {
		return 0, false
	}
	f := v.D.InexactFloat64()
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// axis is a value axis from 0 to max with ticks every step.
type axis struct {
	max, step float64
	places    int32
}

// maxTicks bounds the ticks of an axis whatever its values: niceAxis
// makes 3 to 6, and ticks stops here even when float64 arithmetic would
// not (a step below the spacing of floats near max never moves v).
const maxTicks = 8

// minAxis and maxAxis bound the largest value of an axis: below minAxis
// a quarter of it can be 0, whose logarithm is -Inf, and above maxAxis
// the rounding up to a whole step can overflow to +Inf.
const (
	minAxis = 1e-300
	maxAxis = 1e300
)

// niceAxis covers [0, hi] with 3 to 6 ticks at 1, 2, 2.5 or 5 x 10^k.
func niceAxis(hi float64) axis {
	if hi <= 0 || math.IsNaN(hi) {
		hi = 1
	}
	hi = math.Min(math.Max(hi, minAxis), maxAxis) // +Inf too: a sum of huge values
	raw := hi / 4
	exp := math.Floor(math.Log10(raw))
	base := math.Pow(10, exp)
	step := base * 10
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*base >= raw {
			step = m * base
			break
		}
	}
	places := int32(0)
	if exp < 0 {
		places = int32(-exp)
	}
	if step/base == 2.5 && exp <= 0 {
		places++
	}
	return axis{max: math.Ceil(hi/step-1e-9) * step, step: step, places: places}
}

// ticks lists the values of the axis's ticks, 0 first. They are summed
// step by step, as the charts have always placed them.
func (a axis) ticks() []float64 {
	var out []float64
	for v := 0.0; len(out) < maxTicks && v <= a.max+a.step/2; v += a.step {
		out = append(out, v)
	}
	return out
}

func (a axis) label(v float64) string {
	return formatFixed(decimal.NewFromFloat(v), a.places)
}

// legend draws a swatch and the name of each series in a row from x, y,
// wrapping at the margin; it returns the height used.
func (d *doc) legend(x, y float64, ss []series) float64 {
	p := d.pdf
	d.font(false, 6.5)
	cx, cy := x, y
	for _, s := range ss {
		n := s.name
		w := 4 + p.GetStringWidth(clean(n)) + 4
		if cx+w > marginL+contentW {
			cx, cy = x, cy+3.5
		}
		d.fill(s.color)
		p.Rect(cx, cy+0.6, 2.4, 2.4, "F")
		p.SetXY(cx+2.8, cy)
		p.CellFormat(w-2.8, 3.5, clean(n), "", 0, "L", false, 0, "")
		cx += w
	}
	d.font(false, 8)
	return cy + 3.5 - y
}

// chartTitle writes a chart's caption and keeps it with the chart.
func (d *doc) chartTitle(title string, h float64) {
	d.need(h + 6)
	p := d.pdf
	p.Ln(1)
	d.font(true, 7.5)
	p.CellFormat(contentW, 4, clean(title), "", 1, "L", false, 0, "")
	d.font(false, 8)
}

// shareBar draws parts as one 100 % stacked bar with a legend giving each
// part's value and share.
func (d *doc) shareBar(title string, parts []Amount, u Unit) {
	var sum float64
	var legend []series
	var vals []float64
	for _, a := range parts {
		if f, ok := float(a.Value); ok && f > 0 {
			sum += f
		}
	}
	if sum <= 0 {
		d.noData(title)
		return
	}
	if d.v4() {
		parts = mergeTail(parts, len(d.colors()))
	}
	for _, a := range parts {
		f, ok := float(a.Value)
		if !ok || f <= 0 {
			f = 0
		}
		legend = append(legend, series{
			name:  a.Label + " " + d.fig(u, a.Value) + " " + string(u) + " (" + formatFixed(decimal.NewFromFloat(f/sum*100), 1) + " %)",
			color: len(vals),
		})
		vals = append(vals, f)
	}
	d.chartTitle(title, 18)
	p := d.pdf
	y := p.GetY() + 0.5
	x := marginL
	for i, f := range vals {
		w := contentW * f / sum
		d.fill(i)
		p.Rect(x, y, w, 6, "F")
		x += w
	}
	h := d.legend(marginL, y+7.5, legend)
	p.SetXY(marginL, y+7.5+h+2)
}

// plot is the frame of a chart with a value axis: the plot area and the
// axis, with gridlines and tick labels already drawn.
type plot struct {
	x, y, w, h float64 // plot area, mm
	ax         axis
}

func (pl plot) yOf(v float64) float64 { return pl.y + pl.h - pl.h*v/pl.ax.max }

// valueFrame draws a vertical value axis with gridlines for values up to hi
// and returns the plot area, leaving room below for category labels.
func (d *doc) valueFrame(hi float64, u Unit, h float64) plot {
	p := d.pdf
	ax := niceAxis(hi)
	pl := plot{x: marginL + 16, y: p.GetY() + 5, w: contentW - 16, h: h, ax: ax}
	d.font(false, 6)
	p.SetLineWidth(0.1)
	for _, v := range ax.ticks() {
		y := pl.yOf(v)
		p.SetDrawColor(220, 220, 220)
		p.Line(pl.x, y, pl.x+pl.w, y)
		p.SetXY(marginL, y-1.5)
		p.CellFormat(15, 3, ax.label(v), "", 0, "R", false, 0, "")
	}
	p.SetDrawColor(90, 90, 90)
	p.SetLineWidth(0.2)
	p.Line(pl.x, pl.y, pl.x, pl.y+pl.h)
	p.Line(pl.x, pl.y+pl.h, pl.x+pl.w, pl.y+pl.h)
	// Unit label above the axis.
	p.SetXY(marginL, pl.y-5)
	p.CellFormat(15, 3, clean(string(u)), "", 0, "R", false, 0, "")
	d.font(false, 8)
	return pl
}

// maxOf is the largest available value of the series, and whether there
// is any.
func maxOf(ss []series) (float64, bool) {
	hi, any := 0.0, false
	for _, s := range ss {
		for _, v := range s.values {
			if f, ok := float(v); ok {
				any = true
				hi = math.Max(hi, f)
			}
		}
	}
	return hi, any
}

// columns draws grouped vertical bars: one group per category, one bar per
// series. Negative values are drawn as zero-height bars.
func (d *doc) columns(title string, cats []string, ss []series, u Unit) {
	hi, any := maxOf(ss)
	if !any || len(cats) == 0 {
		d.noData(title)
		return
	}
	const h = 42.0
	d.chartTitle(title, h+14)
	p := d.pdf
	pl := d.valueFrame(hi, u, h)
	gw := pl.w / float64(len(cats))
	bw := gw * 0.8 / float64(len(ss))
	d.font(false, 6)
	for ci, c := range cats {
		gx := pl.x + gw*float64(ci) + gw*0.1
		for si, s := range ss {
			if ci >= len(s.values) {
				continue
			}
			f, ok := float(s.values[ci])
			if !ok {
				p.SetXY(gx+bw*float64(si), pl.y+pl.h-3)
				p.CellFormat(bw, 3, NA, "", 0, "C", false, 0, "")
				continue
			}
			f = math.Max(f, 0)
			d.fill(s.color)
			p.Rect(gx+bw*float64(si), pl.yOf(f), bw, pl.y+pl.h-pl.yOf(f), "F")
		}
		p.SetXY(pl.x+gw*float64(ci), pl.y+pl.h+0.5)
		p.CellFormat(gw, 3, clean(c), "", 0, "C", false, 0, "")
	}
	lh := d.legend(pl.x, pl.y+pl.h+4.5, ss)
	p.SetXY(marginL, pl.y+pl.h+4.5+lh+2)
}

// line draws one series as a line over the categories, with each point's
// value; unavailable points leave a gap.
func (d *doc) line(title string, cats []string, s series, u Unit) {
	hi, any := maxOf([]series{s})
	if !any || len(cats) == 0 {
		d.noData(title)
		return
	}
	if u == UnitPct {
		hi = math.Max(hi, 10)
		hi = math.Min(math.Max(hi*1.15, hi), 100)
	}
	const h = 34.0
	d.chartTitle(title, h+8)
	p := d.pdf
	pl := d.valueFrame(hi, u, h)
	gw := pl.w / float64(len(cats))
	c := d.color(s.color)
	p.SetDrawColor(c[0], c[1], c[2])
	p.SetFillColor(c[0], c[1], c[2])
	p.SetLineWidth(0.5)
	d.font(false, 6)
	prevX, prevY, prevOK := 0.0, 0.0, false
	for ci, cat := range cats {
		x := pl.x + gw*(float64(ci)+0.5)
		var v calculators.Value
		if ci < len(s.values) {
			v = s.values[ci]
		}
		f, ok := float(v)
		if ok {
			y := pl.yOf(math.Max(f, 0))
			if prevOK {
				p.Line(prevX, prevY, x, y)
			}
			p.Circle(x, y, 0.7, "F")
			p.SetXY(x-gw/2, y-4)
			p.CellFormat(gw, 3, d.fig(u, v), "", 0, "C", false, 0, "")
			prevX, prevY = x, y
		} else {
			p.SetXY(x-gw/2, pl.y+pl.h-3.5)
			p.CellFormat(gw, 3, NA, "", 0, "C", false, 0, "")
		}
		prevOK = ok
		p.SetXY(x-gw/2, pl.y+pl.h+0.5)
		p.CellFormat(gw, 3, clean(cat), "", 0, "C", false, 0, "")
	}
	p.SetLineWidth(0.2)
	d.font(false, 8)
	p.SetXY(marginL, pl.y+pl.h+5)
}

// hStacked draws one horizontal bar per category, stacked by series, on a
// common value axis.
func (d *doc) hStacked(title string, cats []string, ss []series, u Unit) {
	sums := make([]float64, len(cats))
	any := false
	for _, s := range ss {
		for ci := range cats {
			if ci < len(s.values) {
				if f, ok := float(s.values[ci]); ok && f > 0 {
					sums[ci] += f
					any = true
				}
			}
		}
	}
	if !any {
		d.noData(title)
		return
	}
	hi := 0.0
	for _, s := range sums {
		hi = math.Max(hi, s)
	}
	const bar, gap = 4.0, 1.5
	labelW := 34.0
	if d.v4() {
		labelW = d.labelColumn(cats, 6)
	}
	h := float64(len(cats)) * (bar + gap)
	d.chartTitle(title, h+12)
	p := d.pdf
	ax := niceAxis(hi)
	x0, y0 := marginL+labelW, p.GetY()+1
	w := contentW - labelW - 6
	xOf := func(v float64) float64 { return x0 + w*v/ax.max }
	d.verticalGrid(ax, xOf, y0, h)
	for ci, c := range cats {
		y := y0 + float64(ci)*(bar+gap) + gap/2
		p.SetXY(marginL, y+0.5)
		lab := clean(c)
		if d.meta.template == OperatorTemplateV3 || d.v4() {
			// From disclosure_v3 on a long label is cut to its column;
			// earlier layouts let it run past the margin, as issued.
			lab = d.fit(c, labelW-1)
		}
		p.CellFormat(labelW-1, 3, lab, "", 0, "R", false, 0, "")
		x := x0
		for _, s := range ss {
			if ci >= len(s.values) {
				continue
			}
			if f, ok := float(s.values[ci]); ok && f > 0 {
				d.fill(s.color)
				p.Rect(x, y, w*f/ax.max, bar, "F")
				x += w * f / ax.max
			}
		}
	}
	p.SetDrawColor(90, 90, 90)
	p.SetLineWidth(0.2)
	p.Line(x0, y0, x0, y0+h)
	p.Line(x0, y0+h, x0+w, y0+h)
	p.SetXY(x0+w-20, y0+h+3.5)
	p.CellFormat(20, 3, clean(string(u)), "", 0, "R", false, 0, "")
	lh := d.legend(x0, y0+h+4, ss)
	d.font(false, 8)
	p.SetXY(marginL, y0+h+4+lh+2)
}

// Bounds of the label column of a horizontal bar chart in disclosure_v4:
// at least as wide as disclosure_v1 drew it, at most 45 % of the content
// width, so that the bars keep most of the page.
const (
	minLabelW = 34.0
	maxLabelW = contentW * 0.45
)

// labelColumn is the width in mm of a column that holds each of labels
// whole at size points, within minLabelW and maxLabelW; a label wider
// than maxLabelW is cut with an ellipsis by the caller.
func (d *doc) labelColumn(labels []string, size float64) float64 {
	d.font(false, size)
	w := minLabelW
	for _, l := range labels {
		w = math.Max(w, d.pdf.GetStringWidth(clean(l))+2*d.pdf.GetCellMargin()+1.5)
	}
	d.font(false, 8)
	return math.Min(w, maxLabelW)
}

// mergeTail keeps the first n-1 parts of a breakdown and sums the rest
// into one "Others" part, so that a chart of at most n colours gives each
// part its own colour. Parts that are unavailable or not positive are not
// summed.
func mergeTail(parts []Amount, n int) []Amount {
	if len(parts) <= n {
		return parts
	}
	acc := decimal.Zero
	for _, a := range parts[n-1:] {
		if a.Value.OK && a.Value.D.Sign() > 0 {
			acc = acc.Add(a.Value.D)
		}
	}
	out := append([]Amount{}, parts[:n-1]...)
	return append(out, Amount{Label: "Others (" + formatInt(int64(len(parts)-n+1)) + " parts)", Value: calculators.Some(acc)})
}

// spread draws the operators' values of one metric as columns sorted from
// high to low, with the median as a dashed line; unavailable values are
// left out.
func (d *doc) spread(title string, vals []calculators.Value, median calculators.Value, u Unit) {
	var fs []float64
	for _, v := range vals {
		if f, ok := float(v); ok {
			fs = append(fs, math.Max(f, 0))
		}
	}
	if len(fs) == 0 {
		d.noData(title)
		return
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(fs)))
	hi := fs[0]
	const h = 30.0
	d.chartTitle(title, h+10)
	p := d.pdf
	pl := d.valueFrame(hi, u, h)
	gw := pl.w / float64(len(fs))
	d.fill(0)
	for i, f := range fs {
		p.Rect(pl.x+gw*float64(i)+gw*0.15, pl.yOf(f), gw*0.7, pl.y+pl.h-pl.yOf(f), "F")
	}
	d.font(false, 6)
	if m, ok := float(median); ok {
		y := pl.yOf(math.Max(m, 0))
		d.medianLine(pl.x, y, pl.x+pl.w, y)
		c := palette[medianColor]
		p.SetTextColor(c[0], c[1], c[2])
		p.SetXY(pl.x+pl.w-40, y-3.2)
		p.CellFormat(40, 3, "median "+d.fig(u, median), "", 0, "R", false, 0, "")
		d.gray(0)
		p.SetLineWidth(0.2)
	}
	p.SetXY(pl.x, pl.y+pl.h+0.5)
	p.CellFormat(pl.w, 3, clean(formatInt(int64(len(fs)))+" operators, highest first"), "", 0, "C", false, 0, "")
	d.font(false, 8)
	p.SetXY(marginL, pl.y+pl.h+5)
}

// medianColor is the palette colour a median is drawn in.
const medianColor = 4

// medianLine draws a median as every chart marks it: a dashed line in
// medianColor, 0.35 mm wide, from (x1, y1) to (x2, y2). It leaves the
// line width and colour set.
func (d *doc) medianLine(x1, y1, x2, y2 float64) {
	p := d.pdf
	c := palette[medianColor]
	p.SetDrawColor(c[0], c[1], c[2])
	p.SetLineWidth(0.35)
	p.SetDashPattern([]float64{1.2, 0.8}, 0)
	p.Line(x1, y1, x2, y2)
	p.SetDashPattern(nil, 0)
}

// verticalGrid draws, for a horizontal bar chart of height h from y0, a
// light gridline at each of ax's ticks and the tick's value below it.
func (d *doc) verticalGrid(ax axis, xOf func(float64) float64, y0, h float64) {
	p := d.pdf
	d.font(false, 6)
	p.SetLineWidth(0.1)
	for _, v := range ax.ticks() {
		p.SetDrawColor(220, 220, 220)
		p.Line(xOf(v), y0, xOf(v), y0+h)
		p.SetXY(xOf(v)-10, y0+h+0.5)
		p.CellFormat(20, 3, ax.label(v), "", 0, "C", false, 0, "")
	}
}
