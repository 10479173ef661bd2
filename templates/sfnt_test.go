package templates

import (
	"testing"

	"github.com/jung-kurt/gofpdf"
)

// TestWidthsAgreeWithGofpdf checks the widths of the fonts read by
// sfnt.go against gofpdf's own, which it draws with.
func TestWidthsAgreeWithGofpdf(t *testing.T) {
	for _, c := range []struct {
		ttf  []byte
		text string
	}{{fontThai, thaiName}, {fontThaiBold, thaiName + " ๑๒๓ ฿"}, {fontSans, "Viễn thông Đà Nẵng CO₂ ≥"}} {
		pdf := gofpdf.New("P", "mm", "A4", "")
		pdf.AddUTF8FontFromBytes("f", "", c.ttf)
		pdf.SetFont("f", "", 11)
		f, err := parseSFNT(c.ttf)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range c.text {
			if !f.has(r) {
				t.Errorf("%q: font lacks %U", c.text, r)
			}
			n += f.width(r)
		}
		if got, want := n, pdf.GetStringSymbolWidth(c.text); got != want {
			t.Errorf("%q: width %d, gofpdf %d", c.text, got, want)
		}
	}
}

// TestFontCoverageAndWidths spot-checks what the script fallback asks of
// each embedded font. The widths are thousandths of an em, as the
// hand-written parser that came before gave them for every character.
func TestFontCoverageAndWidths(t *testing.T) {
	for _, c := range []struct {
		name  string
		ttf   []byte
		r     rune
		has   bool
		width int
	}{
		{"DejaVu Sans", fontSans, 'A', true, 684},
		{"DejaVu Sans", fontSans, 'ệ', true, 615},
		{"DejaVu Sans", fontSans, '฿', true, 636},
		{"DejaVu Sans", fontSans, '₂', true, 401},
		{"DejaVu Sans", fontSans, 'ก', false, 0},
		{"DejaVu Sans", fontSans, '中', false, 0},
		// In DejaVu's format 12 cmap, but gofpdf reads format 4 alone.
		{"DejaVu Sans", fontSans, 0x10300, false, 0},
		{"DejaVu Sans Mono", fontMono, 'W', true, 602},
		{"Noto Sans Thai", fontThai, 'ก', true, 600},
		{"Noto Sans Thai", fontThai, '๑', true, 545},
		{"Noto Sans Thai Bold", fontThaiBold, 'ก', true, 624},
		{"Droid Sans Fallback", fontCJK, '中', true, 1000},
		{"Droid Sans Fallback", fontCJK, '한', true, 1000},
		{"Droid Sans Fallback", fontCJK, -1, false, 0},
	} {
		f, err := parseSFNT(c.ttf)
		if err != nil {
			t.Fatal(c.name, err)
		}
		if has, width := f.has(c.r), f.width(c.r); has != c.has || width != c.width {
			t.Errorf("%s %U: has %v width %d, want %v %d", c.name, c.r, has, width, c.has, c.width)
		}
	}
}

func TestParseSFNTRejectsDamage(t *testing.T) {
	for n := 0; n < len(fontThai); n += 97 {
		f, err := parseSFNT(fontThai[:n])
		if err == nil {
			// A prefix that still holds every table it reads: lookups
			// must stay in bounds.
			for r := rune(0); r < 0x10000; r += 7 {
				f.width(r)
			}
		}
	}
}
