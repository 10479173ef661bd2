package templates

import (
	"bytes"
	"crypto/sha256"
	"testing"
)

// Rendering leaves the embedded fonts as they are: gofpdf writes into
// the bytes of a font it reads (Droid Sans Fallback's, at least), and
// the fonts are shared by every document of the process, so a document
// drawing Chinese or Japanese used to change the bytes of the documents
// rendered after it, which then no longer verified.
func TestRenderingLeavesTheFontsAsTheyAre(t *testing.T) {
	fonts := map[string][]byte{"sans": fontSans, "sans bold": fontSansBold, "mono": fontMono,
		"thai": fontThai, "thai bold": fontThaiBold, "cjk": fontCJK}
	before := map[string][32]byte{}
	for name, f := range fonts {
		before[name] = sha256.Sum256(f)
	}
	first, _ := renderFixtures(t)
	if _, err := RenderRegionReport(regionFixture(), []byte("{}")); err != nil { // Thai and Japanese
		t.Fatal(err)
	}
	for name, f := range fonts {
		if sha256.Sum256(f) != before[name] {
			t.Errorf("rendering changed the bytes of the %s font", name)
		}
	}
	if again, _ := renderFixtures(t); !bytes.Equal(first, again) {
		t.Error("a disclosure rendered after a document in Japanese has other bytes")
	}
}
