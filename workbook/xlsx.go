package workbook

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/ictledger/ictledger/ledger"
)

// The reader is written on archive/zip and encoding/xml rather than
// excelize's: excelize's row iterator gives a cell's text but not whether
// it was typed as a number or as text, nor whether it is a formula, and
// both decide how a cell is read here (a number must show no more digits
// than a spreadsheet double holds; a formula is read by its cached value
// with a warning). Reading the parts directly also lets every size be
// checked against the zip directory before anything is unpacked.

// Limits bound what a workbook may unpack to. The zip directory states
// each part's size and archive/zip fails a part that unpacks to more than
// it stated, so the checks are made before anything is inflated.
type Limits struct {
	// MaxUnpacked is the most bytes all parts may unpack to (default 256 MiB).
	MaxUnpacked uint64
	// MaxSheet is the most bytes one worksheet may unpack to (default
	// 128 MiB; a Sites sheet of 100,000 rows is about 50 MiB).
	MaxSheet uint64
	// MaxSharedStrings is the most bytes of the shared strings part, which
	// is held in memory (default 64 MiB).
	MaxSharedStrings uint64
	// MaxPart is the most bytes of any other part read (default 4 MiB).
	MaxPart uint64
}

// The defaults of Limits and the fixed bounds of a workbook.
const (
	DefaultMaxUnpacked      = 256 << 20
	DefaultMaxSheet         = 128 << 20
	DefaultMaxSharedStrings = 64 << 20
	DefaultMaxPart          = 4 << 20

	maxEntries = 10_000  // parts in the zip
	maxColumns = 16_384  // XFD, the last column of a spreadsheet
	maxRows    = 1 << 20 // 1,048,576, the last row of a spreadsheet
	maxToken   = 1 << 20 // bytes of one XML tag or text between tags
	maxStrings = 4 << 20 // shared strings
	// maxCellBytes bounds the text of one cell: the longest a return
	// takes is a note of 10,000 characters (40,000 bytes of UTF-8 at
	// most), and a row holds its cells until it ends.
	maxCellBytes = 64 << 10
)

func (l Limits) withDefaults() Limits {
	if l.MaxUnpacked == 0 {
		l.MaxUnpacked = DefaultMaxUnpacked
	}
	if l.MaxSheet == 0 {
		l.MaxSheet = DefaultMaxSheet
	}
	if l.MaxSharedStrings == 0 {
		l.MaxSharedStrings = DefaultMaxSharedStrings
	}
	if l.MaxPart == 0 {
		l.MaxPart = DefaultMaxPart
	}
	return l
}

// book is an opened workbook: its sheets by name, in order, and its
// shared strings.
type book struct {
	zr      *zip.Reader
	limits  Limits
	names   []string             // sheet names in workbook order
	parts   map[string]*zip.File // worksheet part by sheet name
	strings []string
}

func badRequest(format string, args ...any) *ledger.Error {
	return ledger.Errorf(ledger.EBadRequest, "not a workbook this service reads: "+format, args...)
}

func tooLarge(format string, args ...any) *ledger.Error {
	return ledger.Errorf(ledger.ETooLarge, format, args...)
}

// openBook checks the zip directory of b and reads the workbook's sheet
// list and shared strings. A macro-enabled workbook, one that links to
// other workbooks, and one whose parts would unpack past the limits are
// refused before any part is inflated.
func openBook(b []byte, lim Limits) (*book, error) {
	lim = lim.withDefaults()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, badRequest("the file is not an XLSX workbook (a zip archive): %v", err)
	}
	if len(zr.File) > maxEntries {
		return nil, badRequest("the file has %d parts, more than %d", len(zr.File), maxEntries)
	}
	files := map[string]*zip.File{}
	var total uint64
	for _, f := range zr.File {
		name := strings.TrimPrefix(f.Name, "/")
		lower := strings.ToLower(name)
		switch {
		case strings.HasSuffix(lower, "vbaproject.bin") || strings.HasSuffix(lower, ".bin") && strings.Contains(lower, "vba"):
			return nil, badRequest("it holds macros (%s): save it as an Excel Workbook (.xlsx), without macros", f.Name)
		case strings.HasPrefix(lower, "xl/externallinks/"):
			return nil, badRequest("it links to other workbooks (%s): paste the values instead and save again", f.Name)
		}
		if name == "xl/sharedStrings.xml" && f.UncompressedSize64 > lim.MaxSharedStrings {
			return nil, tooLarge("the shared strings of the workbook unpack to %d bytes, more than the limit of %d", f.UncompressedSize64, lim.MaxSharedStrings)
		}
		if total += f.UncompressedSize64; total > lim.MaxUnpacked || f.UncompressedSize64 > lim.MaxUnpacked {
			return nil, tooLarge("the workbook unpacks to more than %d bytes", lim.MaxUnpacked)
		}
		files[name] = f
	}
	bk := &book{zr: zr, limits: lim, parts: map[string]*zip.File{}}
	if err := bk.checkContentTypes(files); err != nil {
		return nil, err
	}
	if err := bk.readSheets(files); err != nil {
		return nil, err
	}
	if f := files["xl/sharedStrings.xml"]; f != nil {
		if err := bk.readSharedStrings(f); err != nil {
			return nil, err
		}
	}
	return bk, nil
}

// readPart reads a small part whole.
func (bk *book) readPart(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > bk.limits.MaxPart {
		return nil, tooLarge("part %s unpacks to %d bytes, more than the limit of %d", f.Name, f.UncompressedSize64, bk.limits.MaxPart)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, badRequest("part %s: %v", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, int64(bk.limits.MaxPart)+1))
	if err != nil {
		return nil, badRequest("part %s: %v", f.Name, err)
	}
	return b, nil
}

// checkContentTypes refuses a macro-enabled workbook by its declared
// content type, whatever its parts are named.
func (bk *book) checkContentTypes(files map[string]*zip.File) error {
	f := files["[Content_Types].xml"]
	if f == nil {
		return badRequest("it has no [Content_Types].xml part")
	}
	b, err := bk.readPart(f)
	if err != nil {
		return err
	}
	lower := bytes.ToLower(b)
	if bytes.Contains(lower, []byte("macroenabled")) || bytes.Contains(lower, []byte("vbaproject")) {
		return badRequest("it is macro-enabled (.xlsm): save it as an Excel Workbook (.xlsx), without macros")
	}
	if bytes.Contains(lower, []byte("externallink")) {
		return badRequest("it links to other workbooks: paste the values instead and save again")
	}
	return nil
}

// readSheets reads the sheet names of xl/workbook.xml and finds their
// parts through xl/_rels/workbook.xml.rels.
func (bk *book) readSheets(files map[string]*zip.File) error {
	wf, rf := files["xl/workbook.xml"], files["xl/_rels/workbook.xml.rels"]
	if wf == nil || rf == nil {
		return badRequest("it has no xl/workbook.xml part and its relationships")
	}
	wb, err := bk.readPart(wf)
	if err != nil {
		return err
	}
	rels, err := bk.readPart(rf)
	if err != nil {
		return err
	}
	var w struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(wb, &w); err != nil {
		return badRequest("xl/workbook.xml: %v", err)
	}
	var r struct {
		Rels []struct {
			ID         string `xml:"Id,attr"`
			Target     string `xml:"Target,attr"`
			TargetMode string `xml:"TargetMode,attr"`
			Type       string `xml:"Type,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(rels, &r); err != nil {
		return badRequest("xl/_rels/workbook.xml.rels: %v", err)
	}
	targets := map[string]string{}
	for _, rel := range r.Rels {
		if strings.HasSuffix(rel.Type, "/externalLink") || strings.EqualFold(rel.TargetMode, "External") {
			return badRequest("it links to other workbooks or files (%s): paste the values instead and save again", rel.Target)
		}
		t := rel.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		targets[rel.ID] = t
	}
	for _, s := range w.Sheets {
		f := files[targets[s.ID]]
		if f == nil {
			continue // a chart sheet or a dangling relationship: no cells
		}
		if f.UncompressedSize64 > bk.limits.MaxSheet {
			return tooLarge("sheet %q unpacks to %d bytes, more than the limit of %d", s.Name, f.UncompressedSize64, bk.limits.MaxSheet)
		}
		if _, dup := bk.parts[s.Name]; dup {
			return badRequest("two sheets are named %q", s.Name)
		}
		bk.names = append(bk.names, s.Name)
		bk.parts[s.Name] = f
	}
	return nil
}

// readSharedStrings reads the shared strings: the text of each <si>,
// its runs joined, phonetic guides (<rPh>) left out.
func (bk *book) readSharedStrings(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return badRequest("shared strings: %v", err)
	}
	defer rc.Close()
	d := newDecoder(rc, int64(bk.limits.MaxSharedStrings))
	var sb strings.Builder
	depthRPh := 0
	inT := false
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return xmlError("the shared strings", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				sb.Reset()
			case "rPh":
				depthRPh++
			case "t":
				inT = depthRPh == 0
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if len(bk.strings) >= maxStrings {
					return tooLarge("the workbook has more than %d shared strings", maxStrings)
				}
				bk.strings = append(bk.strings, sb.String())
			case "rPh":
				depthRPh--
			case "t":
				inT = false
			}
		case xml.CharData:
			if inT {
				sb.Write(t)
			}
		}
	}
}

// xmlError maps an error met reading a part's XML: a limit of the
// reader keeps its code.
func xmlError(what string, err error) error {
	var le *ledger.Error
	if errors.As(err, &le) {
		return le
	}
	return badRequest("%s: %v", what, err)
}

// newDecoder returns an XML decoder over r that reads at most max bytes
// and no tag or text longer than maxToken, so that one huge value cannot
// be buffered whole.
func newDecoder(r io.Reader, max int64) *xml.Decoder {
	d := xml.NewDecoder(limited(r, max))
	d.Strict = true
	return d
}

// limited bounds a part's reader as newDecoder says.
func limited(r io.Reader, max int64) io.Reader {
	return &tokenLimiter{r: io.LimitReader(r, max+1), left: max}
}

// tokenLimiter fails a part past its size or with a run of more than
// maxToken bytes between two angle brackets.
type tokenLimiter struct {
	r    io.Reader
	left int64
	run  int
}

func (t *tokenLimiter) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if t.left -= int64(n); t.left < 0 {
		return 0, tooLarge("a part of the workbook is larger than it may be")
	}
	for _, c := range p[:n] {
		if c == '<' || c == '>' {
			t.run = 0
		} else if t.run++; t.run > maxToken {
			return 0, badRequest("a value or tag is longer than %d bytes", maxToken)
		}
	}
	return n, err
}

// cell is one cell as stored.
type cell struct {
	col     int  // from 1
	typ     byte // 'n' number, 's' text, 'b' boolean, 'e' error, 'd' ISO date
	text    string
	formula bool
	value   bool // a value was stored (a formula may have none)
}

// rows streams the cells of the sheet named name, a row at a time, to fn
// with the row's number (from 1); empty rows are skipped. The cells of a
// row are reused: fn must copy what it keeps (their texts are fresh).
func (bk *book) rows(name string, fn func(row int, cells []cell) error) error {
	rc, err := bk.parts[name].Open()
	if err != nil {
		return badRequest("sheet %q: %v", name, err)
	}
	defer rc.Close()
	return scanSheet(limited(rc, int64(bk.limits.MaxSheet)), name, bk.strings, fn)
}

// sheetState is a worksheet being read: scanSheet feeds it the events of
// the sheet's XML (and the tests' encoding/xml reading the same).
type sheetState struct {
	name    string
	strings []string
	cells   []cell
	row     int
	cur     cell
	in      string // "v", "t" (inline string) or "f"
	inCell  bool
	text    []byte
}

func (st *sheetState) where() string {
	return sheetRef(st.name) + "!" + cellName(max(st.cur.col, 1), st.row)
}

// startRow begins a row; r is its r attribute, "" when it has none.
func (st *sheetState) startRow(r string) error {
	next := st.row + 1
	if r != "" {
		var err error
		if next, err = strconv.Atoi(r); err != nil || next <= st.row || next > maxRows {
			return badRequest("sheet %q: row number %q out of order or past row %d", st.name, r, maxRows)
		}
	}
	st.row, st.cells = next, st.cells[:0]
	st.cur.col = 0
	return nil
}

// startCell begins a cell with its r and t attributes.
func (st *sheetState) startCell(r, t string) error {
	col := st.cur.col + 1
	if r != "" {
		c, rr, ok := parseCellName(r)
		if !ok || rr != st.row || c < col {
			return badRequest("sheet %q row %d: cell reference %q out of order", st.name, st.row, r)
		}
		col = c
	}
	if col > maxColumns {
		return badRequest("%s: a cell past column XFD, the last a spreadsheet has", sheetRef(st.name)+"!"+strconv.Itoa(st.row)+":"+strconv.Itoa(st.row))
	}
	typ := byte('n')
	switch t {
	case "s":
		typ = 'S' // an index into the shared strings
	case "str", "inlineStr":
		typ = 's'
	case "b":
		typ = 'b'
	case "e":
		typ = 'e'
	case "d":
		typ = 'd'
	}
	st.cur = cell{col: col, typ: typ}
	st.inCell = true
	return nil
}

// startValue begins a <v>, <t> or <f> element.
func (st *sheetState) startValue(name string) {
	if st.inCell {
		st.in = name
		st.text = st.text[:0]
		if name == "f" {
			st.cur.formula = true
		}
	}
}

func (st *sheetState) addText(b []byte) error {
	if st.in == "v" || st.in == "t" {
		if len(st.text)+len(st.cur.text)+len(b) > maxCellBytes {
			return badRequest("%s holds more than %d bytes of text", st.where(), maxCellBytes)
		}
		st.text = append(st.text, b...)
	}
	return nil
}

// end ends an element; a row's end calls fn with its cells.
func (st *sheetState) end(name string, fn func(row int, cells []cell) error) error {
	switch name {
	case "v", "t":
		if st.inCell && st.in != "" {
			st.cur.text += string(st.text)
			st.cur.value = true
		}
		st.in = ""
	case "f":
		st.in = ""
	case "c":
		if st.cur.typ == 'S' {
			i, err := strconv.Atoi(st.cur.text)
			if err != nil || i < 0 || i >= len(st.strings) {
				return badRequest("%s: shared string %q does not exist", st.where(), st.cur.text)
			}
			st.cur.text, st.cur.typ = st.strings[i], 's'
		}
		if st.cur.value || st.cur.formula {
			st.cells = append(st.cells, st.cur)
		}
		st.inCell = false
	case "row":
		if len(st.cells) > 0 {
			return fn(st.row, st.cells)
		}
	}
	return nil
}

// scanSheet reads the cells of a worksheet's XML.
func scanSheet(r io.Reader, name string, strs []string, fn func(row int, cells []cell) error) error {
	st := &sheetState{name: name, strings: strs}
	s := newScanner(r)
	fail := func(err error) error { return xmlError(fmt.Sprintf("sheet %q", name), err) }
	for {
		ev, err := s.next()
		if err != nil {
			return fail(err)
		}
		switch ev {
		case evEOF:
			return nil
		case evText:
			if err := st.addText(s.text); err != nil {
				return err
			}
		case evEnd:
			if err := st.end(string(s.name()), fn); err != nil {
				return err
			}
		case evStart:
			switch n := string(s.name()); n {
			case "row":
				r, err := s.attr("r")
				if err != nil {
					return fail(err)
				}
				if err := st.startRow(r); err != nil {
					return err
				}
			case "c":
				r, err := s.attr("r")
				if err != nil {
					return fail(err)
				}
				t, err := s.attr("t")
				if err != nil {
					return fail(err)
				}
				if err := st.startCell(r, t); err != nil {
					return err
				}
			case "v", "t", "f":
				st.startValue(n)
			}
		}
	}
}

// parseCellName reads "C7" into column 3, row 7.
func parseCellName(s string) (col, row int, ok bool) {
	i := 0
	for i < len(s) && s[i] >= 'A' && s[i] <= 'Z' {
		if col = col*26 + int(s[i]-'A'+1); col > maxColumns {
			return 0, 0, false
		}
		i++
	}
	if i == 0 || i == len(s) || len(s)-i > 7 {
		return 0, 0, false
	}
	row, err := strconv.Atoi(s[i:])
	return col, row, err == nil && row > 0
}

// cellName writes column 3, row 7 as "C7".
func cellName(col, row int) string { return columnName(col) + strconv.Itoa(row) }

// columnName writes column 3 as "C".
func columnName(col int) string {
	var b []byte
	for col > 0 {
		col--
		b = append([]byte{byte('A' + col%26)}, b...)
		col /= 26
	}
	return string(b)
}

// sheetRef is a sheet's name as a spreadsheet formula writes it: quoted
// when it is not a plain word ('Data centres'!C7).
func sheetRef(name string) string {
	for _, r := range name {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return "'" + strings.ReplaceAll(name, "'", "''") + "'"
		}
	}
	return name
}
