package filing

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// jsonReader is a strict, schema-driven reader over the token stream of
// the lexer. It never builds a generic tree: the plans of plan.go pull
// tokens and fill the ledger types directly, so a return with 100,000
// site rows costs the rows and little else.
//
// Problems with values (wrong type, unknown field, duplicate key, bad
// number, unknown enumeration value, missing field) are collected with
// their JSON path and reading goes on. A syntax or read error stops
// reading at once: it is raised with panic(abort{}) and recovered in
// decodeJSON, which keeps the field readers free of error plumbing.
type jsonReader struct {
	lex          *lexer
	admittedText bool // see Options.AdmittedText
	path         []pathElem
	probs        problems
}

// abort carries a syntax or read error out of the recursive readers.
type abort struct{ err error }

// pathElem is one step of a JSON path: an object key, or an array index
// when key is "".
type pathElem struct {
	key   string
	index int
}

func (d *jsonReader) push(key string) { d.path = append(d.path, pathElem{key: key}) }
func (d *jsonReader) pushIndex(i int) { d.path = append(d.path, pathElem{index: i}) }
func (d *jsonReader) pop()            { d.path = d.path[:len(d.path)-1] }

// pathString formats the current path, e.g. "electricity[2].kwh".
func (d *jsonReader) pathString() string { return formatPath(d.path) }

func formatPath(elems []pathElem) string {
	var b strings.Builder
	for _, e := range elems {
		if e.key == "" {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(e.index))
			b.WriteByte(']')
			continue
		}
		if plainKey(e.key) {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(e.key)
			continue
		}
		b.WriteByte('[')
		b.WriteString(strconv.Quote(e.key))
		b.WriteByte(']')
	}
	return b.String()
}

// plainKey reports whether a key can be written after a dot in a path.
func plainKey(k string) bool {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return k != ""
}

// fail records a problem at the current path.
func (d *jsonReader) fail(msg string) {
	if d.probs.full() {
		d.probs.more++
		return
	}
	d.probs.add(d.pathString(), msg)
}

// token reads the next token; a syntax or read error aborts the decode.
func (d *jsonReader) token() token {
	t, err := d.lex.next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		panic(abort{err})
	}
	return t
}

// describe names the JSON type of a token for messages.
func describe(t token) string {
	switch t.kind {
	case tokNull:
		return "null"
	case tokTrue, tokFalse:
		return "a boolean"
	case tokNumber:
		return "a number"
	case tokString:
		return "a string"
	case tokBeginObject:
		return "an object"
	case tokBeginArray:
		return "an array"
	}
	return "an unexpected token"
}

// wrong reports that the value whose first token is t is not of the type
// wanted, and skips the rest of it.
func (d *jsonReader) wrong(t token, want string) {
	d.fail("must be " + want + ", not " + describe(t))
	d.skipRest(t)
}

// skipRest consumes the rest of a value whose first token was t.
func (d *jsonReader) skipRest(t token) {
	if t.kind != tokBeginObject && t.kind != tokBeginArray {
		return
	}
	for depth := 1; depth > 0; {
		switch d.token().kind {
		case tokBeginObject, tokBeginArray:
			depth++
		case tokEndObject, tokEndArray:
			depth--
		}
	}
}

// object reads an object value. For each key it calls field with the key
// pushed on the path; field consumes the value and reports whether it knows
// the key. Unknown keys, duplicate keys and missing required keys are
// reported here. A null is accepted as absent when nullable. object
// reports whether an object was read.
func (d *jsonReader) object(nullable bool, field func(key string) bool, required ...string) bool {
	t := d.token()
	if t.kind == tokNull && nullable {
		return false
	}
	if t.kind != tokBeginObject {
		d.wrong(t, "an object")
		return false
	}
	var seenBuf [24]string
	seen := seenBuf[:0]
	for d.lex.more() {
		key := d.token().text // the lexer guarantees a string key here
		d.push(key)
		switch {
		case contains(seen, key):
			d.fail("duplicate key")
			d.skipRest(d.token())
		case field(key):
			seen = append(seen, key)
		default:
			d.fail("unknown field")
			d.skipRest(d.token())
		}
		d.pop()
	}
	d.token() // '}'
	for _, k := range required {
		if !contains(seen, k) {
			d.push(k)
			d.fail("is required")
			d.pop()
		}
	}
	return true
}

// array reads an array value, calling elem for each element with its index
// pushed on the path. A null is accepted as absent when nullable.
func (d *jsonReader) array(nullable bool, elem func(i int)) bool {
	t := d.token()
	if t.kind == tokNull && nullable {
		return false
	}
	if t.kind != tokBeginArray {
		d.wrong(t, "an array")
		return false
	}
	for i := 0; d.lex.more(); i++ {
		d.pushIndex(i)
		elem(i)
		d.pop()
	}
	d.token() // ']'
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// str reads a string of kind k and checks it with ledger.CheckText. A
// string the lexer had to repair (invalid UTF-8, a lone surrogate) is
// refused rather than stored changed. A refused string reads as "", so
// that nothing after the reader holds the bad value.
func (d *jsonReader) str(k ledger.TextKind) string {
	t := d.token()
	if t.kind != tokString {
		d.wrong(t, "a string")
		return ""
	}
	if t.invalid {
		d.fail("is not valid UTF-8 (or has an unpaired \\u surrogate escape)")
		return ""
	}
	if d.admittedText {
		return t.text
	}
	if err := ledger.CheckText(t.text, k); err != nil {
		d.fail(err.Error())
		return ""
	}
	return t.text
}

// strings reads an array of strings of kind k; null is absent.
func (d *jsonReader) strings(k ledger.TextKind) []string {
	var out []string
	d.array(true, func(int) { out = append(out, d.str(k)) })
	return out
}

// enum reads a string that must be one of allowed. It returns the allowed
// value itself, so that rows share one copy of each enumeration string.
func (d *jsonReader) enum(allowed []string) string {
	t := d.token()
	if t.kind != tokString {
		d.wrong(t, "a string, one of "+strings.Join(allowed, ", "))
		return ""
	}
	v, msg := checkEnum(t.text, allowed)
	if msg != "" {
		d.fail(msg)
	}
	return v
}

// checkEnum returns the interned allowed value equal to s, or a message
// that lists the allowed values.
func checkEnum(s string, allowed []string) (string, string) {
	for _, a := range allowed {
		if a == s {
			return a, ""
		}
	}
	return "", "must be one of " + strings.Join(allowed, ", ") + "; got " + quoteShort(s)
}

// maxQuoted is the most bytes of a refused value that a message repeats.
const maxQuoted = 64

// quoteShort quotes s for a message, cut to its first maxQuoted bytes (at
// a character boundary), so that a problem about a huge value is small.
func quoteShort(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "... (" + strconv.Itoa(len(s)) + " bytes)"
}

// quantity reads a decimal given as a JSON string or number.
func (d *jsonReader) quantity() decimal.Decimal {
	q, _ := d.quantityTok(d.token())
	return q
}

// optQuantity reads an optional decimal; null is absent.
func (d *jsonReader) optQuantity() *decimal.Decimal {
	t := d.token()
	if t.kind == tokNull {
		return nil
	}
	q, ok := d.quantityTok(t)
	if !ok {
		return nil
	}
	return &q
}

func (d *jsonReader) quantityTok(t token) (decimal.Decimal, bool) {
	if t.kind != tokString && t.kind != tokNumber {
		d.wrong(t, "a decimal (string or number)")
		return decimal.Decimal{}, false
	}
	q, msg := parseQuantity(t.text)
	if msg != "" {
		d.fail(msg)
		return decimal.Decimal{}, false
	}
	return q, true
}

// count reads an integer given as a JSON number. Strings are not accepted:
// counts are plain JSON integers.
func (d *jsonReader) count() int64 {
	n, _ := d.countTok(d.token())
	return n
}

// optCount reads an optional integer; null is absent.
func (d *jsonReader) optCount() *int64 {
	t := d.token()
	if t.kind == tokNull {
		return nil
	}
	n, ok := d.countTok(t)
	if !ok {
		return nil
	}
	return &n
}

func (d *jsonReader) countTok(t token) (int64, bool) {
	if t.kind != tokNumber {
		d.wrong(t, "a whole number (a JSON number, not a string)")
		return 0, false
	}
	n, msg := parseCount(t.text)
	if msg != "" {
		d.fail(msg)
		return 0, false
	}
	return n, true
}

// integer reads a JSON integer that fits an int (a year).
func (d *jsonReader) integer() int {
	n := d.count()
	if n < -1<<31 || n > 1<<31-1 {
		d.fail("is out of range")
		return 0
	}
	return int(n)
}

// boolean reads true or false.
func (d *jsonReader) boolean() bool {
	t := d.token()
	if t.kind != tokTrue && t.kind != tokFalse {
		d.wrong(t, "true or false")
	}
	return t.kind == tokTrue
}

// period reads a quarter written "YYYY-Qn".
func (d *jsonReader) period() ledger.Period {
	t := d.token()
	if t.kind != tokString {
		d.wrong(t, "a string, a quarter written YYYY-Qn")
		return ledger.Period{}
	}
	s := t.text
	p, err := ledger.ParsePeriod(s)
	if err != nil {
		d.fail("must be a quarter written YYYY-Qn, e.g. 2025-Q3; got " + quoteShort(s))
	}
	return p
}

// time reads an RFC 3339 time, keeping the UTC offset it is written in.
func (d *jsonReader) time() time.Time {
	t := d.token()
	if t.kind != tokString {
		d.wrong(t, "an RFC 3339 time string")
		return time.Time{}
	}
	s := t.text
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		d.fail("must be an RFC 3339 time, e.g. 2025-08-21T04:00:00Z; got " + quoteShort(s))
		return time.Time{}
	}
	// Keep the offset as written (methodology 2026.1 R3 bounds an outage
	// by the quarter's end in it), in a fixed zone so that the value does
	// not depend on the machine's local zone; UTC stays UTC, as before.
	if _, off := v.Zone(); off != 0 {
		return v.In(time.FixedZone("", off))
	}
	return v.UTC()
}
