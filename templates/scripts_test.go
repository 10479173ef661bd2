package templates

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strings"
	"testing"
	"unicode/utf8"
)

// thaiName is the demo Thai operator's registered name: marks above and
// below, a tone mark on a tall consonant (ฟ้), leading vowels (โ ใ).
const thaiName = "บริษัท ฟ้าใส โมบาย จำกัด"

// fixtureThaiDisclosure is the fixture disclosure of a Thai operator.
func fixtureThaiDisclosure() *OperatorDisclosure {
	v := fixtureDisclosure()
	v.Operator, v.OperatorID = thaiName, "fahsai-mobile"
	v.Country, v.CountryName = "TH", "Thailand"
	return v
}

// textRun is one string a page draws and the font it is drawn in (the
// font's /BaseFont: gofpdf writes "utf8" and the family and style).
type textRun struct {
	font, text string
}

// pdfRuns lists the strings drawn on every page with their fonts, read
// from the content streams and the shared resource dictionary. Strings
// drawn one after the other in the same font on one line (within half the
// font size: a lifted Thai mark) are joined.
func pdfRuns(t *testing.T, b []byte) []textRun {
	t.Helper()
	var out []textRun
	lastY, lastSize := 0.0, 0.0
	for _, r := range pdfTj(t, b) {
		if n := len(out); n > 0 && out[n-1].font == r.font && r.size == lastSize && math.Abs(r.y-lastY) < r.size/2 {
			out[n-1].text += r.text
		} else {
			out = append(out, textRun{r.font, r.text})
		}
		lastY, lastSize = r.y, r.size
	}
	return out
}

// tj is one text-showing operator: its string, font and size, and the y
// of its Td.
type tj struct {
	font, text string
	size, y    float64
}

func pdfTj(t *testing.T, b []byte) []tj {
	t.Helper()
	f := indexPDF(b)
	root, _, err := f.object(1)
	if err != nil {
		t.Fatal(err)
	}
	kids, _ := root.(pdfDict)["Kids"].([]any)
	var out []tj
	for i, k := range kids {
		page, _ := f.resolve(k).(pdfDict)
		res, _ := f.resolve(page["Resources"]).(pdfDict)
		fonts, _ := f.resolve(res["Font"]).(pdfDict)
		dict, raw, err := f.stream(page["Contents"].(pdfRef).num)
		if err != nil {
			t.Fatal(err)
		}
		content, err := decode(dict, raw, 64<<20)
		if err != nil {
			t.Fatal(err)
		}
		l := &lexer{b: content}
		var operands []any
		font, size, y := "", 0.0, 0.0
		num := func(v any) float64 {
			switch n := v.(type) {
			case int64:
				return float64(n)
			case float64:
				return n
			}
			return 0
		}
		for {
			v, err := l.object(0)
			if err != nil {
				break
			}
			kw, isKw := v.(pdfKeyword)
			if !isKw {
				operands = append(operands, v)
				continue
			}
			switch {
			case kw == "Tf" && len(operands) == 2:
				name, _ := operands[0].(pdfName)
				fd, _ := f.resolve(fonts[string(name)]).(pdfDict)
				base, _ := fd["BaseFont"].(pdfName)
				if base == "" {
					t.Fatalf("page %d: font %s is not in the resources", i+1, name)
				}
				font, size = string(base), num(operands[1])
			case kw == "Td" && len(operands) == 2:
				y = num(operands[1])
			case kw == "Tj" && len(operands) > 0:
				s, _ := operands[len(operands)-1].([]byte)
				out = append(out, tj{font, utf16BE(s), size, y})
			}
			operands = operands[:0]
		}
	}
	return out
}

func isThai(r rune) bool { return r >= 0x0E00 && r <= 0x0E7F && r != '฿' }

func TestThaiOperatorName(t *testing.T) {
	pdf, err := RenderOperatorDisclosure(fixtureThaiDisclosure(), fixtureAttachment())
	if err != nil {
		t.Fatal(err)
	}
	again, err := RenderOperatorDisclosure(fixtureThaiDisclosure(), fixtureAttachment())
	if err != nil || !bytes.Equal(pdf, again) {
		t.Fatalf("two renders of the Thai disclosure differ (err %v)", err)
	}
	runs := pdfRuns(t, pdf)
	seen := map[string]int{} // font -> runs holding the whole name
	for _, r := range runs {
		for _, c := range r.text {
			if isThai(c) && !strings.HasPrefix(r.font, "utf8notosansthai") {
				t.Fatalf("Thai %q drawn in %s", r.text, r.font)
			}
			if !isThai(c) && c != ' ' && strings.HasPrefix(r.font, "utf8notosansthai") {
				t.Fatalf("non-Thai %q drawn in %s", r.text, r.font)
			}
		}
		if strings.Contains(r.text, thaiName) {
			seen[r.font]++
		}
	}
	// The cover title and the eight page headers are bold, the cover's
	// operator row regular.
	if seen["utf8notosansthaiB"] < 9 || seen["utf8notosansthai"] < 1 {
		t.Errorf("the name is drawn whole in %v, want the bold Thai font on the cover and every header and the regular one in the cover table", seen)
	}
	text, err := pdfText(pdf)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"(ledger id fahsai-mobile)", "Thailand (TH)", "Emissions (t CO₂e)", "≥ 4 h"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	if out, ok := byPdftotext(t, pdf, "-f", "1", "-l", "1"); ok {
		if !strings.Contains(out, thaiName) {
			t.Errorf("pdftotext does not show the Thai name:\n%.600s", out)
		}
	}
}

func TestNoThaiNoThaiFont(t *testing.T) {
	disclosure, sector := renderFixtures(t)
	for _, b := range [][]byte{disclosure, sector} {
		if bytes.Contains(b, []byte("notosansthai")) {
			t.Error("a document without Thai text carries the Thai font")
		}
	}
}

func TestThaiInTables(t *testing.T) {
	r := fixtureSector(12)
	long := strings.Repeat("ฟ้าใสโมบาย", 8) // a Thai word longer than its column
	r.Status[2].Operator = thaiName
	r.Status[3].Operator = long
	r.Metrics[0].Rows[0].Operator = thaiName
	pdf, err := RenderSectorReport(r, fixtureAttachment())
	if err != nil {
		t.Fatal(err)
	}
	var joined strings.Builder
	for _, run := range pdfRuns(t, pdf) {
		rs := []rune(run.text)
		if len(rs) > 0 && !mayBreak(append([]rune{'x'}, rs...), 1) && strings.HasPrefix(run.font, "utf8notosansthai") {
			// A run may start with a mark only when it continues a line;
			// the long word's lines are whole runs of their own.
			t.Errorf("a line starts with a mark or following vowel: %q", run.text)
		}
		joined.WriteString(run.text)
	}
	if !strings.Contains(joined.String(), thaiName) {
		t.Error("the Thai name is not in the filing status table")
	}
	if strings.Count(joined.String(), "ฟ้าใสโมบาย") < 8 {
		t.Error("the long Thai word lost text when it was wrapped")
	}
}

// cjkNames are operator names as operators in Japan, Korea, China and
// Hong Kong register them.
var cjkNames = []string{"株式会社さくらモバイル", "한국통신 주식회사", "中国移动通信集团有限公司", "香港電訊（HKT）"}

func isCJK(r rune) bool {
	return r >= 0x3000 && r <= 0x9FFF || r >= 0xAC00 && r <= 0xD7A3 || r >= 0xFF00 && r <= 0xFFEF
}

// TestCJKOperatorNames: from disclosure_v2 on, CJK names are drawn in
// Droid Sans Fallback.
func TestCJKOperatorNames(t *testing.T) {
	for _, name := range cjkNames {
		v := fixtureDisclosure()
		v.Operator = name
		pdf, err := RenderOperatorDisclosureV2(v, fixtureAttachment())
		if err != nil {
			t.Fatal(err)
		}
		again, err := RenderOperatorDisclosureV2(v, fixtureAttachment())
		if err != nil || !bytes.Equal(pdf, again) {
			t.Fatalf("%s: two renders differ (err %v)", name, err)
		}
		whole := 0
		for _, r := range pdfRuns(t, pdf) {
			for _, c := range r.text {
				if isCJK(c) != (r.font == "utf8droidsansfallback") && c != ' ' {
					t.Fatalf("%s: %q drawn in %s", name, r.text, r.font)
				}
			}
			if strings.Contains(r.text, strings.Split(name, "（")[0]) {
				whole++
			}
		}
		// The cover title, its table and the eight page headers.
		if whole < 10 {
			t.Errorf("%s: drawn whole %d times, want at least 10", name, whole)
		}
		if text, err := pdfText(pdf); err != nil || strings.Contains(text, "\uFFFD") || !strings.Contains(text, "disclosure_v2") {
			t.Errorf("%s: a replacement character in the document, or no disclosure_v2 (%v)", name, err)
		}
		if out, ok := byPdftotext(t, pdf, "-f", "1", "-l", "1"); ok {
			if !strings.Contains(out, name) {
				t.Errorf("pdftotext does not show %s:\n%.600s", name, out)
			}
		}
		// Only the glyphs drawn are embedded, not the 3.4 MB font.
		if len(pdf) > 400<<10 {
			t.Errorf("%s: the document is %d bytes", name, len(pdf))
		}
	}
}

func TestNoCJKNoCJKFont(t *testing.T) {
	disclosure, sector := renderFixtures(t)
	v2, err := RenderOperatorDisclosureV2(fixtureDisclosure(), fixtureAttachment())
	if err != nil {
		t.Fatal(err)
	}
	sectorV2, err := RenderSectorReportV2(fixtureSector(3), fixtureAttachment())
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"disclosure_v1": disclosure, "sector_v1": sector, "disclosure_v2": v2, "sector_v2": sectorV2} {
		if bytes.Contains(b, []byte("droidsansfallback")) {
			t.Errorf("%s without CJK text carries the CJK font", name)
		}
	}
	// The check above looks for the right name: a v2 document with a
	// Japanese operator carries it.
	withCJK := fixtureDisclosure()
	withCJK.Operator = cjkNames[0]
	cjk, err := RenderOperatorDisclosureV2(withCJK, fixtureAttachment())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(cjk, []byte("droidsansfallback")) {
		t.Error("a disclosure_v2 with a Japanese name does not carry the CJK font under the name this test looks for")
	}
}

// TestUncoveredScriptsShowReplacement: scripts no embedded font has are
// drawn as U+FFFD, never as blanks: Khmer in every version, and CJK in
// disclosure_v1, whose documents must keep rendering as issued.
func TestUncoveredScriptsShowReplacement(t *testing.T) {
	v := fixtureDisclosure()
	khmer := "ក្រុមហ៊ុន"
	v.Operator = khmer + " Sakura"
	pdf, err := RenderOperatorDisclosureV2(v, nil)
	if err != nil {
		t.Fatal(err)
	}
	text, err := pdfText(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, strings.Repeat("\uFFFD", utf8.RuneCountInString(khmer))+" Sakura") {
		t.Errorf("Khmer is not drawn as U+FFFD in disclosure_v2:\n%.400s", text)
	}
	v.Operator = "株式会社さくらモバイル Sakura"
	if text := disclosureText(t, v); !strings.Contains(text, strings.Repeat("\uFFFD", 11)+" Sakura") {
		t.Errorf("CJK is not drawn as U+FFFD in disclosure_v1:\n%.400s", text)
	}
}

func TestMixedWidths(t *testing.T) {
	d := newDoc(docMeta{ledgerTime: fixtureTime}, nil)
	d.pdf.AddPage()
	d.font(true, 9)
	whole := d.pdf.GetStringWidth("Mobile " + thaiName + " (TH)")
	parts := d.pdf.GetStringWidth("Mobile ") + d.pdf.GetStringWidth(thaiName) + d.pdf.GetStringWidth(" (TH)")
	if diff := whole - parts; diff > 1e-9 || diff < -1e-9 || whole <= d.pdf.GetStringWidth("Mobile  (TH)") {
		t.Errorf("width of the mixed string %.4f, of its parts %.4f", whole, parts)
	}
	// fit cuts a Thai name between clusters and ends it with an ellipsis.
	for w := 10.0; w < 40; w += 0.7 {
		s := d.fit(thaiName, w)
		if d.pdf.GetStringWidth(s) > w-2*d.pdf.GetCellMargin()+1e-9 {
			t.Errorf("fit(%v) = %q is too wide", w, s)
		}
		if rs := []rune(strings.TrimSuffix(s, "…")); !mayBreak(append(rs, 'x'), len(rs)) {
			t.Errorf("fit(%v) = %q cuts a cluster", w, s)
		}
	}
	if err := d.pdf.Error(); err != nil {
		t.Fatal(err)
	}
	if !utf8.ValidString(fmt.Sprint(d.wrap(thaiName, 20))) {
		t.Error("wrap broke a rune")
	}
}

func TestThaiPieces(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []piece
	}{
		{"กา", []piece{{"กา", 0}}},
		{"ที่", []piece{{"ที", 0}, {"่", thaiLiftStacked}}},
		{"น้ำ", []piece{{"น", 0}, {"้", thaiLiftStacked}, {"ำ", 0}}},
		{"ฟ้า", []piece{{"ฟ", 0}, {"้", thaiLiftTall}, {"า", 0}}},
		{"ปี้", []piece{{"ป", 0}, {"ี", thaiLiftTall}, {"้", thaiLiftTall + thaiLiftStacked}}},
		{"กั่ ป", []piece{{"กั", 0}, {"่", thaiLiftStacked}, {" ป", 0}}},
	} {
		got := thaiPieces(c.in)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("thaiPieces(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

// TestFaceAfterPageBreak: gofpdf restores the font after the header and
// footer of a new page behind SetFont's back; the selected face must
// follow, or Thai text after a page break is drawn at the wrong weight
// and size.
func TestFaceAfterPageBreak(t *testing.T) {
	d := newDoc(docMeta{ledgerTime: fixtureTime}, nil)
	d.pdf.AddPage()
	d.font(true, 7)
	d.pdf.AddPage()
	if d.pdf.cur != &d.pdf.sansBold || d.pdf.size != 7 {
		t.Errorf("after a page break the selected face is %s %q %v, want the bold at 7", d.pdf.cur.family, d.pdf.cur.style, d.pdf.size)
	}
	// An automatic break inside a cell of Thai text.
	d.mono(6)
	d.pdf.SetY(bottomY - 1)
	d.pdf.CellFormat(contentW, 5, thaiName, "", 1, "L", false, 0, "")
	if d.pdf.cur != &d.pdf.mono || d.pdf.size != 6 || d.pdf.PageNo() != 3 {
		t.Errorf("after an automatic break: %s %q %v on page %d", d.pdf.cur.family, d.pdf.cur.style, d.pdf.size, d.pdf.PageNo())
	}
	if err := d.pdf.Error(); err != nil {
		t.Fatal(err)
	}
}

// FuzzWrap: wrapping keeps every character but the spaces it breaks at,
// never starts a line inside a cluster, and keeps lines within the column
// unless one cluster is wider.
func FuzzWrap(f *testing.F) {
	for _, s := range []string{thaiName, "Viễn thông Đà Nẵng " + thaiName, strings.Repeat("ที่น้ำ", 20), "a\u0301b ไก่ x", "株式会社 CO₂ ≥"} {
		f.Add(s, 20.0)
	}
	d := newDoc(docMeta{ledgerTime: fixtureTime}, nil)
	d.pdf.AddPage()
	d.font(false, 7)
	f.Fuzz(func(t *testing.T, s string, w float64) {
		if w < 5 || w > 200 || len(s) > 400 {
			return
		}
		s = clean(s)
		lines := d.wrap(s, w)
		strip := func(s string) string { return strings.NewReplacer(" ", "", "\n", "").Replace(s) }
		if got, want := strip(strings.Join(lines, "")), strip(s); got != want {
			t.Fatalf("wrap lost text: %q from %q", got, want)
		}
		for _, l := range lines {
			rs := []rune(l)
			if len(rs) > 0 && !mayBreak(append([]rune{'x'}, rs...), 1) && rs[0] != ' ' {
				// A line may start with a mark only where the text does
				// or after a space it broke at.
				if !strings.HasPrefix(strings.TrimLeft(s, " "), l) && !strings.Contains(s, " "+l) && !strings.Contains(s, "\n"+l) {
					t.Errorf("line starts inside a cluster: %q", l)
				}
			}
			if d.pdf.GetStringWidth(l) > w-2*d.pdf.GetCellMargin()+1e-9 {
				n := 1
				for n < len(rs) && !mayBreak(rs, n) {
					n++
				}
				if n < len(rs) {
					t.Errorf("line %q is %.2f mm wide in a %.2f mm column", l, d.pdf.GetStringWidth(l), w)
				}
			}
		}
	})
}

// byPdftotext is the text poppler's pdftotext, run with args, reads from
// pdf (an independent reader of the fonts' ToUnicode maps); false when
// pdftotext is not installed, which CI (CI set) does not allow.
func byPdftotext(t *testing.T, pdf []byte, args ...string) (string, bool) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but pdftotext is missing")
		}
		return "", false
	}
	cmd := exec.Command("pdftotext", append(args, "-", "-")...)
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out), true
}
