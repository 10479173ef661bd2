package disclosure

import (
	"strings"
	"testing"
)

// TestMethodologyIsChecked: a bundle without a methodology encodes none
// (so its bytes, and the PDF's, are as before); one naming a
// methodology this build does not know does not render.
func TestMethodologyIsChecked(t *testing.T) {
	for _, name := range []string{"operator-bundle.json", "sector-bundle-v2.json"} {
		b := fixtureBundle(t, name)
		raw, err := b.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(raw), `"methodology"`) {
			t.Fatalf("%s: a bundle without a methodology encodes one", name)
		}
		b.Methodology = "1999.1"
		if _, err := Render(b); err == nil || !strings.Contains(err.Error(), "methodology") {
			t.Errorf("%s: unknown methodology: %v", name, err)
		}
	}
}
