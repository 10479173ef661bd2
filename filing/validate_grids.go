package filing

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// gridKey checks a grid key against the return's factor set
// (methodology 2026.1 G2): a key the set lacks is a problem, one naming
// the keys the set has for the key's country when it has any; a country
// key for a country whose set has regions is accepted with a warning,
// once per key.
func (v *validator) gridKey(grid string, path func() string) {
	fs := v.c.Factors
	k, ok := v.gridKeys[grid]
	if !ok {
		// Site rows repeat a few keys many times: look each up once.
		if v.gridKeys == nil {
			v.gridKeys = map[string]ledger.GridKey{}
		}
		k = fs.GridKeyOf(grid)
		v.gridKeys[grid] = k
	}
	switch {
	case !k.Known && len(fs.CountryKeys(k.Country)) > 0 && grid != k.Country:
		v.add(path(), "unknown grid %q: factor set %s has no grid factor for it; its keys for %s are %s",
			grid, fs.Version, k.Country, strings.Join(fs.CountryKeys(k.Country), ", "))
	case !k.Known:
		v.add(path(), "unknown grid %q: factor set %s has no grid factor for it", grid, fs.Version)
	case k.IsCountry(grid) && len(k.Regions) > 0 && !v.countryKeyWarned[grid]:
		if v.countryKeyWarned == nil {
			v.countryKeyWarned = map[string]bool{}
		}
		v.countryKeyWarned[grid] = true
		v.warn("grid_country_key", path(),
			"grid %q is the national average, and factor set %s has the grids of %s's regions (%s): file the region of each row",
			grid, fs.Version, grid, strings.Join(k.Regions, ", "))
	}
}

// market is the market a claim's grid belongs to: the country from
// methodology 2026.1 (G2), the grid before it, and the grid too when the
// factor set is unknown.
func (v *validator) market(grid string) string {
	if v.c.Factors == nil {
		return grid
	}
	return v.c.Factors.MarketOf(grid)
}

// purchasedIn is the electricity purchased in a market, and whether any
// row buys in it.
func (v *validator) purchasedIn(market string) (decimal.Decimal, bool) {
	var sum decimal.Decimal
	found := false
	for g, q := range v.purchased {
		if v.market(g) == market {
			sum, found = sum.Add(q), true
		}
	}
	return sum, found
}
