package templates

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// pdfText lists the text drawn on each page of a PDF written by this
// package, one string per text operator, read from the page content
// streams themselves (no external tool). Strings are UTF-16BE, as gofpdf
// writes them for UTF-8 fonts.
func pdfText(b []byte) (string, error) {
	f := indexPDF(b)
	root, _, err := f.object(1) // gofpdf writes the page tree as object 1
	if err != nil {
		return "", err
	}
	pages, _ := root.(pdfDict)
	kids, _ := pages["Kids"].([]any)
	if len(kids) == 0 {
		return "", fmt.Errorf("no pages")
	}
	var out strings.Builder
	for i, k := range kids {
		ref, _ := k.(pdfRef)
		page, _ := f.resolve(ref).(pdfDict)
		cref, ok := page["Contents"].(pdfRef)
		if !ok {
			return "", fmt.Errorf("page %d has no contents", i+1)
		}
		dict, raw, err := f.stream(cref.num)
		if err != nil {
			return "", err
		}
		content, err := decode(dict, raw, 64<<20)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&out, "--- page %d ---\n", i+1)
		l := &lexer{b: content}
		var operands []any
		for {
			v, err := l.object(0)
			if err != nil {
				break
			}
			kw, isKw := v.(pdfKeyword)
			if !isKw {
				operands = append(operands, v)
				continue
			}
			switch {
			case kw == "Tj" && len(operands) > 0:
				s, _ := operands[len(operands)-1].([]byte)
				out.WriteString(utf16BE(s) + "\n")
			case kw == "TJ" && len(operands) > 0:
				arr, _ := operands[len(operands)-1].([]any)
				for _, a := range arr {
					if s, ok := a.([]byte); ok {
						out.WriteString(utf16BE(s))
					}
				}
				out.WriteString("\n")
			}
			operands = operands[:0]
		}
	}
	return out.String(), nil
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./templates -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs at line %d:\n got: %q\nwant: %q\n(run go test ./templates -update if the change is intended)", path, i+1, g, w)
			}
		}
	}
}

func renderFixtures(t testing.TB) (disclosure, sector []byte) {
	t.Helper()
	disclosure, err := RenderOperatorDisclosure(fixtureDisclosure(), fixtureAttachment())
	if err != nil {
		t.Fatal(err)
	}
	sector, err = RenderSectorReport(fixtureSector(12), fixtureAttachment())
	if err != nil {
		t.Fatal(err)
	}
	return disclosure, sector
}

// TestGoldenText checks the text of every page, read from the PDF's own
// content streams, against testdata/*.text.golden.
func TestGoldenText(t *testing.T) {
	disclosure, sector := renderFixtures(t)
	for _, c := range []struct {
		name string
		pdf  []byte
	}{{"disclosure_v1.text.golden", disclosure}, {"sector_v1.text.golden", sector}} {
		t.Run(c.name, func(t *testing.T) {
			text, err := pdfText(c.pdf)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, c.name, text)
		})
	}
}

// TestGoldenPdftotext checks what a standard PDF reader extracts (poppler's
// pdftotext, with the fonts' ToUnicode maps) against testdata.
func TestGoldenPdftotext(t *testing.T) {
	disclosure, sector := renderFixtures(t)
	for _, c := range []struct {
		name string
		pdf  []byte
	}{{"disclosure_v1.pdftotext.golden", disclosure}, {"sector_v1.pdftotext.golden", sector}} {
		t.Run(c.name, func(t *testing.T) {
			out, ok := byPdftotext(t, c.pdf, "-layout")
			if !ok {
				t.Skip("pdftotext not installed (apt-get install poppler-utils)")
			}
			golden(t, c.name, out)
		})
	}
}

func TestTextShowsWhatTheSpecAsks(t *testing.T) {
	disclosure, sector := renderFixtures(t)
	text, err := pdfText(disclosure)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Viễn thông Đà Nẵng",                 // a non-ASCII operator name
		"page 1 of \n8\n", "page 8 of \n8\n", // the page count alias was filled in
		"Checkpoint root q9yJ8m3xTq0cV1cH…",      // footer: root prefix
		"ictledger verify disclosure FILE.pdf",   // how to verify
		"POST /v1/verify",                        // how to verify
		"disclosure_v1",                          // template version
		"2025-11-14 09:30:12 UTC (ledger time)",  // document date
		"Emissions (t CO₂e)",                     // CO₂ with a real subscript
		"133,525.9",                              // thousands separators
		"n/a",                                    // unavailable values
		"no water use reported for the facility", // with their reason
		"not met",                                // WEEE targets
		"Scope 2 emissions by quarter (t CO₂e)",  // charts
		"ictledger-proof.json",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("disclosure text lacks %q", want)
		}
	}
	text, err = pdfText(sector)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Sector report", "Filing status", "missing", "late", "on time", "Sector median", "Spread across operators"} {
		if !strings.Contains(text, want) {
			t.Errorf("sector text lacks %q", want)
		}
	}
}
