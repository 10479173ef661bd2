package ledger

import (
	"fmt"
	"strings"
)

// Methodology versions: the rules metrics are computed by. 2025.1 is
// docs/spec/metrics.md as first published; 2026.1 adds the corrections of
// docs/methodology-2026.md. A later version is listed after an earlier one.
const (
	Methodology20251 = "2025.1"
	Methodology20261 = "2026.1"
)

// Methodologies lists the methodology versions this build computes, oldest
// first.
var Methodologies = []string{Methodology20251, Methodology20261}

// MethodologyAtLeast reports whether methodology m is version min or a
// later one. Both must be in Methodologies; an unknown m is not at least
// anything. Calculators switch on it, so that a rule added in 2026.1 also
// holds in every later version.
func MethodologyAtLeast(m, min string) bool {
	im, imin := methodologyIndex(m), methodologyIndex(min)
	return im >= 0 && imin >= 0 && im >= imin
}

func methodologyIndex(m string) int {
	for i, x := range Methodologies {
		if x == m {
			return i
		}
	}
	return -1
}

// CheckMethodology returns an EInvalid error naming field when m is not a
// methodology this build knows.
func CheckMethodology(field, m string) error {
	if methodologyIndex(m) >= 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: fmt.Sprintf("unknown methodology %q", m),
		Fields: []FieldError{{Path: field, Message: "must be one of " + strings.Join(Methodologies, ", ")}}}
}

// MethodologyOf is the methodology the set is meant for: its methodology
// field, or 2025.1 for a set that predates the field.
func (fs *FactorSet) MethodologyOf() string {
	if fs.Methodology == "" {
		return Methodology20251
	}
	return fs.Methodology
}

// Grid factor bases (methodology 2026.1 G1), in the order the
// location-based method prefers them: a direct (combustion) average, then
// a lifecycle average, then a margin factor.
const (
	BasisDirect             = "direct"
	BasisLifecycle          = "lifecycle"
	BasisOperatingMargin    = "operating_margin"
	BasisCombinedMargin     = "combined_margin"
	BasisResidualMix        = "residual_mix"
	BasisPartialResidualMix = "partial_residual_mix"
)

// GridBases are the bases a grid factor (or an alternative) may have.
var GridBases = []string{BasisDirect, BasisLifecycle, BasisOperatingMargin, BasisCombinedMargin}

// ResidualMixBases are the bases a residual-mix factor may have.
var ResidualMixBases = []string{BasisResidualMix, BasisPartialResidualMix}

// Evidences are the evidence levels of a sourced factor: the publisher's
// own document was read (primary), only a faithful quotation of it
// (secondary), or the value was kept from the set it is based on without
// reading it again (carried).
var Evidences = []string{"primary", "secondary", "carried"}

// checkSourced lists what a grid or residual-mix entry of a set of
// methodology 2026.1 or later lacks: its value, unit, basis (one of
// bases), publisher, document, url and evidence. A carried entry may lack
// a url: it was kept from the earlier set, which gave none, and says so
// in its evidence.
func checkSourced(path string, g GridFactor, bases []string, add func(path, msg string)) {
	if g.Value == nil {
		add(path+".value", "is required")
	} else if g.Value.Sign() < 0 {
		add(path+".value", "must be >= 0")
	}
	if g.KgCO2ePerKWh != nil {
		add(path+".kgco2e_per_kwh", "is the apt-2025.1 shape; a sourced entry gives value and unit")
	}
	for _, f := range []struct{ name, v string }{
		{"unit", g.Unit}, {"publisher", g.Publisher}, {"document", g.Document}, {"evidence", g.Evidence},
	} {
		if strings.TrimSpace(f.v) == "" {
			add(path+"."+f.name, "is required")
		}
	}
	if g.Unit != "" && g.Unit != "kg/kWh" {
		add(path+".unit", "must be kg/kWh")
	}
	switch {
	case g.Basis == "":
		add(path+".basis", "is required")
	case !OneOf(g.Basis, bases):
		add(path+".basis", "must be one of "+strings.Join(bases, ", "))
	}
	if g.Evidence != "" && !OneOf(g.Evidence, Evidences) {
		add(path+".evidence", "must be one of "+strings.Join(Evidences, ", "))
	}
	if strings.TrimSpace(g.URL) == "" && g.Evidence != "carried" {
		add(path+".url", "is required (the page that was read)")
	}
	if g.Gas != "" && g.Gas != "co2" && g.Gas != "co2e" {
		add(path+".gas", "must be co2 or co2e")
	}
}

// checkMethodology lists what a set meant for methodology 2026.1 or later
// lacks: sourced grid and residual-mix entries, aliases that lead to a
// grid. A 2025.1 set is not asked for any of it.
func (fs *FactorSet) checkMethodology(add func(path, msg string)) {
	if fs.Methodology != "" && methodologyIndex(fs.Methodology) < 0 {
		add("methodology", "must be one of "+strings.Join(Methodologies, ", "))
		return
	}
	if !MethodologyAtLeast(fs.MethodologyOf(), Methodology20261) {
		return
	}
	for k, g := range fs.Grid {
		checkSourced("grid."+k, g, GridBases, add)
		for i, a := range g.Alternatives {
			p := fmt.Sprintf("grid.%s.alternatives[%d]", k, i)
			if a.Value == nil {
				add(p+".value", "is required")
			}
			if !OneOf(a.Basis, GridBases) {
				add(p+".basis", "must be one of "+strings.Join(GridBases, ", "))
			}
		}
	}
	for k, g := range fs.ResidualMix {
		checkSourced("residual_mix."+k, g, ResidualMixBases, add)
	}
	for from, to := range fs.GridAliases {
		if _, ok := fs.Grid[to]; !ok {
			add("grid_aliases."+from, fmt.Sprintf("names grid %q, which the set lacks", to))
		}
		if _, ok := fs.Grid[from]; ok {
			add("grid_aliases."+from, "is a grid of its own; an alias must not be")
		}
	}
}
