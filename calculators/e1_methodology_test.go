package calculators

import (
	"errors"
	"strings"
	"testing"

	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
)

// loadFactors20261 parses the factor set apt-2026.1.
func loadFactors20261(t testing.TB) *ledger.FactorSet {
	t.Helper()
	fs, err := ledger.ParseFactorSet(fixtures.FactorSet20261())
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// g1Return is a return of 2026-Q1 buying the given kWh (without a
// supplier rate) on each grid, with the given claims.
func g1Return(rows map[string]string, claims map[string]string) *ledger.Return {
	r := &ledger.Return{Operator: "op", Period: ledger.Period{Year: 2026, Quarter: 1}}
	for _, g := range e1Keys(rows) {
		r.Electricity = append(r.Electricity, ledger.Electricity{Domain: "core", Grid: g, KWh: e1Dec(rows[g])})
	}
	for _, g := range e1Keys(claims) {
		r.RenewableClaims = append(r.RenewableClaims, ledger.RenewableClaim{Instrument: "eac", Grid: g,
			Technology: "wind", Vintage: 2026, KWh: e1Dec(claims[g]), Certificates: []string{"C-" + g}})
	}
	return r
}

// dqCodes lists the data-quality flags as "code grid".
func dqCodes(t *Trace) []string {
	out := []string{}
	for _, d := range t.DataQuality {
		out = append(out, d.Code+" "+d.Grid)
	}
	return out
}

// TestG1LocationBased holds methodology 2026.1 G1 and G2 to figures
// worked by hand from the formula: location-based scope 2 = kWh x the
// grid's direct factor (kg) / 1000; scope 3 category 3 = kWh x the same
// publisher's upstream factor / 1000.
func TestG1LocationBased(t *testing.T) {
	fs := loadFactors20261(t)
	cases := []struct {
		name     string
		rows     map[string]string
		location string // t
		cat3     string // t; "" = null
		flags    []string
	}{
		// G1: AU-VIC direct 0.78 (NGA 2025, data year 2025, one year
		// before 2026-Q1): 10,000 kWh x 0.78 = 7,800 kg = 7.8 t. NGA's
		// state scope 3 factors are not in the set: cat3 null.
		{"AU-VIC direct", map[string]string{"AU-VIC": "10000"}, "7.8", "", []string{}},
		// G1: TH direct 0.4750 incl. T&D losses: 10,000 x 0.475 = 4,750
		// kg = 4.75 t; TGO's upstream 0.0812: 10,000 x 0.0812 = 812 kg =
		// 0.812 t. TGO states no data year: flagged.
		// G3: the set has no residual mix for TH, JP or SG: the market-based
		// figure's fallback to the grid average is flagged.
		{"TH with TGO upstream", map[string]string{"TH": "10000"}, "4.75", "0.812",
			[]string{DQGridFactorYearNotStated + " TH", DQResidualMixFallback + " TH"}},
		// G1 fallback: JP has only Ember's lifecycle value 0.49359 (data
		// year 2023, 3 years before 2026: not more than 3):
		// 10,000 x 0.49359 = 4,935.9 kg = 4.9359 t, flagged lifecycle.
		{"JP lifecycle only", map[string]string{"JP": "10000"}, "4.9359", "",
			[]string{DQGridBasisFallback + " JP", DQResidualMixFallback + " JP"}},
		// Versioning rule on factor years: SG 0.4192 is of 2017, 9 years
		// before 2026-Q1: 10,000 x 0.4192 = 4,192 kg = 4.192 t, flagged old.
		{"SG 2017 factor", map[string]string{"SG": "10000"}, "4.192", "",
			[]string{DQGridFactorOld + " SG", DQResidualMixFallback + " SG"}},
		// G2: AU-ACT is an alias of AU-NSW, direct 0.64:
		// 10,000 x 0.64 = 6,400 kg = 6.4 t.
		{"AU-ACT alias", map[string]string{"AU-ACT": "10000"}, "6.4", "", []string{}},
		// Both grids: 7,800 + 4,750 = 12,550 kg; cat3 null because
		// AU-VIC has no upstream factor (never half a sum).
		{"AU-VIC and TH", map[string]string{"AU-VIC": "10000", "TH": "10000"}, "12.55", "",
			[]string{DQGridFactorYearNotStated + " TH", DQResidualMixFallback + " TH"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, tr, err := ComputeE1(Request{Return: g1Return(c.rows, nil), Factors: fs})
			if err != nil {
				t.Fatal(err)
			}
			e1Eq(t, "scope2_location_tco2e", e.Scope2LocationTCO2e, c.location)
			if e.Scope3Cat3ElectricityTCO2e == nil {
				t.Fatal("scope3_cat3_electricity_tco2e is absent under 2026.1")
			}
			if c.cat3 == "" {
				if e.Scope3Cat3ElectricityTCO2e.OK {
					t.Errorf("cat3 = %s, want null", e.Scope3Cat3ElectricityTCO2e.D)
				}
				if !hasUnavailable(tr, "e1.scope3_cat3_electricity_tco2e") {
					t.Error("cat3 is null without a reason")
				}
			} else {
				e1Eq(t, "scope3_cat3_electricity_tco2e", *e.Scope3Cat3ElectricityTCO2e, c.cat3)
			}
			if got := strings.Join(dqCodes(tr), ", "); got != strings.Join(c.flags, ", ") {
				t.Errorf("data_quality %q, want %q", got, c.flags)
			}
		})
	}
}

func hasUnavailable(t *Trace, metric string) bool {
	for _, u := range t.Unavailable {
		if u.Metric == metric {
			return true
		}
	}
	return false
}

// TestG1PrefersDirectAlternative: where a grid's entry is a lifecycle
// value and an alternative is direct, G1 takes the direct one.
// 1,000 kWh x 0.3 = 300 kg = 0.3 t (not 1,000 x 0.5).
func TestG1PrefersDirectAlternative(t *testing.T) {
	fs := *loadFactors20261(t)
	fs.Grid = map[string]ledger.GridFactor{"XX": {Value: e1DecP("0.5"), Basis: ledger.BasisLifecycle, Publisher: "A",
		Alternatives: []ledger.GridFactor{
			{Value: e1DecP("0.7"), Basis: ledger.BasisCombinedMargin},
			{Value: e1DecP("0.3"), Basis: ledger.BasisDirect, Publisher: "B", DataYear: ptr(2025)},
		}}}
	fs.ResidualMix = map[string]ledger.GridFactor{"XX": {Value: e1DecP("0.6")}} // no G3 fallback flag
	e, tr, err := ComputeE1(Request{Return: g1Return(map[string]string{"XX": "1000"}, nil), Factors: &fs})
	if err != nil {
		t.Fatal(err)
	}
	e1Eq(t, "scope2_location_tco2e", e.Scope2LocationTCO2e, "0.3")
	if len(tr.DataQuality) != 0 {
		t.Errorf("flags %v for a direct factor of 2025", dqCodes(tr))
	}
	if d := e1Derivation(t, tr, "e1.scope2_location_tco2e"); d.Factors[0].Key != "grid.XX.alternatives[1].value" {
		t.Errorf("derivation cites %+v", d.Factors)
	}
}

// TestG2ClaimsCoverTheCountry: from 2026.1 the market of a claim is the
// country. AU-VIC buys 10,000 kWh and claims 15,000; AU-NSW buys 10,000.
// The 5,000 kWh beyond AU-VIC's purchases cover AU-NSW rows:
// market = (10,000 - 10,000) x 0.81 + (10,000 - 5,000) x 0.81 (the
// national residual mix, NGA Table 2) = 4,050 kg = 4.05 t.
// Under 2025.1 the excess covers nothing and AU-NSW has no residual mix
// of its own: 10,000 x 0.64 (grid average) = 6,400 kg = 6.4 t.
func TestG2ClaimsCoverTheCountry(t *testing.T) {
	fs := loadFactors20261(t)
	r := g1Return(map[string]string{"AU-VIC": "10000", "AU-NSW": "10000"}, map[string]string{"AU-VIC": "15000"})
	for _, c := range []struct{ methodology, market string }{{"2026.1", "4.05"}, {"2025.1", "6.4"}} {
		e, _, err := ComputeE1(Request{Return: r, Factors: fs, Methodology: c.methodology})
		if err != nil {
			t.Fatal(err)
		}
		e1Eq(t, c.methodology+" scope2_market_tco2e", e.Scope2MarketTCO2e, c.market)
	}
}

// TestMethodology20251UnderNewSet: methodology 2025.1 asked for with
// apt-2026.1 computes as metrics.md says: the set's factor as given,
// no data-quality flags, no scope 3 category 3 field.
func TestMethodology20251UnderNewSet(t *testing.T) {
	fs := loadFactors20261(t)
	m, err := Compute(Request{Return: g1Return(map[string]string{"SG": "10000"}, nil), Factors: fs, Methodology: "2025.1"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Methodology != "2025.1" || len(m.DataQuality) != 0 || m.E1.Scope3Cat3ElectricityTCO2e != nil {
		t.Errorf("methodology %q, data_quality %v, cat3 %v", m.Methodology, m.DataQuality, m.E1.Scope3Cat3ElectricityTCO2e)
	}
	e1Eq(t, "scope2_location_tco2e", m.E1.Scope2LocationTCO2e, "4.192")
}

// TestMethodologyDefaultsAndUnknown: the default is the factor set's
// methodology (apt-2025.1 has none: 2025.1); an unknown one is EInvalid
// naming the field.
func TestMethodologyDefaultsAndUnknown(t *testing.T) {
	r := g1Return(map[string]string{"JP": "1000"}, nil)
	for _, c := range []struct {
		fs   *ledger.FactorSet
		want string
	}{{loadFactors(t), "2025.1"}, {loadFactors20261(t), "2026.1"}} {
		m, err := Compute(Request{Return: r, Factors: c.fs})
		if err != nil {
			t.Fatal(err)
		}
		if m.Methodology != c.want || m.Derivations[0].Methodology != c.want {
			t.Errorf("%s: methodology %q (derivation %q), want %s", c.fs.Version, m.Methodology, m.Derivations[0].Methodology, c.want)
		}
	}
	_, err := Compute(Request{Return: r, Factors: loadFactors(t), Methodology: "2024.9"})
	var le *ledger.Error
	if !errors.As(err, &le) || le.Code != ledger.EInvalid || len(le.Fields) != 1 || le.Fields[0].Path != "methodology" {
		t.Errorf("unknown methodology: %v", err)
	}
}
