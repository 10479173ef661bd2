package calculators_test

import (
	"encoding/json"
	"fmt"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
)

// Example_methodologies computes the example return's E1 figures under
// methodology 2025.1 with apt-2025.1 and under 2026.1 with apt-2026.1,
// the table docs/methodology-2026.md shows (go test ./calculators -run
// Example_methodologies -v prints it).
func Example_methodologies() {
	r := new(ledger.Return)
	if err := json.Unmarshal(fixtures.ExampleReturn(), r); err != nil {
		panic(err)
	}
	var ms []*calculators.Metrics
	for _, raw := range [][]byte{fixtures.DefaultFactorSet(), fixtures.FactorSet20261()} {
		fs, err := ledger.ParseFactorSet(raw)
		if err != nil {
			panic(err)
		}
		m, err := calculators.Compute(calculators.Request{Return: r, ID: "sakura-mobile-2025-Q3-v1", Version: 1, Factors: fs})
		if err != nil {
			panic(err)
		}
		ms = append(ms, m)
	}
	fmt.Printf("| E1 | %s, %s | %s, %s |\n", ms[0].Methodology, ms[0].FactorSet, ms[1].Methodology, ms[1].FactorSet)
	fmt.Println("| --- | ---: | ---: |")
	row := func(name string, get func(e *calculators.E1) *calculators.Value) {
		show := func(v *calculators.Value) string {
			switch {
			case v == nil:
				return "(not a metric)"
			case !v.OK:
				return "null"
			}
			return v.Display()
		}
		fmt.Printf("| %s | %s | %s |\n", name, show(get(ms[0].E1)), show(get(ms[1].E1)))
	}
	row("energy_total_mwh", func(e *calculators.E1) *calculators.Value { return &e.EnergyTotalMWh })
	row("renewable_electricity_share_pct", func(e *calculators.E1) *calculators.Value { return &e.RenewableElectricitySharePct })
	row("scope1_tco2e", func(e *calculators.E1) *calculators.Value { return &e.Scope1TCO2e })
	row("biogenic_co2_t", func(e *calculators.E1) *calculators.Value { return &e.BiogenicCO2T })
	row("scope2_location_tco2e", func(e *calculators.E1) *calculators.Value { return &e.Scope2LocationTCO2e })
	row("scope2_market_tco2e", func(e *calculators.E1) *calculators.Value { return &e.Scope2MarketTCO2e })
	row("scope3_cat3_electricity_tco2e", func(e *calculators.E1) *calculators.Value { return e.Scope3Cat3ElectricityTCO2e })
	row("emissions_per_tb_kgco2e", func(e *calculators.E1) *calculators.Value { return &e.EmissionsPerTBKgCO2e })
	row("emissions_per_tb_kgco2e_location", func(e *calculators.E1) *calculators.Value { return e.EmissionsPerTBKgCO2eLocation })
	row("emissions_per_revenue_tco2e_per_musd", func(e *calculators.E1) *calculators.Value { return e.EmissionsPerRevenueTCO2ePerMUSD })
	row("ods_leaked_kg_cfc11e", func(e *calculators.E1) *calculators.Value { return e.ODSLeakedKgCFC11e })
	row("tokyo-dc-1 cue", func(e *calculators.E1) *calculators.Value { return &e.DataCentres[0].CUE })
	row("tokyo-dc-1 cue_market", func(e *calculators.E1) *calculators.Value { return e.DataCentres[0].CUEMarket })
	for i, m := range ms {
		for _, d := range m.DataQuality {
			fmt.Printf("data_quality (%s): %s %s %s\n", ms[i].Methodology, d.Code, d.Grid, d.Metric)
		}
	}
	// Output:
	// | E1 | 2025.1, apt-2025.1 | 2026.1, apt-2026.1 |
	// | --- | ---: | ---: |
	// | energy_total_mwh | 133525.859889 | 133525.859889 |
	// | renewable_electricity_share_pct | 21.314103 | 16.353785 |
	// | scope1_tco2e | 890.515915 | 890.515915 |
	// | biogenic_co2_t | 0 | 0 |
	// | scope2_location_tco2e | 63673.11 | 63673.11 |
	// | scope2_market_tco2e | 47905.443 | 51113.778 |
	// | scope3_cat3_electricity_tco2e | (not a metric) | null |
	// | emissions_per_tb_kgco2e | 26.376194 | 27.151297 |
	// | emissions_per_tb_kgco2e_location | (not a metric) | 33.781257 |
	// | emissions_per_revenue_tco2e_per_musd | (not a metric) | 24.295395 |
	// | ods_leaked_kg_cfc11e | (not a metric) | 0.22 |
	// | tokyo-dc-1 cue | 0.740385 | 0.740385 |
	// | tokyo-dc-1 cue_market | (not a metric) | 0.468 |
	// data_quality (2026.1): instrument_not_applied JP e1.scope2_market_tco2e
	// data_quality (2026.1): grid_basis_fallback JP e1.data_centres.cue
	// data_quality (2026.1): grid_basis_fallback JP e1.scope2_location_tco2e
	// data_quality (2026.1): residual_mix_fallback JP e1.scope2_market_tco2e
	// data_quality (2026.1): mci_utility_default  e2.by_category.cpe.mci
	// data_quality (2026.1): mci_efficiency_proxy  e2.by_category.cpe.mci
	// data_quality (2026.1): mci_utility_default  e2.by_category.network_radio.mci
	// data_quality (2026.1): mci_efficiency_proxy  e2.by_category.network_radio.mci
	// data_quality (2026.1): mci_utility_default  e2.by_category.smartphone.mci
	// data_quality (2026.1): mci_efficiency_proxy  e2.by_category.smartphone.mci
}
