package httpapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sofficeCSV converts the first sheet of an .xlsx workbook to CSV with
// LibreOffice in headless mode, in a profile of its own, and returns the
// records. Without soffice the test is skipped, except in CI (CI set),
// where .ci/run installs libreoffice-calc and it must run.
func sofficeCSV(t *testing.T, xlsx []byte) [][]string {
	t.Helper()
	bin, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("soffice not installed (apt-get install --no-install-recommends libreoffice-calc)")
		}
		t.Fatal("CI is set but soffice is missing")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "export.xlsx")
	if err := os.WriteFile(in, xlsx, 0o600); err != nil {
		t.Fatal(err)
	}
	// The filter options: comma, double quote, UTF-8 (76), and the
	// values as stored rather than as shown (the ninth token), so a
	// number's digits are not cut to a column's display format.
	filter := "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false"
	// A safety net for a hung soffice, not a measurement: a conversion
	// takes seconds.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--norestore", "--convert-to", filter, "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	out, err := os.ReadFile(filepath.Join(dir, "export.csv"))
	if err != nil {
		t.Fatalf("soffice wrote no CSV: %v", err)
	}
	records, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("LibreOffice's CSV: %v\n%s", err, out)
	}
	return records
}

// TestSectorExportXLSXInLibreOffice opens the sector workbook in a real
// spreadsheet program, LibreOffice Calc, saves its sheet as CSV, and
// finds the CSV export: every text exactly (LibreOffice writes the
// formula-like names as the text they are; the CSV export has its quote
// before them) and every metric with the same digits, the long decimal
// included.
func TestSectorExportXLSXInLibreOffice(t *testing.T) {
	ts, reg := sectorFixture(t)
	want := sectorCSV(t, ts, reg, "2025-Q3")
	resp := ts.do("GET", "/v1/sector/export.xlsx?period=2025-Q3", reg, "", nil)
	if resp.Code != 200 {
		t.Fatalf("%d %s", resp.Code, resp.Body)
	}
	got := sofficeCSV(t, resp.Body.Bytes())
	if len(got) != len(want) {
		t.Fatalf("LibreOffice: %d records, the CSV export %d:\n%q", len(got), len(want), got)
	}
	for r := range want {
		if len(got[r]) != len(want[r]) {
			t.Fatalf("record %d: LibreOffice %d fields, the CSV export %d:\n%q\n%q", r, len(got[r]), len(want[r]), got[r], want[r])
		}
		for c := range want[r] {
			g := got[r][c]
			if r == 0 || c < exportTextColumns {
				g = csvText(g)
			}
			if g != want[r][c] {
				t.Errorf("record %d field %d: LibreOffice %q, the CSV export %q", r, c, got[r][c], want[r][c])
			}
		}
	}
}

// TestReturnMetricsXLSXInLibreOffice: LibreOffice reads the metrics
// workbook's Figures sheet as the workbook stores it, every value with
// its digits.
func TestReturnMetricsXLSXInLibreOffice(t *testing.T) {
	ts := newAPI(t, filingTime)
	tok := ts.addOperator("sakura-mobile", "Sakura Mobile K.K.")
	rid := ts.file(tok, returnFor(t, "sakura-mobile", "2025-Q3", nil)).ID
	resp := ts.do("GET", "/v1/returns/"+rid+"/metrics.xlsx", tok, "", nil)
	if resp.Code != 200 {
		t.Fatalf("%d %s", resp.Code, resp.Body)
	}
	want, _, _ := readSheet(t, resp.Body.Bytes(), "Figures", 6)
	got := sofficeCSV(t, resp.Body.Bytes())
	if len(got) != len(want) {
		t.Fatalf("LibreOffice: %d records, the workbook %d rows", len(got), len(want))
	}
	for r := range want {
		if strings.Join(got[r], "|") != strings.Join(want[r], "|") {
			t.Errorf("row %d: LibreOffice %q, the workbook %q", r, got[r], want[r])
		}
	}
}
