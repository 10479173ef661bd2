package templates

import (
	"errors"
	"fmt"
	"strings"
)

// RegionTemplateVersion is the layout of the public regional report
// drawn by RenderRegionReport. Once released, nothing may change what
// region_v1.go and chart_region.go draw for it (templates/testdata pins
// the bytes); a changed report is a new version.
const RegionTemplateVersion = "region_v1"

// RenderRegionReport draws the public regional report of
// docs/spec/disclosure.md in layout region_v1 and embeds attachment as
// AttachmentName. The same view model and attachment always give the
// same bytes.
func RenderRegionReport(r *RegionReport, attachment []byte) ([]byte, error) {
	if r == nil {
		return nil, errors.New("render regional report: no view model")
	}
	return renderRegionReport(r, attachment, RegionTemplateVersion)
}

// renderRegionReport draws r in layout template: region_v1, or
// region_v2 for a view model with a Record.
func renderRegionReport(r *RegionReport, attachment []byte, template string) ([]byte, error) {
	if r.LedgerTime.IsZero() {
		return nil, errNoLedgerTime
	}
	d := newDoc(docMeta{
		title:      "Regional report",
		period:     r.Period,
		root:       r.Checkpoint.Root,
		size:       r.Checkpoint.Size,
		template:   template,
		subject:    "ICT sector sustainability across the region, " + r.Period,
		ledgerTime: r.LedgerTime,
	}, attachment)
	d.pdf.AddPage()
	regionCover(d, r)
	d.pdf.AddPage()
	regionCoverageTable(d, r)
	regionTotals(d, r)
	regionSums(d, r)
	regionIntensities(d, r)
	if d.regionV2() {
		d.pdf.AddPage() // the entry and its proof, of at most 64 hashes, take one page
		recordAppendix(d, r.Record, r.Checkpoint.Size)
	}
	b, err := d.namedBytes()
	if err != nil {
		return nil, fmt.Errorf("render regional report %s: %w", r.Period, err)
	}
	return b, nil
}

// oneOperatorMark flags, in the tables and charts, a country whose
// figures are one operator's: they are that operator's, not a sector's.
const oneOperatorMark = " *"

const oneOperatorNote = "* One operator counted: the figure is that operator's, not a national sector's."

func regionCover(d *doc, r *RegionReport) {
	p := d.pdf
	p.Ln(14)
	d.gray(90)
	d.font(false, 10)
	p.CellFormat(contentW, 5, "Sustainability of the ICT sector · public regional report", "", 1, "L", false, 0, "")
	d.gray(0)
	d.font(true, 22)
	p.Bookmark("Regional report", 0, -1)
	p.CellFormat(contentW, 10, "Regional report", "", 1, "L", false, 0, "")
	d.font(false, 12)
	p.CellFormat(contentW, 6, clean(periodName(r.Period)), "", 1, "L", false, 0, "")
	p.Ln(8)
	c := r.Coverage
	factors := r.FactorSet
	if factors == "" {
		factors = "none (no accepted return)"
	} else {
		factors += ", GWP-100 from " + r.GWP
	}
	if d.regionV2() {
		rec := r.Record
		methodology := regionMethodology(r.Methodology)
		if r.Methodology == "" {
			methodology = "none (no accepted return)" // a record names the methodologies of its counted returns only
		}
		d.kvTable([][2]string{
			{"Scope", regionScope(len(r.Countries))},
			{"Period", periodName(r.Period)},
			{"Basis", "Accepted returns only: nothing submitted, returned or superseded is counted."},
			{"Operators", fmt.Sprintf("%d due, %d filed, %d accepted and counted", c.Due, c.Filed, c.Accepted)},
			{"Methodology", methodology},
			{"Factor sets", factors},
			{"Figures", fmt.Sprintf("as the ledger recorded them in entry %d (region.recorded): the view of its first %d entries\ntree hash %s", rec.Entry.Seq, rec.At, rec.Root)},
			{"Document date", formatTime(r.LedgerTime) + " (ledger time of the record)"},
			{"Template", d.meta.template},
			{"Checkpoint", fmt.Sprintf("%s\ntree size %d\nroot hash %s", r.Checkpoint.Origin, r.Checkpoint.Size, r.Checkpoint.Root)},
		}, 38)
		regionRecordCover(d, r)
		return
	}
	d.kvTable([][2]string{
		{"Scope", regionScope(len(r.Countries))},
		{"Period", periodName(r.Period)},
		{"Basis", "Accepted returns only: nothing submitted, returned or superseded is counted or attached."},
		{"Operators", fmt.Sprintf("%d due, %d filed, %d accepted and counted", c.Due, c.Filed, c.Accepted)},
		{"Methodology", regionMethodology(r.Methodology)},
		{"Factor sets", factors},
		{"Document date", formatTime(r.LedgerTime) + " (ledger time)"},
		{"Template", d.meta.template},
		{"Checkpoint", fmt.Sprintf("%s\ntree size %d\nroot hash %s", r.Checkpoint.Origin, r.Checkpoint.Size, r.Checkpoint.Root)},
	}, 38)
	d.subheading("How to verify this document", 10)
	d.para("Run \u201cictledger verify disclosure FILE.pdf\u201d with the ledger's public key, or send the file to POST /v1/verify. "+
		"The signed checkpoint is printed below and attached, with the accepted returns and reviews the report derives from, as "+AttachmentName+". "+
		"How many operators filed is the ledger's count when the document was made: returns not accepted are not attached.", 8)
	d.subheading("Signed checkpoint", 10)
	checkpointBlock(d, r.Checkpoint)
}

// regionMethodology names the methodology of a document's returns
// (empty is 2025.1) and the roll-up its sums follow, which is always
// the corrected one (calculators.Sector).
func regionMethodology(m string) string {
	if m == "" {
		m = "2025.1"
	}
	return "Returns computed under methodology " + m + " (that of their factor sets); jurisdictions summed by the roll-up of methodology 2026.1 " +
		"(data centres kept per operator, each ratio over the operators that filed both its terms), ratios recomputed from the sums"
}

// regionLabel is a country as the charts and tables label it.
func regionLabel(c RegionCountry) string {
	if c.Coverage.Accepted == 1 {
		return c.Country + oneOperatorMark
	}
	return c.Country
}

func regionCoverageTable(d *doc, r *RegionReport) {
	d.heading("Coverage by jurisdiction", 20)
	if len(r.Countries) == 0 {
		d.noData("any jurisdiction (no accepted return for this period)")
		return
	}
	d.para("Each jurisdiction's figures count its operators' accepted returns only. Due are the operators registered to file "+
		"for the period; filed, those that filed any version of it; accepted, those whose latest version is accepted.", 8)
	var rs []row
	for _, c := range r.Countries {
		name := c.Name
		if name == c.Country {
			name = "no record of its administration"
		}
		rs = append(rs, cells(regionLabel(c), name, fmt.Sprint(c.Coverage.Due), fmt.Sprint(c.Coverage.Filed),
			fmt.Sprint(c.Coverage.Accepted), strings.Join(c.Coverage.Counted, ", ")))
	}
	rc := r.Coverage
	rs = append(rs, total("Region", "", fmt.Sprint(rc.Due), fmt.Sprint(rc.Filed), fmt.Sprint(rc.Accepted), ""))
	cols := []col{
		{title: "Code", w: 12}, {title: "Administration", w: 70}, {title: "Due", w: 12, right: true},
		{title: "Filed", w: 12, right: true}, {title: "Accepted", w: 16, right: true}, {title: "Operators counted", w: 58},
	}
	if d.regionV2() {
		// The operators' names make the rows' height: their column
		// takes half the page.
		cols[1].w, cols[5].w = 38, 90
	}
	d.table(cols, rs)
	d.note(oneOperatorNote)
	if rc.Due > rc.Accepted {
		d.note(fmt.Sprintf("%d of the region's %d operators due are not counted: their returns for the period are missing, under review or returned.",
			rc.Due-rc.Accepted, rc.Due))
	}
	for _, s := range r.Partial {
		d.note(s)
	}
}

func regionTotals(d *doc, r *RegionReport) {
	d.heading("Region totals", 20)
	if len(r.Countries) == 0 {
		d.noData("the region")
		return
	}
	var rs []row
	for _, m := range r.Metrics {
		median := ""
		if m.Intensity {
			median = m.Unit.Figure(m.Median)
		}
		rs = append(rs, cells(m.Label, unitLabel(m.Unit), m.Unit.Figure(m.Region), median, fmt.Sprint(m.Reporting)))
	}
	d.table([]col{
		{title: "Indicator", w: 78}, {title: "Unit", w: 22}, {title: "Region", w: 28, right: true},
		{title: "Median of\njurisdictions", w: 28, right: true}, {title: "Juris-\ndictions", w: 24, right: true},
	}, rs)
	d.note("Flows and emissions add up over the operators counted; the region's ratios are recomputed from the summed numerators and denominators, not averaged.")
}

// regionSums tables the summed figures (those that are not intensities)
// of each country, one row per country.
func regionSums(d *doc, r *RegionReport) {
	var idx []int
	for i, m := range r.Metrics {
		if !m.Intensity {
			idx = append(idx, i)
		}
	}
	if len(r.Countries) == 0 || len(idx) == 0 {
		return
	}
	d.heading("Sums by jurisdiction", 20)
	cols := []col{{title: "Code", w: 16}}
	w := (contentW - 16) / float64(len(idx))
	for _, i := range idx {
		cols = append(cols, numCol(r.Metrics[i].Label, r.Metrics[i].Unit, w))
	}
	var rs []row
	for _, c := range r.Countries {
		cs := []string{regionLabel(c)}
		for _, i := range idx {
			cs = append(cs, r.Metrics[i].Unit.Figure(c.Figures[i]))
		}
		rs = append(rs, cells(cs...))
	}
	ts := []string{"Region"}
	for _, i := range idx {
		ts = append(ts, r.Metrics[i].Unit.Figure(r.Metrics[i].Region))
	}
	d.table(cols, append(rs, total(ts...)))
}

// regionIntensities draws, for each intensity, the countries' values as
// bars against the median of the countries, with the region's own value
// recomputed from its sums.
func regionIntensities(d *doc, r *RegionReport) {
	if len(r.Countries) == 0 {
		return
	}
	d.heading("Intensities by jurisdiction", 60)
	d.para("Each bar is a jurisdiction's ratio recomputed from its operators' summed terms; the dashed line is the median of the "+
		"jurisdictions that report it. "+oneOperatorNote, 8)
	labels := make([]string, len(r.Countries))
	for i, c := range r.Countries {
		labels[i] = regionLabel(c)
	}
	for i, m := range r.Metrics {
		if !m.Intensity {
			continue
		}
		if m.Reporting == 0 {
			d.note(fmt.Sprintf("%s (%s): no jurisdiction has a value for this period.", m.Label, string(m.Unit)))
			continue
		}
		vals := make([]regionBar, len(r.Countries))
		for k, c := range r.Countries {
			vals[k] = regionBar{label: labels[k], value: c.Figures[i]}
		}
		title := fmt.Sprintf("%s (%s) · region %s · median of the jurisdictions %s (dashed)", m.Label, string(m.Unit),
			m.Unit.Figure(m.Region), m.Unit.Figure(m.Median))
		d.countryBars(title, vals, m.Median, m.Unit)
	}
}

// regionScope says how many jurisdictions the report holds.
func regionScope(n int) string {
	if n == 1 {
		return "1 jurisdiction with accepted returns"
	}
	return fmt.Sprintf("%d jurisdictions with accepted returns", n)
}
