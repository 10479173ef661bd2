package workbook

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// A worksheet is read with a small XML scanner of its own rather than
// encoding/xml: a sheet of 100,000 site rows is 1.6 million cells and
// some eight million tokens, and encoding/xml allocates for each (names,
// attributes, text), which made reading it take ten times as long as the
// CSV part of the same rows. The scanner knows what a worksheet needs:
// start and end tags with their attributes, text with the five entities
// and character references, CDATA sections, comments and processing
// instructions. It refuses a DOCTYPE (and so any entity it would declare)
// and text that is not UTF-8. TestScannerMatchesEncodingXML and
// FuzzSheetScanner hold it to encoding/xml's reading of the same sheets.

// event is what the scanner met.
type event int

const (
	evEOF event = iota
	evStart
	evEnd
	evText
)

// xmlScanner reads XML events from r.
type xmlScanner struct {
	r    *bufio.Reader
	tag  []byte // the current tag, between < and >
	text []byte // the current text, entities decoded
	self bool   // the current start tag closes itself (<c/>)
	// pendingEnd is the end event a self-closing tag owes.
	pendingEnd bool
}

func newScanner(r io.Reader) *xmlScanner { return &xmlScanner{r: bufio.NewReaderSize(r, 64<<10)} }

var errXML = errors.New("not well-formed XML")

// next returns the next event. For evStart and evEnd, name returns the
// tag's local name; for evText, text holds the text.
func (s *xmlScanner) next() (event, error) {
	if s.pendingEnd {
		s.pendingEnd = false
		return evEnd, nil
	}
	for {
		c, err := s.r.ReadByte()
		if err == io.EOF {
			return evEOF, nil
		}
		if err != nil {
			return evEOF, err
		}
		if c != '<' {
			s.r.UnreadByte()
			return s.readText()
		}
		b, err := s.r.Peek(1)
		if err != nil {
			return evEOF, noEOF(err)
		}
		switch b[0] {
		case '?':
			if err := s.skipPast("?>"); err != nil {
				return evEOF, err
			}
		case '!':
			ev, err := s.bang()
			if err != nil || ev != evEOF {
				return ev, err
			}
		case '/':
			s.r.ReadByte()
			if err := s.readTag(); err != nil {
				return evEOF, err
			}
			return evEnd, nil
		default:
			if err := s.readTag(); err != nil {
				return evEOF, err
			}
			if n := len(s.tag); n > 0 && s.tag[n-1] == '/' {
				s.tag = s.tag[:n-1]
				s.pendingEnd = true
			}
			return evStart, nil
		}
	}
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// bang reads what follows "<!": a comment (skipped, evEOF returned to go
// on), a CDATA section (evText), or a DOCTYPE (refused).
func (s *xmlScanner) bang() (event, error) {
	if b, _ := s.r.Peek(3); string(b) == "!--" {
		s.r.Discard(3)
		return evEOF, s.skipPast("-->")
	}
	if b, _ := s.r.Peek(8); string(b) == "![CDATA[" {
		s.r.Discard(8)
		s.text = s.text[:0]
		for {
			c, err := s.r.ReadByte()
			if err != nil {
				return evEOF, noEOF(err)
			}
			s.text = append(s.text, c)
			if bytes.HasSuffix(s.text, []byte("]]>")) {
				s.text = normalizeNewlines(s.text[:len(s.text)-3])
				if !utf8.Valid(s.text) {
					return evEOF, errors.New("text is not valid UTF-8")
				}
				return evText, nil
			}
		}
	}
	return evEOF, errors.New("a DOCTYPE or declaration is not allowed in a workbook")
}

// skipPast reads up to and past end.
func (s *xmlScanner) skipPast(end string) error {
	matched := 0
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			return noEOF(err)
		}
		switch {
		case c == end[matched]:
			if matched++; matched == len(end) {
				return nil
			}
		case c == end[0]:
			matched = 1
		default:
			matched = 0
		}
	}
}

// readTag reads a tag up to its '>', outside quoted attribute values.
func (s *xmlScanner) readTag() error {
	s.tag = s.tag[:0]
	var quote byte
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			return noEOF(err)
		}
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			s.tag = bytes.TrimRight(s.tag, " \t\r\n")
			if len(s.tag) == 0 {
				return errXML
			}
			return nil
		case c == '<':
			return errXML
		}
		s.tag = append(s.tag, c)
	}
}

// readText reads text up to the next '<', entities decoded.
func (s *xmlScanner) readText() (event, error) {
	s.text = s.text[:0]
	for {
		chunk, err := s.r.ReadSlice('<')
		if len(chunk) > 0 && chunk[len(chunk)-1] == '<' {
			s.r.UnreadByte()
			chunk = chunk[:len(chunk)-1]
		}
		s.text = append(s.text, chunk...)
		if err == nil || err == io.EOF {
			break
		}
		if err != bufio.ErrBufferFull {
			return evEOF, err
		}
	}
	t, err := decodeEntities(s.text)
	if err != nil {
		return evEOF, err
	}
	s.text = normalizeNewlines(t)
	if !utf8.Valid(s.text) {
		return evEOF, errors.New("text is not valid UTF-8")
	}
	return evText, nil
}

// name returns the local name of the current tag.
func (s *xmlScanner) name() []byte {
	n := s.tag
	if i := bytes.IndexAny(n, " \t\r\n"); i >= 0 {
		n = n[:i]
	}
	// A prefix is what comes before the first colon, when both sides
	// have something, as encoding/xml reads it.
	if i := bytes.IndexByte(n, ':'); i >= 1 && i <= len(n)-2 {
		n = n[i+1:]
	}
	return n
}

// attr returns the value of the attribute named key (no namespace
// prefix) of the current tag, entities decoded; "" when it is not there.
func (s *xmlScanner) attr(key string) (string, error) {
	t := s.tag
	i := bytes.IndexAny(t, " \t\r\n")
	if i < 0 {
		return "", nil
	}
	t = t[i:]
	for {
		t = bytes.TrimLeft(t, " \t\r\n")
		if len(t) == 0 {
			return "", nil
		}
		eq := bytes.IndexByte(t, '=')
		if eq < 0 {
			return "", errXML
		}
		name := bytes.TrimRight(t[:eq], " \t\r\n")
		t = bytes.TrimLeft(t[eq+1:], " \t\r\n")
		if len(t) == 0 || t[0] != '"' && t[0] != '\'' {
			return "", errXML
		}
		end := bytes.IndexByte(t[1:], t[0])
		if end < 0 {
			return "", errXML
		}
		val := t[1 : 1+end]
		t = t[end+2:]
		if string(name) == key {
			v, err := decodeEntities(append([]byte(nil), val...))
			return string(v), err
		}
	}
}

// decodeEntities decodes the five predefined entities and character
// references in b, in place.
func decodeEntities(b []byte) ([]byte, error) {
	i := bytes.IndexByte(b, '&')
	if i < 0 {
		return b, nil
	}
	out := b[:i]
	for i < len(b) {
		c := b[i]
		if c != '&' {
			out = append(out, c)
			i++
			continue
		}
		end := bytes.IndexByte(b[i:], ';')
		if end < 0 || end > 12 {
			return nil, errors.New("a bare & in text")
		}
		ent := string(b[i+1 : i+end])
		i += end + 1
		switch ent {
		case "lt":
			out = append(out, '<')
		case "gt":
			out = append(out, '>')
		case "amp":
			out = append(out, '&')
		case "quot":
			out = append(out, '"')
		case "apos":
			out = append(out, '\'')
		default:
			r, ok := charRef(ent)
			if !ok {
				return nil, errors.New("unknown entity &" + ent + ";")
			}
			out = utf8.AppendRune(out, r)
		}
	}
	return out, nil
}

// charRef reads "#65" or "#x41".
func charRef(ent string) (rune, bool) {
	if len(ent) < 2 || ent[0] != '#' {
		return 0, false
	}
	base, digits := 10, ent[1:]
	if digits[0] == 'x' {
		base, digits = 16, digits[1:]
	}
	n, err := strconv.ParseUint(digits, base, 32)
	if err != nil || n > utf8.MaxRune || !validXMLChar(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// validXMLChar is XML 1.0's Char production.
func validXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// normalizeNewlines turns \r\n and a lone \r into \n, as an XML parser
// does.
func normalizeNewlines(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	out := b[:0]
	for i := 0; i < len(b); i++ {
		if b[i] == '\r' {
			out = append(out, '\n')
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			continue
		}
		out = append(out, b[i])
	}
	return out
}
