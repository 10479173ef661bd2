package calculators

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// e1SmallFactors is the default set with only grid XX (0.45 kgCO2e/kWh) and,
// when residual is not "", a residual mix for XX.
func e1SmallFactors(t testing.TB, residual string) *ledger.FactorSet {
	fs := *loadFactors(t)
	fs.Version = "test-small"
	fs.Grid = map[string]ledger.GridFactor{"XX": {Name: "Test grid", KgCO2ePerKWh: e1DecP("0.45")}}
	fs.ResidualMix = map[string]ledger.GridFactor{}
	if residual != "" {
		fs.ResidualMix["XX"] = ledger.GridFactor{KgCO2ePerKWh: e1DecP(residual)}
	}
	fs.Sources = map[string]string{"grid": "test grid source", "residual_mix": "test residual source",
		"fuels": fs.Sources["fuels"], "gwp": fs.Sources["gwp"]}
	return &fs
}

func e1Dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
func e1DecP(s string) *decimal.Decimal {
	v := e1Dec(s)
	return &v
}
func e1Int64(n int64) *int64 { return &n }

// runE1 runs ComputeE1 and fails the test on error.
func runE1(t testing.TB, r *ledger.Return, fs *ledger.FactorSet, gwp string) (*E1, *Trace) {
	t.Helper()
	e, tr, err := ComputeE1(Request{Return: r, Factors: fs, GWP: gwp})
	if err != nil {
		t.Fatalf("ComputeE1: %v", err)
	}
	return e, tr
}

// e1Eq fails unless v is available and exactly want.
func e1Eq(t testing.TB, name string, v Value, want string) {
	t.Helper()
	if !v.OK {
		t.Errorf("%s: unavailable, want %s", name, want)
		return
	}
	if !v.D.Equal(e1Dec(want)) {
		t.Errorf("%s = %s, want %s", name, v.D, want)
	}
}

// e1Derivation returns the trace's derivation of metric.
func e1Derivation(t testing.TB, tr *Trace, metric string) Derivation {
	t.Helper()
	for _, dv := range tr.Derivations {
		if dv.Metric == metric {
			return dv
		}
	}
	t.Fatalf("no derivation for %s", metric)
	return Derivation{}
}

func TestBurnExact(t *testing.T) {
	fs := loadFactors(t)
	tests := []struct {
		name                      string
		fuel, use, unit           string
		qty                       string
		bio                       *decimal.Decimal
		gj, co2, bioCO2, ch4, n2o string
		co2eAR6                   string
	}{
		// 10,000 l x 0.844 kg/l = 8,440 kg; 8.44 t x 43.0 GJ/t = 362.92 GJ = 0.36292 TJ;
		// CO2 0.36292 x 74,100 = 26,892.372 kg; CH4 x 10 = 3.6292 kg; N2O x 0.6 = 0.217752 kg;
		// CO2e = 26,892.372 + 3.6292 x 27 + 0.217752 x 273 = 26,892.372 + 97.9884 + 59.446296 = 27,049.806696 kg.
		{"diesel stationary l", "diesel", "stationary", "l", "10000", nil,
			"362.92", "26892.372", "0", "3.6292", "0.217752", "27049.806696"},
		// 1,000 l x 0.741 = 741 kg; 0.741 t x 44.3 = 32.8263 GJ; CO2 0.0328263 x 69,300 = 2,274.86259;
		// CH4 (road) x 33 = 1.0832679; N2O x 3.2 = 0.10504416;
		// CO2e = 2,274.86259 + 29.2482333 + 28.67705568 = 2,332.78787898.
		{"petrol mobile l", "petrol", "mobile", "l", "1000", nil,
			"32.8263", "2274.86259", "0", "1.0832679", "0.10504416", "2332.78787898"},
		// 1,000 m3 x 0.717 kg/m3 = 717 kg; 0.717 t x 48 = 34.416 GJ; CO2 0.034416 x 56,100 = 1,930.7376;
		// CH4 x 5 = 0.17208; N2O x 0.1 = 0.0034416; CO2e = 1,930.7376 + 4.64616 + 0.9395568 = 1,936.3233168.
		{"natural gas m3", "natural_gas", "stationary", "m3", "1000", nil,
			"34.416", "1930.7376", "0", "0.17208", "0.0034416", "1936.3233168"},
		// 500 kg: 0.5 t x 47.3 = 23.65 GJ; CO2 0.02365 x 63,100 = 1,492.315; CH4 x 5 = 0.11825; N2O x 0.1 = 0.002365;
		// CO2e = 1,492.315 + 3.19275 + 0.645645 = 1,496.153395.
		{"lpg kg", "lpg", "stationary", "kg", "500", nil,
			"23.65", "1492.315", "0", "0.11825", "0.002365", "1496.153395"},
		// 36 GJ = 0.036 TJ: CO2 x 74,100 = 2,667.6; CH4 x 10 = 0.36; N2O x 0.6 = 0.0216;
		// CO2e = 2,667.6 + 9.72 + 5.8968 = 2,683.2168.
		{"diesel gj", "diesel", "stationary", "gj", "36", nil,
			"36", "2667.6", "0", "0.36", "0.0216", "2683.2168"},
		// 1,000 kWh x 0.0036 = 3.6 GJ: one tenth of the line above.
		{"diesel kwh", "diesel", "stationary", "kwh", "1000", nil,
			"3.6", "266.76", "0", "0.036", "0.00216", "268.32168"},
		// B20, 1,000 l: fossil 800 l as diesel: 675.2 kg, 29.0336 GJ, CO2 2,151.38976, CH4 0.290336, N2O 0.01742016;
		// bio 200 l: 176 kg x 27 GJ/t = 4.752 GJ, CO2 0.004752 x 70,800 = 336.4416 (biogenic), CH4 0.04752, N2O 0.0028512.
		// Scope 1 CO2e = fossil CO2 2,151.38976 + CH4 (0.290336 + 0.04752) x 27 + N2O (0.01742016 + 0.0028512) x 273
		//             = 2,151.38976 + 9.122112 + 0.02027136 x 273 = 2,151.38976 + 9.122112 + 5.53408128 = 2,166.04595328.
		{"biodiesel blend B20", "biodiesel_blend", "stationary", "l", "1000", e1DecP("0.2"),
			"33.7856", "2151.38976", "336.4416", "0.337856", "0.02027136", "2166.04595328"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := burnFuel(fs, "fuels[0]", tc.fuel, tc.use, e1Dec(tc.qty), tc.unit, tc.bio, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				name      string
				got, want decimal.Decimal
			}{
				{"energy GJ", b.EnergyGJ, e1Dec(tc.gj)}, {"fossil CO2", b.CO2Kg, e1Dec(tc.co2)},
				{"biogenic CO2", b.BioCO2Kg, e1Dec(tc.bioCO2)}, {"CH4", b.CH4Kg, e1Dec(tc.ch4)},
				{"N2O", b.N2OKg, e1Dec(tc.n2o)},
			} {
				if !c.got.Equal(c.want) {
					t.Errorf("%s = %s, want %s", c.name, c.got, c.want)
				}
			}
			g, _ := gwpOf(fs, "ar6")
			if got := b.co2eKg(g); !got.Equal(e1Dec(tc.co2eAR6)) {
				t.Errorf("CO2e = %s, want %s", got, tc.co2eAR6)
			}
		})
	}
}

func TestComputeE1Fuels(t *testing.T) {
	fs := loadFactors(t)
	r := &ledger.Return{Fuels: []ledger.Fuel{
		{Domain: "ran", Fuel: "diesel", Use: "stationary", Quantity: e1Dec("10000"), Unit: "l"},
		{Domain: "fleet", Fuel: "petrol", Use: "mobile", Quantity: e1Dec("1000"), Unit: "l"},
		{Domain: "ran", Fuel: "biodiesel_blend", Use: "stationary", Quantity: e1Dec("1000"), Unit: "l", BioShare: e1DecP("0.2")},
	}}
	e, tr := runE1(t, r, fs, "")
	// Stationary: 27,049.806696 + 2,166.04595328 = 29,215.85264928 kg; mobile 2,332.78787898 kg.
	e1Eq(t, "stationary", e.Scope1BySourceTCO2e[SourceStationary], "29.21585264928")
	e1Eq(t, "mobile", e.Scope1BySourceTCO2e[SourceMobile], "2.33278787898")
	e1Eq(t, "refrigerants", e.Scope1BySourceTCO2e[SourceRefrigerant], "0")
	e1Eq(t, "scope1", e.Scope1TCO2e, "31.54864052826")
	e1Eq(t, "biogenic", e.BiogenicCO2T, "0.3364416")
	// Energy: 362.92 + 32.8263 + 33.7856 = 429.5319 GJ = 119.314416666... MWh; bio 4.752 GJ.
	e1Eq(t, "energy total", e.EnergyTotalMWh, Div(e1Dec("429.5319"), e1Dec("3.6")).String())
	e1Eq(t, "bio GJ", e.Parts.BioFuelEnergyGJ, "4.752")
	// Renewable energy share = 4.752 / 429.5319 x 100 = 1.10632... %.
	e1Eq(t, "renewable energy share", e.RenewableEnergySharePct, Div(e1Dec("475.2"), e1Dec("429.5319")).String())
	// Network energy: ran only (diesel and blend): 396.7056 GJ.
	e1Eq(t, "network", e.NetworkEnergyMWh, Div(e1Dec("396.7056"), e1Dec("3.6")).String())
	e1Eq(t, "fleet", e.EnergyByDomainMWh["fleet"], Div(e1Dec("32.8263"), e1Dec("3.6")).String())
	e1Eq(t, "blend carrier", e.EnergyByCarrierMWh["biodiesel_blend"], Div(e1Dec("33.7856"), e1Dec("3.6")).String())
	// No electricity: the shares over electricity are unavailable, not 0.
	if e.RenewableElectricitySharePct.OK || e.Scope2InstrumentsSharePct.OK || e.NetworkEnergyPerTBKWh.OK {
		t.Error("ratios over zero or missing denominators must be unavailable")
	}
	wantMissing := map[string]string{
		"e1.renewable_electricity_share_pct": "electricity_total_mwh is 0",
		"e1.scope2_instruments_share_pct":    "no purchased electricity",
		"e1.network_energy_per_tb_kwh":       "data_traffic_tb is not given",
		"e1.energy_per_subscription_kwh":     "subscriptions is not given",
	}
	for _, u := range tr.Unavailable {
		if w, ok := wantMissing[u.Metric]; ok && w == u.Reason {
			delete(wantMissing, u.Metric)
		}
	}
	if len(wantMissing) > 0 {
		t.Errorf("missing unavailable entries: %v (have %v)", wantMissing, tr.Unavailable)
	}
	s1 := e1Derivation(t, tr, "e1.scope1_tco2e")
	keys := map[string]string{}
	for _, f := range s1.Factors {
		keys[f.Key] = f.Value
		if f.Source == "" {
			t.Errorf("factor %s has no source", f.Key)
		}
	}
	for k, v := range map[string]string{
		"fuel.diesel.co2_kg_per_tj": "74100", "fuel.diesel.stationary.ch4_kg_per_tj": "10",
		"fuel.petrol.mobile.n2o_kg_per_tj": "3.2", "fuel.biodiesel.density_kg_per_l": "0.88", "gwp.ar6.ch4": "27",
	} {
		if got, ok := keys[k]; !ok || !e1Dec(got).Equal(e1Dec(v)) {
			t.Errorf("scope 1 factor %s = %q, want %s", k, got, v)
		}
	}
	if s1.Inputs[0].Path != "fuels[0].quantity" || s1.Inputs[0].Value != "10000" || s1.Inputs[0].Unit != "l" {
		t.Errorf("first scope 1 input = %+v", s1.Inputs[0])
	}
}

func TestComputeE1Refrigerants(t *testing.T) {
	fs := loadFactors(t)
	r := &ledger.Return{Refrigerants: []ledger.Refrigerant{{Gas: "r410a", KgLost: e1Dec("5")}, {Gas: "r22", KgLost: e1Dec("2")}}}
	for _, tc := range []struct{ gwp, s1, nk string }{
		// 5 kg x 2,255.5 = 11,277.5 kg; r22 2 kg x 1,960 = 3,920 kg, never scope 1.
		{"ar6", "11.2775", "3.92"},
		// 5 kg x 1,923.5 = 9,617.5 kg; r22 2 kg x 1,760 = 3,520 kg.
		{"ar5", "9.6175", "3.52"},
		{"", "11.2775", "3.92"}, // gwp_default of apt-2025.1 is ar6
	} {
		t.Run("gwp="+tc.gwp, func(t *testing.T) {
			e, tr := runE1(t, r, fs, tc.gwp)
			e1Eq(t, "refrigerants", e.Scope1BySourceTCO2e[SourceRefrigerant], tc.s1)
			e1Eq(t, "scope1", e.Scope1TCO2e, tc.s1)
			e1Eq(t, "non-Kyoto", e.NonKyotoRefrigerantsTCO2e, tc.nk)
			dv := e1Derivation(t, tr, "e1.non_kyoto_refrigerants_tco2e")
			if len(dv.Factors) != 1 || !strings.HasSuffix(dv.Factors[0].Key, ".r22") {
				t.Errorf("non-Kyoto factors = %+v", dv.Factors)
			}
		})
	}
	if _, _, err := ComputeE1(Request{Return: r, Factors: fs, GWP: "ar4"}); ledger.ErrorCode(err) != ledger.EInvalid {
		t.Errorf("unknown GWP set: err = %v, want EInvalid", err)
	}
}

func TestComputeE1Scope2(t *testing.T) {
	// 1,000 MWh on grid XX (0.45 kgCO2e/kWh): 300 MWh covered by certificates,
	// 200 MWh at a supplier rate of 0.12, 500 MWh at the residual mix 0.52.
	// Location: 1,000,000 kWh x 0.45 = 450,000 kg = 450 t.
	// Market: claims 300 MWh cover the 800 MWh without supplier rate first:
	// (800 - 300) MWh x 0.52 + 200 MWh x 0.12 = 260 + 24 = 284 t.
	r := &ledger.Return{
		Electricity: []ledger.Electricity{
			{Domain: "ran", Grid: "XX", KWh: e1Dec("800000")},
			{Domain: "core", Grid: "XX", KWh: e1Dec("200000"), SupplierKgCO2ePerKWh: e1DecP("0.12")},
		},
		RenewableClaims: []ledger.RenewableClaim{{Instrument: "eac", Grid: "XX", KWh: e1Dec("300000"), Certificates: []string{"c1"}}},
	}
	e, tr := runE1(t, r, e1SmallFactors(t, "0.52"), "")
	e1Eq(t, "location", e.Scope2LocationTCO2e, "450")
	e1Eq(t, "market", e.Scope2MarketTCO2e, "284")
	e1Eq(t, "instruments share", e.Scope2InstrumentsSharePct, "30") // 300 / 1,000 x 100
	e1Eq(t, "renewable electricity", e.RenewableElectricityMWh, "300")
	e1Eq(t, "renewable electricity share", e.RenewableElectricitySharePct, "30")
	mk := e1Derivation(t, tr, "e1.scope2_market_tco2e")
	found := false
	for _, f := range mk.Factors {
		if f.Key == "residual_mix.XX.kgco2e_per_kwh" && f.Value == "0.52" && f.Source == "test residual source" {
			found = true
		}
	}
	if !found {
		t.Errorf("market derivation factors = %+v", mk.Factors)
	}
	loc := e1Derivation(t, tr, "e1.scope2_location_tco2e")
	if len(loc.Factors) != 1 || loc.Factors[0].Key != "grid.XX.kgco2e_per_kwh" || loc.Factors[0].Source != "test grid source" {
		t.Errorf("location derivation factors = %+v", loc.Factors)
	}
}

func TestComputeE1Scope2Allocation(t *testing.T) {
	elec := []ledger.Electricity{
		{Domain: "ran", Grid: "XX", KWh: e1Dec("100000")},
		{Domain: "core", Grid: "XX", KWh: e1Dec("300000"), SupplierKgCO2ePerKWh: e1DecP("0.2")},
		{Domain: "data_centre", Grid: "XX", KWh: e1Dec("100000"), SupplierKgCO2ePerKWh: e1DecP("0.4")},
	}
	claim := func(kwh string) []ledger.RenewableClaim {
		return []ledger.RenewableClaim{{Instrument: "ppa", Grid: "XX", KWh: e1Dec(kwh)}}
	}
	tests := []struct {
		name, claims, residual, market, note string
	}{
		// Claims 200 MWh: 100 MWh cover the plain row, the excess 100 MWh covers the
		// 400 MWh of supplier rows pro rata (25%): 225 MWh x 0.2 + 75 MWh x 0.4
		// = 45 + 30 = 75 t = (60 + 40) t x 300/400.
		{"excess covers supplier rows pro rata", "200000", "0.6", "75", "pro rata"},
		// Claims 500 MWh cover everything: 0.
		{"claims cover all", "500000", "0.6", "0", "cover all"},
		// No claims, no residual mix: 100 MWh x 0.45 (grid average) + 60 + 40 = 145 t, with a note.
		{"no residual mix: grid average with a note", "0", "", "145", "has no residual mix"},
		// Claims 50 MWh, residual 0.6: 50 MWh x 0.6 + 100 t = 130 t.
		{"claims below plain kWh", "50000", "0.6", "130", "(100000 kWh without supplier rate - 50000 kWh claimed)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &ledger.Return{Electricity: elec, RenewableClaims: claim(tc.claims)}
			e, tr := runE1(t, r, e1SmallFactors(t, tc.residual), "")
			e1Eq(t, "market", e.Scope2MarketTCO2e, tc.market)
			e1Eq(t, "location", e.Scope2LocationTCO2e, "225") // 500 MWh x 0.45
			dv := e1Derivation(t, tr, "e1.scope2_market_tco2e")
			if !strings.Contains(strings.Join(dv.Notes, "\n"), tc.note) {
				t.Errorf("market notes %q lack %q", dv.Notes, tc.note)
			}
			if !dv.Value.D.Equal(e.Scope2MarketTCO2e.D) {
				t.Errorf("derivation value %s != metric %s", dv.Value.D, e.Scope2MarketTCO2e.D)
			}
		})
	}
}

func TestComputeE1MissingGrid(t *testing.T) {
	fs := loadFactors(t)
	r := &ledger.Return{
		Electricity: []ledger.Electricity{{Domain: "ran", Grid: "JP", KWh: e1Dec("1")}, {Domain: "ran", Grid: "ZZ", KWh: e1Dec("5")}},
		DataCentres: []ledger.DataCentre{{ID: "dc", Grid: "QQ", TotalKWh: e1Dec("2"), ITKWh: e1Dec("1")}},
		Sites: []ledger.Site{
			{SiteID: "a", Domain: "ran", Grid: "JP", GridKWh: e1Dec("3")},
			{SiteID: "b", Domain: "ran", Grid: "YY", GridKWh: e1Dec("3")},
			{SiteID: "c", Domain: "ran", Grid: "", SolarKWh: e1Dec("3"), Offgrid: true}, // no grid needed
		},
	}
	_, _, err := ComputeE1(Request{Return: r, Factors: fs})
	var le *ledger.Error
	if !errors.As(err, &le) || le.Code != ledger.EInvalid {
		t.Fatalf("err = %v, want *ledger.Error with EInvalid", err)
	}
	if !strings.Contains(le.Message, "apt-2025.1") {
		t.Errorf("message %q does not name the factor set version", le.Message)
	}
	paths := map[string]bool{}
	for _, f := range le.Fields {
		paths[f.Path] = true
		if !strings.Contains(f.Message, "apt-2025.1") {
			t.Errorf("field message %q does not name the factor set version", f.Message)
		}
	}
	for _, p := range []string{"electricity[1].grid", "sites[1].grid", "data_centres[0].grid"} {
		if !paths[p] {
			t.Errorf("no error for %s in %+v", p, le.Fields)
		}
	}
	if len(le.Fields) != 3 {
		t.Errorf("fields = %+v, want 3", le.Fields)
	}
}

func TestComputeE1DataCentre(t *testing.T) {
	// 1,500 MWh total, 1,000 MWh IT, 600 MWh renewable, 150 MWh reused, grid 0.45, 1,800 m3 water:
	// PUE 1,500/1,000 = 1.5; REF 600/1,500 = 0.4; ERF 150/1,500 = 0.1;
	// CUE 1,500,000 kWh x 0.45 / 1,000,000 kWh = 0.675 kgCO2e/kWh; WUE 1,800 x 1,000 / 1,000,000 = 1.8 L/kWh.
	r := &ledger.Return{DataCentres: []ledger.DataCentre{
		{ID: "dc-1", Grid: "XX", TotalKWh: e1Dec("1500000"), ITKWh: e1Dec("1000000"),
			RenewableKWh: e1DecP("600000"), ReusedKWh: e1DecP("150000"), WaterM3: e1DecP("1800")},
		{ID: "dc-0", Grid: "XX", TotalKWh: e1Dec("10"), ITKWh: e1Dec("0")},
	}}
	e, tr := runE1(t, r, e1SmallFactors(t, ""), "")
	if len(e.DataCentres) != 2 || e.DataCentres[0].ID != "dc-0" || e.DataCentres[1].ID != "dc-1" {
		t.Fatalf("data centres = %+v", e.DataCentres)
	}
	k := e.DataCentres[1]
	e1Eq(t, "pue", k.PUE, "1.5")
	e1Eq(t, "ref", k.REF, "0.4")
	e1Eq(t, "erf", k.ERF, "0.1")
	e1Eq(t, "cue", k.CUE, "0.675")
	e1Eq(t, "wue", k.WUE, "1.8")
	z := e.DataCentres[0]
	if z.PUE.OK || z.CUE.OK || z.REF.OK || z.WUE.OK {
		t.Errorf("dc-0 (it_kwh 0, no renewable/water): %+v", z)
	}
	reasons := map[string]string{}
	for _, u := range tr.Unavailable {
		reasons[u.Metric] = u.Reason
	}
	if reasons["e1.data_centres.dc-0.pue"] != "it_kwh is 0" || reasons["e1.data_centres.dc-0.ref"] != "renewable_kwh is not given" {
		t.Errorf("unavailable = %v", tr.Unavailable)
	}
}

func TestComputeE1Errors(t *testing.T) {
	fs := loadFactors(t)
	for _, tc := range []struct {
		name string
		fuel ledger.Fuel
		path string
	}{
		{"blend not in litres", ledger.Fuel{Domain: "ran", Fuel: "biodiesel_blend", Use: "stationary", Quantity: e1Dec("1"), Unit: "kg", BioShare: e1DecP("0.2")}, "fuels[0].unit"},
		{"blend without bio share", ledger.Fuel{Domain: "ran", Fuel: "biodiesel_blend", Use: "stationary", Quantity: e1Dec("1"), Unit: "l"}, "fuels[0].bio_share"},
		{"density per m3 missing", ledger.Fuel{Domain: "ran", Fuel: "diesel", Use: "stationary", Quantity: e1Dec("1"), Unit: "m3"}, "fuels[0].unit"},
		{"unknown use", ledger.Fuel{Domain: "ran", Fuel: "diesel", Use: "flying", Quantity: e1Dec("1"), Unit: "l"}, "fuels[0].use"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ComputeE1(Request{Return: &ledger.Return{Fuels: []ledger.Fuel{tc.fuel}}, Factors: fs})
			var le *ledger.Error
			if !errors.As(err, &le) || le.Code != ledger.EInvalid || len(le.Fields) != 1 || le.Fields[0].Path != tc.path {
				t.Errorf("err = %v, want EInvalid at %s", err, tc.path)
			}
		})
	}
}

// TestComputeE1Empty: a return with no energy rows gives zero flows and
// unavailable ratios, each with a reason, never 0.
func TestComputeE1Empty(t *testing.T) {
	e, tr := runE1(t, &ledger.Return{Activity: ledger.Activity{DataTrafficTB: e1DecP("0"), Subscriptions: e1Int64(0)}},
		loadFactors(t), "")
	e1Eq(t, "energy", e.EnergyTotalMWh, "0")
	e1Eq(t, "scope1", e.Scope1TCO2e, "0")
	e1Eq(t, "scope2 market", e.Scope2MarketTCO2e, "0")
	reasons := map[string]string{}
	for _, u := range tr.Unavailable {
		reasons[u.Metric] = u.Reason
	}
	for metric, why := range map[string]string{
		"e1.renewable_electricity_share_pct":  "electricity_total_mwh is 0",
		"e1.renewable_energy_share_pct":       "energy_total_mwh is 0",
		"e1.scope2_instruments_share_pct":     "no purchased electricity",
		"e1.network_energy_per_tb_kwh":        "data_traffic_tb is 0",
		"e1.data_volume_efficiency_bit_per_j": "network_energy_mwh is 0",
		"e1.emissions_per_tb_kgco2e":          "data_traffic_tb is 0",
		"e1.energy_per_subscription_kwh":      "subscriptions is 0",
	} {
		if reasons[metric] != why {
			t.Errorf("%s: reason %q, want %q", metric, reasons[metric], why)
		}
	}
	checkE1Derivations(t, e, tr)
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"renewable_electricity_share_pct":null`) || !strings.Contains(string(b), `"data_centres":[]`) {
		t.Errorf("JSON: %s", b)
	}
}

// TestComputeE1GWPCombustion: the GWP set applies to combustion CH4 and N2O.
func TestComputeE1GWPCombustion(t *testing.T) {
	r := &ledger.Return{Fuels: []ledger.Fuel{{Domain: "ran", Fuel: "diesel", Use: "stationary", Quantity: e1Dec("10000"), Unit: "l"}}}
	fs := loadFactors(t)
	// AR6: 26,892.372 + 3.6292 x 27 + 0.217752 x 273 = 26,892.372 + 97.9884 + 59.446296 = 27,049.806696 kg.
	e, tr := runE1(t, r, fs, "ar6")
	e1Eq(t, "ar6", e.Scope1TCO2e, "27.049806696")
	// AR5: 26,892.372 + 3.6292 x 28 + 0.217752 x 265 = 26,892.372 + 101.6176 + 57.70428 = 27,051.69388 kg.
	e, tr5 := runE1(t, r, fs, "ar5")
	e1Eq(t, "ar5", e.Scope1TCO2e, "27.05169388")
	for set, tr := range map[string]*Trace{"ar6": tr, "ar5": tr5} {
		found := false
		for _, f := range e1Derivation(t, tr, "e1.scope1_tco2e").Factors {
			found = found || f.Key == "gwp."+set+".ch4"
		}
		if !found {
			t.Errorf("%s: scope 1 derivation does not name gwp.%s.ch4", set, set)
		}
	}
}
