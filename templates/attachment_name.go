package templates

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// gofpdf writes every file specification with an empty /F, the name
// readers fall back on when they do not read /UF (PDF 32000-1, 7.11.3).
// nameAttachment fills it in after the fact for the layouts that do, and
// shifts the cross-reference table by the bytes it adds.

// emptyFilespec is how gofpdf 1.16.2 opens a file specification.
var emptyFilespec = []byte("<< /Type /Filespec /F () /UF ")

// nameAttachment returns pdf with the /F of its one file specification set
// to name (printable ASCII without parentheses or backslashes), and every
// cross-reference offset past it, and startxref, moved to match.
func nameAttachment(pdf []byte, name string) ([]byte, error) {
	for _, c := range []byte(name) {
		if c < 0x20 || c > 0x7e || c == '(' || c == ')' || c == '\\' {
			return nil, fmt.Errorf("name attachment: %q is not a plain ASCII file name", name)
		}
	}
	at := bytes.Index(pdf, emptyFilespec)
	if at < 0 || bytes.Count(pdf, emptyFilespec) != 1 {
		return nil, errors.New("name attachment: not one empty file specification")
	}
	insert := at + len("<< /Type /Filespec /F (")
	out := make([]byte, 0, len(pdf)+len(name))
	out = append(out, pdf[:insert]...)
	out = append(out, name...)
	out = append(out, pdf[insert:]...)
	out, err := shiftXref(out, insert, len(name))
	if err != nil {
		return nil, fmt.Errorf("name attachment: %w", err)
	}
	return out, nil
}

// shiftXref adds delta to every in-use offset of the classic
// cross-reference table of pdf that lies past at, and to startxref, in
// place (entries are fixed-width, ten digits), and returns pdf with
// startxref rewritten.
func shiftXref(pdf []byte, at, delta int) ([]byte, error) {
	sx := bytes.LastIndex(pdf, []byte("\nstartxref\n"))
	if sx < 0 {
		return nil, errors.New("no startxref")
	}
	numStart := sx + len("\nstartxref\n")
	numEnd := numStart + bytes.IndexByte(pdf[numStart:], '\n')
	if numEnd < numStart {
		return nil, errors.New("startxref has no end")
	}
	xref, err := strconv.Atoi(string(pdf[numStart:numEnd]))
	if err != nil {
		return nil, fmt.Errorf("startxref: %w", err)
	}
	xref += delta // the table itself comes after the file specification
	if xref < 0 || xref+5 > len(pdf) || string(pdf[xref:xref+5]) != "xref\n" {
		return nil, errors.New("startxref does not point at a cross-reference table")
	}
	pos := xref + 5
	for {
		line := pdf[pos:]
		nl := bytes.IndexByte(line, '\n')
		if nl < 0 {
			return nil, errors.New("cross-reference table has no end")
		}
		var first, count int
		if _, err := fmt.Sscanf(string(line[:nl]), "%d %d", &first, &count); err != nil {
			break // "trailer": the table is done
		}
		pos += nl + 1
		for i := 0; i < count; i++ {
			if pos+20 > len(pdf) {
				return nil, errors.New("cross-reference table is cut short")
			}
			entry := pdf[pos : pos+20]
			if entry[17] == 'n' {
				off, err := strconv.Atoi(string(entry[:10]))
				if err != nil {
					return nil, fmt.Errorf("cross-reference entry: %w", err)
				}
				if off > at {
					copy(entry[:10], fmt.Sprintf("%010d", off+delta))
				}
			}
			pos += 20
		}
	}
	out := make([]byte, 0, len(pdf)+2)
	out = append(out, pdf[:numStart]...)
	out = strconv.AppendInt(out, int64(xref), 10)
	return append(out, pdf[numEnd:]...), nil
}
