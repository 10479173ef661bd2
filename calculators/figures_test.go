package calculators

import (
	"strings"
	"testing"

	"github.com/ictledger/ictledger/ledger"
)

// Under methodology 2026.1 the derivations of location-based scope 2,
// the data centres' CUE and emissions per TB say which basis the grid
// factor is on, and when it is a fallback: AU-VIC's is NGA's direct
// factor, JP's Ember's lifecycle one, for want of a direct factor.
func TestDerivationsNameTheBasis(t *testing.T) {
	fs := loadFactors20261(t)
	r := &ledger.Return{Operator: "op", Period: ledger.Period{Year: 2026, Quarter: 1},
		Activity: ledger.Activity{DataTrafficTB: dp("1000")},
		Electricity: []ledger.Electricity{
			{Domain: "ran", Grid: "AU-VIC", KWh: e1Dec("10000")},
			{Domain: "data_centre", Grid: "JP", KWh: e1Dec("20000")},
		},
		DataCentres: []ledger.DataCentre{{ID: "dc", Grid: "JP", TotalKWh: e1Dec("20000"), ITKWh: e1Dec("10000")}},
	}
	_, tr := compute20261(t, fs, r)
	notes := map[string]string{}
	for _, d := range tr.Derivations {
		notes[d.Metric] = strings.Join(d.Notes, " | ")
	}
	for _, c := range []struct{ metric, want string }{
		{"e1.scope2_location_tco2e", "grid AU-VIC: 10000 kWh x 0.78 kgCO2e/kWh (grid.AU-VIC.value, location-based, direct basis, Australian Government"},
		{"e1.scope2_location_tco2e", "grid JP: 20000 kWh x 0.49359 kgCO2e/kWh (grid.JP.value, location-based, lifecycle basis (fallback: no direct factor for the grid), Ember"},
		{"e1.data_centres.dc.cue", "x 0.49359 kgCO2e/kWh (location-based, lifecycle basis (fallback: no direct factor for the grid), Ember, data year 2023)"},
		{"e1.data_centres.dc.cue_location", "location-based, lifecycle basis (fallback"},
		{"e1.emissions_per_tb_kgco2e", "grid AU-VIC, domain ran: 10000 kWh; location 7800 kg (location-based, direct basis, Australian Government"},
		{"e1.emissions_per_tb_kgco2e_location", "location 7800 kg (location-based, direct basis"},
	} {
		if !strings.Contains(notes[c.metric], c.want) {
			t.Errorf("%s notes %q\nwant them to contain %q", c.metric, notes[c.metric], c.want)
		}
	}
	// Under 2025.1 the notes are as they were: no basis.
	_, tr25, err := ComputeE1(Request{Return: &ledger.Return{Operator: "op", Period: r.Period, Electricity: r.Electricity[1:]},
		Factors: fs, Methodology: ledger.Methodology20251})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range tr25.Derivations {
		if strings.Contains(strings.Join(d.Notes, " "), "basis") {
			t.Errorf("2025.1 %s notes name a basis: %v", d.Metric, d.Notes)
		}
	}
}

// Every figure of Figures20261 has a key of its section, a label and a
// unit, and none is listed twice: a new figure is one row of the table.
func TestFigures20261Table(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Figures20261() {
		if seen[f.Key] || f.Label == "" || f.Unit == "" || !strings.HasPrefix(f.Key, strings.ToLower(f.Section)+".") {
			t.Errorf("figure %+v: duplicate, unlabelled or in the wrong section", f)
		}
		seen[f.Key] = true
		if f.Get(nil, nil, nil) != nil {
			t.Errorf("%s: a figure of no result is not nil", f.Key)
		}
	}
	if m := DataQualityMeaning(DQGridBasisFallback); !strings.Contains(m, "direct") {
		t.Errorf("meaning of %s: %q", DQGridBasisFallback, m)
	}
}
