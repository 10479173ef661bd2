package ledger

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// The one rule for the free strings that reach the ledger: ids, names,
// labels and notes, whether they come in a JSON return, a CSV part, an
// admin request or a review. What is written here is shown later to
// regulators, in PDFs and on web pages, and copied into logs and
// terminals, so the rule refuses what can make a string read differently
// from what it is:
//
//   - invalid UTF-8 (a decoder would silently turn it into U+FFFD);
//   - C0 controls, DEL and C1 controls (NUL, escape sequences, a lone
//     carriage return that overwrites a terminal line), except tab,
//     newline and CR before newline in notes, where a reason or comment
//     may have paragraphs (a browser sends a textarea's newlines as CRLF);
//   - the bidi embedding, override and isolate controls U+202A–U+202E and
//     U+2066–U+2069, which reorder what is displayed ("Trojan Source");
//   - U+2028/U+2029 (line breaks that many tools do not treat as such),
//     U+FEFF (a byte order mark inside a value), the interlinear
//     annotation controls U+FFF9–U+FFFB, the tag characters
//     U+E0000–U+E007F (invisible ASCII look-alikes), and noncharacters.
//
// The rule is deliberately narrow for names and notes: zero-width joiner
// and non-joiner are needed in Persian, Sinhala, Devanagari and emoji,
// zero-width space marks word breaks in Thai, Khmer and Lao, and the
// left-to-right and right-to-left marks are needed in mixed Arabic or
// Hebrew text; all of these are accepted there. Ids are machine strings
// compared byte for byte, where an invisible character makes two ids that
// look equal differ, so an id refuses every format character (Cf).
//
// Lengths are counted in characters (code points), not bytes, so that a
// Japanese or Thai name gets the same room as a Latin one.

// TextKind is the kind of a free string field; it decides the characters
// a value may contain and its greatest length.
type TextKind uint8

// The kinds of free string fields.
const (
	// TextID is an identifier or reference (a site or data-centre id, a
	// grid key, a certificate id, a return version): one line, no format
	// characters, at most 100 characters.
	TextID TextKind = iota + 1
	// TextName is a name or short label (an operator, a supplier, a
	// recycler, a token label): one line, at most 200 characters.
	TextName
	// TextNote is free text (the reason of a restatement, a review comment
	// or finding): tabs and line breaks allowed, at most 10,000 characters.
	TextNote
)

// MaxRunes is the greatest number of characters a value of kind k may
// have.
func (k TextKind) MaxRunes() int {
	switch k {
	case TextID:
		return 100
	case TextName:
		return 200
	default:
		return 10_000
	}
}

// errInvalidUTF8 is the error of a string that is not valid UTF-8.
var errInvalidUTF8 = errors.New("is not valid UTF-8")

// CheckText reports whether s may be stored as a value of kind k. The
// error is a message meant to follow the field's path, e.g. "is not valid
// UTF-8" or "contains U+0000, a control character, at character 4". The
// empty string passes: whether a field is required is its caller's rule.
func CheckText(s string, k TextKind) error {
	max := k.MaxRunes()
	n := 0 // characters so far
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] >= 0x20 && s[j] < 0x7f { // printable ASCII: the common case
			j++
		}
		if n += j - i; n > max {
			return tooLong(s, max)
		}
		if i = j; i == len(s) {
			break
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			return errInvalidUTF8
		}
		n++
		if n > max {
			return tooLong(s, max)
		}
		if msg := refusedRune(r, k, s[i+size:]); msg != "" {
			return fmt.Errorf("contains U+%04X, %s, at character %d", r, msg, n)
		}
		i += size
	}
	return nil
}

// tooLong is the error of a string over max characters; it names the
// length only when counting it is cheap, so that a huge value costs no
// more than the check did so far.
func tooLong(s string, max int) error {
	if len(s) <= 4*max+4 {
		return fmt.Errorf("must be at most %d characters; got %d", max, utf8.RuneCountInString(s))
	}
	return fmt.Errorf("must be at most %d characters; got %d bytes", max, len(s))
}

// refusedRune returns what r is when a value of kind k may not contain it
// ("a control character", ...), or "" when it may. rest is the text
// after r, for a carriage return, which a note accepts only before a
// newline.
func refusedRune(r rune, k TextKind, rest string) string {
	switch {
	case r == '\t' || r == '\n':
		if k == TextNote {
			return ""
		}
		return "a line break or tab (only free text may have them)"
	case r == '\r':
		if k == TextNote && len(rest) > 0 && rest[0] == '\n' {
			return ""
		}
		return "a carriage return not followed by a newline"
	case r < 0x20 || r >= 0x7f && r < 0xa0:
		return "a control character"
	case r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069:
		return "a bidirectional control"
	case r == 0x2028 || r == 0x2029:
		return "a Unicode line or paragraph separator"
	case r == 0xfeff || r >= 0xfff9 && r <= 0xfffb || r >= 0xe0000 && r <= 0xe007f:
		return "an invisible format character"
	case r >= 0xfdd0 && r <= 0xfdef || r&0xfffe == 0xfffe:
		return "a noncharacter"
	case k == TextID && unicode.Is(unicode.Cf, r):
		return "an invisible format character (not allowed in an id)"
	}
	return ""
}
