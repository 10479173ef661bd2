package ledger

import (
	"sort"
	"strings"
)

// Grid keys are a country code ("AU", the national average) or
// CC-REGION ("AU-VIC", a sub-national grid), and the aliases a factor
// set lists ("AU-ACT" for AU-NSW): methodology 2026.1 G2.

// GridKey is how a factor set takes a grid key filed in a return.
type GridKey struct {
	// Known is true when the key, or the grid its alias names, has a
	// factor in the set.
	Known bool
	// Country is the key's country code, the part before "-".
	Country string
	// Regions are the set's region keys (and aliases) of Country, sorted;
	// empty when the set has none for it.
	Regions []string
}

// IsCountry reports whether the key filed was the country's own key.
func (k GridKey) IsCountry(key string) bool { return key == k.Country }

// GridKeyOf tells how the set takes grid key key: whether it knows it,
// and which region keys the set has for its country. Filing rules
// build on it: a country key for a country with regions is accepted
// with a warning, a region key the set lacks is an error naming the
// keys it has for the country.
func (fs *FactorSet) GridKeyOf(key string) GridKey {
	country, _, _ := strings.Cut(key, "-")
	k := GridKey{Country: country}
	_, k.Known = fs.Grid[fs.CanonicalGrid(key)]
	prefix := country + "-"
	for g := range fs.Grid {
		if strings.HasPrefix(g, prefix) {
			k.Regions = append(k.Regions, g)
		}
	}
	for a := range fs.GridAliases {
		if strings.HasPrefix(a, prefix) {
			k.Regions = append(k.Regions, a)
		}
	}
	sort.Strings(k.Regions)
	return k
}

// CountryKeys lists every key the set takes for a country: its national
// key when the set has one, then its regions and aliases, for messages.
func (fs *FactorSet) CountryKeys(country string) []string {
	k := fs.GridKeyOf(country)
	var out []string
	if _, ok := fs.Grid[country]; ok {
		out = append(out, country)
	}
	return append(out, k.Regions...)
}

// MarketOf is the market a grid key's renewable claims belong to: from
// methodology 2026.1 the country (G2: a Victorian certificate may cover
// NSW rows), before it the grid itself.
func (fs *FactorSet) MarketOf(key string) string {
	if !MethodologyAtLeast(fs.MethodologyOf(), Methodology20261) {
		return key
	}
	country, _, _ := strings.Cut(fs.CanonicalGrid(key), "-")
	return country
}
