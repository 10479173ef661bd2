package xlsxexport

import (
	"encoding/json"
	"testing"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
)

// Every row of the Figures sheet gives the unit calculators.MetricUnit
// gives its key, the one the web pages show the figure by; the workbook
// once read units from its own list of key endings, which named no unit
// for bit/J or a data centre's CUE, and "h" for site-hours.
func TestFiguresUnitIsTheMetricUnit(t *testing.T) {
	r := new(ledger.Return)
	if err := json.Unmarshal(fixtures.ExampleReturn(), r); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, raw := range [][]byte{fixtures.DefaultFactorSet(), fixtures.FactorSet20261()} {
		fs, err := ledger.ParseFactorSet(raw)
		if err != nil {
			t.Fatal(err)
		}
		m, err := calculators.Compute(calculators.Request{Return: r, ID: "example", Version: 1, Factors: fs})
		if err != nil {
			t.Fatal(err)
		}
		figures := Metrics(m).Tables[0]
		if figures.Sheet != "Figures" || figures.Header[0] != "key" || figures.Header[3] != "unit" {
			t.Fatalf("sheet %s, header %q", figures.Sheet, figures.Header)
		}
		for row := range figures.Rows {
			if want := calculators.MetricUnit(row[0]); row[3] != want {
				t.Errorf("%s (%s): unit %q, want %q", row[0], m.Methodology, row[3], want)
			}
			got[row[0]] = row[3]
		}
	}
	for key, want := range map[string]string{
		"e1.data_volume_efficiency_bit_per_j": "bit/J",
		"e1.data_centres.tokyo-dc-1.cue":      "kgCO2e/kWh",
		"e1.scope1_tco2e":                     "tCO2e",
		"e3.mean_hours_to_restore":            "h",
	} {
		if got[key] != want {
			t.Errorf("%s: unit %q in the workbook, want %q", key, got[key], want)
		}
	}
}
