package templates

import "strings"

// col is one table column.
type col struct {
	title string  // header text; "\n" starts a new header line
	w     float64 // width in mm
	right bool    // right-aligned (numbers)
	mono  bool    // monospace (hashes, ids)
}

// row is one table row; strong rows (totals) are bold with a rule above.
type row struct {
	cells  []string
	strong bool
}

func cells(c ...string) row { return row{cells: c} }
func total(c ...string) row { return row{cells: c, strong: true} }

// numCol is a right-aligned number column whose header names the unit.
func numCol(title string, u Unit, w float64) col {
	return col{title: unitHeader(title, u), w: w, right: true}
}

const (
	tableSize  = 7.0 // pt
	tableLine  = 3.2 // mm per text line
	tablePad   = 0.5 // mm above and below a row's text
	headerSize = 6.8
)

// table draws cols and rows at the current position. Text cells wrap
// within their column; a row that does not fit on the page goes to the
// next one, under a repeated header. Column widths are scaled to the
// content width when they do not add up to it.
func (d *doc) table(cols []col, rs []row) {
	cols = fitCols(cols)
	first := tableLine + 2*tablePad
	if d.v4() && len(rs) > 0 {
		first = d.rowHeight(cols, rs[0]) // a header never ends a page alone
	}
	d.need(d.headerHeight(cols) + first)
	d.tableHeader(cols)
	for i, r := range rs {
		if d.v4() && d.keepTail(cols, rs, i) {
			d.pdf.AddPage()
			d.tableHeader(cols)
		}
		d.tableRow(cols, r, true)
	}
	d.pdf.Ln(1.5)
}

// keepTail reports whether row i of rs must start a new page so that no
// row is left alone (disclosure_v4): a group's title row goes with the
// group's first row, the last two rows of a table of three or more go
// together, and the last row goes with the note that follows it
// (tableNote).
func (d *doc) keepTail(cols []col, rs []row, i int) bool {
	n := len(rs)
	switch {
	case i < n-1 && groupTitle(rs[i]):
		// The title and its first row, and with them what that row
		// keeps (the last row, the note) when it is near the end.
		need := d.rowHeight(cols, rs[i]) + d.rowHeight(cols, rs[i+1])
		switch {
		case i+1 == n-2:
			need += d.rowHeight(cols, rs[n-1]) + d.keepAfter
		case i+1 == n-1:
			need += d.keepAfter
		}
		return d.space() < need
	case i == n-2 && n >= 3:
		return d.space() < d.rowHeight(cols, rs[i])+d.rowHeight(cols, rs[i+1])+d.keepAfter
	case i == n-1 && d.keepAfter > 0:
		return d.space() < d.rowHeight(cols, rs[i])+d.keepAfter
	}
	return false
}

// groupTitle reports whether r titles the rows under it: a strong row
// with nothing but its first cell, such as "E1 Energy and emissions".
func groupTitle(r row) bool {
	if !r.strong || len(r.cells) == 0 {
		return false
	}
	for _, c := range r.cells[1:] {
		if c != "" {
			return false
		}
	}
	return true
}

// tableNote draws a table and the note under it. In disclosure_v4 the
// note is kept with the table's last row, so that it never stands alone
// at the top of a page; earlier layouts draw the two as they were issued.
func (d *doc) tableNote(cols []col, rs []row, note string) {
	if d.v4() {
		d.keepAfter = d.noteHeight(note) + 1.5
		defer func() { d.keepAfter = 0 }()
	}
	d.table(cols, rs)
	d.note(note)
}

// noteHeight is the height a note takes when drawn by note.
func (d *doc) noteHeight(text string) float64 {
	d.font(false, 7)
	n := len(d.wrap(clean(text), contentW-2*d.pdf.GetCellMargin()))
	d.font(false, 8)
	return float64(max(n, 1)) * 7 * 0.45
}

func fitCols(cols []col) []col {
	sum := 0.0
	for _, c := range cols {
		sum += c.w
	}
	if sum <= 0 {
		return cols
	}
	out := make([]col, len(cols))
	for i, c := range cols {
		c.w = c.w * contentW / sum
		out[i] = c
	}
	return out
}

func (d *doc) headerHeight(cols []col) float64 {
	d.font(true, headerSize)
	n := 1
	for _, c := range cols {
		if l := len(d.headerLines(c)); l > n {
			n = l
		}
	}
	d.font(false, tableSize)
	return float64(n)*tableLine + 2*tablePad
}

func (d *doc) tableHeader(cols []col) {
	p := d.pdf
	h := d.headerHeight(cols)
	x0, y0 := p.GetX(), p.GetY()
	p.SetFillColor(236, 238, 241)
	p.Rect(marginL, y0, contentW, h, "F")
	d.font(true, headerSize)
	d.gray(30)
	x := marginL
	for _, c := range cols {
		lines := d.headerLines(c)
		// Header text sits at the bottom of the header band.
		y := y0 + h - tablePad - float64(len(lines))*tableLine
		for _, l := range lines {
			p.SetXY(x, y)
			p.CellFormat(c.w, tableLine, l, "", 0, align(c), false, 0, "")
			y += tableLine
		}
		x += c.w
	}
	p.SetDrawColor(120, 120, 120)
	p.SetLineWidth(0.25)
	p.Line(marginL, y0+h, marginL+contentW, y0+h)
	p.SetXY(x0, y0+h)
	d.gray(0)
	d.font(false, tableSize)
}

// tableRow draws one row; on a page break it repeats the header when
// withHeader.
func (d *doc) tableRow(cols []col, r row, withHeader bool) {
	p := d.pdf
	d.font(r.strong, tableSize)
	wrapped := make([][]string, len(cols))
	n := 1
	for i, c := range cols {
		text := ""
		if i < len(r.cells) {
			text = clean(r.cells[i])
		}
		if c.mono {
			d.mono(tableSize - 0.5)
		}
		wrapped[i] = d.wrap(text, c.w)
		if c.mono {
			d.font(r.strong, tableSize)
		}
		if len(wrapped[i]) > n {
			n = len(wrapped[i])
		}
	}
	h := float64(n)*tableLine + 2*tablePad
	if d.regionV2() && h > d.space() && (h > d.freshRoom(cols, withHeader) || h > tallRowMin) {
		d.tallRow(cols, r, wrapped, withHeader)
		return
	}
	if d.space() < h {
		p.AddPage()
		if withHeader {
			d.tableHeader(cols)
		}
		d.font(r.strong, tableSize)
	}
	y0 := p.GetY()
	if r.strong {
		p.SetDrawColor(120, 120, 120)
		p.SetLineWidth(0.25)
		p.Line(marginL, y0, marginL+contentW, y0)
	}
	x := marginL
	for i, c := range cols {
		if c.mono {
			d.mono(tableSize - 0.5)
		}
		y := y0 + tablePad
		for _, l := range wrapped[i] {
			p.SetXY(x, y)
			p.CellFormat(c.w, tableLine, l, "", 0, align(c), false, 0, "")
			y += tableLine
		}
		if c.mono {
			d.font(r.strong, tableSize)
		}
		x += c.w
	}
	p.SetDrawColor(215, 215, 215)
	p.SetLineWidth(0.15)
	p.Line(marginL, y0+h, marginL+contentW, y0+h)
	p.SetXY(marginL, y0+h)
	d.font(false, tableSize)
}

// rowHeight is the height r takes when drawn in cols.
func (d *doc) rowHeight(cols []col, r row) float64 {
	n := 1
	for i, c := range cols {
		if i >= len(r.cells) {
			break
		}
		d.font(r.strong, tableSize)
		if c.mono {
			d.mono(tableSize - 0.5)
		}
		n = max(n, len(d.wrap(clean(r.cells[i]), c.w)))
	}
	d.font(false, tableSize)
	return float64(n)*tableLine + 2*tablePad
}

func align(c col) string {
	if c.right {
		return "R"
	}
	return "L"
}

// kvTable draws label/value pairs, label column labelW mm wide.
func (d *doc) kvTable(pairs [][2]string, labelW float64) {
	cols := []col{{w: labelW}, {w: contentW - labelW}}
	for _, kv := range pairs {
		d.tableRow(cols, cells(kv[0], kv[1]), false)
	}
	d.pdf.Ln(1.5)
}

// headerLines is a column's title wrapped to its width. From the layouts
// of the one number rule on (disclosure_v4, sector_v3, region_v1) the
// unit in brackets at its end stays on one line, so that "Scope 1
// emissions (t CO₂e)" does not break into "(t" and "CO₂e)"; the released
// layouts wrap as they were issued.
func (d *doc) headerLines(c col) []string {
	title := clean(c.title)
	if !d.numberRule() {
		return d.wrap(title, c.w)
	}
	const glue = "\u00a0"
	if i := strings.LastIndex(title, " ("); i >= 0 && strings.HasSuffix(title, ")") {
		title = title[:i+2] + strings.ReplaceAll(title[i+2:], " ", glue)
	}
	lines := d.wrap(title, c.w)
	for i, l := range lines {
		lines[i] = strings.ReplaceAll(l, glue, " ")
	}
	return lines
}

// freshRoom is the height a row has on a new page, under the repeated
// header when withHeader.
func (d *doc) freshRoom(cols []col, withHeader bool) float64 {
	room := pageBody
	if withHeader {
		room -= d.headerHeight(cols)
	}
	return room
}

// minTallLines is how many lines of a tall row tallRow starts on the
// current page; with less room it starts on the next.
const minTallLines = 3

// tallRowMin is the height in mm from which region_v2 cuts a row that
// does not fit in the room left on the page, rather than move it whole
// to the next: a quarter of a page, about twenty lines.
const tallRowMin = pageBody / 4

// tallRow draws a tall row (region_v2: a jurisdiction counting dozens or
// hundreds of operators) from the current position, its lines cut where
// the page ends and continued on the next under the repeated header when
// withHeader, with the first line of its first cell (a country's code)
// repeated at the top of each part. Each page holds some lines of the
// row, so the pages it takes grow with its lines only. wrapped are its
// cells, wrapped as tableRow wraps them.
func (d *doc) tallRow(cols []col, r row, wrapped [][]string, withHeader bool) {
	p := d.pdf
	n := 1
	for _, w := range wrapped {
		n = max(n, len(w))
	}
	newPage := func() {
		p.AddPage()
		if withHeader {
			d.tableHeader(cols)
		}
	}
	for from := 0; from < n; {
		fit := int((d.space() - 2*tablePad) / tableLine)
		if fit < minTallLines {
			newPage()
			fit = max(int((d.space()-2*tablePad)/tableLine), minTallLines)
		}
		to := min(n, from+fit)
		d.font(r.strong, tableSize)
		y0 := p.GetY()
		if r.strong && from == 0 {
			p.SetDrawColor(120, 120, 120)
			p.SetLineWidth(0.25)
			p.Line(marginL, y0, marginL+contentW, y0)
		}
		x := marginL
		for i, c := range cols {
			if c.mono {
				d.mono(tableSize - 0.5)
			}
			y := y0 + tablePad
			if i == 0 && from > 0 && from >= len(wrapped[i]) && len(wrapped[i]) > 0 {
				p.SetXY(x, y)
				p.CellFormat(c.w, tableLine, wrapped[i][0], "", 0, align(c), false, 0, "")
			}
			for k := from; k < to && k < len(wrapped[i]); k++ {
				p.SetXY(x, y)
				p.CellFormat(c.w, tableLine, wrapped[i][k], "", 0, align(c), false, 0, "")
				y += tableLine
			}
			if c.mono {
				d.font(r.strong, tableSize)
			}
			x += c.w
		}
		h := float64(to-from)*tableLine + 2*tablePad
		p.SetDrawColor(215, 215, 215)
		p.SetLineWidth(0.15)
		p.Line(marginL, y0+h, marginL+contentW, y0+h)
		p.SetXY(marginL, y0+h)
		if from = to; from < n {
			newPage()
		}
	}
	d.font(false, tableSize)
}
