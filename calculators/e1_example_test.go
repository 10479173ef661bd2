package calculators

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"sort"
	"strings"
	"testing"
)

var updateE1 = flag.Bool("e1.update", false, "rewrite the E1 golden files in testdata/")

// e1Headlines are the headline metrics, each of which has a derivation.
func e1Headlines(e *E1) map[string]Value {
	return map[string]Value{
		"e1.energy_total_mwh":                 e.EnergyTotalMWh,
		"e1.electricity_total_mwh":            e.ElectricityTotalMWh,
		"e1.renewable_electricity_mwh":        e.RenewableElectricityMWh,
		"e1.renewable_electricity_share_pct":  e.RenewableElectricitySharePct,
		"e1.renewable_energy_share_pct":       e.RenewableEnergySharePct,
		"e1.scope1_tco2e":                     e.Scope1TCO2e,
		"e1.biogenic_co2_t":                   e.BiogenicCO2T,
		"e1.non_kyoto_refrigerants_tco2e":     e.NonKyotoRefrigerantsTCO2e,
		"e1.scope2_location_tco2e":            e.Scope2LocationTCO2e,
		"e1.scope2_market_tco2e":              e.Scope2MarketTCO2e,
		"e1.scope2_instruments_share_pct":     e.Scope2InstrumentsSharePct,
		"e1.network_energy_mwh":               e.NetworkEnergyMWh,
		"e1.network_energy_per_tb_kwh":        e.NetworkEnergyPerTBKWh,
		"e1.data_volume_efficiency_bit_per_j": e.DataVolumeEfficiencyBitPerJ,
		"e1.emissions_per_tb_kgco2e":          e.EmissionsPerTBKgCO2e,
		"e1.energy_per_subscription_kwh":      e.EnergyPerSubscriptionKWh,
	}
}

// checkE1Derivations checks that every available headline metric and
// data-centre KPI has exactly one derivation with the metric's value, and
// every unavailable one an unavailable entry.
func checkE1Derivations(t *testing.T, e *E1, tr *Trace) {
	t.Helper()
	count := map[string]int{}
	for _, dv := range tr.Derivations {
		count[dv.Metric]++
	}
	missing := map[string]bool{}
	for _, u := range tr.Unavailable {
		missing[u.Metric] = true
	}
	all := e1Headlines(e)
	for _, k := range e.DataCentres {
		for n, v := range map[string]Value{"pue": k.PUE, "ref": k.REF, "erf": k.ERF, "cue": k.CUE, "wue": k.WUE} {
			all["e1.data_centres."+k.ID+"."+n] = v
		}
	}
	for metric, v := range all {
		if !v.OK {
			if !missing[metric] {
				t.Errorf("%s is null without an unavailable entry", metric)
			}
			continue
		}
		if count[metric] != 1 {
			t.Errorf("%s has %d derivations, want 1", metric, count[metric])
			continue
		}
		dv := e1Derivation(t, tr, metric)
		if !dv.Value.OK || !dv.Value.D.Equal(v.D) {
			t.Errorf("%s: derivation value %s != metric %s", metric, dv.Value.D, v.D)
		}
		if dv.Formula == "" || dv.Inputs == nil || dv.Factors == nil {
			t.Errorf("%s: incomplete derivation %+v", metric, dv)
		}
	}
}

func TestComputeE1Example(t *testing.T) {
	e, tr := runE1(t, loadExample(t), loadFactors(t), "")

	// Purchased: 96.5 + 8.2 + 6.1 + 14.8 + 2.3 + 1.1 = 129 GWh; on-site solar 1.25 + 0.18 = 1.43 GWh.
	// Diesel 185,000 l x 0.844 = 156,140 kg; 156.14 t x 43 = 6,714.02 GJ.
	// Petrol 92,000 l x 0.741 = 68,172 kg; 68.172 t x 44.3 = 3,020.0196 GJ.
	// Natural gas 41,000 m3 x 0.717 = 29,397 kg; 29.397 t x 48 = 1,411.056 GJ.
	// Energy: (129,000,000 + 1,430,000) kWh x 0.0036 = 469,548 GJ + 11,145.0956 GJ = 480,693.0956 GJ
	//         / 3.6 = 133,525.8598888... MWh.
	e1Eq(t, "energy total", e.EnergyTotalMWh, Div(e1Dec("480693.0956"), e1Dec("3.6")).String())
	if got := e.EnergyTotalMWh.Display(); got != "133525.859889" {
		t.Errorf("energy total displays %s", got)
	}
	// Electricity: 129,000 + 1,430 + 610 (generator output) = 131,040 MWh.
	e1Eq(t, "electricity total", e.ElectricityTotalMWh, "131040")
	// Renewable electricity: 1,430 on-site + 20,000 EAC + 6,500 PPA = 27,930 MWh;
	// share 27,930 / 131,040 x 100 = 21.314102564...%.
	e1Eq(t, "renewable electricity", e.RenewableElectricityMWh, "27930")
	if got := e.RenewableElectricitySharePct.Display(); got != "21.314103" {
		t.Errorf("renewable electricity share displays %s", got)
	}
	// Renewable energy share: 27,930 MWh x 3.6 = 100,548 GJ / 480,693.0956 GJ x 100 = 20.917296...%.
	if got := e.RenewableEnergySharePct.Display(); got != "20.917296" {
		t.Errorf("renewable energy share displays %s", got)
	}
	// Scope 1 (AR6): diesel 6.71402 TJ: CO2 497,508.882, CH4 67.1402, N2O 4.028412
	//   -> 497,508.882 + 1,812.7854 + 1,099.756476 = 500,421.423876 kg;
	// petrol (mobile) 3.0200196 TJ: CO2 209,287.35828, CH4 99.6606468, N2O 9.66406272
	//   -> 209,287.35828 + 2,690.8374636 + 2,638.28912256 = 214,616.48486616 kg;
	// natural gas 1.411056 TJ: CO2 79,160.2416, CH4 7.05528, N2O 0.1411056
	//   -> 79,160.2416 + 190.49256 + 38.5218288 = 79,389.2559888 kg;
	// refrigerants: r410a 38.5 x 2,255.5 = 86,836.75 + r32 12 x 771 = 9,252 -> 96,088.75 kg.
	// Total 890,515.91473096 kg.
	e1Eq(t, "scope1", e.Scope1TCO2e, "890.51591473096")
	e1Eq(t, "stationary", e.Scope1BySourceTCO2e[SourceStationary], "579.8106798648")
	e1Eq(t, "mobile", e.Scope1BySourceTCO2e[SourceMobile], "214.61648486616")
	e1Eq(t, "refrigerants", e.Scope1BySourceTCO2e[SourceRefrigerant], "96.08875")
	// r22: 4 kg x 1,960 = 7,840 kg, outside scope 1.
	e1Eq(t, "non-Kyoto", e.NonKyotoRefrigerantsTCO2e, "7.84")
	e1Eq(t, "biogenic", e.BiogenicCO2T, "0")
	// Scope 2 location: 129,000,000 kWh x 0.49359 = 63,673,110 kg.
	e1Eq(t, "scope2 location", e.Scope2LocationTCO2e, "63673.11")
	// Market: JP has no residual mix in apt-2025.1, so the grid average stands in (with a note):
	// (114,200,000 - 26,500,000) kWh x 0.49359 = 43,287,843 kg + 14,800,000 x 0.312 = 4,617,600 kg
	// -> 47,905,443 kg.
	e1Eq(t, "scope2 market", e.Scope2MarketTCO2e, "47905.443")
	mk := e1Derivation(t, tr, "e1.scope2_market_tco2e")
	if !strings.Contains(strings.Join(mk.Notes, " "), "has no residual mix for JP") {
		t.Errorf("market notes lack the residual-mix note: %q", mk.Notes)
	}
	// Instruments: 26,500 / 129,000 x 100 = 20.542636%.
	if got := e.Scope2InstrumentsSharePct.Display(); got != "20.542636" {
		t.Errorf("instruments share displays %s", got)
	}
	// Network: (96.5 + 8.2 + 6.1 + 14.8) GWh + 1.25 GWh solar (ran) + 6,714.02 GJ diesel (ran)
	//   = 456,660 GJ + 6,714.02 GJ = 463,374.02 GJ = 128,715.005556 MWh.
	e1Eq(t, "network", e.NetworkEnergyMWh, Div(e1Dec("463374.02"), e1Dec("3.6")).String())
	// Per TB: 128,715.005556 x 1000 / 1,850,000 = 69.575679 kWh/TB.
	// Bit per J: 1,850,000 x 8e12 / (463,374.02 GJ x 1e9) = 31,939.641329.
	// Emissions per TB: (890,515.91473096 + 47,905,443) kg / 1,850,000 = 26.376194 kg/TB.
	// Per subscription: 133,525.859889 x 1000 / 21,400,000 = 6.239526 kWh.
	for name, c := range map[string]struct {
		v    Value
		want string
	}{
		"per TB": {e.NetworkEnergyPerTBKWh, "69.575679"}, "bit per J": {e.DataVolumeEfficiencyBitPerJ, "31939.641329"},
		"emissions per TB": {e.EmissionsPerTBKgCO2e, "26.376194"}, "per subscription": {e.EnergyPerSubscriptionKWh, "6.239526"},
	} {
		if got := c.v.Display(); got != c.want {
			t.Errorf("%s displays %s, want %s", name, got, c.want)
		}
	}
	// tokyo-dc-1: PUE 9.6/6.4 = 1.5; REF 3/9.6 = 0.3125; ERF 0.15/9.6 = 0.015625;
	// CUE 9,600,000 x 0.49359 / 6,400,000 = 0.740385; WUE 11,500 x 1000 / 6,400,000 = 1.796875.
	if len(e.DataCentres) != 1 {
		t.Fatalf("data centres: %+v", e.DataCentres)
	}
	k := e.DataCentres[0]
	e1Eq(t, "pue", k.PUE, "1.5")
	e1Eq(t, "ref", k.REF, "0.3125")
	e1Eq(t, "erf", k.ERF, "0.015625")
	e1Eq(t, "cue", k.CUE, "0.740385")
	e1Eq(t, "wue", k.WUE, "1.796875")

	checkE1Derivations(t, e, tr)
	if len(tr.Unavailable) != 0 {
		t.Errorf("unavailable: %+v", tr.Unavailable)
	}
	e1Golden(t, "testdata/e1-example.golden.json", struct {
		E1          *E1           `json:"e1"`
		Derivations []Derivation  `json:"derivations"`
		Unavailable []Unavailable `json:"unavailable"`
	}{e, tr.Derivations, tr.Unavailable})
}

// TestE1JSONKeys pins the JSON shape: the E1 keys of docs/spec/metrics.md plus parts.
func TestE1JSONKeys(t *testing.T) {
	e, _ := runE1(t, loadExample(t), loadFactors(t), "")
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	want := []string{"biogenic_co2_t", "data_centres", "data_volume_efficiency_bit_per_j", "electricity_total_mwh",
		"emissions_per_tb_kgco2e", "energy_by_carrier_mwh", "energy_by_domain_mwh", "energy_per_subscription_kwh",
		"energy_total_mwh", "network_energy_mwh", "network_energy_per_tb_kwh", "non_kyoto_refrigerants_tco2e", "parts",
		"renewable_electricity_mwh", "renewable_electricity_share_pct", "renewable_energy_share_pct",
		"scope1_by_source_tco2e", "scope1_tco2e", "scope2_instruments_share_pct", "scope2_location_tco2e",
		"scope2_market_tco2e"}
	got := e1Keys(m)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("keys:\n got %v\nwant %v", got, want)
	}
	var carriers map[string]string
	_ = json.Unmarshal(m["energy_by_carrier_mwh"], &carriers)
	ck := e1Keys(carriers)
	wantC := append([]string(nil), E1Carriers...)
	sort.Strings(wantC)
	if strings.Join(ck, ",") != strings.Join(wantC, ",") {
		t.Errorf("carriers %v, want %v", ck, wantC)
	}
	var dcs []map[string]any
	_ = json.Unmarshal(m["data_centres"], &dcs)
	if len(dcs) != 1 || strings.Join(e1Keys(dcs[0]), ",") != "cue,erf,id,pue,ref,wue" {
		t.Errorf("data_centres = %v", dcs)
	}
}

// e1Golden compares v as indented JSON with the file at path; -e1.update
// rewrites it.
func e1Golden(t *testing.T, path string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *updateE1 {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -e1.update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the computed output; run with -e1.update and review the diff", path)
	}
}
