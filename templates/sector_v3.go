package templates

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ictledger/ictledger/calculators"
)

// SectorTemplateV3 is the sector report whose metric sections a reader
// can follow operator by operator: each metric is one ranked table in
// which every row carries its operator's bar on a common axis, so the
// chart and the ranking share one order and every bar is labelled; a
// table is kept on one page when it fits, and otherwise breaks under a
// repeated header with its median row kept beside its last operator.
// Sections follow one another instead of each starting a page, the
// cover names every administration with its filing deadline, and the
// embedded proof's file specification carries its name in /F as well as
// /UF. New sector reports use this version; sector_v1 and sector_v2 still
// render as they were issued.
const SectorTemplateV3 = "sector_v3"

// RenderSectorReportV3 draws the sector report in layout sector_v3 and
// embeds attachment as AttachmentName. The same view model and
// attachment always give the same bytes.
func RenderSectorReportV3(r *SectorReport, attachment []byte) ([]byte, error) {
	if r == nil {
		return nil, errors.New("render sector report: no view model")
	}
	if r.Record != nil {
		return nil, fmt.Errorf("render sector report %s: layout %s draws the returns attached, and the view model names a record", r.Period, SectorTemplateV3)
	}
	return renderSectorV3(r, attachment, SectorTemplateV3)
}

// renderSectorV3 draws the blocks of sector_v3 in layout template, and
// for a recorded view (sector_v4) the appendix of its record.
func renderSectorV3(r *SectorReport, attachment []byte, template string) ([]byte, error) {
	if r.LedgerTime.IsZero() {
		return nil, errNoLedgerTime
	}
	d := newDoc(docMeta{
		title:      "Sector report · " + sectorScope(r),
		period:     r.Period,
		root:       r.Checkpoint.Root,
		size:       r.Checkpoint.Size,
		template:   template,
		subject:    fmt.Sprintf("ICT sector sustainability report, %s, %s", sectorScope(r), r.Period),
		ledgerTime: r.LedgerTime,
	}, attachment)
	d.pdf.AddPage()
	sectorCoverV3(d, r)
	// No forced page breaks from here on: each section starts a page only
	// when it would not fit in what is left of the current one.
	sectorStatusV3(d, r)
	sectorTotalsV3(d, r)
	for _, m := range r.Metrics {
		rankedBars(d, m)
	}
	sectorNotes(d, r)
	if r.Record != nil {
		recordAppendix(d, r.Record, r.Checkpoint.Size)
	}
	b, err := d.namedBytes()
	if err != nil {
		return nil, fmt.Errorf("render sector report %s: %w", r.Period, err)
	}
	return b, nil
}

func sectorCoverV3(d *doc, r *SectorReport) {
	p := d.pdf
	p.Ln(6)
	d.gray(90)
	d.font(false, 10)
	p.CellFormat(contentW, 5, "Sustainability of the ICT sector · regulator's report", "", 1, "L", false, 0, "")
	d.gray(0)
	d.font(true, 22)
	p.Bookmark("Sector report", 0, -1)
	p.CellFormat(contentW, 10, "Sector report", "", 1, "L", false, 0, "")
	d.font(false, 12)
	p.CellFormat(contentW, 6, clean(sectorScope(r)+" · "+periodName(r.Period)), "", 1, "L", false, 0, "")
	p.Ln(6)

	counts := map[string]int{}
	late := 0
	for _, s := range r.Status {
		counts[s.State]++
		if s.Late {
			late++
		}
	}
	// sector_v3 lists every operator registered; a recorded view
	// (sector_v4) those due for the quarter, as the status page does.
	listed := "registered"
	if r.Record != nil {
		listed = "due"
	}
	kv := [][2]string{{"Scope", sectorScope(r)}}
	if r.Administration != "" && len(r.Administrations) == 0 {
		kv = append(kv, [2]string{"Administration", r.Administration})
	}
	d.kvTable(append(kv, [][2]string{
		{"Period", periodName(r.Period)},
		{"Operators", fmt.Sprintf("%d %s: %d accepted, %d submitted, %d returned, %d missing; %d late",
			len(r.Status), listed, counts["accepted"], counts["submitted"], counts["returned"], counts["missing"], late)},
		{"Factor set", factorSetLine(r)},
		{"Document date", formatTime(r.LedgerTime) + " (ledger time)"},
		{"Template", d.meta.template},
		{"Checkpoint", fmt.Sprintf("%s\ntree size %d\nroot hash %s", r.Checkpoint.Origin, r.Checkpoint.Size, r.Checkpoint.Root)},
	}...), 38)
	administrationsTable(d, r)
	if r.Record != nil {
		sectorRecordCover(d, r)
		return
	}
	d.subheading("How to verify this document", 10)
	d.para("Run \u201cictledger verify disclosure FILE.pdf\u201d with the ledger's public key, or send the file to POST /v1/verify. "+
		"The signed checkpoint is printed below and attached, with the entries the report derives from, as "+AttachmentName+".", 8)
	d.subheading("Signed checkpoint", 10)
	checkpointBlock(d, r.Checkpoint)
}

// administrationsTable lists the administrations the report covers and
// the deadline each set for the last quarter: lateness in the filing
// status is counted against the deadline of the operator's own country.
func administrationsTable(d *doc, r *SectorReport) {
	if len(r.Administrations) == 0 {
		return
	}
	var rs []row
	for _, a := range r.Administrations {
		name := a.Name
		if name == "" {
			name = "(no record)"
		}
		rs = append(rs, cells(a.CountryName+" ("+a.Country+")", name, a.Rule, formatMinute(a.Deadline)))
	}
	cols := []col{{title: "Country", w: 27}, {title: "Administration", w: 62}, {title: "Deadline rule", w: 59}, {title: "Filing deadline", w: 32}}
	title := "Administration and filing deadline"
	if len(r.Administrations) > 1 {
		title = "Administrations and filing deadlines"
	}
	d.subheading(title, min(d.tableHeight(cols, rs), pageBody-12))
	d.table(cols, rs)
}

// factorSetLine names the factor sets and the GWP the figures use, and
// says so when no return was filed, which leaves no factor set to name.
func factorSetLine(r *SectorReport) string {
	fs := r.FactorSet
	if fs == "" {
		fs = "none (no return in the period)"
	}
	if r.GWP == "" {
		// A recorded view without returns names no GWP set (sector_v4);
		// the earlier layouts always name one.
		return fs + methodologyNote(r.Methodology)
	}
	return fs + ", GWP-100 from " + r.GWP + methodologyNote(r.Methodology)
}

// filingTiming says whether s was filed on time. A return not filed is
// never "on time": before the deadline it is not filed yet, and the
// deadline is named; after it, it is late.
func filingTiming(s FilingStatus) string {
	switch {
	case s.Filed.IsZero() && s.Late:
		return "not filed, late"
	case s.Filed.IsZero() && s.Deadline.IsZero():
		return "not filed yet"
	case s.Filed.IsZero():
		return "not filed yet (due " + formatMinute(s.Deadline) + ")"
	case s.Late:
		return "late"
	}
	return "on time"
}

// formatMinute shows a deadline to the minute, in UTC.
func formatMinute(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func sectorStatusV3(d *doc, r *SectorReport) {
	if len(r.Status) == 0 {
		d.heading("Filing status", 20)
		d.noData("filing status (no operators registered)")
		return
	}
	var rs []row
	for _, s := range r.Status {
		filed, version := "", ""
		if !s.Filed.IsZero() {
			filed = formatTime(s.Filed)
		}
		if s.Version > 0 {
			version = fmt.Sprint(s.Version)
		}
		rs = append(rs, cells(s.Operator, s.ID, s.Country, s.State, filingTiming(s), version, filed))
	}
	cols := []col{
		{title: "Operator", w: 40}, {title: "Ledger id", w: 31, mono: true}, {title: "Country", w: 13},
		{title: "State", w: 16}, {title: "Timing", w: 36}, {title: "Ver.", w: 8, right: true}, {title: "Latest filing", w: 36},
	}
	d.heading("Filing status", min(d.tableHeight(cols, rs), pageBody-12))
	d.table(cols, rs)
}

func sectorTotalsV3(d *doc, r *SectorReport) {
	cols := []col{{title: "Indicator", w: 110}, {title: "Unit", w: 30}, {title: "Value", w: 40, right: true}}
	var rs []row
	for _, m := range r.Totals {
		rs = append(rs, cells(m.Label, unitLabel(m.Unit), m.Unit.Figure(m.Value)))
	}
	body := 10.0
	if len(rs) > 0 {
		body = d.tableHeight(cols, rs)
	}
	d.heading("Sector totals", min(body, pageBody-12))
	if len(rs) == 0 {
		d.noData("sector totals")
	} else {
		d.table(cols, rs)
	}
	d.note("Flows and emissions add up over the operators included; ratios are recomputed from the summed numerators and denominators.")
	for _, c := range r.Coverage {
		d.note(c)
	}
}

// tableHeight is the height d.table will take for cols and rs, wrapped as
// it wraps them.
func (d *doc) tableHeight(cols []col, rs []row) float64 {
	cols = fitCols(cols)
	h := d.headerHeight(cols) + 1.5
	for _, r := range rs {
		h += d.rowHeight(cols, r)
	}
	return h
}

// rankNotes says, one line per reason in order of appearance, why the
// operators without a value have none.
func rankNotes(m SectorMetric) []string {
	var reasons []string
	who := map[string][]string{}
	for _, o := range m.Rows {
		if o.Value.OK {
			continue
		}
		r := o.Reason
		if r == "" {
			r = "no reason given"
		}
		if _, ok := who[r]; !ok {
			reasons = append(reasons, r)
		}
		who[r] = append(who[r], o.Operator)
	}
	out := make([]string, 0, len(reasons))
	for _, r := range reasons {
		out = append(out, NA+", "+r+": "+strings.Join(who[r], ", ")+".")
	}
	return out
}

// rankCaption says in which order a metric's rows and bars run.
func rankCaption(m SectorMetric) string {
	switch m.Direction {
	case calculators.RankLower:
		return "Rank 1 is the lowest value; operators without a value come last. Dashed line: the sector median."
	case calculators.RankHigher:
		return "Rank 1 is the highest value; operators without a value come last. Dashed line: the sector median."
	}
	return "Not ranked: operators in the order of the filing status. Dashed line: the sector median."
}

// Column widths of a ranked bar table, in mm; the bars take the rest of
// the content width.
const (
	rbRankW = 10.0
	rbNameW = 52.0
	rbValW  = 26.0
	rbPadL  = 2.0 // between the value column and the bars' zero
	rbPadR  = 8.0 // room for the label of the axis's last tick
	rbBarH  = 2.4
)

// barTable is one metric drawn as a ranked table with a bar in each row.
type barTable struct {
	m      SectorMetric
	cols   []col
	ax     axis
	bars   bool    // some value can be drawn
	x0, w  float64 // the bars' zero and the width of the axis
	median float64
	hasMed bool
}

func newBarTable(m SectorMetric) *barTable {
	t := &barTable{m: m, cols: []col{
		{title: "Rank", w: rbRankW, right: true}, {title: "Operator", w: rbNameW}, numCol("Value", m.Unit, rbValW),
		{title: "", w: contentW - rbRankW - rbNameW - rbValW},
	}}
	hi := 0.0
	for _, o := range m.Rows {
		if f, ok := float(o.Value); ok {
			t.bars, hi = true, max(hi, f)
		}
	}
	if f, ok := float(m.Median); ok && t.bars {
		t.median, t.hasMed = max(f, 0), true
		hi = max(hi, f)
	}
	t.ax = niceAxis(hi)
	t.x0 = marginL + rbRankW + rbNameW + rbValW + rbPadL
	t.w = contentW - rbRankW - rbNameW - rbValW - rbPadL - rbPadR
	return t
}

func (t *barTable) xOf(v float64) float64 { return t.x0 + t.w*max(v, 0)/t.ax.max }

func (t *barTable) row(o OperatorValue) row {
	rank := ""
	if o.Rank > 0 {
		rank = fmt.Sprint(o.Rank)
	}
	return cells(rank, o.Operator, t.m.Unit.Figure(o.Value), "")
}

func (t *barTable) medianRow() row {
	return total("", "Sector median", t.m.Unit.Figure(t.m.Median), "")
}

// header draws the column titles with the axis's tick values over the
// bars.
func (t *barTable) header(d *doc) {
	p := d.pdf
	y0 := p.GetY()
	h := d.headerHeight(t.cols)
	d.tableHeader(t.cols)
	if !t.bars {
		return
	}
	d.font(true, headerSize)
	d.gray(30)
	for _, v := range t.ax.ticks()[1:] {
		// Zero goes unlabelled: the axis line marks it, and its label
		// would read as part of the value column's title.
		p.SetXY(t.xOf(v)-8, y0+h-tablePad-tableLine)
		p.CellFormat(16, tableLine, t.ax.label(v), "", 0, "C", false, 0, "")
	}
	d.gray(0)
	d.font(false, tableSize)
	p.SetXY(marginL, y0+h)
}

// bar draws, in the row that ends at the current position and is h mm
// tall, the gridlines, the median line behind the bar, and the bar of f
// (in palette colour c) when ok.
func (t *barTable) bar(d *doc, h, f float64, ok bool, c int) {
	if !t.bars {
		return
	}
	p := d.pdf
	y1 := p.GetY()
	y0 := y1 - h
	p.SetLineWidth(0.1)
	p.SetDrawColor(225, 225, 225)
	for _, v := range t.ax.ticks() {
		p.Line(t.xOf(v), y0, t.xOf(v), y1)
	}
	if t.hasMed {
		d.medianLine(t.xOf(t.median), y0, t.xOf(t.median), y1)
	}
	if ok {
		d.fill(c)
		// At the height of the row's first text line, so that a bar sits
		// beside its operator's name when the name wraps.
		by := y0 + tablePad + (tableLine-rbBarH)/2
		p.Rect(t.x0, by, t.xOf(f)-t.x0, rbBarH, "F")
	}
	p.SetDrawColor(90, 90, 90)
	p.SetLineWidth(0.2)
	p.Line(t.x0, y0, t.x0, y1)
}

// rankedBars draws one metric: its heading, why values are missing, and
// the ranked table with a bar per operator and the median row. The whole
// is kept on one page when it fits on one.
func rankedBars(d *doc, m SectorMetric) {
	t := newBarTable(m)
	notes := rankNotes(m)
	caption := rankCaption(m)
	rows := make([]row, len(m.Rows))
	heights := make([]float64, len(m.Rows))
	h := d.headerHeight(t.cols) + d.noteHeight(caption) + 1.5
	for _, n := range notes {
		h += d.noteHeight(n)
	}
	for i, o := range m.Rows {
		rows[i] = t.row(o)
		heights[i] = d.rowHeight(t.cols, rows[i])
		h += heights[i]
	}
	med := t.medianRow()
	medH := d.rowHeight(t.cols, med)
	h += medH
	d.heading(fmt.Sprintf("%s (%s)", m.Label, string(m.Unit)), min(h, pageBody-12))
	d.note(caption)
	for _, n := range notes {
		d.note(n)
	}
	first := medH
	if len(heights) > 0 {
		first = heights[0]
	}
	d.need(d.headerHeight(t.cols) + first)
	t.header(d)
	for i, o := range m.Rows {
		keep := heights[i]
		if i == len(m.Rows)-1 {
			keep += medH // the median row never stands alone on a page
		}
		if d.space() < keep {
			d.pdf.AddPage()
			t.header(d)
		}
		d.tableRow(t.cols, rows[i], false)
		f, ok := float(o.Value)
		t.bar(d, heights[i], f, ok, 0)
	}
	d.tableRow(t.cols, med, false)
	t.bar(d, medH, t.median, t.hasMed, medianColor)
	d.pdf.Ln(1.5)
}
