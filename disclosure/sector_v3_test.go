package disclosure

import (
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/templates"
)

// sectorView builds the view model of a sector bundle, as Render does.
func sectorView(t *testing.T, b *Bundle) (*templates.SectorReport, error) {
	t.Helper()
	return sectorReport(b, testInputs(t, b))
}

// testInputs is bundleInputs, failing the test on an error.
func testInputs(t *testing.T, b *Bundle) *inputs {
	t.Helper()
	in, err := bundleInputs(b)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// A sector document of every country counts each operator late against
// its own country's deadline (the bundle's deadlines), and lists each
// administration with that deadline.
func TestSectorCountsLatenessByCountry(t *testing.T) {
	b := fixtureBundle(t, "sector-bundle-v3.json")
	// Hoshizora (JP) first filed 2026-Q3 on 2026-10-08, Wattle Fibre (AU)
	// on 2026-10-10: a Japanese deadline of October 1st makes only the
	// Japanese operator late.
	b.Deadlines["JP"] = "2026-10-01T00:00:00Z"
	v, err := sectorView(t, b)
	if err != nil {
		t.Fatal(err)
	}
	late := map[string]bool{}
	for _, s := range v.Status {
		late[s.ID] = s.Late
	}
	if !late["hoshizora-mobile"] || late["wattle-fibre"] {
		t.Errorf("late: %v; want hoshizora-mobile only (and the missing one)", late)
	}
	var countries []string
	for _, a := range v.Administrations {
		countries = append(countries, a.Country)
		if a.Country == "JP" && !a.Deadline.Equal(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("JP deadline %v", a.Deadline)
		}
	}
	if strings.Join(countries, ",") != "AU,FJ,ID,JP,TH" {
		t.Errorf("administrations %v", countries)
	}
	for _, m := range v.Metrics {
		if m.Direction != calculators.RankLower && m.Direction != calculators.RankHigher && m.Direction != calculators.RankNone {
			t.Errorf("%s: direction %q", m.Key, m.Direction)
		}
	}

	b.Deadlines["JP"] = "soon"
	if _, err := sectorView(t, b); err == nil || !strings.Contains(err.Error(), "deadlines[JP]") {
		t.Errorf("a bad deadline: %v", err)
	}
}
