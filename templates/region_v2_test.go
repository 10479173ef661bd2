package templates

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
)

// regionFixtureV2 is regionFixture drawn from a record: entry 120 of a
// log of 130 entries, the view of its first 118.
func regionFixtureV2() *RegionReport {
	r := regionFixture()
	r.Methodology = "2025.1, 2026.1"
	r.LedgerTime = time.Date(2025, 11, 2, 8, 30, 0, 0, time.UTC)
	r.Checkpoint = Checkpoint{Origin: "test", Size: 130, Root: "Hh4mF+9jAaRy72j++0HyLVXWMuNH/JGZmWLg0d2jmgU=",
		Note: "test\n130\nHh4mF+9jAaRy72j++0HyLVXWMuNH/JGZmWLg0d2jmgU=\n"}
	leaf := "q9yJ8m3xTq0cV1cHq9yJ8m3xTq0cV1cHq9yJ8m3xTq0="
	r.Record = &RecordRef{
		Entry: EntryRef{Seq: 120, Kind: "region.recorded", LeafHash: leaf, Time: r.LedgerTime},
		Proof: InclusionProof{Seq: 120, Size: 130, LeafHash: leaf, Root: r.Checkpoint.Root,
			Hashes: []string{"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA="}},
		At: 118, Root: "zLn9Q7l9bq0cV1cHq9yJ8m3xTq0cV1cHq9yJ8m3xTq0=",
	}
	r.Partial = []string{"Operator AU: accepted returns for 2025-Q3 only (none for 2025-Q1, 2025-Q2); its flows count those quarters, its stocks are those of the last."}
	return r
}

// region_v2 is pinned as every released layout is: its text, page by
// page, and its bytes. A change that is meant is a new layout version.
func TestRegionV2IsPinned(t *testing.T) {
	pdf, err := RenderRegionReportV2(regionFixtureV2(), []byte(`{"format":"test"}`))
	if err != nil {
		t.Fatal(err)
	}
	again, err := RenderRegionReportV2(regionFixtureV2(), []byte(`{"format":"test"}`))
	if err != nil || !bytes.Equal(pdf, again) {
		t.Fatalf("two renders differ (%v)", err)
	}
	text, err := pdfText(pdf)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "region_v2.text.golden", text)
	sum := sha256.Sum256(pdf)
	golden(t, "region_v2.sha256", hex.EncodeToString(sum[:])+"\n")
}

// The cover of a region_v2 report says which entry recorded its figures,
// at which size, how the document is verified and what that does not
// prove; the appendix lists the entry and its proof. region_v1 says none
// of it.
func TestRegionV2SaysWhereItsFiguresComeFrom(t *testing.T) {
	pdf, err := RenderRegionReportV2(regionFixtureV2(), nil)
	if err != nil {
		t.Fatal(err)
	}
	text, ok := byPdftotext(t, pdf)
	if !ok {
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	flat := strings.Join(strings.Fields(text), " ")
	wants := []string{
		"recorded in entry 120 (region.recorded): the regional view of its first 118 entries",
		"whose tree hash begins zLn9Q7l9bq0cV1cH.",
		"computes the view of the first 118 entries again",
		"ictledger verify disclosure FILE.pdf --key KEY",
		"ictledger verify region-records",
		"It does not prove that the recorded figures are right",
		"Verification appendix",
		"entry 120 in tree of size 130",
		"the first 118 entries of the log",
		"(ledger time of the record)",
		"methodology 2025.1, 2026.1",
		"region_v2",
		"総務省",
	}
	for _, want := range wants {
		if !strings.Contains(flat, want) {
			t.Errorf("region_v2 does not read %q", want)
		}
	}
	v1, err := RenderRegionReport(regionFixtureV2(), nil)
	if err != nil {
		t.Fatal(err)
	}
	text, _ = byPdftotext(t, v1)
	if flat := strings.Join(strings.Fields(text), " "); strings.Contains(flat, "region.recorded") || strings.Contains(flat, "Verification appendix") {
		t.Error("region_v1 speaks of a record")
	}
}

// region_v2 draws a recorded view, so its view model names the record.
func TestRegionV2NeedsItsRecord(t *testing.T) {
	r := regionFixtureV2()
	r.Record = nil
	if _, err := RenderRegionReportV2(r, nil); err == nil || !strings.Contains(err.Error(), "names no record") {
		t.Fatalf("rendered without a record: %v", err)
	}
	r = regionFixtureV2()
	r.LedgerTime = time.Time{}
	if _, err := RenderRegionReportV2(r, nil); err == nil {
		t.Fatal("rendered without a ledger time")
	}
}

// A table row taller than a page (a jurisdiction counting a thousand
// operators) continues on the next pages in region_v2, each under the
// table's header, and ends on the page: region_v1 draws it whole, past
// the page's foot, which this test would refuse.
func TestRegionV2SplitsATallRow(t *testing.T) {
	names := make([]string, 1000)
	for i := range names {
		names[i] = fmt.Sprintf("Operator number %d of a large country", i+1)
	}
	d := newDoc(docMeta{title: "t", period: "2025", template: RegionTemplateV2, ledgerTime: fixtureDisclosure().LedgerTime}, nil)
	d.pdf.AddPage()
	cols := []col{{title: "Code", w: 12}, {title: "Operators counted", w: 168}}
	d.table(cols, []row{cells("AU", strings.Join(names, ", ")), cells("JP", "one")})
	if y := d.pdf.GetY(); y > bottomY {
		t.Fatalf("the table ends at %.1f mm, below the page's foot at %.1f mm", y, bottomY)
	}
	pages := d.pdf.PageNo()
	if pages < 3 {
		t.Fatalf("a row of a thousand names takes %d pages", pages)
	}
	pdf, err := d.bytes()
	if err != nil {
		t.Fatal(err)
	}
	text, err := pdfText(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(text, "Operators counted"); n != pages {
		t.Errorf("the header is drawn %d times on %d pages", n, pages)
	}
	if n := strings.Count(text, "\nAU\n"); n != pages {
		t.Errorf("the row's code is drawn %d times on %d pages", n, pages)
	}
	for _, want := range []string{"Operator number 1 of", "number 1000 of a large country", "JP"} {
		if !strings.Contains(strings.ReplaceAll(text, "\n", " "), want) {
			t.Errorf("the table lacks %q", want)
		}
	}
}

// A chart of more jurisdictions than a page holds continues on the next
// page in region_v2, on one axis, each part naming its jurisdictions.
func TestRegionV2SplitsALongChart(t *testing.T) {
	d := newDoc(docMeta{title: "t", period: "2025", template: RegionTemplateV2, ledgerTime: fixtureDisclosure().LedgerTime}, nil)
	d.pdf.AddPage()
	bars := make([]regionBar, 120)
	for i := range bars {
		bars[i] = regionBar{label: fmt.Sprintf("C%d", i), value: calculators.Some(decimal.NewFromInt(int64(i)))}
	}
	d.countryBars("Energy per TB (kWh/TB)", bars, calculators.Some(decimal.NewFromInt(60)), UnitKWhPerTB)
	if y := d.pdf.GetY(); y > bottomY {
		t.Fatalf("the chart ends at %.1f mm, below the page's foot", y)
	}
	pdf, err := d.bytes()
	if err != nil {
		t.Fatal(err)
	}
	text, err := pdfText(pdf)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"jurisdictions 1–50 of 120", "jurisdictions 51–100 of 120", "jurisdictions 101–120 of 120"} {
		if !strings.Contains(text, want) {
			t.Errorf("the chart lacks the title part %q", want)
		}
	}
	if d.pdf.PageNo() != 3 {
		t.Errorf("120 bars take %d pages, want 3", d.pdf.PageNo())
	}
}

// regionLarge is a regional report of n countries of m counted
// operators each, with names as long as the ledger allows in part.
func regionLarge(n, m int) *RegionReport {
	r := regionFixtureV2()
	heads := calculators.RegionHeadlines()
	r.Metrics = nil
	for i, h := range heads {
		r.Metrics = append(r.Metrics, RegionMetric{Key: h.Key, Label: h.Label, Unit: regionUnit(h.Unit), Intensity: h.Intensity,
			Region: calculators.Some(decimal.NewFromInt(int64(1000 + i))), Median: calculators.Some(decimal.NewFromInt(int64(40 + i))), Reporting: n})
	}
	r.Countries = nil
	codes := strings.Fields("AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU")
	for c := range n {
		cc := codes[c%len(codes)]
		rc := RegionCountry{Country: cc, Name: "Communications Regulatory Authority of " + cc, Coverage: RegionCoverage{Due: m + 2, Filed: m + 1, Accepted: m}}
		for o := range m {
			rc.Coverage.Counted = append(rc.Coverage.Counted, fmt.Sprintf("%s Telecommunications Operator %d Limited", cc, o+1))
		}
		for i := range heads {
			rc.Figures = append(rc.Figures, calculators.Some(decimal.NewFromInt(int64(10*c+i+1))))
		}
		r.Countries = append(r.Countries, rc)
	}
	r.Coverage = RegionCoverage{Due: n * (m + 2), Filed: n * (m + 1), Accepted: n * m}
	return r
}

// A region of 40 countries of 50 operators renders; with
// REGION_V2_PDF_DIR set the document is written there, to be looked at.
func TestRegionV2Large(t *testing.T) {
	pdf, err := RenderRegionReportV2(regionLarge(40, 50), []byte("{}"))
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("REGION_V2_PDF_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "region_v2_40x50.pdf"), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// go test ./templates -run '^$' -bench RegionV2 -benchmem
func BenchmarkRenderRegionV2Large(b *testing.B) {
	r := regionLarge(40, 50)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RenderRegionReportV2(r, []byte("{}")); err != nil {
			b.Fatal(err)
		}
	}
}

// regionUnit is the templates unit of a headline's unit, as package
// disclosure maps it for the units of the regional headlines.
func regionUnit(u string) Unit {
	switch u {
	case "tCO2e":
		return UnitTCO2e
	case "kgCO2e/TB":
		return UnitKgCO2ePerTB
	}
	return Unit(u)
}
