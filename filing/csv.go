package filing

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/ictledger/ictledger/ledger"
)

// CSV problems are reported with paths of the form
//
//	sites.csv:line 17:column grid_kwh   a cell
//	sites.csv:line 17                   a whole row
//	sites.csv:line 1:column grid        a header problem
//
// where the file name is the part name plus ".csv" and lines count from 1,
// the header being line 1 (a quoted field may span lines; a row is named
// by the line it starts on).

// csvPath formats the path of a cell (column "" names the row).
func csvPath(file string, line int, column string) string {
	p := file + ":line " + strconv.Itoa(line)
	if column != "" {
		p += ":column " + column
	}
	return p
}

// newCSVReader returns a reader over r with a leading UTF-8 byte order
// mark removed, records reused, and rows of up to columns+csvSlackFields
// fields and maxCSVRecordBytes bytes (csvLimiter); within those bounds the
// readers report a row of the wrong length themselves, with its line.
func newCSVReader(r io.Reader, columns int) *csv.Reader {
	lim := &csvLimiter{r: r, maxFields: columns + csvSlackFields, line: 1, cur: 1, fields: 1}
	br := bufio.NewReaderSize(lim, 64<<10)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3)
	}
	cr := csv.NewReader(br) // uses br as is: no second buffer
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	return cr
}

// The bounds of one CSV record. encoding/csv reads a whole record before
// it returns any of it, and a record costs a string header, an index and
// a position per field: a 2 MB header line of a million columns made the
// reader allocate over 500 MB before the header check could refuse it
// (TestWideCSVHeaderMemory; under 100 KB now). csvLimiter
// refuses such a record as its bytes arrive, before encoding/csv holds
// it. A sites row is a few hundred bytes at most (14 columns, ids of up to
// 100 characters), so the bounds are far above any real row.
const (
	// csvSlackFields is how many fields past the known columns a record may
	// have and still be read (and reported with its line and count).
	csvSlackFields = 16
	// maxCSVRecordBytes is the most bytes of one record, quoted line breaks
	// included.
	maxCSVRecordBytes = 16 << 10
)

// csvLimiter passes a CSV body through and fails with *csvLimitError at
// the first record with more than maxFields fields or more than
// maxCSVRecordBytes bytes. It follows RFC 4180 quoting just enough to
// find where records and fields end: a quote toggles quoted text (a
// doubled quote toggles twice), and commas and line breaks inside quotes
// do not count. A quote that encoding/csv refuses (a bare quote in an
// unquoted field) may put it out of step, but encoding/csv reports that
// record first: the bytes before a limit error are all passed on.
type csvLimiter struct {
	r         io.Reader
	maxFields int
	line      int  // the line the current record starts on
	cur       int  // the line being read
	fields    int  // fields of the current record so far
	size      int  // bytes of the current record so far
	quoted    bool // inside a quoted field
	err       error
}

// csvLimitError is a record over a bound of csvLimiter.
type csvLimitError struct {
	line   int
	msg    string
	fields bool // over the number of fields, not of bytes
}

func (e *csvLimitError) Error() string { return "line " + strconv.Itoa(e.line) + " " + e.msg }

func (l *csvLimiter) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	start := 0 // the first byte of p in the current record
	for i := 0; i < n; i++ {
		c := p[i]
		if c > ',' { // neither a quote, a comma nor a line break: most bytes
			continue
		}
		if l.size+i-start >= maxCSVRecordBytes { // the record through p[i] is too long
			return l.tooLong(start)
		}
		switch {
		case c == '"':
			l.quoted = !l.quoted
		case c == ',' && !l.quoted:
			if l.fields++; l.fields > l.maxFields {
				l.err = &csvLimitError{line: l.line, msg: "has more than " + strconv.Itoa(l.maxFields) + " fields", fields: true}
				return i, l.err
			}
		case c == '\n':
			l.cur++
			if !l.quoted {
				l.line, l.fields, l.size, start = l.cur, 1, 0, i+1
			}
		}
	}
	if l.size+n-start > maxCSVRecordBytes {
		return l.tooLong(start)
	}
	l.size += n - start
	return n, err
}

// tooLong fails the current record, which starts at p[start] (or before p
// when start is 0), and passes on the bytes up to the bound.
func (l *csvLimiter) tooLong(start int) (int, error) {
	l.err = &csvLimitError{line: l.line, msg: "is longer than " + strconv.Itoa(maxCSVRecordBytes) + " bytes"}
	return start + maxCSVRecordBytes - l.size, l.err
}

// csvLimitProblem turns a *csvLimitError into a problem of file and
// reports whether err was one. Reading stops there: the rest of the part
// is not read.
func csvLimitProblem(err error, file string, columns int, probs *problems) bool {
	var le *csvLimitError
	if !errors.As(err, &le) {
		return false
	}
	msg := le.msg
	if le.line == 1 && le.fields {
		msg += "; the header names at most " + strconv.Itoa(columns) + " columns"
	}
	probs.add(csvPath(file, le.line, ""), msg+"; the part is not read further")
	return true
}

// csvReadError maps an error of csv.Reader: a size limit stays a size
// limit, a syntax error is EBadRequest naming the part, line and column.
func csvReadError(file string, err error) *ledger.Error {
	var mbe *http.MaxBytesError
	var ptl *partTooLarge
	if errors.As(err, &mbe) || errors.As(err, &ptl) {
		return readError(err, 0, file)
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ledger.Error{Code: ledger.EBadRequest, Message: fmt.Sprintf("not valid CSV: %s line %d, column %d: %v", file, pe.Line, pe.Column, pe.Err), Err: err}
	}
	return readError(err, 0, file)
}

// header reads the header line and maps each column to its index in
// names. Unknown, duplicate and missing required columns are reported.
func readHeader(cr *csv.Reader, file string, names []string, required []string, probs *problems) ([]int, bool, error) {
	rec, err := cr.Read()
	if err == io.EOF {
		probs.add(csvPath(file, 1, ""), "is empty: want a header line with "+strings.Join(names, ","))
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	cols := make([]int, len(rec))
	seen := make([]bool, len(names))
	ok := true
	for i, h := range rec {
		h = strings.TrimSpace(h)
		j := indexOf(names, h)
		switch {
		case j < 0:
			probs.add(csvPath(file, 1, columnName(h)), "unknown column: want "+strings.Join(names, ", "))
			ok = false
		case seen[j]:
			probs.add(csvPath(file, 1, h), "duplicate column") // h is a known name
			ok = false
		default:
			seen[j] = true
		}
		cols[i] = j
	}
	for _, r := range required {
		if !seen[indexOf(names, r)] {
			probs.add(csvPath(file, 1, r), "missing column")
			ok = false
		}
	}
	return cols, ok, nil
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// columnName is an unknown header cell as a problem path shows it: as
// is when it is a short line of printable text, else quoted and cut.
func columnName(h string) string {
	if len(h) <= maxQuoted && ledger.CheckText(h, ledger.TextID) == nil && !strings.ContainsAny(h, ":") {
		return h
	}
	return quoteShort(h)
}
