package templates

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// handFont reads what the script fallback needs from a TrueType file:
// which characters it has a glyph for and how wide they are. It reads the
// same tables gofpdf does (the first Unicode cmap subtable of format 4,
// hmtx with the head's units per em), so that it agrees with what gofpdf
// draws. Only the Basic Multilingual Plane: clean already replaced the
// rest.
type handFont struct {
	cmap        []byte // the format 4 subtable
	segs        int    // its number of segments
	hmtx        []byte
	numHMetrics int
	unitsPerEm  int
}

var errHand = errors.New("truetype font")

func parseHand(b []byte) (*handFont, error) {
	u16 := func(b []byte, at int) (int, bool) {
		if at < 0 || at+2 > len(b) {
			return 0, false
		}
		return int(binary.BigEndian.Uint16(b[at:])), true
	}
	table := func(tag string) ([]byte, error) {
		n, _ := u16(b, 4)
		for i := 0; i < n; i++ {
			rec := 12 + 16*i
			if rec+16 > len(b) {
				break
			}
			if string(b[rec:rec+4]) != tag {
				continue
			}
			off := int(binary.BigEndian.Uint32(b[rec+8:]))
			l := int(binary.BigEndian.Uint32(b[rec+12:]))
			if off < 0 || l < 0 || off > len(b) || l > len(b)-off {
				return nil, fmt.Errorf("%w: table %s out of the file", errHand, tag)
			}
			return b[off : off+l], nil
		}
		return nil, fmt.Errorf("%w: no %s table", errHand, tag)
	}
	f := &handFont{}
	head, err := table("head")
	if err != nil {
		return nil, err
	}
	if f.unitsPerEm, _ = u16(head, 18); f.unitsPerEm == 0 {
		return nil, fmt.Errorf("%w: no units per em", errHand)
	}
	hhea, err := table("hhea")
	if err != nil {
		return nil, err
	}
	if f.numHMetrics, _ = u16(hhea, 34); f.numHMetrics == 0 {
		return nil, fmt.Errorf("%w: no horizontal metrics", errHand)
	}
	if f.hmtx, err = table("hmtx"); err != nil {
		return nil, err
	}
	if len(f.hmtx) < 4*f.numHMetrics {
		return nil, fmt.Errorf("%w: hmtx shorter than its metrics", errHand)
	}
	cmap, err := table("cmap")
	if err != nil {
		return nil, err
	}
	n, _ := u16(cmap, 2)
	for i := 0; i < n && f.cmap == nil; i++ {
		platform, ok1 := u16(cmap, 4+8*i)
		encoding, ok2 := u16(cmap, 6+8*i)
		if !ok1 || !ok2 || 12+8*i > len(cmap) {
			break
		}
		off := int(binary.BigEndian.Uint32(cmap[8+8*i:]))
		if !(platform == 3 && encoding == 1 || platform == 0) {
			continue
		}
		if format, ok := u16(cmap, off); !ok || format != 4 {
			continue
		}
		l, _ := u16(cmap, off+2)
		if off+l > len(cmap) {
			return nil, fmt.Errorf("%w: cmap subtable out of the table", errHand)
		}
		sub := cmap[off : off+l]
		segsX2, _ := u16(sub, 6)
		if 16+4*segsX2 > len(sub) {
			return nil, fmt.Errorf("%w: cmap segments out of the subtable", errHand)
		}
		f.cmap, f.segs = sub, segsX2/2
	}
	if f.cmap == nil {
		return nil, fmt.Errorf("%w: no Unicode cmap of format 4", errHand)
	}
	return f, nil
}

// glyph is the glyph id of r, 0 when the font has none.
func (f *handFont) glyph(r rune) int {
	if r < 0 || r > 0xFFFF {
		return 0
	}
	c := int(r)
	at := func(i int) int { return int(binary.BigEndian.Uint16(f.cmap[i:])) }
	const ends = 14
	starts := ends + 2*f.segs + 2
	deltas := starts + 2*f.segs
	offsets := deltas + 2*f.segs
	// The first segment whose end is at least c.
	lo, hi := 0, f.segs
	for lo < hi {
		mid := (lo + hi) / 2
		if at(ends+2*mid) < c {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo == f.segs || at(starts+2*lo) > c {
		return 0
	}
	delta, ro := at(deltas+2*lo), at(offsets+2*lo)
	if ro == 0 {
		return (c + delta) & 0xFFFF
	}
	i := offsets + 2*lo + ro + 2*(c-at(starts+2*lo))
	if i+2 > len(f.cmap) {
		return 0
	}
	g := at(i)
	if g == 0 {
		return 0
	}
	return (g + delta) & 0xFFFF
}

// has tells whether the font has a glyph for r.
func (f *handFont) has(r rune) bool { return f.glyph(r) != 0 }

// width is the advance of r in thousandths of an em, rounded as gofpdf
// rounds it; 0 when the font has no glyph for r.
func (f *handFont) width(r rune) int {
	g := f.glyph(r)
	if g == 0 {
		return 0
	}
	g = min(g, f.numHMetrics-1) // glyphs past the metrics share the last advance
	adv := int(binary.BigEndian.Uint16(f.hmtx[4*g:]))
	if adv >= 1<<15 {
		adv = 0
	}
	return int(math.Round(1000 / float64(f.unitsPerEm) * float64(adv)))
}
