package templates

import "testing"

// TestSFNTAgreesWithHandParser is temporary: for every rune any embedded
// font covers, the library's answers equal the hand-written parser's.
func TestSFNTAgreesWithHandParser(t *testing.T) {
	for _, c := range []struct {
		name string
		ttf  []byte
	}{{"sans", fontSans}, {"sansBold", fontSansBold}, {"mono", fontMono}, {"thai", fontThai}, {"thaiBold", fontThaiBold}, {"cjk", fontCJK}} {
		old, err := parseHand(c.ttf)
		if err != nil {
			t.Fatal(c.name, err)
		}
		lib, err := parseSFNT(c.ttf)
		if err != nil {
			t.Fatal(c.name, err)
		}
		covered, diffs := 0, 0
		for r := rune(0); r <= 0x10FFFF; r++ {
			oh, nh := old.has(r), lib.has(r)
			if oh {
				covered++
			}
			if oh != nh || old.width(r) != lib.width(r) {
				diffs++
				if diffs < 10 {
					t.Errorf("%s %U: has %v/%v width %d/%d", c.name, r, oh, nh, old.width(r), lib.width(r))
				}
			}
		}
		t.Logf("%s: %d runes covered, %d differ", c.name, covered, diffs)
	}
}

func BenchmarkParseHand(b *testing.B) {
	for b.Loop() {
		for _, ttf := range [][]byte{fontSans, fontSansBold, fontMono, fontThai, fontThaiBold, fontCJK} {
			if _, err := parseHand(ttf); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkParseSFNT(b *testing.B) {
	for b.Loop() {
		for _, ttf := range [][]byte{fontSans, fontSansBold, fontMono, fontThai, fontThaiBold, fontCJK} {
			if _, err := parseSFNT(ttf); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkParseEach(b *testing.B) {
	for _, c := range []struct {
		name string
		ttf  []byte
	}{{"sans", fontSans}, {"sansBold", fontSansBold}, {"mono", fontMono}, {"thai", fontThai}, {"thaiBold", fontThaiBold}, {"cjk", fontCJK}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				parseSFNT(c.ttf)
			}
		})
	}
}
