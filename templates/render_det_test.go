package templates

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSameInputSameBytes(t *testing.T) {
	first, firstSector := renderFixtures(t)
	// Several renders, so that anything hanging on map iteration order
	// has its chance to show.
	for i := 0; i < 5; i++ {
		again, againSector := renderFixtures(t)
		if !bytes.Equal(first, again) {
			t.Fatalf("render %d of the same disclosure gave different bytes", i+2)
		}
		if !bytes.Equal(firstSector, againSector) {
			t.Fatalf("render %d of the same sector report gave different bytes", i+2)
		}
	}
	if bytes.Contains(first, []byte("/ID [")) {
		t.Error("the trailer carries a file /ID")
	}
	if !bytes.Contains(first, []byte("/CreationDate (D:20251114093012)")) {
		t.Error("creation date is not the ledger time")
	}
}

func TestDifferentInputDifferentBytes(t *testing.T) {
	base, _ := renderFixtures(t)
	for name, change := range map[string]func(*OperatorDisclosure) []byte{
		"value": func(v *OperatorDisclosure) []byte {
			v.E1.Scope1 = dv("890.6")
			return fixtureAttachment()
		},
		"ledger time": func(v *OperatorDisclosure) []byte {
			v.LedgerTime = v.LedgerTime.Add(time.Second)
			return fixtureAttachment()
		},
		"attachment": func(v *OperatorDisclosure) []byte {
			return append(fixtureAttachment(), ' ')
		},
	} {
		t.Run(name, func(t *testing.T) {
			v := fixtureDisclosure()
			att := change(v)
			got, err := RenderOperatorDisclosure(v, att)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(base, got) {
				t.Error("a different input gave the same bytes")
			}
		})
	}
}

func TestAttachmentRoundTrip(t *testing.T) {
	// Bytes that need escaping or would end a PDF string or stream.
	att := []byte("{\"note\":\"(unbalanced \\\\ paren\",\"end\":\"endstream endobj\"}\r\n\x00\xff")
	v := fixtureDisclosure()
	pdf, err := RenderOperatorDisclosure(v, att)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ExtractAttachment(pdf, AttachmentName)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, att) {
		t.Fatalf("got %q, want %q", got, att)
	}
	sector, err := RenderSectorReport(fixtureSector(3), att)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ExtractAttachment(sector, AttachmentName); err != nil || !bytes.Equal(got, att) {
		t.Fatalf("sector report: got %q, %v", got, err)
	}
	if _, err := ExtractAttachment(pdf, "other.json"); !errors.Is(err, ErrNoAttachment) {
		t.Errorf("another name: got %v, want ErrNoAttachment", err)
	}
	empty, err := RenderOperatorDisclosure(v, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ExtractAttachment(empty, AttachmentName); err != nil || len(got) != 0 {
		t.Errorf("empty attachment: got %q, %v", got, err)
	}
}

func TestExtractAttachmentRejectsDamage(t *testing.T) {
	pdf, _ := renderFixtures(t)
	i := bytes.Index(pdf, []byte("/Type /EmbeddedFile"))
	if i < 0 {
		t.Fatal("no embedded file in the fixture")
	}
	s := bytes.Index(pdf[i:], []byte("stream\n")) + i + len("stream\n")
	flipped := bytes.Clone(pdf)
	flipped[s+5] ^= 0x20
	for name, b := range map[string][]byte{
		"empty":            nil,
		"not a pdf":        []byte("hello"),
		"header only":      []byte("%PDF-1.3\n"),
		"truncated stream": pdf[:s+3],
		"flipped byte":     flipped,
	} {
		if _, err := ExtractAttachment(b, AttachmentName); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// Every prefix length class and a few byte flips: errors, no panics.
	for n := 0; n < len(pdf); n += 997 {
		_, _ = ExtractAttachment(pdf[:n], AttachmentName)
		c := bytes.Clone(pdf)
		c[n] ^= 0xff
		_, _ = ExtractAttachment(c, AttachmentName)
	}
}

func TestExtractAttachmentBoundedWork(t *testing.T) {
	// Nested literal strings spanning the file after every object header
	// would make a naive reader quadratic.
	var b bytes.Buffer
	b.WriteString("%PDF-1.3\n")
	for i := 0; i < 20000; i++ {
		b.WriteString("1 0 obj << /Type /Filespec /UF (")
	}
	b.WriteString(strings.Repeat(")", 20000))
	start := time.Now()
	if _, err := ExtractAttachment(b.Bytes(), AttachmentName); err == nil {
		t.Error("no error")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v on %d bytes", d, b.Len())
	}
}

func FuzzExtractAttachment(f *testing.F) {
	small := fixtureDisclosure()
	small.Proofs, small.Method.Factors = nil, nil
	pdf, err := RenderOperatorDisclosure(small, []byte(`{"seq":1}`))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(pdf)
	f.Add([]byte("%PDF-1.3\n1 0 obj << /Type /Filespec /UF <FEFF0061> /EF << /F 2 0 R >> >> endobj 2 0 obj << /Length 1 >> stream\nx\nendstream"))
	f.Add([]byte("%PDF-"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := ExtractAttachment(b, AttachmentName)
		if err == nil && len(got) > MaxAttachmentSize {
			t.Fatalf("%d bytes, more than the limit", len(got))
		}
	})
}

func TestEmptyViewModelsRender(t *testing.T) {
	text := disclosureText(t, &OperatorDisclosure{LedgerTime: fixtureTime})
	for _, want := range []string{"No data for Energy mix by carrier.", "No data for Scope 1 emissions by quarter (t CO₂e).", "No data for Fate of collected devices by category (kg)."} {
		if !strings.Contains(text, want) {
			t.Errorf("empty disclosure lacks %q", want)
		}
	}
	pdf, err := RenderSectorReport(&SectorReport{LedgerTime: fixtureTime, Metrics: []SectorMetric{{Label: "Scope 1", Unit: UnitTCO2e}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if text, _ := pdfText(pdf); !strings.Contains(text, "No data for Spread across operators") {
		t.Error("empty sector report draws an empty spread chart")
	}
	if _, err := RenderOperatorDisclosure(nil, nil); err == nil {
		t.Error("nil disclosure: no error")
	}
	if _, err := RenderSectorReport(nil, nil); err == nil {
		t.Error("nil sector report: no error")
	}
	// Without a ledger time gofpdf would date the document by the clock.
	if _, err := RenderOperatorDisclosure(&OperatorDisclosure{}, nil); !errors.Is(err, errNoLedgerTime) {
		t.Errorf("no ledger time: got %v", err)
	}
	if _, err := RenderSectorReport(&SectorReport{}, nil); !errors.Is(err, errNoLedgerTime) {
		t.Errorf("no ledger time: got %v", err)
	}
}

func TestHostileTextRenders(t *testing.T) {
	v := fixtureDisclosure()
	v.Operator = "Bad \xff\xfe name 😀 {nb} (x) \\ \r\n" + strings.Repeat("W", 300)
	v.Method.Warnings = append(v.Method.Warnings, Note{Ref: strings.Repeat("x", 500), Text: strings.Repeat("long ", 400)})
	text := disclosureText(t, v)
	if !strings.Contains(text, "Bad \uFFFD name \uFFFD {n b} (x) \\") {
		t.Errorf("operator name not cleaned as expected:\n%.300s", text)
	}
}

func TestYearDisclosure(t *testing.T) {
	v := fixtureDisclosure()
	v.Period = "2025"
	v.Summary.PreviousLabel, v.Summary.YearAgoLabel = "2024", ""
	text := disclosureText(t, v)
	if !strings.Contains(text, "2025 (calendar year)") {
		t.Error("the cover does not name the year")
	}
	summary, _, _ := strings.Cut(text[strings.Index(text, "--- page 2 ---"):], "--- page 3 ---")
	if n := strings.Count(summary, "(%)"); n != 1 {
		t.Errorf("the summary of a year has %d change columns, want 1", n)
	}
}

// disclosureText renders v and returns the text of its pages.
func disclosureText(t *testing.T, v *OperatorDisclosure) string {
	t.Helper()
	pdf, err := RenderOperatorDisclosure(v, nil)
	if err != nil {
		t.Fatal(err)
	}
	text, err := pdfText(pdf)
	if err != nil {
		t.Fatal(err)
	}
	return text
}
