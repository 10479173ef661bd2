package templates

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/jung-kurt/gofpdf"
)

// Text in several scripts. gofpdf draws a string in one font, and DejaVu
// has no Thai and no CJK, so pdfWriter cuts every string it draws or
// measures into runs, each drawn in the first face that has glyphs for
// it: the face selected (DejaVu Sans, Sans Bold or Sans Mono), then DejaVu
// Sans, then Noto Sans Thai in the selected weight, then, from template
// versions disclosure_v2 and sector_v2 on, Droid Sans Fallback (Chinese,
// Japanese, Korean; one weight, so bold CJK is drawn regular). A
// character that none has is drawn as U+FFFD in the selected face.
//
// A string that the selected face covers, which is every string of a
// document without Thai, CJK or other uncovered text, goes to gofpdf
// unchanged, so such documents keep their bytes. A fallback face is added
// to the document when it first draws a run: a document without Thai
// carries no Thai font, one without CJK no CJK font, and gofpdf does not
// parse them for it (the CJK font is 3.4 MB; a document embeds only the
// glyphs it draws).

// face is one font a document can use.
type face struct {
	family, style string
	ttf           []byte
	sfnt          *sfntFont
	added         bool // registered with gofpdf (the DejaVu faces always are)
}

// pdfWriter is gofpdf with the script fallback in the methods that draw or
// measure text: CellFormat, MultiCell, Text and GetStringWidth. Every
// other method is gofpdf's. Select fonts with SetFont, which must name
// one of the faces.
type pdfWriter struct {
	*gofpdf.Fpdf
	sans, sansBold, mono, thai, thaiBold, cjk face
	withCJK                                   bool    // whether the template draws CJK (drawsCJK)
	cur                                       *face   // the face SetFont selected
	size                                      float64 // and its size in points
}

func newPDFWriter(pdf *gofpdf.Fpdf, withCJK bool) *pdfWriter {
	w := &pdfWriter{
		Fpdf:     pdf,
		withCJK:  withCJK,
		sans:     face{family: famSans, ttf: fontSans, added: true},
		sansBold: face{family: famSans, style: "B", ttf: fontSansBold, added: true},
		mono:     face{family: famMono, ttf: fontMono, added: true},
		thai:     face{family: famThai, ttf: fontThai},
		thaiBold: face{family: famThai, style: "B", ttf: fontThaiBold},
		cjk:      face{family: famCJK, ttf: fontCJK},
	}
	w.cur = &w.sans
	for _, f := range w.faces() {
		s, err := parseSFNT(f.ttf)
		if err != nil {
			pdf.SetError(fmt.Errorf("font %s %s: %w", f.family, f.style, err))
			return w
		}
		f.sfnt = s
		if f.added {
			pdf.AddUTF8FontFromBytes(f.family, f.style, bytes.Clone(f.ttf))
		}
	}
	return w
}

// drawsCJK says whether documents of a template version draw Chinese,
// Japanese and Korean text. The first versions printed U+FFFD for it, and
// their documents must render as issued for as long as they verify.
func drawsCJK(template string) bool {
	return template != OperatorTemplateVersion && template != SectorTemplateVersion
}

func (w *pdfWriter) faces() []*face {
	return []*face{&w.sans, &w.sansBold, &w.mono, &w.thai, &w.thaiBold, &w.cjk}
}

// SetFont selects a face and size, as gofpdf's SetFont.
func (w *pdfWriter) SetFont(family, style string, size float64) {
	w.Fpdf.SetFont(family, style, size)
	for _, f := range w.faces() {
		if f.family == family && f.style == style {
			w.cur = f
		}
	}
	if size != 0 {
		w.size = size
	}
}

// keepFace returns a function that sets the selected face and size back
// to the present ones. Page headers and footers change fonts, and gofpdf
// restores the font after them without calling SetFont: they defer it.
func (w *pdfWriter) keepFace() func() {
	cur, size := w.cur, w.size
	return func() { w.cur, w.size = cur, size }
}

// run is a piece of a string drawn in one face.
type run struct {
	f    *face
	text string
}

// runs cuts s into runs. It returns nil when the selected face draws s as
// it is.
func (w *pdfWriter) runs(s string) []run {
	if w.Error() != nil {
		return nil
	}
	covered := true // by the selected face: the common case, without allocating
	for _, r := range s {
		if r >= 0x80 && !w.cur.sfnt.has(r) {
			covered = false
			break
		}
	}
	if covered {
		return nil
	}
	rs := []rune(s)
	fs := make([]*face, len(rs))
	changed := false
	fallback := &w.thai
	if w.cur.style == "B" {
		fallback = &w.thaiBold
	}
	for i, r := range rs {
		switch {
		case r < 0x80 || w.cur.sfnt.has(r):
			fs[i] = w.cur
		case w.sans.sfnt.has(r):
			fs[i] = &w.sans
		case fallback.sfnt.has(r):
			fs[i] = fallback
		case w.withCJK && w.cjk.sfnt.has(r):
			fs[i] = &w.cjk
		default:
			fs[i] = w.cur
			rs[i] = '\uFFFD'
			if !w.cur.sfnt.has(rs[i]) {
				rs[i] = '?'
			}
		}
		changed = changed || fs[i] != w.cur || rs[i] != r
	}
	if !changed {
		return nil
	}
	// A space between two runs of the same face belongs to them: a Thai
	// name with spaces stays one run.
	for i := 0; i < len(rs); i++ {
		if rs[i] != ' ' {
			continue
		}
		j := i
		for j < len(rs) && rs[j] == ' ' {
			j++
		}
		if i > 0 && j < len(rs) && fs[i-1] == fs[j] && fs[j].sfnt.has(' ') {
			for k := i; k < j; k++ {
				fs[k] = fs[j]
			}
		}
		i = j
	}
	var out []run
	start := 0
	for i := 1; i <= len(rs); i++ {
		if i == len(rs) || fs[i] != fs[start] {
			out = append(out, run{f: fs[start], text: string(rs[start:i])})
			start = i
		}
	}
	return out
}

// width is the width of a run in the current size, in user units.
func (w *pdfWriter) width(r run) float64 {
	if r.f == w.cur {
		return w.Fpdf.GetStringWidth(r.text)
	}
	// gofpdf's sum for a font that is not selected: thousandths of an em,
	// a missing glyph counting as 0.
	n := 0
	for _, c := range r.text {
		n += r.f.sfnt.width(c)
	}
	return float64(n) * w.size / w.GetConversionRatio() / 1000
}

// use selects the face of a run for drawing, adding it to the document
// the first time.
func (w *pdfWriter) use(f *face) {
	if !f.added {
		w.Fpdf.AddUTF8FontFromBytes(f.family, f.style, bytes.Clone(f.ttf))
		f.added = true
	}
	w.Fpdf.SetFont(f.family, f.style, w.size)
}

// GetStringWidth is the width of s in the current font and size, each run
// measured in its face.
func (w *pdfWriter) GetStringWidth(s string) float64 {
	rs := w.runs(s)
	if rs == nil {
		return w.Fpdf.GetStringWidth(s)
	}
	sum := 0.0
	for _, r := range rs {
		sum += w.width(r)
	}
	return sum
}

// CellFormat draws a cell as gofpdf does, the text in runs: the box first
// (page break, fill and border), then each run at its place in the
// alignment. Links cover the whole text.
func (w *pdfWriter) CellFormat(cw, h float64, s, border string, ln int, align string, fill bool, link int, linkStr string) {
	rs := w.runs(s)
	if rs == nil {
		w.Fpdf.CellFormat(cw, h, s, border, ln, align, fill, link, linkStr)
		return
	}
	if len(rs) == 1 && rs[0].f == w.cur {
		w.Fpdf.CellFormat(cw, h, rs[0].text, border, ln, align, fill, link, linkStr)
		return
	}
	if cw == 0 {
		pw, _ := w.GetPageSize()
		_, _, right, _ := w.GetMargins()
		cw = pw - right - w.GetX()
	}
	w.Fpdf.CellFormat(cw, h, "", border, 0, "", fill, 0, "")
	x0, y0 := w.GetX()-cw, w.GetY()
	total := 0.0
	widths := make([]float64, len(rs))
	for i, r := range rs {
		widths[i] = w.width(r)
		total += widths[i]
	}
	cm := w.GetCellMargin()
	x := x0 + cm
	switch {
	case strings.Contains(align, "R"):
		x = x0 + cw - cm - total
	case strings.Contains(align, "C"):
		x = x0 + (cw-total)/2
	}
	if link > 0 {
		w.Link(x, y0, total, h, link)
	}
	if linkStr != "" {
		w.LinkString(x, y0, total, h, linkStr)
	}
	// The baseline where gofpdf puts it in a cell (vertical alignment
	// flags are not supported here: no layout uses them).
	base := y0 + h/2 + 0.3*w.size/w.GetConversionRatio()
	cur := w.cur
	for i, r := range rs {
		w.use(r.f)
		w.draw(x, base, r)
		x += widths[i]
	}
	w.use(cur)
	switch ln {
	case 0:
		w.SetXY(x0+cw, y0)
	case 1:
		w.SetXY(w.lMargin(), y0+h)
	default:
		w.SetXY(x0, y0+h)
	}
}

func (w *pdfWriter) lMargin() float64 {
	l, _, _, _ := w.GetMargins()
	return l
}

// Text draws s with its baseline starting at x, y, run after run.
func (w *pdfWriter) Text(x, y float64, s string) {
	rs := w.runs(s)
	if rs == nil {
		w.Fpdf.Text(x, y, s)
		return
	}
	widths := make([]float64, len(rs)) // measured while the selected face is set
	for i, r := range rs {
		widths[i] = w.width(r)
	}
	cur := w.cur
	for i, r := range rs {
		w.use(r.f)
		w.draw(x, y, r)
		x += widths[i]
	}
	w.use(cur)
}

// draw draws a run in its face, selected, with its baseline starting at
// x, y: Thai in pieces (see thaiPieces), the rest in one piece.
func (w *pdfWriter) draw(x, y float64, r run) {
	if r.f != &w.thai && r.f != &w.thaiBold {
		w.Fpdf.Text(x, y, r.text)
		return
	}
	em := w.size / w.GetConversionRatio()
	ps := thaiPieces(r.text)
	if len(ps) > 1 {
		// Readers put lifted marks where they see them, not always after
		// the vowel they sit on: the span says what the pieces read as.
		w.RawWriteStr("/Span <</ActualText <FEFF" + hex.EncodeToString(utf16BEBytes(r.text)) + ">>> BDC")
	}
	for _, p := range ps {
		w.Fpdf.Text(x, y-p.rise*em, p.text)
		x += w.width(run{f: r.f, text: p.text})
	}
	if len(ps) > 1 {
		w.RawWriteStr("EMC")
	}
}

// utf16BEBytes encodes s as big-endian UTF-16.
func utf16BEBytes(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

// MultiCell draws s wrapped to lines of cells cw wide, as gofpdf does;
// text with runs is wrapped by wrap and drawn line by line, the border
// drawn around each line.
func (w *pdfWriter) MultiCell(cw, h float64, s, border, align string, fill bool) {
	if w.runs(s) == nil {
		w.Fpdf.MultiCell(cw, h, s, border, align, fill)
		return
	}
	if cw == 0 {
		pw, _ := w.GetPageSize()
		_, _, right, _ := w.GetMargins()
		cw = pw - right - w.GetX()
	}
	x := w.GetX()
	for _, l := range w.wrap(s, cw) {
		w.SetX(x)
		w.CellFormat(cw, h, l, border, 2, align, fill, 0, "")
	}
	w.SetX(w.lMargin())
}

// wrap splits text into lines no wider than cw mm in the current font
// (less the cell margins), breaking at spaces and, for longer words,
// between any two characters that may be split (see mayBreak).
func (w *pdfWriter) wrap(text string, cw float64) []string { return w.wrapWords(text, cw, false) }

// wrapWords is wrap; with atDots, a word wider than the column is cut
// after its last dot that fits, when it has one, so that a field's path
// ("resilience.emergency_free_service_events") breaks between its parts
// and not within a name.
func (w *pdfWriter) wrapWords(text string, cw float64, atDots bool) []string {
	cw -= 2 * w.GetCellMargin()
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Split(para, " ") {
			cand := word
			if line != "" {
				cand = line + " " + word
			}
			if w.GetStringWidth(cand) <= cw {
				line = cand
				continue
			}
			if line != "" {
				lines = append(lines, line)
				line = ""
			}
			// Cut a word wider than the column: the longest prefix that
			// fits (at least one cluster) on each line.
			rs := []rune(word)
			for len(rs) > 1 {
				n := w.fitRunes(rs, cw, "")
				if n >= len(rs) {
					break
				}
				if atDots {
					n = afterLastDot(rs[:n], n)
				}
				if n == 0 {
					n = 1
					for n < len(rs) && !mayBreak(rs, n) {
						n++
					}
					if n == len(rs) {
						break
					}
				}
				lines = append(lines, string(rs[:n]))
				rs = rs[n:]
			}
			line = string(rs)
		}
		lines = append(lines, line)
	}
	return lines
}

// afterLastDot is the index just after the last dot of rs that has
// something before it, or n when rs has none.
func afterLastDot(rs []rune, n int) int {
	for i := len(rs) - 1; i > 0; i-- {
		if rs[i] == '.' {
			return i + 1
		}
	}
	return n
}

// fitRunes is the largest n such that rs[:n] + suffix is at most cw mm
// wide and rs may be cut before rs[n] (0 if none), found by bisection:
// widths grow with n. No line of the page holds maxLineRunes, which
// bounds the work on long input.
func (w *pdfWriter) fitRunes(rs []rune, cw float64, suffix string) int {
	const maxLineRunes = 1000
	lo, hi := 0, min(len(rs), maxLineRunes)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if w.GetStringWidth(string(rs[:mid])+suffix) <= cw {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	for lo > 0 && !mayBreak(rs, lo) {
		lo--
	}
	return lo
}

// mayBreak tells whether a line may end before rs[i]: not before a
// combining mark or a Thai vowel that follows its consonant (ะ า ำ ๅ),
// and not after a Thai vowel written before its consonant (เ แ โ ใ ไ).
// gofpdf does no shaping, so this is the whole of the rule; Thai words,
// which are not separated by spaces, are cut where the line is full.
func mayBreak(rs []rune, i int) bool {
	if i <= 0 || i >= len(rs) {
		return true
	}
	r, prev := rs[i], rs[i-1]
	switch {
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc):
		return false
	case r == 'ะ' || r == 'า' || r == 'ำ' || r == 'ๅ':
		return false
	case prev >= 'เ' && prev <= 'ไ':
		return false
	}
	return true
}

// Thai marks without shaping. Noto Sans Thai places its marks with
// OpenType positioning, which gofpdf does not apply: unshaped, a mark
// above sits at the height of an upper vowel, so a tone mark over an
// upper vowel (ที่) or over the nikhahit of sara am (น้ำ) lands on it,
// and a mark above a tall consonant (ป ฝ ฟ ฬ) runs into its ascender.
// thaiPieces lifts those marks, drawn as pieces of their own. Fonts shift
// marks left of a tall ascender; a lift keeps each mark at its logical
// place, so text extraction still reads the marks in order.
const (
	thaiLiftStacked = 0.20 // em, a mark over another mark
	thaiLiftTall    = 0.18 // em, a mark over a tall consonant
)

// piece is part of a Thai run drawn rise em above the baseline.
type piece struct {
	text string
	rise float64
}

func thaiPieces(s string) []piece {
	var out []piece
	add := func(r rune, rise float64) {
		if n := len(out); n > 0 && out[n-1].rise == rise {
			out[n-1].text += string(r)
			return
		}
		out = append(out, piece{text: string(r), rise: rise})
	}
	rs := []rune(s)
	tall, above := false, false // the cluster's consonant is tall; a mark is above it already
	for i, r := range rs {
		if !thaiAbove(r) {
			tall = r == 'ป' || r == 'ฝ' || r == 'ฟ' || r == 'ฬ'
			above = false
			add(r, 0)
			continue
		}
		rise := 0.0
		if tall {
			rise += thaiLiftTall
		}
		// A tone mark before sara am sits over its nikhahit.
		if above || i+1 < len(rs) && rs[i+1] == 'ำ' && thaiTone(r) {
			rise += thaiLiftStacked
		}
		above = true
		add(r, rise)
	}
	return out
}

// thaiAbove tells whether r is a Thai mark drawn above its consonant.
func thaiAbove(r rune) bool {
	return r == '\u0E31' || r >= '\u0E34' && r <= '\u0E37' || r >= '\u0E47' && r <= '\u0E4E'
}

// thaiTone tells whether r is a tone mark or thanthakhat.
func thaiTone(r rune) bool { return r >= '\u0E48' && r <= '\u0E4C' }
