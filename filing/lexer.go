package filing

import (
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// A hand-written JSON tokenizer over the whole body. encoding/json's
// Decoder.Token allocates for every token and builds (and drops) an error
// string at the end of every value, which made a 100,000-row return take
// seconds; this one does what the readers need and nothing else. It
// accepts exactly RFC 8259 JSON, as encoding/json does (a fuzz test holds
// it to json.Valid), including its treatment of invalid UTF-8 and lone
// surrogates in strings (each becomes U+FFFD). Unlike encoding/json it
// also says when it replaced something (token.invalid), so that the
// reader can refuse the value instead of storing a silently changed one.

// tokKind is the kind of a token.
type tokKind uint8

const (
	tokBeginObject tokKind = iota + 1
	tokEndObject
	tokBeginArray
	tokEndArray
	tokString
	tokNumber
	tokTrue
	tokFalse
	tokNull
)

// token is one JSON token; text is the decoded string or the number as
// written. invalid is set on a string that had invalid UTF-8 or a lone
// surrogate escape, each replaced by U+FFFD in text.
type token struct {
	kind    tokKind
	invalid bool
	text    string
}

// lexState is where the lexer is in the grammar, as in encoding/json's
// Decoder.Token.
type lexState uint8

const (
	lexTopValue lexState = iota
	lexTopEnd
	lexArrayStart
	lexArrayValue
	lexArrayComma
	lexObjectStart
	lexObjectKey
	lexObjectColon
	lexObjectValue
	lexObjectComma
)

// syntaxError is a JSON syntax error at a byte offset.
type syntaxError struct {
	msg    string
	offset int64
}

func (e *syntaxError) Error() string { return fmt.Sprintf("%s at byte %d", e.msg, e.offset) }

// lexer reads tokens from buf.
type lexer struct {
	buf    []byte
	pos    int
	state  lexState
	stack  []lexState // states to return to after a container
	intern map[string]string
}

// maxDepth is the deepest nesting accepted, as in encoding/json.
const maxDepth = 10000

// maxInterned bounds the table of short strings shared between tokens
// (keys and enumeration values repeat in every row; ids do not).
const maxInterned = 4096

func newLexer(buf []byte) *lexer {
	return &lexer{buf: buf, intern: make(map[string]string, 64)}
}

// offset is the number of bytes consumed so far.
func (l *lexer) offset() int64 { return int64(l.pos) }

func (l *lexer) errorf(format string, args ...any) error {
	return &syntaxError{msg: fmt.Sprintf(format, args...), offset: int64(l.pos)}
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.buf) {
		switch l.buf[l.pos] {
		case ' ', '\t', '\n', '\r':
			l.pos++
		default:
			return
		}
	}
}

// more reports whether the current array or object has another element.
func (l *lexer) more() bool {
	l.skipSpace()
	return l.pos < len(l.buf) && l.buf[l.pos] != ']' && l.buf[l.pos] != '}'
}

func (l *lexer) valueAllowed() bool {
	switch l.state {
	case lexTopValue, lexArrayStart, lexArrayValue, lexObjectValue:
		return true
	}
	return false
}

// valueEnd moves the state past a complete value.
func (l *lexer) valueEnd() {
	switch l.state {
	case lexTopValue:
		l.state = lexTopEnd
	case lexArrayStart, lexArrayValue:
		l.state = lexArrayComma
	case lexObjectValue:
		l.state = lexObjectComma
	}
}

// next returns the next token. Commas and colons are checked and skipped.
// At the end of the input after one complete value it returns io.EOF;
// anywhere else the end is io.ErrUnexpectedEOF.
func (l *lexer) next() (token, error) {
	for {
		l.skipSpace()
		if l.pos >= len(l.buf) {
			if l.state == lexTopEnd {
				return token{}, io.EOF
			}
			return token{}, io.ErrUnexpectedEOF
		}
		c := l.buf[l.pos]
		if l.state == lexTopEnd {
			return token{}, l.errorf("unexpected data after the top-level value")
		}
		switch c {
		case '{', '[':
			if !l.valueAllowed() {
				return token{}, l.unexpected(c)
			}
			if len(l.stack) >= maxDepth {
				return token{}, l.errorf("exceeded max depth")
			}
			l.pos++
			l.stack = append(l.stack, l.state)
			if c == '{' {
				l.state = lexObjectStart
				return token{kind: tokBeginObject}, nil
			}
			l.state = lexArrayStart
			return token{kind: tokBeginArray}, nil
		case '}':
			if l.state != lexObjectStart && l.state != lexObjectComma {
				return token{}, l.unexpected(c)
			}
			l.pos++
			l.pop()
			return token{kind: tokEndObject}, nil
		case ']':
			if l.state != lexArrayStart && l.state != lexArrayComma {
				return token{}, l.unexpected(c)
			}
			l.pos++
			l.pop()
			return token{kind: tokEndArray}, nil
		case ':':
			if l.state != lexObjectColon {
				return token{}, l.unexpected(c)
			}
			l.pos++
			l.state = lexObjectValue
			continue
		case ',':
			switch l.state {
			case lexArrayComma:
				l.state = lexArrayValue
			case lexObjectComma:
				l.state = lexObjectKey
			default:
				return token{}, l.unexpected(c)
			}
			l.pos++
			continue
		case '"':
			s, invalid, err := l.readString()
			if err != nil {
				return token{}, err
			}
			switch l.state {
			case lexObjectStart, lexObjectKey:
				l.state = lexObjectColon
				return token{kind: tokString, invalid: invalid, text: s}, nil
			}
			if !l.valueAllowed() {
				return token{}, l.errorf("unexpected string")
			}
			l.valueEnd()
			return token{kind: tokString, invalid: invalid, text: s}, nil
		}
		if !l.valueAllowed() {
			return token{}, l.unexpected(c)
		}
		t, err := l.readLiteral()
		if err != nil {
			return token{}, err
		}
		l.valueEnd()
		return t, nil
	}
}

func (l *lexer) pop() {
	l.state = l.stack[len(l.stack)-1]
	l.stack = l.stack[:len(l.stack)-1]
	l.valueEnd()
}

func (l *lexer) unexpected(c byte) error {
	want := ""
	switch l.state {
	case lexObjectStart, lexObjectKey:
		want = " looking for an object key"
	case lexObjectColon:
		want = " after an object key"
	case lexObjectComma:
		want = " after an object value"
	case lexArrayComma:
		want = " after an array element"
	default:
		want = " looking for a value"
	}
	return l.errorf("invalid character %s%s", quoteByte(c), want)
}

func quoteByte(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	if c >= utf8.RuneSelf {
		s = fmt.Sprintf("byte 0x%02x", c)
		return s
	}
	return "'" + s[1:len(s)-1] + "'"
}

// readLiteral reads a number, true, false or null.
func (l *lexer) readLiteral() (token, error) {
	for _, lit := range [...]struct {
		text string
		kind tokKind
	}{{"true", tokTrue}, {"false", tokFalse}, {"null", tokNull}} {
		if l.buf[l.pos] == lit.text[0] {
			if len(l.buf)-l.pos < len(lit.text) {
				l.pos = len(l.buf)
				return token{}, io.ErrUnexpectedEOF
			}
			if string(l.buf[l.pos:l.pos+len(lit.text)]) != lit.text {
				return token{}, l.errorf("invalid literal")
			}
			l.pos += len(lit.text)
			return token{kind: lit.kind}, nil
		}
	}
	start := l.pos
	b := l.buf
	i := l.pos
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	case i >= len(b):
		l.pos = i
		return token{}, io.ErrUnexpectedEOF
	default:
		l.pos = i
		return token{}, l.unexpected(b[i])
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) {
			l.pos = i
			return token{}, io.ErrUnexpectedEOF
		}
		if !isDigit(b[i]) {
			l.pos = i
			return token{}, l.errorf("invalid character %s after a decimal point", quoteByte(b[i]))
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) {
			l.pos = i
			return token{}, io.ErrUnexpectedEOF
		}
		if !isDigit(b[i]) {
			l.pos = i
			return token{}, l.errorf("invalid character %s in an exponent", quoteByte(b[i]))
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	l.pos = i
	return token{kind: tokNumber, text: string(b[start:i])}, nil
}

// readString reads a string token starting at the opening quote. invalid
// reports that invalid UTF-8 or a lone surrogate was replaced.
func (l *lexer) readString() (s string, invalid bool, err error) {
	b := l.buf
	start := l.pos + 1
	i := start
	// Fast path: no escapes, ASCII or valid UTF-8.
	ascii := true
	for i < len(b) {
		c := b[i]
		if c == '"' {
			raw := b[start:i]
			l.pos = i + 1
			if ascii || utf8.Valid(raw) {
				return l.str(raw), false, nil
			}
			out, _ := appendValidUTF8(nil, raw)
			return string(out), true, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			l.pos = i
			return "", false, l.errorf("invalid control character in a string")
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
		i++
	}
	if i >= len(b) {
		l.pos = len(b)
		return "", false, io.ErrUnexpectedEOF
	}
	// Slow path: unescape.
	out := make([]byte, 0, i-start+16)
	out, invalid = appendValidUTF8(out, b[start:i])
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			l.pos = i + 1
			return string(out), invalid, nil
		case c < 0x20:
			l.pos = i
			return "", false, l.errorf("invalid control character in a string")
		case c != '\\':
			j := i
			for j < len(b) && b[j] != '"' && b[j] != '\\' && b[j] >= 0x20 {
				j++
			}
			var bad bool
			out, bad = appendValidUTF8(out, b[i:j])
			invalid = invalid || bad
			i = j
			continue
		}
		i++ // the backslash
		if i >= len(b) {
			l.pos = i
			return "", false, io.ErrUnexpectedEOF
		}
		switch e := b[i]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, n, err := l.readHex4(i + 1)
			if err != nil {
				return "", false, err
			}
			i = n - 1
			if utf16.IsSurrogate(r) {
				hi := r
				r = utf8.RuneError
				// A high surrogate must be followed by an escaped low one;
				// otherwise it is replaced, as encoding/json does. A bad
				// second escape is reported when the loop reaches it.
				if n+1 < len(b) && b[n] == '\\' && b[n+1] == 'u' {
					if lo, n2, err := l.readHex4(n + 2); err == nil {
						if dec := utf16.DecodeRune(hi, lo); dec != utf8.RuneError {
							r = dec
							i = n2 - 1
						}
					}
				}
				invalid = invalid || r == utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
		default:
			l.pos = i
			return "", false, l.errorf("invalid escape character %s in a string", quoteByte(e))
		}
		i++
	}
	l.pos = len(b)
	return "", false, io.ErrUnexpectedEOF
}

// readHex4 reads four hex digits at i and returns the rune and the index
// after them.
func (l *lexer) readHex4(i int) (rune, int, error) {
	if i+4 > len(l.buf) {
		l.pos = len(l.buf)
		return 0, 0, io.ErrUnexpectedEOF
	}
	var r rune
	for k := i; k < i+4; k++ {
		c := l.buf[k]
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			l.pos = k
			return 0, 0, l.errorf("invalid character %s in a \\u escape", quoteByte(c))
		}
	}
	return r, i + 4, nil
}

// appendValidUTF8 appends raw with each invalid byte replaced by U+FFFD,
// as encoding/json does, and reports whether it replaced any.
func appendValidUTF8(out, raw []byte) ([]byte, bool) {
	replaced := false
	for len(raw) > 0 {
		r, n := utf8.DecodeRune(raw)
		if r == utf8.RuneError && n == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
			replaced = true
		} else {
			out = append(out, raw[:n]...)
		}
		raw = raw[n:]
	}
	return out, replaced
}

// str returns raw as a string, shared with earlier equal short strings.
func (l *lexer) str(raw []byte) string {
	if len(raw) > 32 {
		return string(raw)
	}
	if s, ok := l.intern[string(raw)]; ok { // no allocation for the lookup
		return s
	}
	s := string(raw)
	if len(l.intern) < maxInterned {
		l.intern[s] = s
	}
	return s
}
