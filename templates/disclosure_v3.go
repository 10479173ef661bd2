package templates

import (
	"errors"
	"fmt"
	"strings"
)

// OperatorTemplateV3 is the operator disclosure of a document whose
// figures follow methodology 2026.1: the pages of disclosure_v2, with the
// figures methodology 2026.1 adds in the E1 and E3 sections, a section on
// the methodology, the factor set and the basis and evidence of each grid
// factor used, a data-quality section, and a statement, under the summary,
// that the periods compared with were recomputed under the shown period's
// methodology and factor set. disclosure_v1 and disclosure_v2 are left as
// they are; documents of methodology 2025.1 keep using them.
const OperatorTemplateV3 = "disclosure_v3"

// Units of the figures methodology 2026.1 adds. An unlisted unit shows
// 2 places (Unit.Places).
const (
	UnitTCO2ePerMUSD Unit = "t CO₂e/M USD"
	UnitKgCFC11e     Unit = "kg CFC-11e"
	UnitMUSD         Unit = "M USD"
)

// RenderOperatorDisclosureV3 draws the operator disclosure in layout
// disclosure_v3 and embeds attachment as AttachmentName. The same view
// model and attachment always give the same bytes.
func RenderOperatorDisclosureV3(v *OperatorDisclosure, attachment []byte) ([]byte, error) {
	if v == nil {
		return nil, errors.New("render disclosure: no view model")
	}
	if v.LedgerTime.IsZero() {
		return nil, errNoLedgerTime
	}
	d := newDoc(docMeta{
		title:      v.Operator,
		period:     v.Period,
		root:       v.Checkpoint.Root,
		size:       v.Checkpoint.Size,
		template:   OperatorTemplateV3,
		subject:    fmt.Sprintf("Sustainability disclosure, %s, %s", v.Operator, v.Period),
		ledgerTime: v.LedgerTime,
	}, attachment)
	s := v.Since20261
	if s == nil {
		s = &Since20261{}
	}
	// The pages of disclosure_v2, each followed by what v3 adds to it.
	pages := []func(){
		func() { discCover(d, v) },
		func() { discSummary(d, v); comparisonNote(d, v, s) },
		func() {
			discE1(d, v)
			addedFigures(d, "E1", s.E1)
			cueTable(d, s.DataCentres)
			boundaryNote(d, s.Boundary)
		},
		func() { discE2(d, v); addedFigures(d, "E2", s.E2) },
		func() { discE3(d, v); addedFigures(d, "E3", s.E3) },
		func() { methodologySection(d, v, s); dataQualitySection(d, s) },
		func() { discMethod(d, v) },
		func() { discAppendix(d, v) },
	}
	for _, page := range pages {
		d.pdf.AddPage()
		page()
	}
	b, err := d.bytes()
	if err != nil {
		return nil, fmt.Errorf("render disclosure of %s %s: %w", v.OperatorID, v.Period, err)
	}
	return b, nil
}

// comparisonNote says under the summary how the periods compared with
// were computed: the versioning rule of methodology 2026.1.
func comparisonNote(d *doc, v *OperatorDisclosure, s *Since20261) {
	d.subheading("Comparing like with like", 10)
	if s.ComparisonFactorSet == "" || len(s.Recomputed)+len(s.Kept) == 0 {
		d.para(fmt.Sprintf("Every figure of this document is computed under methodology %s.", methodologyName(v)), 8)
		return
	}
	text := fmt.Sprintf("The earlier periods in the comparisons and the charts are recomputed under methodology %s and factor set %s, "+
		"those of the period shown (GHG Protocol Corporate Standard, chapter 5), so they may differ from the figures of documents issued for those periods.",
		methodologyName(v), s.ComparisonFactorSet)
	if len(s.Recomputed) > 0 {
		text += " Recomputed: " + strings.Join(s.Recomputed, ", ") + "."
	}
	if len(s.Kept) > 0 {
		text += " Not comparable, so not compared: " + strings.Join(s.Kept, ", ") + " (the reasons are listed under \u201cNot available\u201d)."
	}
	d.para(text, 8)
}

// methodologyName is the document's methodology, "2025.1" when unnamed.
func methodologyName(v *OperatorDisclosure) string {
	if v.Methodology == "" {
		return "2025.1"
	}
	return v.Methodology
}

// addedFigures draws the figures methodology 2026.1 adds to a section,
// with the reason beside each one that is not available.
func addedFigures(d *doc, section string, ms []AddedFigure) {
	if len(ms) == 0 {
		return
	}
	d.subheading(section+": figures added by methodology 2026.1", 15)
	var rs []row
	for _, m := range ms {
		note := m.Note
		if d.v4() {
			note = readableReason(note)
		}
		rs = append(rs, cells(m.Label, unitLabel(m.Unit), d.fig(m.Unit, m.Value), note))
	}
	d.table([]col{{title: "Indicator", w: 78}, {title: "Unit", w: 24}, {title: "Value", w: 26, right: true}, {title: "Why " + NA, w: 52}}, rs)
}

// cueTable draws each facility's CUE from its own sources (G11).
func cueTable(d *doc, dcs []DataCentreCUE) {
	if len(dcs) == 0 {
		return
	}
	var rs []row
	for _, c := range dcs {
		rs = append(rs, cells(c.ID, d.fig(UnitKgCO2ePerKWh, c.Location), d.fig(UnitKgCO2ePerKWh, c.Market)))
	}
	d.subheading("Data centres: CUE from the facility's own sources", 12)
	d.tableNote([]col{{title: "Facility", w: 80}, numCol("CUE, location-based", UnitKgCO2ePerKWh, 50), numCol("CUE, market-based", UnitKgCO2ePerKWh, 50)}, rs,
		"Grid electricity at the grid's location-based factor (or its market-based rate) plus the CO₂e of the facility's generators, per IT kWh (ISO/IEC 30134-8). The CUE column above is the location-based one.")
}

// boundaryNote states the reporting boundary the figures cover
// (boundaryText).
func boundaryNote(d *doc, b string) { d.note(boundaryText(b)) }

// methodologySection names the methodology and the factor set, and lists
// each grid factor used with its basis and evidence level.
func methodologySection(d *doc, v *OperatorDisclosure, s *Since20261) {
	d.heading("Methodology and factor set", 30)
	d.para(fmt.Sprintf("The figures follow methodology %s with factor set %s (GWP-100 values from %s). "+
		"Location-based scope 2 uses each grid's direct (combustion) factor where the set has one; otherwise a lifecycle average, then a margin factor, "+
		"and the data-quality section says so.", methodologyName(v), v.FactorSet, v.GWP), 8)
	d.subheading("Grid factors used", 12)
	if len(s.GridFactors) == 0 {
		d.note("No grid factor was used (no purchased electricity or data-centre grid electricity was filed).")
		return
	}
	var rs []row
	for _, g := range s.GridFactors {
		name := g.Grid
		if g.Name != "" {
			name += "\n" + g.Name
		}
		source := g.Source
		if d.sources != nil {
			source = d.sources.ref(g.Source)
		}
		rs = append(rs, cells(name, formatExact(g.Value)+" "+g.Unit, g.Basis, g.DataYear, g.Evidence, source+"\n"+g.FactorSet))
	}
	d.table([]col{{title: "Grid", w: 30}, {title: "Factor", w: 28, right: true}, {title: "Basis", w: 30}, {title: "Data year", w: 14},
		{title: "Evidence", w: 18}, {title: "Source, factor set", w: 60}}, rs)
}

// dataQualitySection lists the data-quality flags of the figures in plain
// words, grouped by kind.
func dataQualitySection(d *doc, s *Since20261) {
	d.heading("Data quality", 20)
	if len(s.DataQuality) == 0 {
		d.para("The computation raised no data-quality flag.", 8)
		return
	}
	d.para("What the figures rest on that a reader should weigh. Each kind of flag is explained, then each flag with the period and figure it concerns.", 8)
	for _, g := range s.DataQuality {
		d.need(18)
		d.pdf.Ln(1.5)
		d.font(true, 8.5)
		d.pdf.MultiCell(contentW, 4, clean(fmt.Sprintf("%s %s", g.Meaning, flagCount(len(g.Flags)))), "", "L", false)
		d.font(false, 8)
		var rs []row
		for _, f := range g.Flags {
			rs = append(rs, cells(f.Period, f.About, f.Message))
		}
		d.table([]col{{title: "Period", w: 18}, {title: "Concerns", w: 52}, {title: "What was found", w: 110}}, rs)
	}
}

// flagCount is "(1 flag)" or "(n flags)".
func flagCount(n int) string {
	if n == 1 {
		return "(1 flag)"
	}
	return fmt.Sprintf("(%d flags)", n)
}
