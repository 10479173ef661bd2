package xlsxexport

import (
	"bytes"
	"io"
	"slices"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestExactNumber(t *testing.T) {
	for _, tc := range []struct {
		in    string
		exact bool
	}{
		{"0", true},
		{"-12.5", true},
		{"133525.859889", true},
		{"99.981934", true},
		{"123456789012345", true},       // 15 digits
		{"1234567890123456", false},     // 16 digits
		{"1988802077.062438", false},    // 16 digits: a double prints 1988802077.06244
		{"0.000000000000001", true},     // one significant digit
		{"100000000000000000000", true}, // one significant digit, 21 places
		{"1.50", false},                 // not as a double prints it: the cell would show 1.5
		{"1e3", false},
		{"", false},
		{"-", false},
		{"=1+2", false},
		{"+1", false},
		{"NaN", false},
		{"Inf", false},
		{"0x10", false},
	} {
		if _, got := ExactNumber(tc.in); got != tc.exact {
			t.Errorf("ExactNumber(%q) exact = %v, want %v", tc.in, got, tc.exact)
		}
	}
}

// TestTextIsNeverAFormula writes text that begins like a formula into a
// text column and a number column and reads the workbook back: each is
// a string cell with exactly the text, and no cell has a formula.
func TestTextIsNeverAFormula(t *testing.T) {
	hostile := []string{`=HYPERLINK("https://evil.example","x")`, "+81 Mobile", "-minus-net", "@SUM(A1:A9)", "=1+2"}
	var buf bytes.Buffer
	rows := func(yield func([]string) bool) {
		for _, h := range hostile {
			if !yield([]string{h, h}) {
				return
			}
		}
	}
	st, err := Write(&buf, Workbook{Tables: []Table{{Sheet: "T", Header: []string{"text", "number"}, Kinds: []Kind{Text, Number}, Rows: rows}}})
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != len(hostile) || st.TextNumbers != len(hostile) || st.NumberCells != 0 {
		t.Fatalf("stats %+v", st)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"T", "Notes"}) {
		t.Fatalf("sheets %q", got)
	}
	for r, h := range hostile {
		for c := 1; c <= 2; c++ {
			ref, _ := excelize.CoordinatesToCellName(c, r+2)
			v, _ := f.GetCellValue("T", ref, excelize.Options{RawCellValue: true})
			typ, _ := f.GetCellType("T", ref)
			formula, _ := f.GetCellFormula("T", ref)
			if v != h || formula != "" || (typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString) {
				t.Errorf("%s: value %q, type %v, formula %q; want the string %q", ref, v, typ, formula, h)
			}
		}
	}
}

// TestRowWidth: a row that does not fit the header is an error, and
// nothing is written.
func TestRowWidth(t *testing.T) {
	var buf bytes.Buffer
	rows := func(yield func([]string) bool) { yield([]string{"a"}) }
	_, err := Write(&buf, Workbook{Tables: []Table{{Sheet: "T", Header: []string{"x", "y"}, Rows: rows}}})
	if err == nil || buf.Len() != 0 {
		t.Fatalf("err %v, %d bytes written", err, buf.Len())
	}
}

// BenchmarkWriteSector writes a sector-shaped sheet (7 text columns, 20
// metric columns, one of them too long for a double) of b.N... rows given
// by the sub-benchmark's name, to io.Discard. Peak memory is the process's
// maximum RSS (run one size at a time under /usr/bin/time -v): the stream
// writer keeps 16 MiB of a sheet in memory and spills the rest to a file.
func BenchmarkWriteSector(b *testing.B) {
	for _, n := range []int{1000, 20000, 200000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			header := make([]string, 27)
			kinds := make([]Kind, 27)
			for i := range header {
				header[i] = "column " + strconv.Itoa(i)
				if i >= 7 {
					kinds[i] = Number
				}
			}
			rows := func(yield func([]string) bool) {
				rec := make([]string, 27)
				for r := range n {
					id := "operator-" + strconv.Itoa(r)
					copy(rec, []string{id, "Operator " + strconv.Itoa(r) + " K.K.", "JP", "submitted", "false", "2025-Q3", id + "-2025-Q3-v1"})
					for c := 7; c < 27; c++ {
						rec[c] = strconv.Itoa(r*c) + ".859889"
					}
					rec[26] = "1988802077.062438"
					if !yield(rec) {
						return
					}
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Write(io.Discard, Workbook{Tables: []Table{{Sheet: "Sector", Header: header, Kinds: kinds, Rows: rows}}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// largestWrite records the largest single Write it is given.
type largestWrite struct{ total, largest int }

func (l *largestWrite) Write(p []byte) (int, error) {
	l.total += len(p)
	l.largest = max(l.largest, len(p))
	return len(p), nil
}

// TestWriteStreams: the workbook reaches the writer in small pieces as
// the zip is made, not as one buffer holding the whole file (excelize's
// own WriteTo builds the zip in memory first).
func TestWriteStreams(t *testing.T) {
	rows := func(yield func([]string) bool) {
		for r := range 60000 {
			s := strconv.Itoa(r)
			if !yield([]string{"operator-" + s, s + ".123456", "Operator " + s + " of a long name, Ltd"}) {
				return
			}
		}
	}
	var w largestWrite
	if _, err := Write(&w, Workbook{Tables: []Table{{Sheet: "T", Header: []string{"id", "value", "name"},
		Kinds: []Kind{Text, Number, Text}, Rows: rows}}}); err != nil {
		t.Fatal(err)
	}
	if w.total < 1<<20 || w.largest > 64<<10 {
		t.Fatalf("%d bytes in writes of up to %d bytes: want over 1 MiB in writes of 64 KiB at most", w.total, w.largest)
	}
}
