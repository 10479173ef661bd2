package workbook

import (
	"archive/zip"
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"
)

// sheetRows reads a sheet's XML with read and returns its rows, or the
// error.
func sheetRows(read func(io.Reader, string, []string, func(int, []cell) error) error, x []byte, strs []string) ([]string, error) {
	var out []string
	err := read(bytes.NewReader(x), "S", strs, func(row int, cells []cell) error {
		var b strings.Builder
		for _, c := range cells {
			b.WriteString(strings.Join([]string{cellName(c.col, row), string(c.typ), c.text}, "|"))
			if c.formula {
				b.WriteString("|f")
			}
			if c.value {
				b.WriteString("|v")
			}
			b.WriteByte(';')
		}
		out = append(out, b.String())
		return nil
	})
	return out, err
}

// sheetsOf returns the worksheets' XML of a workbook.
func sheetsOf(t testing.TB, b []byte) [][]byte {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/sheet") {
			rc, _ := f.Open()
			x, _ := io.ReadAll(rc)
			rc.Close()
			out = append(out, x)
		}
	}
	return out
}

// trickySheets are sheets as other programs may write them.
var trickySheets = []string{
	`<?xml version="1.0"?><!-- a comment --><x:worksheet xmlns:x="urn:x"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a &amp; b &lt;c&gt; &#x41;&#66;</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`,
	"<worksheet><sheetData><row><c t='str'><f>1&gt;0</f><v><![CDATA[x<y]]></v></c><c/><c t=\"s\"><v>1</v></c></row>\r\n<row r='7' spans=\"1:3\"><c r='C7' s='2'><v>1.5E-3</v></c><c t='b'><v>1</v></c><c t='e'><v>#N/A</v></c></row></sheetData></worksheet>",
	"<worksheet><sheetData><row><c t=\"inlineStr\"><is><r><t>line\r\none</t></r><r><t xml:space=\"preserve\"> two</t></r></is></c><c t=\"str\"><f/></c><c><v/></c></row></sheetData></worksheet>",
}

// TestScannerMatchesEncodingXML: the sheet scanner reads the template's,
// the example's and other programs' sheets as encoding/xml does.
func TestScannerMatchesEncodingXML(t *testing.T) {
	ex, err := Write(exampleV11(t), factors20261(t))
	if err != nil {
		t.Fatal(err)
	}
	bk, err := openBook(ex, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	sheets := sheetsOf(t, ex)
	for _, s := range trickySheets {
		sheets = append(sheets, []byte(s))
	}
	strs := append(bk.strings, "zero", "one")
	for i, x := range sheets {
		want, werr := sheetRows(scanSheetStd, x, strs)
		got, gerr := sheetRows(scanSheet, x, strs)
		if werr != nil || gerr != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("sheet %d:\nencoding/xml %v %q\nscanner      %v %q", i, werr, want, gerr, got)
		}
	}
}

// declares reports whether x holds a "<!" that opens neither a comment
// nor a CDATA section: a declaration, which the scanner refuses and
// encoding/xml reads as a directive. Anywhere in x: a sheet with a
// comment may declare something elsewhere.
func declares(x []byte) bool {
	for i := bytes.Index(x, []byte("<!")); i >= 0; {
		rest := x[i:]
		if !bytes.HasPrefix(rest, []byte("<!--")) && !bytes.HasPrefix(rest, []byte("<![CDATA[")) {
			return true
		}
		j := bytes.Index(rest[2:], []byte("<!"))
		if j < 0 {
			return false
		}
		i += 2 + j
	}
	return false
}

// FuzzSheetScanner: on any sheet XML that encoding/xml reads (and that
// declares nothing), the scanner reads the same cells.
//
//	go test ./workbook -run '^$' -fuzz FuzzSheetScanner -fuzztime 1m
func FuzzSheetScanner(f *testing.F) {
	for _, s := range trickySheets {
		f.Add([]byte(s))
	}
	tmpl, err := Template(nil)
	if err != nil {
		f.Fatal(err)
	}
	for _, x := range sheetsOf(f, tmpl)[1:3] {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x []byte) {
		got, gerr := sheetRows(scanSheet, x, []string{"zero", "one"})
		want, werr := sheetRows(scanSheetStd, x, []string{"zero", "one"})
		if werr != nil || declares(x) {
			return
		}
		if gerr != nil {
			t.Fatalf("encoding/xml reads it, the scanner does not: %v\nwant %q", gerr, want)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("encoding/xml %q\nscanner      %q", want, got)
		}
	})
}
