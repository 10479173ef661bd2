package templates

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
)

// A small reader of PDF objects, enough to find the streams of files this
// package writes. It must survive any input: every index is checked, the
// nesting depth is bounded, and so is the work: all reads of one file
// together may scan at most workPerByte times its size (a lexer only sees
// the bytes left in that budget).

type pdfName string
type pdfKeyword string
type pdfRef struct{ num, gen int64 }
type pdfDict map[string]any

const (
	maxDepth    = 32
	workPerByte = 4
)

var errSyntax = errors.New("pdf syntax")

type lexer struct {
	b []byte
	i int
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func (l *lexer) skipSpace() {
	for l.i < len(l.b) {
		c := l.b[l.i]
		if isSpace(c) {
			l.i++
			continue
		}
		if c == '%' { // comment to end of line
			for l.i < len(l.b) && l.b[l.i] != '\n' && l.b[l.i] != '\r' {
				l.i++
			}
			continue
		}
		return
	}
}

// object reads one object. Keywords (operators in content streams, "obj",
// "stream") come back as pdfKeyword; "N G R" comes back as a pdfRef.
func (l *lexer) object(depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("%w: nesting deeper than %d", errSyntax, maxDepth)
	}
	l.skipSpace()
	if l.i >= len(l.b) {
		return nil, io.ErrUnexpectedEOF
	}
	c := l.b[l.i]
	switch {
	case c == '/':
		l.i++
		start := l.i
		for l.i < len(l.b) && !isSpace(l.b[l.i]) && !isDelim(l.b[l.i]) {
			l.i++
		}
		return pdfName(l.b[start:l.i]), nil
	case c == '(':
		return l.literal()
	case c == '<' && l.i+1 < len(l.b) && l.b[l.i+1] == '<':
		l.i += 2
		return l.dict(depth)
	case c == '<':
		return l.hex()
	case c == '[':
		l.i++
		var arr []any
		for {
			l.skipSpace()
			if l.i < len(l.b) && l.b[l.i] == ']' {
				l.i++
				return arr, nil
			}
			v, err := l.object(depth + 1)
			if err != nil {
				return nil, err
			}
			if k, ok := v.(pdfKeyword); ok && (k == "obj" || k == "endobj" || k == "stream") {
				return nil, fmt.Errorf("%w: %s inside an array", errSyntax, k)
			}
			arr = append(arr, v)
		}
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		return l.number()
	case isDelim(c):
		l.i++
		return nil, fmt.Errorf("%w: unexpected %q", errSyntax, c)
	}
	start := l.i
	for l.i < len(l.b) && !isSpace(l.b[l.i]) && !isDelim(l.b[l.i]) {
		l.i++
	}
	switch w := string(l.b[start:l.i]); w {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	default:
		return pdfKeyword(w), nil
	}
}

func (l *lexer) dict(depth int) (any, error) {
	d := pdfDict{}
	for {
		l.skipSpace()
		if l.i+1 < len(l.b) && l.b[l.i] == '>' && l.b[l.i+1] == '>' {
			l.i += 2
			return d, nil
		}
		k, err := l.object(depth + 1)
		if err != nil {
			return nil, err
		}
		name, ok := k.(pdfName)
		if !ok {
			return nil, fmt.Errorf("%w: dictionary key is not a name", errSyntax)
		}
		v, err := l.object(depth + 1)
		if err != nil {
			return nil, err
		}
		if _, ok := v.(pdfKeyword); ok {
			return nil, fmt.Errorf("%w: keyword as dictionary value", errSyntax)
		}
		d[string(name)] = v
	}
}

// number reads an integer or a real; an integer followed by "G R" is a
// reference.
func (l *lexer) number() (any, error) {
	n, isInt, ok := l.numToken()
	if !ok {
		return nil, fmt.Errorf("%w: bad number", errSyntax)
	}
	if !isInt {
		return n, nil
	}
	save := l.i
	l.skipSpace()
	if g, gInt, ok := l.numToken(); ok && gInt && g >= 0 {
		l.skipSpace()
		if l.i < len(l.b) && l.b[l.i] == 'R' && (l.i+1 == len(l.b) || isSpace(l.b[l.i+1]) || isDelim(l.b[l.i+1])) {
			l.i++
			return pdfRef{num: int64(n), gen: int64(g)}, nil
		}
	}
	l.i = save
	return int64(n), nil
}

// numToken reads a number token; isInt when it has no point.
func (l *lexer) numToken() (v float64, isInt, ok bool) {
	start := l.i
	if l.i < len(l.b) && (l.b[l.i] == '+' || l.b[l.i] == '-') {
		l.i++
	}
	digits, dot := 0, false
	var ip, frac, scale float64 = 0, 0, 1
	for l.i < len(l.b) {
		c := l.b[l.i]
		switch {
		case c >= '0' && c <= '9' && !dot:
			ip = ip*10 + float64(c-'0')
			digits++
		case c >= '0' && c <= '9':
			scale /= 10
			frac += float64(c-'0') * scale
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			goto done
		}
		l.i++
	}
done:
	if digits == 0 || ip > 1e15 {
		l.i = start
		return 0, false, false
	}
	v = ip + frac
	if l.b[start] == '-' {
		v = -v
	}
	return v, !dot, true
}

func (l *lexer) literal() (any, error) {
	l.i++ // '('
	var out []byte
	depth := 1
	for l.i < len(l.b) {
		c := l.b[l.i]
		l.i++
		switch c {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return out, nil
			}
		case '\\':
			if l.i >= len(l.b) {
				return nil, io.ErrUnexpectedEOF
			}
			e := l.b[l.i]
			l.i++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r': // line continuation
				if l.i < len(l.b) && l.b[l.i] == '\n' {
					l.i++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.i < len(l.b) && l.b[l.i] >= '0' && l.b[l.i] <= '7'; k++ {
						v = v*8 + int(l.b[l.i]-'0')
						l.i++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return nil, io.ErrUnexpectedEOF
}

func (l *lexer) hex() (any, error) {
	l.i++ // '<'
	var out []byte
	var hi byte
	half := false
	for l.i < len(l.b) {
		c := l.b[l.i]
		l.i++
		var v byte
		switch {
		case c == '>':
			if half {
				out = append(out, hi<<4)
			}
			return out, nil
		case isSpace(c):
			continue
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return nil, fmt.Errorf("%w: bad hex string", errSyntax)
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	return nil, io.ErrUnexpectedEOF
}

// pdfFile is the object index of a PDF: where each "N G obj" starts.
type pdfFile struct {
	b      []byte
	order  []int64       // object numbers in file order
	at     map[int64]int // object number -> offset after "obj" (the last definition wins)
	budget int           // bytes left to scan
}

func indexPDF(b []byte) *pdfFile {
	f := &pdfFile{b: b, at: map[int64]int{}, budget: workPerByte*len(b) + 4096}
	for from := 0; ; {
		k := bytes.Index(b[from:], []byte("obj"))
		if k < 0 {
			break
		}
		k += from
		from = k + 3
		if from < len(b) && !isSpace(b[from]) && !isDelim(b[from]) {
			continue // "objx"
		}
		// Walk back over " G " and "N".
		j := k
		num, gen := int64(-1), int64(-1)
		for part := 0; part < 2; part++ {
			e := j
			for e > 0 && isSpace(b[e-1]) {
				e--
			}
			s := e
			for s > 0 && b[s-1] >= '0' && b[s-1] <= '9' && e-s < 10 {
				s--
			}
			if s == e || e == j {
				break
			}
			var v int64
			for _, c := range b[s:e] {
				v = v*10 + int64(c-'0')
			}
			if part == 0 {
				gen = v
			} else {
				num = v
			}
			j = s
		}
		if num < 0 || gen < 0 {
			continue
		}
		if _, seen := f.at[num]; !seen {
			f.order = append(f.order, num)
		}
		f.at[num] = from
	}
	return f
}

// object reads the value of object num, and the offset just after it.
func (f *pdfFile) object(num int64) (any, int, error) {
	at, ok := f.at[num]
	if !ok {
		return nil, 0, fmt.Errorf("object %d not found", num)
	}
	l := f.lexer(at)
	v, err := l.object(0)
	f.budget -= l.i - at
	if err != nil {
		return nil, 0, fmt.Errorf("object %d: %w", num, err)
	}
	return v, l.i, nil
}

// lexer reads from at, over no more bytes than the budget has left.
func (f *pdfFile) lexer(at int) *lexer {
	end := len(f.b)
	if f.budget < end-at {
		end = at + max(f.budget, 0)
	}
	return &lexer{b: f.b[:end], i: at}
}

// resolve follows a reference to a direct value.
func (f *pdfFile) resolve(v any) any {
	if r, ok := v.(pdfRef); ok {
		if d, _, err := f.object(r.num); err == nil {
			return d
		}
		return nil
	}
	return v
}

// stream reads object num as a stream: its dictionary and raw bytes.
func (f *pdfFile) stream(num int64) (pdfDict, []byte, error) {
	v, end, err := f.object(num)
	if err != nil {
		return nil, nil, err
	}
	dict, ok := v.(pdfDict)
	if !ok {
		return nil, nil, fmt.Errorf("object %d is not a stream", num)
	}
	l := &lexer{b: f.b, i: end}
	l.skipSpace()
	if !bytes.HasPrefix(f.b[l.i:], []byte("stream")) {
		return nil, nil, fmt.Errorf("object %d is not a stream", num)
	}
	i := l.i + len("stream")
	if bytes.HasPrefix(f.b[i:], []byte("\r\n")) {
		i += 2
	} else if bytes.HasPrefix(f.b[i:], []byte("\n")) {
		i++
	} else {
		return nil, nil, fmt.Errorf("object %d: no end of line after stream", num)
	}
	n, ok := f.resolve(dict["Length"]).(int64)
	if !ok || n < 0 || n > int64(len(f.b)-i) {
		return nil, nil, fmt.Errorf("object %d: stream length missing or out of the file", num)
	}
	return dict, f.b[i : i+int(n)], nil
}

// decode undoes the stream's filter (none or FlateDecode), producing at
// most limit bytes.
func decode(dict pdfDict, raw []byte, limit int64) ([]byte, error) {
	filter := dict["Filter"]
	if arr, ok := filter.([]any); ok && len(arr) == 1 {
		filter = arr[0]
	}
	switch filter {
	case nil:
		if int64(len(raw)) > limit {
			return nil, fmt.Errorf("stream larger than %d bytes", limit)
		}
		return raw, nil
	case pdfName("FlateDecode"):
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("inflate: %w", err)
		}
		defer zr.Close()
		// Room for eight times the compressed bytes to begin with: a
		// disclosure's bundle inflates about fivefold, and growing from
		// nothing copies the 10.7 MB bundle of a regional sector report
		// into fresh memory again and again (the time this saves was not
		// measured). The hint is bounded by the bytes a sender must
		// actually send, not by what the stream's dictionary claims.
		var buf bytes.Buffer
		buf.Grow(int(min(8*int64(len(raw)), limit+1)))
		_, err = buf.ReadFrom(io.LimitReader(zr, limit+1))
		out := buf.Bytes()
		if err != nil {
			return nil, fmt.Errorf("inflate: %w", err)
		}
		if int64(len(out)) > limit {
			return nil, fmt.Errorf("stream inflates to more than %d bytes", limit)
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported stream filter %v", filter)
}

// textString decodes a PDF text string: UTF-16BE with a byte order mark,
// else PDFDocEncoding (read as Latin-1, which agrees on the printable
// ASCII this package writes).
func textString(b []byte) string {
	if len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF {
		return utf16BE(b[2:])
	}
	rs := make([]rune, len(b))
	for i, c := range b {
		rs[i] = rune(c)
	}
	return string(rs)
}

// utf16BE decodes big-endian UTF-16 (a trailing odd byte is dropped).
func utf16BE(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return string(utf16.Decode(u))
}
