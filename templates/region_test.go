package templates

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
)

// regionFixture is a regional report of three administrations, two
// named in Thai and Japanese after English, one with a single operator.
func regionFixture() *RegionReport {
	v := func(s string) calculators.Value { return calculators.Some(decimal.RequireFromString(s)) }
	metrics := []RegionMetric{
		{Key: "e1.energy_total_mwh", Label: "Total energy", Unit: UnitMWh, Region: v("900"), Reporting: 3},
		{Key: "e1.network_energy_per_tb_kwh", Label: "Network energy per TB", Unit: UnitKWhPerTB, Intensity: true,
			Region: v("41.7"), Median: v("46.4"), Reporting: 3},
		{Key: "e3.backup_ge_8h_pct", Label: "Sites with 8 h or more of backup", Unit: UnitPct, Intensity: true,
			Region: calculators.None, Median: calculators.None},
	}
	country := func(cc, name string, accepted int, energy, perTB string) RegionCountry {
		return RegionCountry{Country: cc, Name: name, Coverage: RegionCoverage{Due: 3, Filed: 2, Accepted: accepted, Counted: []string{"Operator " + cc}},
			Figures: []calculators.Value{v(energy), v(perTB), calculators.None}}
	}
	return &RegionReport{Period: "2025-Q3", Methodology: "2026.1", FactorSet: "apt-2026.1", GWP: "AR6",
		Checkpoint: Checkpoint{Origin: "test", Size: 12, Root: "root", Note: "test\n12\nroot\n"},
		LedgerTime: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC),
		Countries: []RegionCountry{
			country("AU", "Australian Communications and Media Authority", 2, "300", "23.2"),
			country("JP", "Ministry of Internal Affairs and Communications (総務省)", 2, "300", "69.6"),
			country("TH", "Office of the National Broadcasting and Telecommunications Commission (สำนักงาน กสทช.)", 1, "300", "46.4"),
		},
		Metrics: metrics, Coverage: RegionCoverage{Due: 9, Filed: 6, Accepted: 5}}
}

// The regional report renders to the same bytes twice, and a PDF reader
// (poppler's pdftotext, through the fonts' ToUnicode maps) reads the
// administrations' Thai and Japanese names, the one-operator flag, the
// median and a metric no country reports said as such.
func TestRegionReportRendersScripts(t *testing.T) {
	r := regionFixture()
	pdf, err := RenderRegionReport(r, []byte("{}"))
	if err != nil {
		t.Fatal(err)
	}
	if again, err := RenderRegionReport(r, []byte("{}")); err != nil || !bytes.Equal(pdf, again) {
		t.Fatalf("two renders differ (%v)", err)
	}
	text, ok := byPdftotext(t, pdf)
	if !ok {
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	for _, want := range []string{"総務省", "สำนักงาน", "กสทช.", "TH *", "One operator counted", "median of the jurisdictions 46.4 (dashed)",
		"Sites with 8 h or more of backup (%): no jurisdiction has a value", "methodology 2026.1", "9 due, 6 filed, 5 accepted"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext does not read %q", want)
		}
	}
	if strings.Contains(text, "\uFFFD") {
		t.Error("a character is drawn as U+FFFD")
	}
}

// A regional report needs its ledger time: without it gofpdf would date
// the document by the clock.
func TestRegionReportNeedsLedgerTime(t *testing.T) {
	r := regionFixture()
	r.LedgerTime = time.Time{}
	if _, err := RenderRegionReport(r, nil); err == nil {
		t.Fatal("rendered without a ledger time")
	}
}

// A column title's unit in brackets stays on one line in region_v1:
// "Scope 1 emissions (t CO₂e)" in a narrow column breaks before the
// bracket, never between "(t" and "CO₂e)".
func TestRegionHeaderUnitWhole(t *testing.T) {
	d := newDoc(docMeta{title: "t", period: "2025", template: RegionTemplateVersion, ledgerTime: fixtureDisclosure().LedgerTime}, nil)
	d.pdf.AddPage()
	for w := 20.0; w <= 50; w++ {
		lines := d.headerLines(col{title: "Scope 1 emissions (t CO₂e)", w: w})
		for _, l := range lines {
			if strings.HasSuffix(l, "(t") {
				t.Errorf("%.0f mm: the header's lines are %q: the unit is split", w, lines)
			}
		}
	}
}
