package web

import (
	"strconv"
	"strings"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
)

// gridNote is what the return page adds to a grid factor of a
// derivation, from the factor set: the basis the factor is on and the
// evidence level of its source (the regulator's pages show each factor's
// evidence level; the set's sources are listed under docs/).
type gridNote struct {
	Basis     string // e.g. "direct", "lifecycle (not direct)", "not stated"
	Evidence  string // "primary", "secondary", "carried" or "not stated"
	Publisher string
}

// derivationView is a derivation with the notes of the grid factors it
// uses, keyed by factor key; Grid is nil when the set has none to give.
type derivationView struct {
	*calculators.Derivation
	Grid map[string]*gridNote
}

// withGridNotes pairs a derivation (a value or a pointer, as the page's
// lists hold them) with the page's grid notes, for the "derivation"
// template.
func withGridNotes(d any, notes map[string]*gridNote) derivationView {
	switch d := d.(type) {
	case *calculators.Derivation:
		return derivationView{Derivation: d, Grid: notes}
	case calculators.Derivation:
		return derivationView{Derivation: &d, Grid: notes}
	}
	return derivationView{Derivation: &calculators.Derivation{}}
}

// gridNotes finds, for every grid factor the derivations use, its basis
// and evidence in fs. A set that states neither (apt-2025.1) gives no
// note, so that its pages read as before.
func gridNotes(fs *ledger.FactorSet, ds []calculators.Derivation) map[string]*gridNote {
	if fs == nil {
		return nil
	}
	out := map[string]*gridNote{}
	for _, d := range ds {
		for _, f := range d.Factors {
			if _, done := out[f.Key]; done || !strings.HasPrefix(f.Key, "grid.") {
				continue
			}
			g, ok := gridFactorAt(fs, f.Key)
			if !ok || (g.Basis == "" && g.Evidence == "") {
				continue
			}
			out[f.Key] = &gridNote{Basis: basisText(g.Basis), Evidence: orNotStated(g.Evidence), Publisher: g.Publisher}
		}
	}
	return out
}

// gridFactorAt is the grid factor (or alternative) a factor key names:
// "grid.AU-VIC.value" or "grid.JP.alternatives[1].value".
func gridFactorAt(fs *ledger.FactorSet, key string) (ledger.GridFactor, bool) {
	grid, field, _ := strings.Cut(strings.TrimPrefix(key, "grid."), ".")
	top, ok := fs.Grid[grid]
	if !ok {
		return ledger.GridFactor{}, false
	}
	rest, ok := strings.CutPrefix(field, "alternatives[")
	if !ok {
		return top, true
	}
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return ledger.GridFactor{}, false
	}
	i, err := strconv.Atoi(rest[:end])
	if err != nil || i < 0 || i >= len(top.Alternatives) {
		return ledger.GridFactor{}, false
	}
	return top.Alternatives[i], true
}

// basisText says a location-based factor's basis, and that any basis
// but direct stands in for a direct factor (methodology 2026.1 G1).
func basisText(b string) string {
	switch b {
	case "":
		return "not stated"
	case ledger.BasisDirect:
		return "direct"
	}
	return strings.ReplaceAll(b, "_", " ") + " (not direct)"
}

func orNotStated(s string) string {
	if s == "" {
		return "not stated"
	}
	return s
}
