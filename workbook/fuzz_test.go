package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"testing"

	"github.com/ictledger/ictledger/filing"
	"github.com/ictledger/ictledger/ledger"
)

// FuzzWorkbook: reading and checking any body never panics and every
// error is a *ledger.Error. The second input, when not empty, replaces
// the XML of the Electricity sheet in the first (when it is a zip), so
// that the sheet reader is explored past the zip directory.
//
//	go test ./workbook -run '^$' -fuzz FuzzWorkbook -fuzztime 1m
func FuzzWorkbook(f *testing.F) {
	tmpl, err := Template(nil)
	if err != nil {
		f.Fatal(err)
	}
	ex, err := Write(exampleReturn(f), factors20261(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(tmpl, []byte(nil))
	f.Add(ex, []byte(nil))
	f.Add(ex, []byte(`<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>domain</t></is></c><c r="B1" t="s"><v>3</v></c>`+
		`<c r="C1" t="str"><v>kwh (kWh)</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>ran</t></is></c><c r="C2"><f>1+1</f><v>2</v></c>`+
		`<c r="D2"><v>1.5E-3</v></c><c r="E2" t="b"><v>1</v></c><c r="F2" t="e"><v>#N/A</v></c></row></sheetData></worksheet>`))
	f.Add([]byte("PK\x03\x04"), []byte(nil))
	c := exampleContext(f)
	lim := Limits{MaxUnpacked: 16 << 20, MaxSheet: 8 << 20, MaxSharedStrings: 1 << 20, MaxPart: 1 << 20}
	f.Fuzz(func(t *testing.T, body, sheetXML []byte) {
		if len(sheetXML) > 0 {
			body = replacePart(body, "xl/worksheets/sheet4.xml", sheetXML)
		}
		d, err := Read(bytes.NewReader(body), filing.Options{}, lim)
		var e *ledger.Error
		if err != nil {
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not a *ledger.Error: %v", err, err)
			}
			return
		}
		if _, err := d.Check(c); err != nil && !errors.As(err, &e) {
			t.Fatalf("check: error %T is not a *ledger.Error: %v", err, err)
		}
	})
}

// replacePart returns the zip b with part name's content replaced, or b
// when b is not a zip.
func replacePart(b []byte, name string, content []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	if err := copyParts(zw, b, func(f *zip.File) bool { return f.Name == name || f.UncompressedSize64 > 1<<20 }); err != nil {
		return b
	}
	w, _ := zw.Create(name)
	w.Write(content)
	zw.Close()
	return buf.Bytes()
}
