package calculators

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// g3Factors is apt-2026.1 with one grid XX: direct factor 0.45 and
// residual mix 0.50 (the spec's example), or no residual mix.
func g3Factors(t *testing.T, residual bool) *ledger.FactorSet {
	fs := *loadFactors20261(t)
	fs.Grid = map[string]ledger.GridFactor{"XX": {Value: e1DecP("0.45"), Basis: ledger.BasisDirect, DataYear: ptr(2025)}}
	fs.ResidualMix = nil
	if residual {
		fs.ResidualMix = map[string]ledger.GridFactor{"XX": {Value: e1DecP("0.50")}}
	}
	fs.Markets = nil
	return &fs
}

// g3Return is the spec's example: rows A (supplier S1 at 0.30, 1,000
// MWh, domain core), C (S2 at 0.60, 1,000 MWh, ran) and B (no rate,
// 1,000 MWh, data_centre) on grid XX, in 2026-Q1, with the given claims.
func g3Return(claims ...ledger.RenewableClaim) *ledger.Return {
	return &ledger.Return{Operator: "op", Period: ledger.Period{Year: 2026, Quarter: 1},
		Electricity: []ledger.Electricity{
			{Domain: "core", Grid: "XX", KWh: e1Dec("1000000"), Supplier: "S1", SupplierKgCO2ePerKWh: e1DecP("0.30")},
			{Domain: "ran", Grid: "XX", KWh: e1Dec("1000000"), Supplier: "S2", SupplierKgCO2ePerKWh: e1DecP("0.60")},
			{Domain: "data_centre", Grid: "XX", KWh: e1Dec("1000000")},
		},
		RenewableClaims: claims}
}

// g3Claim is a claim on XX of kwh, with certificate ids unless none.
func g3Claim(instrument, supplier, kwh string, certs ...string) ledger.RenewableClaim {
	return ledger.RenewableClaim{Instrument: instrument, Grid: "XX", KWh: e1Dec(kwh), Technology: "wind",
		Vintage: 2026, Supplier: supplier, Certificates: certs}
}

// g3Scope2 runs the parts of ComputeE1 that scope 2 needs and returns
// the scope 2 result, with its rows after the allocation.
func g3Scope2(t *testing.T, req Request) scope2Result {
	t.Helper()
	m, err := resolveMethodology(req)
	if err != nil {
		t.Fatal(err)
	}
	req.Methodology = m
	c := &e1Compute{req: req, fs: req.Factors, r: req.Return, e: newE1(), t: &Trace{}, grids: map[string]*gridUse{},
		s1Kg: map[string]decimal.Decimal{}, energylog: newE1FactorLog(req.Factors), netlog: newE1FactorLog(req.Factors)}
	c.electricity()
	c.sites()
	c.claims()
	s2, err := scope2(req, c.grids, newE1FactorLog(req.Factors), newE1FactorLog(req.Factors), c.t)
	if err != nil {
		t.Fatal(err)
	}
	return s2
}

// TestG3Allocation holds the market-based method of methodology 2026.1 G3
// to figures worked by hand. Shown figures are rounded to 6 places; the
// pro-rata fractions are the only divisions (24 places).
func TestG3Allocation(t *testing.T) {
	cases := []struct {
		name        string
		methodology string
		residual    bool
		noCertSys   bool
		claims      []ledger.RenewableClaim
		market      string   // t, at 6 places
		notApplied  []string // paths
		flags       []string // "code grid"
	}{
		// The spec's example. The PPA with S1 (500 MWh) covers half of A
		// (A's 1,000 MWh, pro rata: 500 left). The EAC (1,500 MWh) covers
		// B's 1,000 MWh without a rate first, then its 500 MWh pro rata over
		// A's 500 and C's 1,000 left: 500 x 500/1,500 = 166.7 of A and
		// 500 x 1,000/1,500 = 333.3 of C, leaving 333.3 and 666.7.
		// Market = 333.3 MWh x 0.30 + 666.7 MWh x 0.60 = 100 + 400 = 500 t.
		{name: "spec example", residual: true,
			claims: []ledger.RenewableClaim{g3Claim("ppa", "S1", "500000", "PPA-1"), g3Claim("eac", "", "1500000", "EAC-1")},
			market: "500"},
		// A PPA with S1 beyond S1's rows: 1,500 MWh covers A's 1,000; the
		// 500 MWh more pass on and cover 500 of B. Market = B's 500 x 0.50
		// + C's 1,000 x 0.60 = 250 + 600 = 850 t.
		{name: "supplier claim beyond its rows passes on", residual: true,
			claims: []ledger.RenewableClaim{g3Claim("ppa", "S1", "1500000", "PPA-1")},
			market: "850"},
		// A PPA without certificate ids where the market is not marked
		// no_certificate_system: not applied. Market = A 1,000 x 0.30 +
		// C 1,000 x 0.60 + B 1,000 x 0.50 = 300 + 600 + 500 = 1,400 t.
		{name: "ppa without certificates not applied", residual: true,
			claims: []ledger.RenewableClaim{g3Claim("ppa", "S1", "500000")},
			market: "1400", notApplied: []string{"renewable_claims[0]"}, flags: []string{"instrument_not_applied XX"}},
		// The same where the set marks XX no_certificate_system: it covers
		// half of A. Market = 500 x 0.30 + 600 + 500 = 1,250 t.
		{name: "ppa without certificates in a market without a system", residual: true, noCertSys: true,
			claims: []ledger.RenewableClaim{g3Claim("ppa", "S1", "500000")},
			market: "1250"},
		// No residual mix: B is valued at the grid average 0.45, flagged.
		// Market = 300 + 600 + 1,000 x 0.45 = 1,350 t.
		{name: "residual mix fallback", claims: nil, market: "1350", flags: []string{"residual_mix_fallback XX"}},
		// Fully covered rows need no residual mix: no flag.
		// EAC 1,000 MWh covers B: market = 300 + 600 = 900 t.
		{name: "no fallback when B is covered", claims: []ledger.RenewableClaim{g3Claim("eac", "", "1000000", "E")}, market: "900"},
		// Under 2025.1 the supplier is not read: 2,000 MWh of claims cover
		// B's 1,000, and the 1,000 more the supplier-rate rows pro rata:
		// (300 + 600 t) x (2,000 - 1,000) / 2,000 = 450 t.
		{name: "2025.1 ignores the supplier", methodology: ledger.Methodology20251, residual: true,
			claims: []ledger.RenewableClaim{g3Claim("ppa", "S1", "500000"), g3Claim("eac", "", "1500000", "EAC-1")},
			market: "450"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := g3Factors(t, c.residual)
			if c.noCertSys {
				fs.Markets = map[string]ledger.Market{"XX": {NoCertificateSystem: true}}
			}
			e, tr, err := ComputeE1(Request{Return: g3Return(c.claims...), Factors: fs, Methodology: c.methodology})
			if err != nil {
				t.Fatal(err)
			}
			if !e.Scope2MarketTCO2e.OK || !e.Scope2MarketTCO2e.D.Round(DisplayPlaces).Equal(e1Dec(c.market)) {
				t.Errorf("scope2_market_tco2e = %v, want %s", e.Scope2MarketTCO2e, c.market)
			}
			var paths []string
			for _, n := range e.InstrumentsNotApplied {
				paths = append(paths, n.Path)
			}
			if strings.Join(paths, ",") != strings.Join(c.notApplied, ",") {
				t.Errorf("instruments_not_applied %v, want %v", paths, c.notApplied)
			}
			if got := strings.Join(dqCodes(tr), ", "); got != strings.Join(c.flags, ", ") {
				t.Errorf("data_quality %q, want %q", got, c.flags)
			}
		})
	}
}

// TestG3SpecExampleRows: after the allocation of the spec's example each
// row has left, and emits, what the hand computation says; the exact
// total differs from 500 t only by the rounding of the one fraction
// (1,500 - 500) / 1,500 at 24 places.
func TestG3SpecExampleRows(t *testing.T) {
	req := Request{Return: g3Return(g3Claim("ppa", "S1", "500000", "PPA-1"), g3Claim("eac", "", "1500000", "EAC-1")),
		Factors: g3Factors(t, true)}
	s2 := g3Scope2(t, req)
	want := map[string][2]string{ // domain: kWh left, kg, at 6 places
		"core":        {"333333.333333", "100000"}, // 500,000 x 2/3; x 0.30
		"ran":         {"666666.666667", "400000"}, // 1,000,000 x 2/3; x 0.60
		"data_centre": {"0", "0"},
	}
	if len(s2.MarketRows) != 3 {
		t.Fatalf("%d rows", len(s2.MarketRows))
	}
	for _, r := range s2.MarketRows {
		w := want[r.Domain]
		if !r.Left.Round(6).Equal(e1Dec(w[0])) || !r.Kg.Round(6).Equal(e1Dec(w[1])) {
			t.Errorf("%s: left %s kWh, %s kg; want %s, %s", r.Domain, r.Left, r.Kg, w[0], w[1])
		}
	}
	if d := s2.MarketKg.Sub(e1Dec("500000")).Abs(); d.GreaterThan(e1Dec("1e-15")) {
		t.Errorf("market %s kg, %s from 500,000", s2.MarketKg, d)
	}
	// Market-based rates per domain on XX: core 100,000 kg / 1,000,000
	// kWh = 0.1; ran 400,000 / 1,000,000 = 0.4; data_centre 0.
	for domain, rate := range map[string]string{"core": "0.1", "ran": "0.4", "data_centre": "0"} {
		got, ok := s2.marketRate(req.Factors, domain, "XX")
		if !ok || !got.Round(12).Equal(e1Dec(rate)) {
			t.Errorf("marketRate(%s, XX) = %s, %v; want %s", domain, got, ok, rate)
		}
	}
	if _, ok := s2.marketRate(req.Factors, "office", "XX"); ok {
		t.Error("a rate for a domain with no rows")
	}
}

// TestG3MarketRateOfG11: the rate G11's cue_market takes, on the spec's
// G11 example: a data centre buying 1,300 MWh on a grid with residual
// mix 0.52 and EACs of 600 MWh: 700 MWh x 0.52 = 364 t over 1,300 MWh,
// so grid_kwh x rate = 1,300,000 x 0.28 = 364,000 kg.
func TestG3MarketRateOfG11(t *testing.T) {
	fs := g3Factors(t, true)
	fs.ResidualMix = map[string]ledger.GridFactor{"XX": {Value: e1DecP("0.52")}}
	r := &ledger.Return{Operator: "op", Period: ledger.Period{Year: 2026, Quarter: 1},
		Electricity:     []ledger.Electricity{{Domain: "data_centre", Grid: "XX", KWh: e1Dec("1300000")}},
		RenewableClaims: []ledger.RenewableClaim{g3Claim("eac", "", "600000", "E")}}
	s2 := g3Scope2(t, Request{Return: r, Factors: fs})
	rate, ok := s2.marketRate(fs, "data_centre", "XX")
	if !ok || !rate.Mul(e1Dec("1300000")).Round(6).Equal(e1Dec("364000")) {
		t.Errorf("rate %s (%v): x 1,300,000 kWh = %s kg, want 364,000", rate, ok, rate.Mul(e1Dec("1300000")))
	}
}
