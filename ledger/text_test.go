package ledger

import (
	"strings"
	"testing"
)

func TestCheckText(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    string
		kind TextKind
		want string // a part of the error, "" for none
	}{
		{"empty", "", TextID, ""},
		{"ascii id", "site-000123", TextID, ""},
		{"japanese name", "さくらモバイル株式会社", TextName, ""},
		{"thai name", "บริษัท ฟ้าใส โทรคมนาคม จำกัด", TextName, ""},
		{"thai zero-width space", "ฟ้าใส\u200bโทรคมนาคม", TextName, ""},
		{"korean name", "한국통신", TextName, ""},
		{"persian zero-width non-joiner", "می\u200cخواهم", TextName, ""},
		{"emoji zero-width joiner", "team 👩\u200d💻", TextName, ""},
		{"right-to-left mark", "שלום\u200f 2025", TextName, ""},
		{"note with paragraphs", "figures were\r\nrestated:\n\tfuel rows", TextNote, ""},
		{"invalid utf-8", "ab\xffcd", TextName, "not valid UTF-8"},
		{"truncated utf-8", "ab\xe3\x81", TextNote, "not valid UTF-8"},
		{"nul", "ab\x00", TextNote, "U+0000, a control character, at character 3"},
		{"escape", "\x1b[2Jx", TextName, "U+001B"},
		{"del", "a\x7f", TextName, "U+007F"},
		{"c1 control", "a\u009bb", TextNote, "U+009B"},
		{"newline in a name", "a\nb", TextName, "line break or tab"},
		{"tab in an id", "a\tb", TextID, "line break or tab"},
		{"lone carriage return", "done\rforged", TextNote, "carriage return"},
		{"carriage return at the end", "done\r", TextNote, "carriage return"},
		{"right-to-left override", "invoice\u202egnp.exe", TextName, "U+202E, a bidirectional control"},
		{"left-to-right embedding", "\u202aa", TextNote, "U+202A"},
		{"first strong isolate", "a\u2068b", TextName, "U+2068"},
		{"pop directional isolate", "a\u2069", TextNote, "U+2069"},
		{"line separator", "a\u2028b", TextNote, "U+2028"},
		{"byte order mark", "a\ufeffb", TextName, "U+FEFF"},
		{"tag character", "a\U000E0041", TextName, "U+E0041"},
		{"noncharacter", "a\uffff", TextName, "U+FFFF, a noncharacter"},
		{"zero-width space in an id", "site\u200b1", TextID, "not allowed in an id"},
		{"soft hyphen in an id", "site\u00ad1", TextID, "not allowed in an id"},
		{"id at its limit", strings.Repeat("x", 100), TextID, ""},
		{"id over its limit", strings.Repeat("x", 101), TextID, "at most 100 characters; got 101"},
		{"name in characters not bytes", strings.Repeat("漢", 200), TextName, ""},
		{"name over its limit", strings.Repeat("漢", 201), TextName, "at most 200 characters; got 201"},
		{"note over its limit", strings.Repeat("a", 10_001), TextNote, "at most 10000 characters"},
		{"megabyte string", strings.Repeat("a", 1<<20), TextNote, "at most 10000 characters; got 1048576 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckText(tc.s, tc.kind)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("CheckText: %v, want no error", err)
			case tc.want != "" && err == nil:
				t.Fatalf("CheckText: no error, want %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("CheckText: %v, want %q", err, tc.want)
			}
		})
	}
}

// BenchmarkCheckText measures the rule on a typical ASCII id, the value
// of most strings in a 100,000-row return.
func BenchmarkCheckText(b *testing.B) {
	for b.Loop() {
		if err := CheckText("site-000123", TextID); err != nil {
			b.Fatal(err)
		}
	}
}
