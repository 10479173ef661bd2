// Package xlsxexport writes the service's exports as Office Open XML
// workbooks (.xlsx) beside their CSV forms: the sector export and a
// return's metrics with their derivations.
//
// Every sheet is written with excelize's StreamWriter, which keeps at
// most a chunk of the sheet in memory and spills the rest to a temporary
// file, so a sector of thousands of operators costs the same memory as a
// sector of ten. Values are written so that no digit changes:
//
//   - a text column's cells are string cells formatted as text, never
//     formulas, whatever they begin with ('=', '+', '-', '@'): the
//     workbook's answer to CSV formula injection;
//   - a number column's decimal is a numeric cell when it has at most 15
//     significant digits and prints back from a double exactly as given,
//     and a text cell otherwise, so a spreadsheet never rounds it. The
//     workbook's Notes sheet says so, with the count of such cells.
package xlsxexport

import (
	"archive/zip"
	"fmt"
	"io"
	"iter"
	"strconv"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// ContentType is the media type of an .xlsx workbook.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// MaxExactDigits is the most significant digits a numeric cell holds:
// every decimal of at most 15 significant digits survives a round trip
// through an IEEE 754 double, and Excel shows no more than 15.
const MaxExactDigits = 15

// Kind says how a column's cells are written.
type Kind int

const (
	// Text cells are strings formatted as text.
	Text Kind = iota
	// Number cells are decimals: numeric when exact (see ExactNumber), text
	// otherwise; an empty cell stays empty.
	Number
)

// Table is one sheet: a header row, then rows of cells in the header's
// order. Kinds gives each column's kind; a column without one is Text.
type Table struct {
	Sheet  string // the sheet's name, at most 31 characters
	Header []string
	Kinds  []Kind
	// Widths are column widths in characters; a column without one is
	// as wide as its header.
	Widths []float64
	Rows   iter.Seq[[]string]
}

// Workbook is what Write writes: the tables, each on its own sheet in
// order, then a Notes sheet with Notes and the number rule.
type Workbook struct {
	Tables []Table
	Notes  []string
}

// Stats says what Write wrote.
type Stats struct {
	Rows        int // data rows, over every table
	NumberCells int // decimals written as numeric cells
	TextNumbers int // decimals written as text because a double would not hold them exactly
}

// ExactNumber is the numeric cell value of a decimal string, and whether it
// is exact: true when v has at most MaxExactDigits significant digits
// and formats back from the nearest double to the very same string, so
// a spreadsheet reading the cell shows the digits given.
func ExactNumber(v string) (float64, bool) {
	if significantDigits(v) > MaxExactDigits {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || strconv.FormatFloat(f, 'f', -1, 64) != v {
		return 0, false
	}
	return f, true
}

// significantDigits counts the digits of v from its first non-zero digit
// to its last non-zero digit. Anything but digits, one '.' and a leading
// '-' counts as too many, so the value goes out as text.
func significantDigits(v string) int {
	first, last, digits := -1, -1, 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '1' && c <= '9':
			if first < 0 {
				first = digits
			}
			last = digits
			digits++
		case c == '0':
			digits++
		case c == '.' || (c == '-' && i == 0):
		default:
			return MaxExactDigits + 1
		}
	}
	if first < 0 {
		return 0
	}
	return last - first + 1
}

// Write writes wb to w as an .xlsx workbook. Nothing is written to w
// unless every sheet was built.
func Write(w io.Writer, wb Workbook) (Stats, error) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }() // removes the stream writers' temporary files
	st, err := writeTables(f, wb.Tables)
	if err != nil {
		return st, err
	}
	if err := writeNotes(f, wb.Notes, st); err != nil {
		return st, err
	}
	// The first sheet is the active one as it is. (SetActiveSheet would
	// read every streamed sheet back into memory to mark it.)
	//
	// WriteTo builds the whole zip in a bytes.Buffer before copying it to
	// w; the zip writer excelize is given instead writes to w directly,
	// so the streamed sheets go from their temporary files to w. The
	// buffer stays empty: it would only be patched for a zip entry over
	// 4 GiB, which an export of this service never is.
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	if _, err := f.WriteTo(w); err != nil {
		return st, fmt.Errorf("xlsxexport: write workbook: %w", err)
	}
	return st, nil
}

// styles are the cell styles every sheet uses.
type styles struct {
	header, text int
}

func newStyles(f *excelize.File) (styles, error) {
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "Calibri", Size: 11}, NumFmt: 49,
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return styles{}, fmt.Errorf("xlsxexport: header style: %w", err)
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": the cell is text, also when edited
	if err != nil {
		return styles{}, fmt.Errorf("xlsxexport: text style: %w", err)
	}
	return styles{header: header, text: text}, nil
}

func writeTables(f *excelize.File, tables []Table) (Stats, error) {
	var st Stats
	sty, err := newStyles(f)
	if err != nil {
		return st, err
	}
	for i, t := range tables {
		if err := addSheet(f, i, t.Sheet); err != nil {
			return st, err
		}
		if err := writeTable(f, t, sty, &st); err != nil {
			return st, fmt.Errorf("xlsxexport: sheet %s: %w", t.Sheet, err)
		}
	}
	return st, nil
}

// addSheet names the workbook's i-th sheet: a new workbook already has
// one sheet, which the first table renames.
func addSheet(f *excelize.File, i int, name string) error {
	if i == 0 {
		if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
			return fmt.Errorf("xlsxexport: sheet %s: %w", name, err)
		}
		return nil
	}
	if _, err := f.NewSheet(name); err != nil {
		return fmt.Errorf("xlsxexport: sheet %s: %w", name, err)
	}
	return nil
}

// writeTable streams t: widths and the frozen header first (the stream
// writer takes them only before any row), then the rows, then a table
// over them, which gives the header row its autofilter.
func writeTable(f *excelize.File, t Table, sty styles, st *Stats) error {
	sw, err := f.NewStreamWriter(t.Sheet)
	if err != nil {
		return err
	}
	for c, h := range t.Header {
		if err := sw.SetColWidth(c+1, c+1, columnWidth(t.Widths, c, h)); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(t.Header))
	for c, h := range t.Header {
		header[c] = excelize.Cell{StyleID: sty.header, Value: h}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	row := 1
	cells := make([]any, len(t.Header))
	for rec := range t.Rows {
		if len(rec) != len(t.Header) {
			return fmt.Errorf("row %d has %d cells, the header %d", row, len(rec), len(t.Header))
		}
		row++
		for c, v := range rec {
			cells[c] = cell(v, kindOf(t.Kinds, c), sty, st)
		}
		ref, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(ref, cells); err != nil {
			return err
		}
		st.Rows++
	}
	if err := addFilter(sw, len(t.Header), row); err != nil {
		return err
	}
	return sw.Flush()
}

// addFilter puts a table without banding over the header and rows, the
// stream writer's one way to an autofilter; a table needs two rows, so a
// sheet without data gets none.
func addFilter(sw *excelize.StreamWriter, cols, rows int) error {
	if rows < 2 || cols == 0 {
		return nil
	}
	last, err := excelize.CoordinatesToCellName(cols, rows)
	if err != nil {
		return err
	}
	off := false
	return sw.AddTable(&excelize.Table{Range: "A1:" + last, StyleName: "", ShowRowStripes: &off})
}

func kindOf(kinds []Kind, c int) Kind {
	if c < len(kinds) {
		return kinds[c]
	}
	return Text
}

// cell is the stream writer's value for v in a column of kind k.
func cell(v string, k Kind, sty styles, st *Stats) any {
	if v == "" {
		return nil
	}
	if k == Number {
		if f, ok := ExactNumber(v); ok {
			st.NumberCells++
			return f
		}
		st.TextNumbers++
	}
	// A string value is always a string cell: excelize writes a formula
	// only from Cell.Formula, so "=1+2" stays the four characters.
	return excelize.Cell{StyleID: sty.text, Value: v}
}

// columnWidth is column c's width: as given, else one that shows its
// header h, within bounds.
func columnWidth(widths []float64, c int, h string) float64 {
	if c < len(widths) && widths[c] > 0 {
		return widths[c]
	}
	n := float64(utf8.RuneCountInString(h)) + 2
	return min(max(n, 10), 48)
}

// writeNotes writes the Notes sheet: the caller's lines, then the rule
// that says which decimals are numbers and which are text.
func writeNotes(f *excelize.File, notes []string, st Stats) error {
	const sheet = "Notes"
	if _, err := f.NewSheet(sheet); err != nil {
		return fmt.Errorf("xlsxexport: notes: %w", err)
	}
	lines := append(append([]string(nil), notes...), numberRule(st)...)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("xlsxexport: notes: %w", err)
	}
	if err := sw.SetColWidth(1, 1, 120); err != nil {
		return fmt.Errorf("xlsxexport: notes: %w", err)
	}
	for i, l := range lines {
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(ref, []any{l}); err != nil {
			return fmt.Errorf("xlsxexport: notes: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsxexport: notes: %w", err)
	}
	return nil
}

// numberRule says in words how the decimals were written.
func numberRule(st Stats) []string {
	return []string{
		fmt.Sprintf("Numbers: a value with at most %d significant digits is a number cell, exact to the last digit. "+
			"A value with more digits is a text cell (left-aligned), because a spreadsheet keeps only %d digits of a number; "+
			"its text is the exact decimal.", MaxExactDigits, MaxExactDigits),
		fmt.Sprintf("In this workbook: %d values as numbers, %d values as text.", st.NumberCells, st.TextNumbers),
		"Text: names and ids are text cells, never formulas, whatever character they begin with.",
	}
}
