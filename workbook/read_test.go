package workbook

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ictledger/ictledger/filing"
	"github.com/ictledger/ictledger/ledger"
)

// edit writes the example as a workbook, lets change edit it with
// excelize, and returns the saved bytes.
func edit(t *testing.T, change func(f *excelize.File)) []byte {
	t.Helper()
	b, err := Write(exampleReturn(t), factors20261(t))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	change(f)
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestProblemsNamedByCell: every problem of a workbook is reported at
// once, each at its sheet and cell, for reading and validation alike.
func TestProblemsNamedByCell(t *testing.T) {
	b := edit(t, func(f *excelize.File) {
		f.SetCellStr("Electricity", "C3", "-5")    // kwh < 0: a rule
		f.SetCellStr("Electricity", "A2", "space") // domain: not in the list
		f.SetCellStr("Fuels", "D2", "12,5")        // quantity: not a decimal
		f.SetCellValue("Sites", "Q2", "x")         // under no column
		f.SetCellStr("Devices", "C2", "shredded")  // not a flow
		f.SetCellValue("Resilience", "B2", "many") // a count
		f.SetCellStr("Outages", "B2", "yesterday") // not a time
		f.SetCellStr("Data centres", "D2", "-1")   // it_kwh < 0
	})
	_, _, err := readBook(t, b, exampleContext(t))
	ps := problemsOf(t, err, ledger.EInvalid)
	for _, want := range []struct{ path, msg string }{
		{"Electricity!C3", ">= 0"},
		{"Electricity!A2", "must be one of"},
		{"Fuels!D2", "decimal"},
		{"Sites!Q2", "under no column"},
		{"Devices!C2", "must be one of"},
		{"Resilience!B2", "whole number"},
		{"Outages!B2", "RFC 3339"},
		{"'Data centres'!D2", ">= 0"},
	} {
		if !hasProblem(ps, want.path, want.msg) {
			t.Errorf("no problem %q at %s in\n%+v", want.msg, want.path, ps)
		}
	}
}

// TestNumbersExact: a number typed as a number is read from the text the
// workbook stores; one whose stored text has more digits than a
// spreadsheet keeps, or an exponent that dropped digits, is refused with
// the advice to type it as text.
func TestNumbersExact(t *testing.T) {
	for _, c := range []struct {
		stored string
		want   string // "" for refused
	}{
		{"1250.5", "1250.5"},
		{"0.1", "0.1"},
		{"2.50", "2.5"},
		{"0.3000000000000000", "0.3"},
		{"123456789012345", "123456789012345"},
		{"1.5E-3", "0.0015"},
		{"0.30000000000000004", ""},
		{"1234567890123456", ""},
		{"1.23456789012345E+20", ""},
	} {
		t.Run(c.stored, func(t *testing.T) {
			got, msg := exactNumber(c.stored)
			if c.want == "" {
				if msg == "" || !strings.Contains(msg, "text") {
					t.Errorf("%s read as %s, want refused with advice; msg %q", c.stored, got, msg)
				}
				return
			}
			if got != c.want || msg != "" {
				t.Errorf("%s read as %q (%q), want %s", c.stored, got, msg, c.want)
			}
		})
	}
}

// TestNumberCellsFileExactly: the example with its electricity typed as
// numbers files with the same decimals; a number past 15 digits is
// refused at its cell.
func TestNumberCellsFileExactly(t *testing.T) {
	b := edit(t, func(f *excelize.File) {
		f.SetCellValue("Electricity", "C2", 1250.5)
		f.SetCellFloat("Electricity", "C3", 0.1+0.2, 17, 64) // 17 digits, as Excel stores =0.1+0.2 (0.30000000000000004)
	})
	_, _, err := readBook(t, b, exampleContext(t))
	ps := problemsOf(t, err, ledger.EInvalid)
	if !hasProblem(ps, "Electricity!C3", "0.29999999999999999") || !hasProblem(ps, "Electricity!C3", "as text") {
		t.Fatalf("problems %+v", ps)
	}
	want := exampleReturn(t).Electricity[0].KWh
	b = edit(t, func(f *excelize.File) { f.SetCellValue("Electricity", "C2", want.InexactFloat64()) })
	r, _, err := readBook(t, b, exampleContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Electricity[0].KWh.Equal(want) {
		t.Errorf("kwh %s, want %s", r.Electricity[0].KWh, want)
	}
}

// TestFormulaCachedValue: a formula is filed by its cached value, with a
// warning naming the cell; one without a cached value is a problem.
func TestFormulaCachedValue(t *testing.T) {
	want := exampleReturn(t).Electricity[0].KWh
	b := edit(t, func(f *excelize.File) {
		f.SetCellValue("Electricity", "C2", want.InexactFloat64()) // the cached value
		f.SetCellFormula("Electricity", "C2", want.String()+"*1")
	})
	r, w, err := readBook(t, b, exampleContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Electricity[0].KWh.Equal(want) {
		t.Errorf("kwh %s, want %s", r.Electricity[0].KWh, want)
	}
	found := false
	for _, x := range w {
		found = found || x.Rule == "workbook_formula" && x.Path == "Electricity!C2"
	}
	if !found {
		t.Errorf("no formula warning in %+v", w)
	}

	// A formula in every cell of a column: 20 warnings and one that
	// counts the rest.
	b = edit(t, func(f *excelize.File) {
		for row := 2; row <= 31; row++ {
			cell := cellName(3, row)
			f.SetCellValue("Sites", cell, 1)
			f.SetCellFormula("Sites", cell, "0+1")
			f.SetCellStr("Sites", cellName(1, row), fmt.Sprintf("s%d", row))
			f.SetCellStr("Sites", cellName(2, row), "ran")
		}
	})
	n := 0
	var last ledger.Warning
	for _, x := range dv(t, b).notes {
		n++
		last = x
	}
	if n != 21 || !strings.Contains(last.Message, "10 more cells are formulas") {
		t.Errorf("%d formula warnings, the last %+v", n, last)
	}
}

// dv derives a workbook and returns the deriver, with its notes.
func dv(t *testing.T, b []byte) *deriver {
	t.Helper()
	bk, err := openBook(b, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	d := newDeriver(theLayout())
	for _, name := range bk.names {
		if sh := d.l.sheetNamed(name); sh != nil {
			if err := d.readSheet(bk, sh); err != nil {
				t.Fatal(err)
			}
		}
	}
	d.finish()
	return d
}

// zipOf builds a zip from name, content pairs.
func zipOf(t *testing.T, files ...string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := zw.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[i+1]))
	}
	zw.Close()
	return buf.Bytes()
}

// withPart returns the template with a part added or replaced.
func withPart(t *testing.T, name, content string) []byte {
	buf, zw := templateWithout(t, name)
	w, _ := zw.Create(name)
	w.Write([]byte(content))
	zw.Close()
	return buf.Bytes()
}

// templateWithout is a zip writer holding every part of the template
// but name, for the caller to add its own part to and close.
func templateWithout(t *testing.T, name string) (*bytes.Buffer, *zip.Writer) {
	t.Helper()
	b, err := Template(nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	if err := copyParts(zw, b, func(f *zip.File) bool { return f.Name == name }); err != nil {
		t.Fatal(err)
	}
	return &buf, zw
}

// copyParts copies every part of the zip b to zw but those skip names.
func copyParts(zw *zip.Writer, b []byte, skip func(*zip.File) bool) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return err
	}
	for _, f := range zr.File {
		if skip(f) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		w, err := zw.Create(f.Name)
		if err == nil {
			_, err = io.Copy(w, rc)
		}
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// lying returns the template with part name replaced by actual bytes of
// a repeated shared string item, its zip directory declaring declared
// bytes.
func lying(t *testing.T, name string, declared uint64, actual int) []byte {
	buf, zw := templateWithout(t, name)
	body := []byte("<sst>" + strings.Repeat("<si><t>x</t></si>", actual/17) + "</sst>")
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	fw.Write(body)
	fw.Close()
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(body),
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	zw.Close()
	return buf.Bytes()
}

// TestHostileWorkbooks: each is refused with a clear problem, before any
// large part is inflated.
func TestHostileWorkbooks(t *testing.T) {
	wide := `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">` +
		strings.Repeat(`<c t="inlineStr"><is><t>x</t></is></c>`, 20_000) + `</row></sheetData></worksheet>`
	for _, c := range []struct {
		name string
		body []byte
		code string
		msg  string
	}{
		{"not a zip", []byte("hello"), ledger.EBadRequest, "not an XLSX"},
		{"zip bomb", lying(t, "xl/worksheets/sheet2.xml", 1<<40, 1<<10), ledger.ETooLarge, "unpacks to more than"},
		{"zip bomb, sizes declared small", lying(t, "xl/worksheets/sheet2.xml", 1<<20, 8<<20), ledger.EBadRequest, "sheet"},
		{"shared strings of a gigabyte", lying(t, "xl/sharedStrings.xml", 1<<30, 1<<10), ledger.ETooLarge, "shared strings"},
		{"macros", withPart(t, "xl/vbaProject.bin", "x"), ledger.EBadRequest, "macros"},
		{"xlsm content type", withPart(t, "[Content_Types].xml", `<Types><Override ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>`), ledger.EBadRequest, "macro-enabled"},
		{"external link", withPart(t, "xl/externalLinks/externalLink1.xml", "<externalLink/>"), ledger.EBadRequest, "links to other workbooks"},
		{"a million columns", withPart(t, "xl/worksheets/sheet3.xml", wide), ledger.EBadRequest, "past column XFD"},
		{"a cell of a megabyte", withPart(t, "xl/worksheets/sheet3.xml", `<worksheet><sheetData><row><c t="inlineStr"><is><t>`+
			strings.Repeat("x", 1<<20-1)+`</t></is></c></row></sheetData></worksheet>`), ledger.EBadRequest, "more than 65536 bytes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(c.body), filing.Options{}, Limits{})
			var e *ledger.Error
			if err == nil || !errors.As(err, &e) || e.Code != c.code || !strings.Contains(e.Message, c.msg) {
				t.Fatalf("got %v, want %s with %q", err, c.code, c.msg)
			}
		})
	}
}

// TestBodyOverLimit: a body over the HTTP layer's limit is ETooLarge.
func TestBodyOverLimit(t *testing.T) {
	b, err := Template(nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Read(http.MaxBytesReader(nil, io.NopCloser(bytes.NewReader(b)), 1000), filing.Options{}, Limits{})
	var e *ledger.Error
	if !errors.As(err, &e) || e.Code != ledger.ETooLarge {
		t.Fatalf("got %v", err)
	}
}
