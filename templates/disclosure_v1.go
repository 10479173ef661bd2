package templates

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ictledger/ictledger/calculators"
)

// OperatorTemplateVersion is the layout of the operator disclosure drawn by
// RenderOperatorDisclosure. It is printed on the cover and recorded with
// each disclosure. This layout is released: nothing may change what the
// disclosure_v1*.go files draw (disclosure/testdata pins the bytes); a
// changed document is a new version (disclosure_v2.go).
const OperatorTemplateVersion = "disclosure_v1"

// RenderOperatorDisclosure draws the operator disclosure of docs/spec/disclosure.md
// in layout disclosure_v1 and embeds attachment (the verification JSON)
// as AttachmentName. The same view model and attachment always give the
// same bytes.
func RenderOperatorDisclosure(v *OperatorDisclosure, attachment []byte) ([]byte, error) {
	return renderOperatorDisclosure(OperatorTemplateVersion, v, attachment)
}

// renderOperatorDisclosure draws the disclosure_v1 layout under the name
// of template, which also decides the fonts (drawsCJK).
func renderOperatorDisclosure(template string, v *OperatorDisclosure, attachment []byte) ([]byte, error) {
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
		template:   template,
		subject:    fmt.Sprintf("Sustainability disclosure, %s, %s", v.Operator, v.Period),
		ledgerTime: v.LedgerTime,
	}, attachment)
	d.pdf.AddPage()
	discCover(d, v)
	d.pdf.AddPage()
	discSummary(d, v)
	d.pdf.AddPage()
	discE1(d, v)
	d.pdf.AddPage()
	discE2(d, v)
	d.pdf.AddPage()
	discE3(d, v)
	d.pdf.AddPage()
	discMethod(d, v)
	d.pdf.AddPage()
	discAppendix(d, v)
	b, err := d.bytes()
	if err != nil {
		return nil, fmt.Errorf("render disclosure of %s %s: %w", v.OperatorID, v.Period, err)
	}
	return b, nil
}

func discCover(d *doc, v *OperatorDisclosure) {
	p := d.pdf
	p.Ln(14)
	d.gray(90)
	d.font(false, 10)
	p.CellFormat(contentW, 5, "Sustainability disclosure · ICT sector", "", 1, "L", false, 0, "")
	d.gray(0)
	d.font(true, 22)
	p.Bookmark(clean(v.Operator), 0, -1)
	p.MultiCell(contentW, 10, clean(v.Operator), "", "L", false)
	d.font(false, 12)
	country := v.CountryName
	if v.Country != "" {
		country += " (" + v.Country + ")"
	}
	p.CellFormat(contentW, 6, clean(country+" · "+periodName(v.Period)), "", 1, "L", false, 0, "")
	p.Ln(8)

	var returns []string
	for _, r := range v.Returns {
		returns = append(returns, fmt.Sprintf("%s: return %s, version %d (%s)", r.Period, r.ID, r.Version, r.Review))
	}
	d.kvTable([][2]string{
		{"Operator", v.Operator + " (ledger id " + v.OperatorID + ")"},
		{"Period", periodName(v.Period)},
		{"Returns", strings.Join(returns, "\n")},
		{"Review status", v.Review},
		{"Factor set", v.FactorSet + ", GWP-100 from " + v.GWP + methodologyNote(v.Methodology)},
		{"Document date", formatTime(v.LedgerTime) + " (ledger time)"},
		{"Template", d.meta.template},
		{"Checkpoint", fmt.Sprintf("%s\ntree size %d\nroot hash %s", v.Checkpoint.Origin, v.Checkpoint.Size, v.Checkpoint.Root)},
	}, 38)

	d.subheading("Derived from these ledger entries", 10)
	entryTable(d, v.Entries)

	d.subheading("How to verify this document", 10)
	d.para("Run \u201cictledger verify disclosure FILE.pdf\u201d with the ledger's public key, or send the file to POST /v1/verify. "+
		"The file carries the entries above, their inclusion proofs and the signed checkpoint as the attachment "+
		AttachmentName+" (also printed in the verification appendix), so it can be checked without the server. "+
		"Rendering the same entries with the same factor set and template version gives the same bytes.", 8)
}

func entryTable(d *doc, es []EntryRef) {
	if len(es) == 0 {
		d.note("No entries listed.")
		return
	}
	var rs []row
	for _, e := range es {
		rs = append(rs, cells(fmt.Sprint(e.Seq), e.Kind, formatTime(e.Time), e.LeafHash))
	}
	d.table([]col{
		{title: "Seq", w: 14, right: true},
		{title: "Kind", w: 30},
		{title: "Ledger time", w: 40},
		{title: "Leaf hash (SHA-256, base64)", w: 96, mono: true},
	}, rs)
}

func discSummary(d *doc, v *OperatorDisclosure) {
	d.heading("Summary", 20)
	s := v.Summary
	cols := []col{
		{title: "Metric", w: 62},
		{title: "Unit", w: 20},
		{title: v.Period, w: 22, right: true},
		{title: s.PreviousLabel, w: 22, right: true},
		{title: changeTitle(d), w: 16, right: true},
	}
	if s.YearAgoLabel != "" {
		cols = append(cols,
			col{title: s.YearAgoLabel, w: 22, right: true},
			col{title: changeTitle(d), w: 16, right: true})
	}
	var rs []row
	group := func(title string, ts []Trend) {
		if len(ts) == 0 {
			return
		}
		rs = append(rs, total(title))
		for _, t := range ts {
			r := cells(t.Label, unitLabel(t.Unit), d.fig(t.Unit, t.Current), d.fig(t.Unit, t.Previous), trendChange(d, t, t.Previous, t.ChangePrevious))
			if s.YearAgoLabel != "" {
				r.cells = append(r.cells, d.fig(t.Unit, t.YearAgo), trendChange(d, t, t.YearAgo, t.ChangeYearAgo))
			}
			rs = append(rs, r)
		}
	}
	group("E1 Energy and emissions", s.E1)
	group("E2 E-waste and circularity", s.E2)
	group("E3 Climate resilience", s.E3)
	rounding := "Values are rounded for display only (half-even): t CO₂e and MWh to 1 place, kg to whole numbers, " +
		"percentages to 2 places, ratios to 2 places, indices to 3 places, changes to 1 place. Changes are against the period named in the column before."
	if d.v4() {
		rounding += " A change of a percentage is in percentage points (pt); any other change is relative to the earlier value (%)."
	}
	if len(rs) == 0 {
		d.noData("the summary")
		d.note(rounding)
	} else {
		d.tableNote(cols, rs, rounding)
	}
	unavailableList(d, v)
}

// unavailableList lists every unavailable metric with the reason.
func unavailableList(d *doc, v *OperatorDisclosure) {
	if d.v4() {
		unavailableListV4(d, v)
		return
	}
	if len(v.Unavailable) == 0 {
		return
	}
	var rs []row
	for _, u := range v.Unavailable {
		rs = append(rs, cells(u.Metric, u.Reason))
	}
	d.subheading("Not available ("+NA+")", 10)
	d.table([]col{{title: "Metric", w: 60, mono: true}, {title: "Reason", w: 120}}, rs)
}

// unavailableNote points from a section to the reasons, when metrics of
// the section (keys starting with prefix) are unavailable.
// disclosure_v4 draws the pointer under the section's heading instead
// (sectionNANote).
func unavailableNote(d *doc, v *OperatorDisclosure, prefix string) {
	if d.v4() {
		return
	}
	var keys []string
	for _, u := range v.Unavailable {
		if strings.HasPrefix(u.Metric, prefix) {
			keys = append(keys, u.Metric)
		}
	}
	if len(keys) > 0 {
		d.note(NA + ": not available (" + strings.Join(keys, ", ") + "); the reasons are listed under the summary.")
	}
}

// changeTitle heads a change column of the summary: "Change (%)" in the
// released layouts; "Change" from disclosure_v4 on, whose cells carry
// their unit (% or pt).
func changeTitle(d *doc) string {
	if d.v4() {
		return "Change"
	}
	return "Change (%)"
}

// trendChange shows how t moved since the earlier value was: in the
// released layouts the relative change rel in % without a unit; from
// disclosure_v4 on, a percentage's change in percentage points ("+7.9
// pt", so that a renewable share going from 15.83 to 23.68 % does not
// read as +49.6) and any other change relative, with "%".
func trendChange(d *doc, t Trend, earlier, rel calculators.Value) string {
	if !d.v4() {
		return formatChange(rel)
	}
	if t.Unit != UnitPct {
		if !rel.OK {
			return NA
		}
		return formatChange(rel) + " %"
	}
	if !t.Current.OK || !earlier.OK {
		return NA
	}
	return formatChange(calculators.Some(t.Current.D.Sub(earlier.D))) + " pt"
}
