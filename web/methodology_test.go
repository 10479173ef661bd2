package web_test

import (
	"strings"
	"testing"
)

// TestReturnPageShowsMethodology: the return page names the methodology
// its metrics were computed by, beside the factor set.
func TestReturnPageShowsMethodology(t *testing.T) {
	s := newSite(t)
	_, page := s.get("/returns/"+s.ridA, s.reg)
	if !strings.Contains(page, "<dt>Methodology</dt><dd>2025.1</dd>") {
		t.Error("the return page does not show the methodology 2025.1 of apt-2025.1")
	}
}
