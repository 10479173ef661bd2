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
	"unicode/utf8"

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
// mark removed, records reused, and rows of any length (the readers report
// a row of the wrong length themselves, with its line).
func newCSVReader(r io.Reader) *csv.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	return cr
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
			probs.add(csvPath(file, 1, h), "unknown column: want "+strings.Join(names, ", "))
			ok = false
		case seen[j]:
			probs.add(csvPath(file, 1, h), "duplicate column")
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

// text checks that a cell is valid UTF-8 and copies it out of the
// reader's reused buffer.
func text(cell string, path func() string, probs *problems) string {
	if !utf8.ValidString(cell) {
		probs.add(path(), "is not valid UTF-8")
		return ""
	}
	return strings.Clone(cell)
}

// interner shares one copy of repeated strings (grids of 100,000 rows).
type interner map[string]string

func (in interner) get(s string) string {
	if v, ok := in[s]; ok {
		return v
	}
	s = strings.Clone(s)
	in[s] = s
	return s
}

// chunked collects rows in chunks, so that a growing collection of
// 100,000 rows is not copied over and over as append grows it; all joins
// the chunks into one slice of the exact length.
type chunked[T any] struct {
	full [][]T
	cur  []T
	n    int
}

func (c *chunked[T]) add(v T) {
	if len(c.cur) == cap(c.cur) {
		size := 64
		if c.cur != nil {
			c.full = append(c.full, c.cur)
			size = min(2*cap(c.cur), 8192)
		}
		c.cur = make([]T, 0, size)
	}
	c.cur = append(c.cur, v)
	c.n++
}

func (c *chunked[T]) all() []T {
	if c.n == 0 {
		return nil
	}
	if len(c.full) == 0 {
		return c.cur
	}
	out := make([]T, 0, c.n)
	for _, f := range c.full {
		out = append(out, f...)
	}
	return append(out, c.cur...)
}
