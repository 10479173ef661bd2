package templates

import "testing"

// go test ./templates -run '^$' -bench . -benchmem
func BenchmarkRenderOperatorDisclosure(b *testing.B) {
	v, att := fixtureDisclosure(), fixtureAttachment()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RenderOperatorDisclosure(v, att); err != nil {
			b.Fatal(err)
		}
	}
}

// The same disclosure of a Thai operator: the Thai fonts are added.
func BenchmarkRenderOperatorDisclosureThai(b *testing.B) {
	v, att := fixtureThaiDisclosure(), fixtureAttachment()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RenderOperatorDisclosure(v, att); err != nil {
			b.Fatal(err)
		}
	}
}

// The same disclosure of a Japanese operator in disclosure_v2: the CJK
// font (3.4 MB) is added, which gofpdf parses whole for the document.
func BenchmarkRenderOperatorDisclosureCJK(b *testing.B) {
	v, att := fixtureDisclosure(), fixtureAttachment()
	v.Operator = cjkNames[0]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RenderOperatorDisclosureV2(v, att); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderSectorReport50(b *testing.B) {
	r, att := fixtureSector(50), fixtureAttachment()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RenderSectorReport(r, att); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExtractAttachment(b *testing.B) {
	pdf, err := RenderOperatorDisclosure(fixtureDisclosure(), fixtureAttachment())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ExtractAttachment(pdf, AttachmentName); err != nil {
			b.Fatal(err)
		}
	}
}
