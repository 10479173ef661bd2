package web

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
)

// A derivation names only its metric; its unit comes from the key.
func TestUnitOf(t *testing.T) {
	for key, want := range map[string]string{
		"e3.climate_availability_pct":  "%",
		"e1.energy_total_mwh":          "MWh",
		"e1.scope2_market_tco2e":       "tCO2e",
		"e2.total.collected_kg":        "kg",
		"e2.total.mci":                 "0-1",
		"e1.network_energy_per_tb_kwh": "kWh/TB",
		"e1.scope1_by_gas_tco2e.co2":   "",
	} {
		if got := unitOf(key); got != want {
			t.Errorf("%s: %q, want %q", key, got, want)
		}
	}
}

func TestBarChart(t *testing.T) {
	c := newBarChart("Energy", "MWh", []string{"A", "an operator with a name far longer than a chart row can hold"},
		[]calculators.Value{calculators.Some(decimal.NewFromInt(50)), calculators.None},
		calculators.Some(decimal.NewFromInt(100)))
	if len(c.Bars) != 2 || !c.Bars[1].Missing || c.Bars[1].Value != "n/a" {
		t.Fatalf("bars %+v", c.Bars)
	}
	// The median is the largest value, so it ends the plot; the bar is half as long.
	if c.Bars[0].W != "168.00" || c.MedianX != "338.00" || c.MedianAnchor != "end" {
		t.Fatalf("bar width %s, median at %s anchored %s", c.Bars[0].W, c.MedianX, c.MedianAnchor)
	}
	if r := []rune(c.Bars[1].Label); len(r) != chartLabelN || r[len(r)-1] != '…' {
		t.Fatalf("long label %q", c.Bars[1].Label)
	}
}
