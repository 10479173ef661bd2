package calculators

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// gridChoice is the factor the location-based method applies to one grid,
// where it comes from, and the data-quality flags it carries.
type gridChoice struct {
	Grid   string // the grid key as filed (possibly an alias)
	Factor ledger.GridFactor
	Value  decimal.Decimal
	Key    string // factor key for derivations, e.g. "grid.AU-NSW.value"
	Unit   string
	// Top is true when the choice is the grid's own entry, not one of its
	// alternatives: only then is the entry's scope3_cat3 the same
	// publisher's.
	Top   bool
	Flags []DataQuality
}

// basisRank orders bases as methodology 2026.1 G1 prefers them for the
// location-based method: direct, then a lifecycle average, then a
// margin factor. A basis not listed ranks last.
func basisRank(basis string) int {
	switch basis {
	case ledger.BasisDirect:
		return 0
	case ledger.BasisLifecycle:
		return 1
	case ledger.BasisOperatingMargin, ledger.BasisCombinedMargin:
		return 2
	}
	return 3
}

// maxFactorAgeYears is how many years a factor's data year may precede
// the period it is applied to before it is flagged (methodology 2026.1,
// versioning rules: "more than 3 years older").
const maxFactorAgeYears = 3

// chooseGridFactor picks the location-based factor of grid g for a
// return of period p. Under 2025.1 it is the grid's factor as the set
// gives it, with no flags, exactly as metrics.md has it. From 2026.1 on
// (G1) it is the grid's direct factor; where the set has none for the
// grid, a lifecycle average, then a margin factor, each flagged; and a
// factor whose data year is more than 3 years before p is flagged too.
// metric names the figure the flags concern.
func chooseGridFactor(req Request, g string, p ledger.Period, metric string) (gridChoice, bool) {
	fs := req.Factors
	canon := fs.CanonicalGrid(g)
	top, ok := fs.Grid[canon]
	if !ok {
		return gridChoice{}, false
	}
	c := gridChoice{Grid: g, Factor: top, Value: top.Factor(), Top: true,
		Key: "grid." + canon + "." + top.FactorField(), Unit: "kgCO2e/kWh"}
	if !req.since(ledger.Methodology20261) {
		return c, true
	}
	// The grid's own entry unless an alternative has a preferred basis;
	// among equals the first listed.
	best, bestRank := -1, basisRank(top.Basis)
	for i, a := range top.Alternatives {
		if r := basisRank(a.Basis); r < bestRank {
			best, bestRank = i, r
		}
	}
	if best >= 0 {
		a := top.Alternatives[best]
		c.Factor, c.Value, c.Top = a, a.Factor(), false
		c.Key = fmt.Sprintf("grid.%s.alternatives[%d].value", canon, best)
	}
	c.Unit = gridUnit(c.Factor)
	flag := func(code, format string, args ...any) {
		c.Flags = append(c.Flags, DataQuality{Code: code, Metric: metric, Grid: g, Message: fmt.Sprintf(format, args...)})
	}
	name := g
	if canon != g {
		name = g + " (" + canon + ")"
	}
	switch b := c.Factor.Basis; {
	case b == "":
		flag(DQGridBasisNotStated, "grid %s: factor set %s does not state the basis of its factor %s; it is used as the grid's average",
			name, fs.Version, c.Value)
	case b != ledger.BasisDirect:
		flag(DQGridBasisFallback, "grid %s: factor set %s has no direct factor; the %s factor %s %s (%s) is used instead",
			name, fs.Version, b, c.Value, c.Unit, c.Factor.Publisher)
	}
	switch y, ok := c.Factor.DataYearOf(); {
	case !ok:
		flag(DQGridFactorYearNotStated, "grid %s: factor set %s gives no data year for the factor %s, so its age against %s cannot be checked",
			name, fs.Version, c.Value, p)
	case p.Year-y > maxFactorAgeYears:
		flag(DQGridFactorOld, "grid %s: the factor %s is of %d, %d years before %s (more than %d)",
			name, c.Value, y, p.Year-y, p, maxFactorAgeYears)
	}
	return c, true
}

// gridUnit is the unit a derivation prints for a sourced factor: its gas
// per kWh (CO2 or CO2e), as the set records.
func gridUnit(f ledger.GridFactor) string {
	if f.Gas == "co2" {
		return "kgCO2/kWh"
	}
	return "kgCO2e/kWh"
}

// source is the text a derivation cites for a sourced grid factor: its
// publisher, document, basis, year and evidence level. An entry of the
// apt-2025.1 shape has none of it; the caller falls back to the set's
// source text then.
func (c gridChoice) source() string {
	f := c.Factor
	if f.Publisher == "" {
		return ""
	}
	parts := []string{f.Publisher}
	if f.Document != "" {
		parts = append(parts, f.Document)
	}
	meta := "basis " + f.Basis
	if y, ok := f.DataYearOf(); ok {
		meta += fmt.Sprintf(", data year %d", y)
	}
	if f.Gas != "" {
		meta += ", " + f.Gas
	}
	if f.LossesIncluded {
		meta += ", T&D losses included"
	}
	if f.Evidence != "" {
		meta += ", evidence " + f.Evidence
	}
	if f.URL != "" {
		meta += ", " + f.URL
	}
	return strings.Join(parts, ", ") + " (" + meta + ")"
}

// basisNote says, for a derivation's notes, which basis the location-based
// factor is on and whose it is (methodology 2026.1: each headline figure's
// derivation names its basis): "location-based, direct basis, DCCEEW,
// NGA 2025 edition, data year 2025", or "location-based, lifecycle basis
// (fallback: no direct factor for the grid), Ember, data year 2023".
func (c gridChoice) basisNote() string {
	f := c.Factor
	s := "location-based, basis not stated"
	switch {
	case f.Basis == ledger.BasisDirect:
		s = "location-based, direct basis"
	case f.Basis != "":
		s = "location-based, " + f.Basis + " basis (fallback: no direct factor for the grid)"
	}
	if f.Publisher != "" {
		s += ", " + f.Publisher
	}
	if f.Period != "" {
		s += ", " + f.Period
	}
	if y, ok := f.DataYearOf(); ok {
		s += fmt.Sprintf(", data year %d", y)
	}
	return s
}

// logTo records the chosen factor in a derivation's factor log, with its
// own source where the set gives one.
func (c gridChoice) logTo(l *e1FactorLog) {
	if src := c.source(); src != "" {
		l.useSourced(c.Key, c.Value, c.Unit, src)
		return
	}
	l.use(c.Key, c.Value, c.Unit, "grid")
}

// countryOf is the country of a grid key: the part before the region
// ("AU" of "AU-VIC"), after following the set's aliases.
func countryOf(fs *ledger.FactorSet, g string) string {
	c, _, _ := strings.Cut(fs.CanonicalGrid(g), "-")
	return c
}
