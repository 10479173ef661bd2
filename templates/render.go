package templates

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/jung-kurt/gofpdf"
)

// The fonts, embedded so that every document carries the glyphs it uses:
// DejaVu (Bitstream Vera licence, fonts/LICENSE) for Latin, Greek,
// Cyrillic and symbols, Noto Sans Thai (SIL Open Font License,
// fonts/LICENSE-NotoSansThai) for Thai and Droid Sans Fallback (Apache
// License 2.0, fonts/LICENSE-DroidSansFallback) for Chinese, Japanese and
// Korean (template versions disclosure_v2 and sector_v2), each added to a
// document only when it has text in that script, and then only the glyphs
// it draws (scripts.go). Characters no font has print as U+FFFD
// (fonts/README.md).
var (
	//go:embed fonts/DejaVuSans.ttf
	fontSans []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontSansBold []byte
	//go:embed fonts/DejaVuSansMono.ttf
	fontMono []byte
	//go:embed fonts/NotoSansThai-Regular.ttf
	fontThai []byte
	//go:embed fonts/NotoSansThai-Bold.ttf
	fontThaiBold []byte
	//go:embed fonts/DroidSansFallback.ttf
	fontCJK []byte
)

// Page geometry, in mm (A4 portrait).
const (
	pageW    = 210.0
	pageH    = 297.0
	marginL  = 15.0
	marginR  = 15.0
	marginT  = 20.0
	marginB  = 16.0
	contentW = pageW - marginL - marginR
	bottomY  = pageH - marginB
	pageBody = bottomY - marginT // the height between the margins

	famSans = "dejavu"
	famMono = "dejavumono"
	famThai = "notosansthai"
	famCJK  = "droidsansfallback"

	// nbAlias is replaced by the page count when the document is written.
	nbAlias = "{nb}"
)

// AttachmentName is the file name of the JSON attachment every document
// carries: entries, inclusion proofs and checkpoint, for offline checks.
const AttachmentName = "ictledger-proof.json"

// errNoLedgerTime refuses a view model without a document date: gofpdf
// would put the clock's time in its place, and the bytes would differ on
// every render.
var errNoLedgerTime = errors.New("render pdf: the view model has no ledger time")

// docMeta is what every page of a document repeats.
type docMeta struct {
	title      string // header: operator name, or "Sector report"
	period     string
	root       string // checkpoint root hash, shown as a prefix in the footer
	size       uint64 // checkpoint tree size
	template   string // template version
	subject    string // PDF /Title
	ledgerTime time.Time
}

// doc is a PDF under construction with the house style: header and footer
// on every page, headings, paragraphs and tables that break across pages.
// gofpdf errors are sticky: doc never checks them, bytes() does once.
type doc struct {
	pdf  *pdfWriter
	meta docMeta
	// headingNote, when set, is drawn under the next section heading and
	// then cleared (disclosure_v4: a section's pointer to its unavailable
	// figures, kept with the heading).
	headingNote string
	// sources numbers the factors' sources of a disclosure_v4 document;
	// nil in earlier layouts, which print each source in full.
	sources *sourceList
	// keepAfter, when above 0, is the room in mm a table keeps under its
	// last row for the note that follows it (tableNote, disclosure_v4).
	keepAfter float64
}

func newDoc(meta docMeta, attachment []byte) *doc {
	pdf := gofpdf.NewCustom(&gofpdf.InitType{UnitStr: "mm", SizeStr: "A4", OrientationStr: "P"})
	pdf.SetCatalogSort(true)
	t := meta.ledgerTime.UTC()
	pdf.SetCreationDate(t)
	pdf.SetModificationDate(t)
	pdf.SetCompression(true)
	pdf.SetTitle(clean(meta.subject), true)
	pdf.SetAuthor("ictledger", true)
	pdf.SetCreator("ictledger "+meta.template, true)
	pdf.SetProducer("ictledger templates (gofpdf 1.16.2)", true)
	d := &doc{pdf: newPDFWriter(pdf, drawsCJK(meta.template)), meta: meta} // adds the DejaVu fonts
	pdf.SetMargins(marginL, marginT, marginR)
	pdf.SetAutoPageBreak(true, marginB)
	pdf.AliasNbPages(nbAlias)
	pdf.SetHeaderFuncMode(d.header, true)
	pdf.SetFooterFunc(d.footer)
	pdf.SetAttachments([]gofpdf.Attachment{{
		Content:     attachment,
		Filename:    AttachmentName,
		Description: "ictledger verification data: entries, inclusion proofs and checkpoint",
	}})
	d.font(false, 8)
	return d
}

// bytes finishes the document and returns it, or the first error gofpdf
// met while drawing.
func (d *doc) bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := d.pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("render pdf: %w", err)
	}
	return b.Bytes(), nil
}

// namedBytes is bytes with the attachment's file name in its /F as well
// as its /UF (nameAttachment), as the layouts from disclosure_v4,
// sector_v3 and region_v1 on write it.
func (d *doc) namedBytes() ([]byte, error) {
	b, err := d.bytes()
	if err != nil {
		return nil, err
	}
	return nameAttachment(b, AttachmentName)
}

func (d *doc) header() {
	defer d.pdf.keepFace()()
	p := d.pdf
	p.SetY(9)
	d.font(true, 8)
	d.gray(40)
	p.CellFormat(contentW*0.75, 4, d.fit(d.meta.title+" · "+d.meta.period, contentW*0.75), "", 0, "L", false, 0, "")
	// "page N of M": M is only known at output, where the alias is
	// replaced, so "page N of " ends where a two-digit M starts.
	d.font(false, 8)
	mw := p.GetStringWidth("00")
	pre := fmt.Sprintf("page %d of ", p.PageNo())
	right := pageW - marginR
	p.Text(right-mw-p.GetStringWidth(pre), 12, pre)
	p.Text(right-mw, 12, nbAlias)
	p.SetDrawColor(150, 150, 150)
	p.SetLineWidth(0.2)
	p.Line(marginL, 14, pageW-marginR, 14)
	d.gray(0)
}

func (d *doc) footer() {
	defer d.pdf.keepFace()()
	p := d.pdf
	p.SetDrawColor(150, 150, 150)
	p.SetLineWidth(0.2)
	p.Line(marginL, pageH-12, pageW-marginR, pageH-12)
	p.SetXY(marginL, pageH-11)
	d.font(false, 6.5)
	d.gray(80)
	root := d.meta.root
	if len(root) > 16 {
		root = root[:16] + "…"
	}
	p.CellFormat(contentW*0.7, 3.5, d.fit(fmt.Sprintf("Checkpoint root %s (tree size %d)", root, d.meta.size), contentW*0.7), "", 0, "L", false, 0, "")
	p.CellFormat(contentW*0.3, 3.5, d.fit("ictledger · "+d.meta.template, contentW*0.3), "", 0, "R", false, 0, "")
	d.gray(0)
}

func (d *doc) font(bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	d.pdf.SetFont(famSans, style, size)
}

func (d *doc) mono(size float64) { d.pdf.SetFont(famMono, "", size) }

func (d *doc) gray(v int) { d.pdf.SetTextColor(v, v, v) }

// space is the room left on the page below the current position.
func (d *doc) space() float64 { return bottomY - d.pdf.GetY() }

// need starts a new page unless h mm are left.
func (d *doc) need(h float64) {
	if d.space() < h {
		d.pdf.AddPage()
	}
}

// heading starts a section: a bookmark and a bold title, on a new page
// when less than minBody mm would be left under it.
func (d *doc) heading(title string, minBody float64) {
	d.need(9 + minBody)
	p := d.pdf
	if p.GetY() > marginT+1 {
		p.Ln(3)
	}
	d.font(true, 12)
	p.Bookmark(clean(title), 0, -1)
	p.CellFormat(contentW, 6, clean(title), "", 1, "L", false, 0, "")
	p.Ln(1.5)
	d.font(false, 8)
	if n := d.headingNote; n != "" {
		d.headingNote = ""
		d.note(n)
	}
}

// subheading titles a block within a section.
func (d *doc) subheading(title string, minBody float64) {
	if d.v4() {
		// Room for a table's header and first rows, so that the title
		// does not end a page alone.
		minBody = max(minBody, minBodyV4)
	}
	d.need(6 + minBody)
	p := d.pdf
	p.Ln(1.5)
	d.font(true, 9)
	p.CellFormat(contentW, 4.5, clean(title), "", 1, "L", false, 0, "")
	p.Ln(0.5)
	d.font(false, 8)
}

// minBodyV4 is the least room, in mm, disclosure_v4 keeps under a
// subheading: a table header and two rows of three lines.
const minBodyV4 = 26.0

// para writes wrapped text at the given size.
func (d *doc) para(text string, size float64) {
	d.font(false, size)
	d.pdf.MultiCell(contentW, size*0.45, clean(text), "", "L", false)
	d.font(false, 8)
}

// note writes a small grey line, e.g. a caption or "no data for ...".
func (d *doc) note(text string) {
	d.gray(90)
	d.para(text, 7)
	d.gray(0)
}

// monoBlock writes preformatted lines in the monospace font, spaces kept,
// breaking lines wider than the page.
func (d *doc) monoBlock(lines []string) {
	p := d.pdf
	perLine := d.monoColumns()
	for _, l := range lines {
		rs := []rune(clean(l))
		for len(rs) > 0 || l == "" {
			n := min(perLine, len(rs))
			d.need(monoLine)
			p.CellFormat(contentW, monoLine, string(rs[:n]), "", 1, "L", false, 0, "")
			rs = rs[n:]
			if l == "" {
				break
			}
		}
	}
	d.font(false, 8)
}

// monoHeight is the height monoBlock takes for lines, each wrapped as
// it wraps them.
func (d *doc) monoHeight(lines []string) float64 {
	defer d.font(false, 8)
	perLine := d.monoColumns()
	n := 0
	for _, l := range lines {
		n += max((len([]rune(clean(l)))+perLine-1)/perLine, 1)
	}
	return monoLine * float64(n)
}

// monoLine is the height in mm of a line of monoBlock.
const monoLine = 2.9

// monoColumns sets monoBlock's font and is how many of its characters
// fit on a line.
func (d *doc) monoColumns() int {
	p := d.pdf
	d.mono(6.5)
	return max(int((contentW-2*p.GetCellMargin())/p.GetStringWidth("0")), 1)
}

// wrap splits text into lines no wider than w mm in the current font,
// breaking at spaces and, for longer words, anywhere a line may break.
//
// disclosure_v4 cuts a word with dots (a field's path) only after a dot
// when one fits; earlier layouts keep cutting where the line is full.
func (d *doc) wrap(text string, w float64) []string { return d.pdf.wrapWords(text, w, d.v4()) }

// fit cleans text for one line of a cell w mm wide, cutting it with an
// ellipsis when it is too long.
func (d *doc) fit(text string, w float64) string {
	s := strings.ReplaceAll(clean(text), "\n", " ")
	w -= 2 * d.pdf.GetCellMargin()
	if d.pdf.GetStringWidth(s) <= w {
		return s
	}
	rs := []rune(s)
	return string(rs[:d.pdf.fitRunes(rs, w, "…")]) + "…"
}

// clean makes caller text safe to draw: valid UTF-8, control characters
// and characters outside the Basic Multilingual Plane (which gofpdf cannot
// encode) replaced by U+FFFD, and the page-count alias defused.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r > 0xFFFF || (unicode.IsControl(r) && r != '\n') {
			return '\uFFFD'
		}
		return r
	}, s)
	return strings.ReplaceAll(s, nbAlias, "{n b}")
}
