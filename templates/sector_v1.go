package templates

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ictledger/ictledger/calculators"
)

// SectorTemplateVersion is the layout of the sector report drawn by
// RenderSectorReport. Released: nothing may change what the sector_v1*.go
// files draw (disclosure/testdata pins the bytes); a changed report is a
// new version (sector_v2.go).
const SectorTemplateVersion = "sector_v1"

// RenderSectorReport draws the regulator's sector report of docs/spec/disclosure.md
// in layout sector_v1 and embeds attachment as AttachmentName. The same
// view model and attachment always give the same bytes.
func RenderSectorReport(r *SectorReport, attachment []byte) ([]byte, error) {
	return renderSectorReport(SectorTemplateVersion, r, attachment)
}

// renderSectorReport draws the sector_v1 layout under the name of
// template, which also decides the fonts (drawsCJK).
func renderSectorReport(template string, r *SectorReport, attachment []byte) ([]byte, error) {
	if r == nil {
		return nil, errors.New("render sector report: no view model")
	}
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
	sectorCover(d, r)
	d.pdf.AddPage()
	sectorStatus(d, r)
	d.pdf.AddPage()
	sectorMetrics(d, r)
	sectorNotes(d, r)
	b, err := d.bytes()
	if err != nil {
		return nil, fmt.Errorf("render sector report %s: %w", r.Period, err)
	}
	return b, nil
}

func sectorScope(r *SectorReport) string {
	if r.Country == "" {
		return "all countries"
	}
	return r.CountryName + " (" + r.Country + ")"
}

func sectorCover(d *doc, r *SectorReport) {
	p := d.pdf
	p.Ln(14)
	d.gray(90)
	d.font(false, 10)
	p.CellFormat(contentW, 5, "Sustainability of the ICT sector · regulator's report", "", 1, "L", false, 0, "")
	d.gray(0)
	d.font(true, 22)
	p.Bookmark("Sector report", 0, -1)
	p.CellFormat(contentW, 10, "Sector report", "", 1, "L", false, 0, "")
	d.font(false, 12)
	p.CellFormat(contentW, 6, clean(sectorScope(r)+" · "+periodName(r.Period)), "", 1, "L", false, 0, "")
	p.Ln(8)

	counts := map[string]int{}
	late := 0
	for _, s := range r.Status {
		counts[s.State]++
		if s.Late {
			late++
		}
	}
	kv := [][2]string{{"Scope", sectorScope(r)}}
	if r.Administration != "" {
		kv = append(kv, [2]string{"Administration", r.Administration})
	}
	d.kvTable(append(kv, [][2]string{
		{"Period", periodName(r.Period)},
		{"Operators", fmt.Sprintf("%d registered: %d accepted, %d submitted, %d returned, %d missing; %d late",
			len(r.Status), counts["accepted"], counts["submitted"], counts["returned"], counts["missing"], late)},
		{"Factor set", r.FactorSet + ", GWP-100 from " + r.GWP + methodologyNote(r.Methodology)},
		{"Document date", formatTime(r.LedgerTime) + " (ledger time)"},
		{"Template", d.meta.template},
		{"Checkpoint", fmt.Sprintf("%s\ntree size %d\nroot hash %s", r.Checkpoint.Origin, r.Checkpoint.Size, r.Checkpoint.Root)},
	}...), 38)
	d.subheading("How to verify this document", 10)
	d.para("Run \u201cictledger verify disclosure FILE.pdf\u201d with the ledger's public key, or send the file to POST /v1/verify. "+
		"The signed checkpoint is printed below and attached, with the entries the report derives from, as "+AttachmentName+".", 8)
	d.subheading("Signed checkpoint", 10)
	checkpointBlock(d, r.Checkpoint)
}

func sectorStatus(d *doc, r *SectorReport) {
	d.heading("Filing status", 20)
	if len(r.Status) == 0 {
		d.noData("filing status (no operators registered)")
		return
	}
	var rs []row
	for _, s := range r.Status {
		timing, filed, version := "on time", "", ""
		if s.Late {
			timing = "late"
		}
		if !s.Filed.IsZero() {
			filed = formatTime(s.Filed)
		}
		if s.Version > 0 {
			version = fmt.Sprint(s.Version)
		}
		rs = append(rs, cells(s.Operator, s.ID, s.Country, s.State, timing, version, filed))
	}
	d.table([]col{
		{title: "Operator", w: 40}, {title: "Ledger id", w: 40, mono: true}, {title: "Country", w: 14},
		{title: "State", w: 17}, {title: "Deadline", w: 14}, {title: "Ver.", w: 10, right: true}, {title: "Latest filing", w: 45},
	}, rs)
}

func sectorMetrics(d *doc, r *SectorReport) {
	d.heading("Sector totals", 20)
	if len(r.Totals) == 0 {
		d.noData("sector totals")
	} else {
		metricTable(d, r.Totals)
	}
	d.note("Flows and emissions add up over the operators included; ratios are recomputed from the summed numerators and denominators.")
	for _, c := range r.Coverage {
		d.note(c)
	}

	for _, m := range r.Metrics {
		d.heading(fmt.Sprintf("%s (%s)", m.Label, string(m.Unit)), 60)
		vals := make([]calculators.Value, 0, len(m.Rows))
		for _, o := range m.Rows {
			vals = append(vals, o.Value)
		}
		d.spread("Spread across operators ("+string(m.Unit)+")", vals, m.Median, m.Unit)
		rankTable(d, m)
	}
}

// rankTable lists one metric's operators in two halves side by side.
func rankTable(d *doc, m SectorMetric) {
	half := (len(m.Rows) + 1) / 2
	cell := func(i int) []string {
		if i >= len(m.Rows) {
			return []string{"", "", ""}
		}
		o := m.Rows[i]
		rank := ""
		if o.Rank > 0 {
			rank = fmt.Sprint(o.Rank)
		}
		return []string{rank, o.Operator, d.fig(m.Unit, o.Value)}
	}
	var rs []row
	for i := 0; i < half; i++ {
		rs = append(rs, cells(append(cell(i), cell(i+half)...)...))
	}
	rs = append(rs, total("", "Sector median", d.fig(m.Unit, m.Median), "", "", ""))
	// Why values are missing, one line per reason in order of appearance,
	// above the table so that a page break cannot orphan it.
	var reasons []string
	var who [][]string
	for _, o := range m.Rows {
		if o.Value.OK {
			continue
		}
		r := o.Reason
		if r == "" {
			r = "no reason given"
		}
		k := slices.Index(reasons, r)
		if k < 0 {
			reasons, who = append(reasons, r), append(who, nil)
			k = len(reasons) - 1
		}
		who[k] = append(who[k], o.Operator)
	}
	for k, r := range reasons {
		d.note(NA + ", " + r + ": " + strings.Join(who[k], ", ") + ".")
	}
	vcol := numCol("Value", m.Unit, 26)
	d.table([]col{
		{title: "Rank", w: 10, right: true}, {title: "Operator", w: 54}, vcol,
		{title: "Rank", w: 12, right: true}, {title: "Operator", w: 52}, vcol,
	}, rs)
}

func sectorNotes(d *doc, r *SectorReport) {
	d.heading("Open warnings and findings", 20)
	d.subheading("Warnings raised at filing", 10)
	noteTable(d, r.Warnings, "Operator", "Warning", "No open warnings.")
	d.subheading("Review findings", 10)
	noteTable(d, r.Findings, "Operator", "Finding", "No open findings.")
}
