package calculators

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// compute20261 computes E1 of r with fs under the set's methodology.
func compute20261(t *testing.T, fs *ledger.FactorSet, r *ledger.Return) (*E1, *Trace) {
	t.Helper()
	e, tr, err := ComputeE1(Request{Return: r, Factors: fs})
	if err != nil {
		t.Fatal(err)
	}
	return e, tr
}

// wantExact fails unless v is available and exactly want.
func wantExact(t *testing.T, name string, v *Value, want string) {
	t.Helper()
	switch {
	case v == nil:
		t.Errorf("%s: absent, want %s", name, want)
	case !v.OK:
		t.Errorf("%s: null, want %s", name, want)
	case !v.D.Equal(e1Dec(want)):
		t.Errorf("%s = %s, want %s", name, v.D, want)
	}
}

// wantNull fails unless v is present and null, with a reason containing why.
func wantNull(t *testing.T, tr *Trace, metric string, v *Value, why string) {
	t.Helper()
	if v == nil || v.OK {
		t.Errorf("%s: %v, want null", metric, v)
		return
	}
	for _, u := range tr.Unavailable {
		if u.Metric == metric && strings.Contains(u.Reason, why) {
			return
		}
	}
	t.Errorf("%s: no unavailable entry containing %q in %v", metric, why, tr.Unavailable)
}

func dp(s string) *decimal.Decimal { d := e1Dec(s); return &d }

// period2026 is the quarter the tests file for: TH's and the test grid's
// factors are not old then.
var period2026 = ledger.Period{Year: 2026, Quarter: 1}

// withTestGrid returns a copy of fs with grid ZZ: direct 0.45 and a
// residual mix of 0.52, the figures of the G11 example.
func withTestGrid(fs *ledger.FactorSet) *ledger.FactorSet {
	c := *fs
	c.Grid = map[string]ledger.GridFactor{}
	for k, v := range fs.Grid {
		c.Grid[k] = v
	}
	c.ResidualMix = map[string]ledger.GridFactor{}
	for k, v := range fs.ResidualMix {
		c.ResidualMix[k] = v
	}
	year := 2025
	c.Grid["ZZ"] = ledger.GridFactor{Name: "test grid", Value: dp("0.45"), Unit: "kg/kWh", Gas: "co2e", Basis: ledger.BasisDirect, DataYear: &year}
	c.ResidualMix["ZZ"] = ledger.GridFactor{Value: dp("0.52"), Unit: "kg/kWh", Gas: "co2e", DataYear: &year}
	return &c
}

// TestG11SpecExample reproduces the example of methodology 2026.1 G11:
// total 1,500 MWh, IT 1,000, grid 1,300, solar 100, genset 100 MWh from
// 27,000 l, EACs 600 MWh on that grid, grid factor 0.45, residual 0.52.
func TestG11SpecExample(t *testing.T) {
	fs := withTestGrid(loadFactors20261(t))
	r := &ledger.Return{Operator: "op", Period: period2026,
		Electricity: []ledger.Electricity{{Domain: "data_centre", Grid: "ZZ", KWh: e1Dec("1300000")}},
		RenewableClaims: []ledger.RenewableClaim{{Instrument: "eac", Grid: "ZZ", KWh: e1Dec("600000"),
			Technology: "wind", Vintage: 2026, Certificates: []string{"C-1"}}},
		DataCentres: []ledger.DataCentre{{ID: "dc", Grid: "ZZ", TotalKWh: e1Dec("1500000"), ITKWh: e1Dec("1000000"),
			RenewableKWh: dp("100000"), GridKWh: dp("1300000"), DieselL: dp("27000")}},
	}
	e, _ := compute20261(t, fs, r)
	dc := e.DataCentres[0]
	// Generators, diesel stationary, AR6: 27,000 l x 0.844 = 22,788 kg;
	// x 43.0 / 1000 = 979.884 GJ = 0.979884 TJ. CO2 0.979884 x 74,100 =
	// 72,609.4044 kg; CH4 0.979884 x 10 = 9.79884 kg x 27 = 264.56868;
	// N2O 0.979884 x 0.6 = 0.5879304 kg x 273 = 160.5049992; total
	// 73,034.4780792 kg (the spec's 73 t).
	// cue_location = (1,300,000 x 0.45 + 73,034.4780792) / 1,000,000
	//              = 658,034.4780792 / 1,000,000 = 0.6580344780792 (0.658).
	wantExact(t, "cue_location", dc.CUELocation, "0.6580344780792")
	wantExact(t, "cue", &dc.CUE, "0.6580344780792")
	// Market: the grid's 1,300,000 kWh less 600,000 claimed x 0.52 =
	// 364,000 kg, a rate of 0.28 kg/kWh; 1,300,000 x 0.28 = 364,000.
	// cue_market = (364,000 + 73,034.4780792) / 1,000,000 = 0.4370344780792 (0.437).
	wantExact(t, "cue_market", dc.CUEMarket, "0.4370344780792")
	if got := dc.CUELocation.D.Round(3).String(); got != "0.658" {
		t.Errorf("cue_location to 3 places = %s, want the spec's 0.658", got)
	}
	if got := dc.CUEMarket.D.Round(3).String(); got != "0.437" {
		t.Errorf("cue_market to 3 places = %s, want the spec's 0.437", got)
	}
	// renewable_kwh feeds REF only: 100,000 / 1,500,000.
	wantExact(t, "ref", &dc.REF, Div(e1Dec("100000"), e1Dec("1500000")).String())

	// Under 2025.1 CUE stays total_kwh x grid factor / it_kwh:
	// 1,500,000 x 0.45 / 1,000,000 = 0.675, and no twins.
	e25, _, err := ComputeE1(Request{Return: r, Factors: fs, Methodology: ledger.Methodology20251})
	if err != nil {
		t.Fatal(err)
	}
	if d := e25.DataCentres[0]; !d.CUE.D.Equal(e1Dec("0.675")) || d.CUELocation != nil || d.CUEMarket != nil {
		t.Errorf("2025.1 CUE = %s (twins %v %v), want 0.675 and none", d.CUE.D, d.CUELocation, d.CUEMarket)
	}
}

// TestG9RevenueIntensity: G9, (scope 1 + scope 2) / revenue_musd.
func TestG9RevenueIntensity(t *testing.T) {
	fs := withTestGrid(loadFactors20261(t))
	r := &ledger.Return{Operator: "op", Period: period2026,
		Activity:    ledger.Activity{RevenueMUSD: dp("2")},
		Electricity: []ledger.Electricity{{Domain: "core", Grid: "ZZ", KWh: e1Dec("10000")}},
		RenewableClaims: []ledger.RenewableClaim{{Instrument: "eac", Grid: "ZZ", KWh: e1Dec("5000"),
			Technology: "wind", Vintage: 2026, Certificates: []string{"C-1"}}},
		Refrigerants: []ledger.Refrigerant{{Gas: "r32", KgLost: e1Dec("2")}},
	}
	e, tr := compute20261(t, fs, r)
	// Scope 1: 2 kg r32 x 771 = 1,542 kg = 1.542 t. Location: 10,000 x
	// 0.45 = 4,500 kg = 4.5 t; market: (10,000 - 5,000) x 0.52 = 2,600 kg
	// = 2.6 t. Market: (1.542 + 2.6) / 2 = 2.071; location (1.542 + 4.5)
	// / 2 = 3.021 tCO2e per MUSD.
	wantExact(t, "per revenue", e.EmissionsPerRevenueTCO2ePerMUSD, "2.071")
	wantExact(t, "per revenue location", e.EmissionsPerRevenueTCO2ePerMUSDLocation, "3.021")

	r.Activity.RevenueMUSD = nil
	e, tr = compute20261(t, fs, r)
	wantNull(t, tr, "e1.emissions_per_revenue_tco2e_per_musd", e.EmissionsPerRevenueTCO2ePerMUSD, "revenue_musd is not given")
}

// TestG7G8GasesAndODS: G7 (ODS in CFC-11e) and G8 (scope 1 by gas).
func TestG7G8GasesAndODS(t *testing.T) {
	fs := loadFactors20261(t)
	r := &ledger.Return{Operator: "op", Period: period2026,
		Fuels: []ledger.Fuel{{Domain: "ran", Fuel: "diesel", Use: "stationary", Quantity: e1Dec("1000"), Unit: "l"}},
		Refrigerants: []ledger.Refrigerant{
			{Gas: "r410a", KgLost: e1Dec("10")},
			{Gas: "sf6", KgLost: e1Dec("1")},
			{Gas: "r22", KgLost: e1Dec("4"), ODSImportedKg: dp("100")},
		},
	}
	e, tr := compute20261(t, fs, r)
	// G7: r22 4 kg lost x ODP 0.055 = 0.22 kg CFC-11e; imports 100 x
	// 0.055 = 5.5; r410a and sf6 have no ODP.
	wantExact(t, "ods leaked", e.ODSLeakedKgCFC11e, "0.22")
	wantExact(t, "ods imported", e.ODSImportedKgCFC11e, "5.5")
	// G8: diesel 1,000 l x 0.844 = 844 kg x 43 / 1000 = 36.292 GJ =
	// 0.036292 TJ: CO2 x 74,100 = 2,689.2372 kg; CH4 x 10 = 0.36292 kg;
	// N2O x 0.6 = 0.0217752 kg. Refrigerants by mass: r410a 10 kg, sf6
	// 1 kg; r22 is outside the Kyoto basket (not scope 1).
	byGas := map[string]string{"co2": "2.6892372", "ch4": "0.00036292", "n2o": "0.0000217752", "r410a": "0.01", "sf6": "0.001"}
	if len(e.Scope1ByGasT) != len(byGas) {
		t.Errorf("scope1_by_gas_t has %v, want the keys of %v", e.Scope1ByGasT, byGas)
	}
	for g, want := range byGas {
		v := e.Scope1ByGasT[g]
		wantExact(t, "by gas "+g, &v, want)
	}
	// Groups (AR6): co2 2,689.2372; ch4 0.36292 x 27 = 9.79884; n2o
	// 0.0217752 x 273 = 5.9446296; hfcs 10 x 2,255.5 = 22,555; sf6 1 x
	// 25,200 = 25,200; pfcs and nf3 0.
	groups := map[string]string{"co2": "2.6892372", "ch4": "0.00979884", "n2o": "0.0059446296",
		"hfcs": "22.555", "pfcs": "0", "sf6": "25.2", "nf3": "0"}
	sum := decimal.Zero
	for g, want := range groups {
		v := e.Scope1ByGasTCO2e[g]
		wantExact(t, "group "+g, &v, want)
		sum = sum.Add(v.D)
	}
	// The groups add up to scope 1: 2.6892372 + 0.00979884 +
	// 0.0059446296 + 22.555 + 25.2 = 50.4599806696 t.
	if !sum.Equal(e.Scope1TCO2e.D) || !sum.Equal(e1Dec("50.4599806696")) {
		t.Errorf("groups add to %s, scope 1 is %s, want both 50.4599806696", sum, e.Scope1TCO2e.D)
	}

	r.Refrigerants[2].ODSImportedKg = nil
	e, tr = compute20261(t, fs, r)
	wantNull(t, tr, "e1.ods_imported_kg_cfc11e", e.ODSImportedKgCFC11e, "ods_imported_kg")

	// ods_imported_kg of a gas without an ODP cannot be computed.
	r.Refrigerants[0].ODSImportedKg = dp("1")
	_, _, err := ComputeE1(Request{Return: r, Factors: fs})
	var le *ledger.Error
	if !errors.As(err, &le) || le.Code != ledger.EInvalid || len(le.Fields) == 0 || le.Fields[0].Path != "refrigerants[0].ods_imported_kg" {
		t.Errorf("imports of r410a: err %v, want EInvalid naming refrigerants[0].ods_imported_kg", err)
	}
}

// TestG5GrossCalorific: G5, NCV = GCV / gcv_per_ncv at 24 places.
func TestG5GrossCalorific(t *testing.T) {
	fs := loadFactors20261(t)
	r := &ledger.Return{Operator: "op", Period: period2026,
		Fuels: []ledger.Fuel{{Domain: "office", Fuel: "natural_gas", Use: "stationary", Quantity: e1Dec("1000"), Unit: "gj", Basis: "gcv"}}}
	e, _ := compute20261(t, fs, r)
	// 1,000 GJ GCV / 1.108 = 902.527075812274368231046931|4... GJ NCV
	// (the spec's 902.5270758...), the 25th place 4 rounding down.
	got := e.Parts.EnergyGJ["natural_gas"]["office"]
	if want := "902.527075812274368231046931"; !got.D.Equal(e1Dec(want)) {
		t.Errorf("natural gas energy = %s GJ, want %s", got.D, want)
	}
	// Filed as NCV (no basis) it is 1,000 GJ as before.
	r.Fuels[0].Basis = ""
	e, _ = compute20261(t, fs, r)
	if got := e.Parts.EnergyGJ["natural_gas"]["office"]; !got.D.Equal(e1Dec("1000")) {
		t.Errorf("ncv row = %s GJ, want 1000", got.D)
	}
	// Petrol has no ratio in apt-2026.1: a gcv row is refused.
	r.Fuels[0] = ledger.Fuel{Domain: "fleet", Fuel: "petrol", Use: "mobile", Quantity: e1Dec("10"), Unit: "gj", Basis: "gcv"}
	_, _, err := ComputeE1(Request{Return: r, Factors: fs})
	var le *ledger.Error
	if !errors.As(err, &le) || le.Code != ledger.EInvalid || le.Fields[0].Path != "fuels[0].basis" {
		t.Errorf("gcv petrol: err %v, want EInvalid naming fuels[0].basis", err)
	}
}

// TestG6Biodiesel: G6, FAME biodiesel from one source (DESNZ 2025: NCV
// 37.2 GJ/t, 890 kg/m3, 2.39 kg CO2 per litre) under apt-2026.1.
func TestG6Biodiesel(t *testing.T) {
	fs := loadFactors20261(t)
	r := &ledger.Return{Operator: "op", Period: period2026,
		Fuels: []ledger.Fuel{{Domain: "ran", Fuel: "biodiesel_blend", Use: "stationary", Quantity: e1Dec("1000"), Unit: "l", BioShare: dp("0.2")}}}
	e, _ := compute20261(t, fs, r)
	// Bio part: 200 l x 0.89 = 178 kg x 37.2 / 1000 = 6.6216 GJ
	// (IPCC's 27 GJ/t would give 4.806); biogenic CO2 0.0066216 TJ x
	// 72,188 = 478.0000608 kg, DESNZ's 200 x 2.39 = 478 kg to the
	// factor's 3 figures. Fossil part: 800 l x 0.844 = 675.2 kg x 43 /
	// 1000 = 29.0336 GJ. Energy 35.6552 GJ.
	wantExact(t, "bio energy", &e.Parts.BioFuelEnergyGJ, "6.6216")
	wantExact(t, "biogenic CO2 t", &e.BiogenicCO2T, "0.4780000608")
	if got := e.Parts.EnergyGJ["biodiesel_blend"]["ran"]; !got.D.Equal(e1Dec("35.6552")) {
		t.Errorf("blend energy = %s GJ, want 35.6552", got.D)
	}
}

// TestG10Network: G10, the RAN indicator and emissions per TB over the
// network domains only.
func TestG10Network(t *testing.T) {
	fs := withTestGrid(loadFactors20261(t))
	r := &ledger.Return{Operator: "op", Period: period2026,
		Activity: ledger.Activity{DataTrafficTB: dp("1000"), MobileTrafficTB: dp("100")},
		Electricity: []ledger.Electricity{
			{Domain: "ran", Grid: "ZZ", KWh: e1Dec("900000")},
			{Domain: "office", Grid: "ZZ", KWh: e1Dec("500000")},
		},
		OnsiteRenewables: []ledger.OnsiteRenewable{{Domain: "ran", Source: "solar", KWh: e1Dec("100000")}},
		Fuels:            []ledger.Fuel{{Domain: "fleet", Fuel: "diesel", Use: "mobile", Quantity: e1Dec("1000"), Unit: "l"}},
	}
	e, _ := compute20261(t, fs, r)
	// RAN electricity 900,000 + 100,000 = 1,000,000 kWh = 3.6e12 J;
	// 100 TB = 8e14 bit: 8e14 / 3.6e12 = 222.2222... bit/J.
	wantExact(t, "mobile bit/J", e.MobileAccessEfficiencyBitPerJ, Div(e1Dec("800000"), e1Dec("3600")).String())
	// Network: ran only. Location 900,000 x 0.45 = 405,000 kg; market at
	// the grid's rate, 1,400,000 x 0.52 / 1,400,000 = 0.52: 468,000 kg.
	// The fleet's diesel and the office are outside. Per TB: 405 and 468.
	wantExact(t, "per TB location", e.EmissionsPerTBKgCO2eLocation, "405")
	wantExact(t, "per TB", &e.EmissionsPerTBKgCO2e, "468")

	r.Activity.MobileTrafficTB = nil
	e, tr := compute20261(t, fs, r)
	wantNull(t, tr, "e1.mobile_access_efficiency_bit_per_j", e.MobileAccessEfficiencyBitPerJ, "mobile_traffic_tb is not given")
	for _, d := range tr.Derivations {
		if d.Metric == "e1.data_volume_efficiency_bit_per_j" && strings.Contains(d.Formula, "(ETSI ES 203 228") {
			t.Errorf("2026.1 label still cites ETSI ES 203 228 as the indicator: %s", d.Formula)
		}
	}
}

// g4Return has two sites burning diesel, one with its generator output.
func g4Return() *ledger.Return {
	return &ledger.Return{Operator: "op", Period: period2026, Sites: []ledger.Site{
		{SiteID: "a", Domain: "ran", Grid: "ZZ", GridKWh: e1Dec("1000"), DieselL: e1Dec("100"), SolarKWh: e1Dec("200"), GeneratorKWh: dp("300")},
		{SiteID: "b", Domain: "ran", Grid: "ZZ", GridKWh: e1Dec("1000"), DieselL: e1Dec("50")},
	}}
}

// TestG4Denominator: G4, generator output in the electricity, never in
// the energy; the estimate needs a sourced genset_kwh_per_l.
func TestG4Denominator(t *testing.T) {
	fs := withTestGrid(loadFactors20261(t))
	e, tr := compute20261(t, fs, g4Return())
	// Electricity 2,000 grid + 200 solar + 300 generator = 2,500 kWh;
	// renewable 200: 200 x 100 / 2,500 = 8 %.
	wantExact(t, "electricity MWh", &e.ElectricityTotalMWh, "2.5")
	wantExact(t, "share", &e.RenewableElectricitySharePct, "8")
	// Energy counts the diesel (150 l x 0.844 x 43 / 1000 = 5.4438 GJ),
	// not the 300 kWh it made: 2,200 kWh x 0.0036 = 7.92 GJ + 5.4438 =
	// 13.3638 GJ / 3.6 = 3.71216666... MWh.
	wantExact(t, "energy MWh", &e.EnergyTotalMWh, Div(e1Dec("13.3638"), e1Dec("3.6")).String())
	// apt-2026.1 has no genset_kwh_per_l: null, and the flag names 1 site.
	wantNull(t, tr, "e1.renewable_electricity_share_estimated_pct", e.RenewableElectricityShareEstimatedPct, "genset_kwh_per_l")
	found := false
	for _, d := range tr.DataQuality {
		if d.Code == DQGeneratorOutputNotFiled && strings.HasPrefix(d.Message, "1 site rows") {
			found = true
		}
	}
	if !found {
		t.Errorf("no %s flag naming 1 site in %v", DQGeneratorOutputNotFiled, tr.DataQuality)
	}
	// With a set that has one (3 kWh/l, test only): 50 x 3 = 150 kWh;
	// 200 x 100 / (2,500 + 150) = 7.547169...
	k := e1Dec("3")
	fs.GensetKWhPerL = &k
	e, _ = compute20261(t, fs, g4Return())
	wantExact(t, "estimated share", e.RenewableElectricityShareEstimatedPct, Div(e1Dec("20000"), e1Dec("2650")).String())
	// Under 2025.1 generator_kwh of a site is not read: 2,200 kWh.
	e25, _, err := ComputeE1(Request{Return: g4Return(), Factors: fs, Methodology: ledger.Methodology20251})
	if err != nil {
		t.Fatal(err)
	}
	wantExact(t, "2025.1 electricity MWh", &e25.ElectricityTotalMWh, "2.2")
}

// TestG12Quality: G12, shares of estimated and unspecified energy.
func TestG12Quality(t *testing.T) {
	fs := withTestGrid(loadFactors20261(t))
	r := &ledger.Return{Operator: "op", Period: period2026,
		Electricity: []ledger.Electricity{
			{Domain: "core", Grid: "ZZ", KWh: e1Dec("1000"), Quality: "metered"},
			{Domain: "core", Grid: "ZZ", KWh: e1Dec("500"), Quality: "estimated"},
		},
		OnsiteRenewables: []ledger.OnsiteRenewable{{Domain: "core", Source: "solar", KWh: e1Dec("250")}},
		Sites:            []ledger.Site{{SiteID: "s", Domain: "ran", Grid: "ZZ", GridKWh: e1Dec("250"), Quality: "proxy"}},
	}
	e, _ := compute20261(t, fs, r)
	// Total 2,000 kWh; estimated 500 + proxy 250 = 750: 37.5 %; the
	// on-site row has no quality: 250 / 2,000 = 12.5 %.
	wantExact(t, "estimated share", e.EnergyEstimatedSharePct, "37.5")
	wantExact(t, "unspecified share", e.EnergyUnspecifiedSharePct, "12.5")
}

// TestG13CertificatesSold: G13, sold certificates leave the shares and
// the market-based figure values the electricity at the residual mix.
func TestG13CertificatesSold(t *testing.T) {
	fs := withTestGrid(loadFactors20261(t))
	r := &ledger.Return{Operator: "op", Period: period2026,
		Electricity: []ledger.Electricity{{Domain: "core", Grid: "ZZ", KWh: e1Dec("3000")}},
		OnsiteRenewables: []ledger.OnsiteRenewable{
			{Domain: "core", Source: "solar", KWh: e1Dec("1000"), CertificatesSold: true, Grid: "ZZ"},
			{Domain: "core", Source: "wind", KWh: e1Dec("1000")},
		},
	}
	e, _ := compute20261(t, fs, r)
	// Electricity 5,000 kWh, renewable 1,000 (the sold 1,000 is not):
	// 20 %. Market: 3,000 x 0.52 + 1,000 sold x 0.52 = 2,080 kg = 2.08 t;
	// location only the purchases: 3,000 x 0.45 = 1.35 t.
	wantExact(t, "electricity", &e.ElectricityTotalMWh, "5")
	wantExact(t, "share", &e.RenewableElectricitySharePct, "20")
	wantExact(t, "market", &e.Scope2MarketTCO2e, "2.08")
	wantExact(t, "location", &e.Scope2LocationTCO2e, "1.35")
	// Still consumed energy: 5,000 kWh = 5 MWh.
	wantExact(t, "energy", &e.EnergyTotalMWh, "5")
}

// TestG14Boundary: G14, the boundary is in the answer; a sum of parts of
// different boundaries keeps none and is flagged.
func TestG14Boundary(t *testing.T) {
	fs := withTestGrid(loadFactors20261(t))
	mk := func(cons string) *E1 {
		r := &ledger.Return{Operator: "op", Period: period2026,
			Electricity: []ledger.Electricity{{Domain: "core", Grid: "ZZ", KWh: e1Dec("1000")}},
			Boundary:    &ledger.Boundary{Consolidation: cons, TowerEnergy: "included"}}
		e, _ := compute20261(t, fs, r)
		return e
	}
	a, b := mk("operational_control"), mk("equity_share")
	if a.Boundary == nil || a.Boundary.Consolidation != "operational_control" {
		t.Fatalf("boundary = %v, want operational_control", a.Boundary)
	}
	s, tr := SumE1(AcrossOperators, []*E1{a, mk("operational_control")})
	if s.Boundary == nil || len(tr.DataQuality) != 0 {
		t.Errorf("same boundaries: %v, flags %v; want kept, no flag", s.Boundary, tr.DataQuality)
	}
	s, tr = SumE1(AcrossOperators, []*E1{a, b})
	if s.Boundary != nil || len(tr.DataQuality) != 1 || tr.DataQuality[0].Code != DQBoundaryMixed {
		t.Errorf("mixed boundaries: %v, flags %v; want none and %s", s.Boundary, tr.DataQuality, DQBoundaryMixed)
	}
	// The 2026.1 parts add: 1,000 + 1,000 kWh of core (not a RAN) and
	// revenue unfiled in both.
	if s.Parts.Since20261 == nil || s.EmissionsPerRevenueTCO2ePerMUSD == nil || s.EmissionsPerRevenueTCO2ePerMUSD.OK {
		t.Errorf("sum: 2026.1 parts %v, revenue intensity %v; want parts and a null", s.Parts.Since20261, s.EmissionsPerRevenueTCO2ePerMUSD)
	}
}
