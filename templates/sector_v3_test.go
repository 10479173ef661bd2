package templates

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// sectorPages renders r in layout render and returns the lines of text of
// each page.
func sectorPages(t *testing.T, render func(*SectorReport, []byte) ([]byte, error), r *SectorReport) [][]string {
	t.Helper()
	pdf, err := render(r, fixtureAttachment())
	if err != nil {
		t.Fatal(err)
	}
	text, err := pdfText(pdf)
	if err != nil {
		t.Fatal(err)
	}
	var pages [][]string
	for _, p := range strings.Split(text, "--- page ")[1:] {
		_, body, _ := strings.Cut(p, "\n")
		pages = append(pages, strings.Split(body, "\n"))
	}
	return pages
}

// operatorsOf lists the operator names of r in the order the lines name
// them, each line that is exactly one of them.
func operatorsOf(lines []string, r *SectorReport) []string {
	var out []string
	for _, l := range lines {
		for _, s := range r.Status {
			if l == s.Operator {
				out = append(out, l)
			}
		}
	}
	return out
}

// TestSectorV3RowsFollowTheRanking checks that each metric's operators
// are drawn one under the other in the order of its rows (the ranking),
// so that each bar sits on its operator's row; sector_v2 drew the
// ranking in two halves side by side and the bars, unlabelled, highest
// first.
func TestSectorV3RowsFollowTheRanking(t *testing.T) {
	r := fixtureSector(12)
	pages := sectorPages(t, RenderSectorReportV3, r)
	all := slices.Concat(pages...)
	for k, m := range r.Metrics {
		title := m.Label + " (" + string(m.Unit) + ")"
		start := slices.Index(all, title)
		if start < 0 {
			t.Fatalf("no section %q", title)
		}
		end := slices.Index(all, "Open warnings and findings")
		if k+1 < len(r.Metrics) {
			next := r.Metrics[k+1]
			end = slices.Index(all, next.Label+" ("+string(next.Unit)+")")
		}
		var want []string
		for _, o := range m.Rows {
			want = append(want, o.Operator)
		}
		section := all[start:end]
		if got := operatorsOf(section, r); !slices.Equal(got, want) {
			t.Errorf("%s: operators drawn in the order\n%q\nwant the ranking\n%q", m.Label, got, want)
		}
		if !slices.Contains(section, "Rank 1 is the highest value; operators without a value come last. Dashed line: the sector median.") {
			t.Errorf("%s: the section does not say how it is ordered", m.Label)
		}
	}
}

// TestSectorV3MedianStaysWithItsTable renders reports of 1 to 45
// operators and checks that no page shows a metric's "Sector median" row
// without its table's header and at least one operator above it.
func TestSectorV3MedianStaysWithItsTable(t *testing.T) {
	for n := 1; n <= 45; n++ {
		r := fixtureSector(n)
		for pi, page := range sectorPages(t, RenderSectorReportV3, r) {
			for i, l := range page {
				if l != "Sector median" {
					continue
				}
				head := -1
				for j := i - 1; j >= 0 && head < 0; j-- {
					if page[j] == "Operator" {
						head = j
					}
				}
				if head < 0 || len(operatorsOf(page[head:i], r)) == 0 {
					t.Fatalf("%d operators: page %d has a Sector median row without its table above it", n, pi+1)
				}
			}
		}
	}
}

// TestSectorV3Flows checks that a short filing status follows the cover
// on its page and the sector totals follow the status, rather than each
// starting a page of its own (sector_v2 left page 2 mostly blank).
func TestSectorV3Flows(t *testing.T) {
	pages := sectorPages(t, RenderSectorReportV3, fixtureSector(12))
	if !slices.Contains(pages[0], "Filing status") || !slices.Contains(pages[0], "Sector totals") {
		t.Errorf("page 1 does not go on with the filing status and the sector totals:\n%q", pages[0])
	}
	if v2 := len(sectorPages(t, RenderSectorReportV2, fixtureSector(12))); len(pages) >= v2 {
		t.Errorf("sector_v3 takes %d pages, sector_v2 %d", len(pages), v2)
	}
}

// TestSectorV3Administrations checks that the cover lists each
// administration with its rule and deadline.
func TestSectorV3Administrations(t *testing.T) {
	r := fixtureSector(3)
	r.Administrations = []AdministrationDeadline{
		{Country: "JP", CountryName: "Japan", Name: "Ministry of Internal Affairs and Communications", Rule: "60 days after the quarter, Asia/Tokyo",
			Deadline: fixtureTime.AddDate(0, 0, 14)},
		{Country: "VN", CountryName: "Viet Nam", Rule: "the service's default", Deadline: fixtureTime},
	}
	page := strings.Join(sectorPages(t, RenderSectorReportV3, r)[0], "\n")
	for _, want := range []string{"Administrations and filing deadlines", "Japan (JP)", "Ministry of Internal Affairs and Communications",
		"60 days after the quarter, Asia/Tokyo", "2025-11-28 09:30 UTC", "Viet Nam (VN)", "(no record)", "2025-11-14 09:30 UTC"} {
		if !strings.Contains(page, want) {
			t.Errorf("the cover lacks %q", want)
		}
	}
}

// TestSectorV3NamesItsAttachment checks that the embedded proof's file
// specification names the file in /F too (gofpdf leaves it empty), and
// that the file still reads: its attachment, its pages and, where qpdf is
// installed, its structure.
func TestSectorV3NamesItsAttachment(t *testing.T) {
	att := fixtureAttachment()
	for _, r := range []*SectorReport{fixtureSector(12), {LedgerTime: fixtureTime, Metrics: []SectorMetric{{Label: "Scope 1", Unit: UnitTCO2e}}}} {
		pdf, err := RenderSectorReportV3(r, att)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(pdf, []byte("/Type /Filespec /F ("+AttachmentName+") /UF ")) {
			t.Error("the file specification has no /F name")
		}
		if got, err := ExtractAttachment(pdf, AttachmentName); err != nil || !bytes.Equal(got, att) {
			t.Errorf("attachment: %v", err)
		}
		if _, err := pdfText(pdf); err != nil {
			t.Errorf("pages: %v", err)
		}
		qpdfCheck(t, pdf)
	}
}

// qpdfCheck runs qpdf --check on pdf: it reads the cross-reference table
// and fails when an offset is wrong. Without qpdf it does nothing, except
// in CI.
func qpdfCheck(t *testing.T, pdf []byte) {
	t.Helper()
	if _, err := exec.LookPath("qpdf"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but qpdf is missing")
		}
		return
	}
	path := filepath.Join(t.TempDir(), "sector.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("qpdf", "--check", path).CombinedOutput(); err != nil || bytes.Contains(out, []byte("WARNING")) {
		t.Errorf("qpdf --check: %v\n%s", err, out)
	}
}

func TestNameAttachmentRefusesWhatItCannotFix(t *testing.T) {
	if _, err := nameAttachment([]byte("%PDF-1.3\nno file spec"), AttachmentName); err == nil {
		t.Error("a PDF without a file specification: no error")
	}
	if _, err := nameAttachment([]byte("%PDF-1.3\n"), "a(b).json"); err == nil {
		t.Error("a name with a parenthesis: no error")
	}
}

// fixtureSectorV3 is the sector fixture with the administrations that
// sector_v3 draws on its cover.
func fixtureSectorV3() *SectorReport {
	r := fixtureSector(12)
	r.Administrations = []AdministrationDeadline{
		{Country: "JP", CountryName: "Japan", Name: "Ministry of Internal Affairs and Communications", Rule: "60 days after the quarter, Asia/Tokyo",
			Deadline: fixtureTime.AddDate(0, 0, 14)},
		{Country: "VN", CountryName: "Viet Nam", Rule: "the service's default", Deadline: fixtureTime},
	}
	return r
}

// TestGoldenSectorV3 pins the text of every page of sector_v3, read from
// the PDF's own content streams and, where poppler is installed, as
// pdftotext lays it out.
func TestGoldenSectorV3(t *testing.T) {
	pdf, err := RenderSectorReportV3(fixtureSectorV3(), fixtureAttachment())
	if err != nil {
		t.Fatal(err)
	}
	text, err := pdfText(pdf)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "sector_v3.text.golden", text)
	out, ok := byPdftotext(t, pdf, "-layout")
	if !ok {
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	golden(t, "sector_v3.pdftotext.golden", out)
}

// TestSectorV3MissingReturnIsNeverOnTime checks that the filing status
// of an operator with no return says it is not filed yet, with its
// deadline, before the deadline and late after it: sector_v3 first
// called a missing return "on time" until its deadline passed.
func TestSectorV3MissingReturnIsNeverOnTime(t *testing.T) {
	r := fixtureSector(8)
	missing := slices.IndexFunc(r.Status, func(s FilingStatus) bool { return s.State == "missing" })
	if missing < 0 {
		t.Fatal("the fixture has no missing return")
	}
	for _, late := range []bool{false, true} {
		r.Status[missing].Late = late
		r.Status[missing].Deadline = time.Date(2025, 11, 14, 17, 0, 0, 0, time.UTC)
		text := strings.Join(slices.Concat(sectorPages(t, RenderSectorReportV3, r)...), " ")
		want := "not filed yet (due 2025-11-14 17:00 UTC)"
		if late {
			want = "not filed, late"
		}
		if !strings.Contains(text, want) {
			t.Errorf("late=%v: the filing status does not say %q:\n%s", late, want, text)
		}
		onTime := 0
		for _, s := range r.Status {
			if !s.Filed.IsZero() && !s.Late {
				onTime++
			}
		}
		if got := strings.Count(text, "on time"); got != onTime {
			t.Errorf("late=%v: %d rows say on time, want the %d filed in time", late, got, onTime)
		}
	}
}
