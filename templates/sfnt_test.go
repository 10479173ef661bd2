package templates

import (
	"testing"

	"github.com/jung-kurt/gofpdf"
)

// TestWidthsAgreeWithGofpdf checks the widths of the Thai font read by
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
	f, _ := parseSFNT(fontSans)
	for _, r := range "กข฿中あ한" {
		if want := r == '฿'; f.has(r) != want {
			t.Errorf("DejaVu Sans has %U: %v", r, f.has(r))
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
