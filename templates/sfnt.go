package templates

import (
	"fmt"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// sfntFont answers what the script fallback asks of a TrueType file:
// whether it has a glyph for a character and how wide that is. The tables
// are read by golang.org/x/image/font/sfnt. Only characters of the Basic
// Multilingual Plane count: gofpdf, which draws the text, reads a font's
// format 4 cmap alone, and clean already replaced the rest.
//
// A sfntFont belongs to one pdfWriter, used by one goroutine: its buffer
// is reused from one look-up to the next.
type sfntFont struct {
	font *sfnt.Font
	buf  sfnt.Buffer
	// upem is the font's units per em as a 26.6 value: asked for its
	// advances at that many pixels per em, the library answers in font
	// units, exactly.
	upem fixed.Int26_6
}

func parseSFNT(b []byte) (*sfntFont, error) {
	f, err := sfnt.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("truetype font: %w", err)
	}
	return &sfntFont{font: f, upem: fixed.Int26_6(f.UnitsPerEm())}, nil
}

// glyph is the glyph of r, 0 when the font has none.
func (f *sfntFont) glyph(r rune) sfnt.GlyphIndex {
	if r < 0 || r > 0xFFFF {
		return 0
	}
	g, err := f.font.GlyphIndex(&f.buf, r)
	if err != nil {
		return 0
	}
	return g
}

// has tells whether the font has a glyph for r.
func (f *sfntFont) has(r rune) bool { return f.glyph(r) != 0 }

// width is the advance of r in thousandths of an em, rounded as gofpdf
// rounds it; 0 when the font has no glyph for r.
func (f *sfntFont) width(r rune) int {
	g := f.glyph(r)
	if g == 0 {
		return 0
	}
	adv, err := f.font.GlyphAdvance(&f.buf, g, f.upem, font.HintingNone)
	if err != nil {
		return 0
	}
	return int(math.Round(1000 / float64(f.upem) * float64(adv)))
}
