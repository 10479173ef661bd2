package filing

import (
	"strings"
	"testing"

	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
)

// factors20261 is apt-2026.1, which has Australia's state grids.
func factors20261(t *testing.T) *ledger.FactorSet {
	t.Helper()
	fs, err := ledger.ParseFactorSet(fixtures.FactorSet20261())
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// TestGridKeysOfTheFactorSet: grid keys are checked against the return's
// factor set (methodology 2026.1 G2): an alias is a grid, a country key
// of a country with regions is accepted with one warning, a region the
// set lacks is a problem naming the keys it has for that country.
func TestGridKeysOfTheFactorSet(t *testing.T) {
	cases := []struct {
		name     string
		grids    []string // electricity[0], [1], ...
		problem  string   // message of electricity[0].grid, "" for none
		warnings []string // "rule path"
	}{
		{name: "AU-ACT alias of AU-NSW", grids: []string{"AU-ACT"}},
		{name: "state grid", grids: []string{"AU-VIC", "AU-WA"}},
		{name: "country key with regions warns once", grids: []string{"AU", "AU"},
			warnings: []string{"grid_country_key electricity[0].grid"}},
		{name: "country key without regions", grids: []string{"TH"}},
		{name: "unknown AU region", grids: []string{"AU-XYZ"},
			problem: `unknown grid "AU-XYZ": factor set apt-2026.1 has no grid factor for it; its keys for AU are AU, AU-ACT, AU-NSW, AU-NT, AU-QLD, AU-SA, AU-TAS, AU-VIC, AU-WA`},
		{name: "unknown country", grids: []string{"ZZ-A"},
			problem: `unknown grid "ZZ-A": factor set apt-2026.1 has no grid factor for it`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := decodeExample(t)
			ctx := exampleContext(t)
			ctx.Factors = factors20261(t)
			for i, g := range c.grids {
				r.Electricity[i].Grid = g
			}
			probs, warns := Validate(r, ctx)
			var got string
			for _, p := range probs {
				if p.Path == "electricity[0].grid" {
					got = p.Message
				} else if strings.HasSuffix(p.Path, ".grid") {
					t.Errorf("unexpected problem %s: %s", p.Path, p.Message)
				}
			}
			if got != c.problem {
				t.Errorf("electricity[0].grid: %q, want %q", got, c.problem)
			}
			var gw []string
			for _, w := range warns {
				if strings.HasPrefix(w.Rule, "grid_") {
					gw = append(gw, w.Rule+" "+w.Path)
				}
			}
			if strings.Join(gw, "; ") != strings.Join(c.warnings, "; ") {
				t.Errorf("grid warnings %q, want %q", gw, c.warnings)
			}
		})
	}
}

// TestClaimsMarketIsTheCountry: under apt-2026.1 a claim on one state
// grid may cover the purchases of the others (the market is the
// country); the limit is the country's purchases.
func TestClaimsMarketIsTheCountry(t *testing.T) {
	r := decodeExample(t)
	ctx := exampleContext(t)
	ctx.Factors = factors20261(t)
	for i := range r.Electricity {
		r.Electricity[i].Grid = "AU-NSW"
	}
	for i := range r.DataCentres {
		r.DataCentres[i].Grid = "AU-NSW"
	}
	for i := range r.RenewableClaims {
		r.RenewableClaims[i].Grid = "AU-VIC" // no AU-VIC purchases at all
	}
	probs, _ := Validate(r, ctx)
	for _, p := range probs {
		if strings.HasPrefix(p.Path, "renewable_claims") {
			t.Errorf("%s: %s", p.Path, p.Message)
		}
	}
	// Under apt-2025.1's rule (market = grid) the same claims on a grid
	// without purchases are a problem: shown with a JP claim on KR.
	r = decodeExample(t)
	r.RenewableClaims[0].Grid = "KR"
	probs, _ = Validate(r, exampleContext(t))
	found := false
	for _, p := range probs {
		found = found || p.Path == "renewable_claims[0].grid"
	}
	if !found {
		t.Error("a claim on a grid without purchases passes under apt-2025.1")
	}
}
