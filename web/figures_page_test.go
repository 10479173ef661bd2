package web_test

import (
	"regexp"
	"strings"
	"testing"
)

// The return page and the sector page show a figure by its unit's rule:
// the example's climate availability of 99.981934 % is 99.98, not a
// perfect "100.0", and every percentage has the same two places whatever
// its size (the old pages chose the places by magnitude: "9.48" beside
// "28.4" and "122.0").
func TestPagesShowFiguresByTheirUnit(t *testing.T) {
	s := newSite(t)
	_, page := s.get("/returns/"+s.ridA, s.reg)
	avail := regexp.MustCompile(`Availability through climate events</span> <span class="mval">([^<]*)</span>`).FindStringSubmatch(page)
	if avail == nil || avail[1] != "99.98" {
		t.Fatalf("return page: climate availability %q, want 99.98", avail)
	}
	pct := regexp.MustCompile(`<span class="mval">([^<]*)</span> <span class="unit">%</span>`).FindAllStringSubmatch(page, -1)
	if len(pct) < 3 {
		t.Fatalf("return page: %d percentages", len(pct))
	}
	for _, m := range pct {
		if m[1] != "n/a" && !regexp.MustCompile(`^(> |< )?[0-9,]+\.[0-9]{2,5}$`).MatchString(m[1]) {
			t.Errorf("return page: percentage %q is not shown with two places", m[1])
		}
	}
	_, sector := s.get("/sector?period=2025-Q3", s.reg)
	row := regexp.MustCompile(`(?s)Availability through climate events</a></th>.*?data-label="Median">([^<]*)</td>`).FindStringSubmatch(sector)
	if row == nil || row[1] != "99.98" {
		t.Fatalf("sector page: median climate availability %q, want 99.98", row)
	}
	if strings.Contains(sector, ">100.0<") {
		t.Errorf("sector page shows a perfect 100.0")
	}
}
