package disclosure

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/templates"
)

// likeWithLike sets c up for a disclosure_v3 document: the quarters
// outside span are computed with the factor set of span's last quarter
// that has a return (and, as every quarter, under the bundle's
// methodology), so that the comparisons and charts compare like with like
// (methodology 2026.1, versioning rules; GHG Protocol Corporate Standard
// ch. 5). The bundle holds that factor set: it is the one a covered
// return was filed with.
func (c *calc) likeWithLike(span ledger.Span) {
	qs := span.Quarters()
	for i := len(qs) - 1; i >= 0; i-- {
		if f := c.in.returns[c.operator][qs[i]]; f != nil {
			c.like, c.span0 = c.in.factorSets[f.FactorSet], span
			return
		}
	}
}

// likeFor is the factor set a quarter outside the document's span is
// recomputed with; nil for a quarter of the span, and for every quarter of
// a document of an earlier layout (c.like unset).
func (c *calc) likeFor(p ledger.Period) *ledger.FactorSet {
	if c.like == nil || p.Year == c.span0.Year && (c.span0.IsYear() || p.Quarter == c.span0.Quarter) {
		return nil
	}
	return c.like
}

// recompute computes an earlier quarter with the document's factor set.
// A return that cannot be computed with it (a grid or fuel the set lacks)
// is left out of the comparisons, with the reason, rather than compared
// on another basis.
func (c *calc) recompute(p ledger.Period, req calculators.Request) *calculators.Metrics {
	m, err := calculators.Compute(req)
	if err != nil {
		c.kept = append(c.kept, p.String())
		c.keptWhy = append(c.keptWhy, calculators.Unavailable{Metric: "comparison." + p.String(),
			Reason: fmt.Sprintf("%s (%s) cannot be recomputed under methodology %s with factor set %s: %s",
				p, req.ID, c.methodology, req.Factors.Version, ledger.ErrorMessage(err))})
		return nil
	}
	c.recomputed = append(c.recomputed, p.String())
	return m
}

// since20261View is what disclosure_v3 adds to the view model: the
// figures of calculators.Figures20261 the roll-up has, the facilities'
// CUE, the boundary, the grid factors used with their basis, the
// data-quality flags of the span's quarters, and how the comparisons
// were computed.
func since20261View(c *calc, roll *calculators.Rollup, quarters []*calculators.Metrics) *templates.Since20261 {
	s := &templates.Since20261{Recomputed: sortedPeriods(c.recomputed), Kept: sortedPeriods(c.kept)}
	if c.like != nil {
		s.ComparisonFactorSet = c.like.Version
	}
	why := map[string]string{}
	for _, u := range roll.Unavailable {
		if _, ok := why[u.Metric]; !ok {
			why[u.Metric] = u.Reason
		}
	}
	for _, f := range calculators.Figures20261() {
		v := f.Get(roll.E1, roll.E2, roll.E3)
		if v == nil {
			continue
		}
		a := templates.AddedFigure{Metric: templates.Metric{Key: f.Key, Label: f.Label, Unit: unitOf(f.Unit), Value: *v}}
		if !v.OK {
			a.Note = why[f.Key]
		}
		switch f.Section {
		case "E1":
			s.E1 = append(s.E1, a)
		case "E2":
			s.E2 = append(s.E2, a)
		default:
			s.E3 = append(s.E3, a)
		}
	}
	if e := roll.E1; e != nil {
		for _, dc := range e.DataCentres {
			if dc.CUELocation != nil && dc.CUEMarket != nil {
				s.DataCentres = append(s.DataCentres, templates.DataCentreCUE{ID: dc.ID, Location: *dc.CUELocation, Market: *dc.CUEMarket})
			}
		}
		s.Boundary = boundaryWords(e.Boundary)
	}
	s.GridFactors = gridFactorsUsed(c.in, quarters)
	s.DataQuality = dataQualityGroups(quarters)
	return s
}

// sortedPeriods sorts quarter keys ("2025-Q3") oldest first.
func sortedPeriods(ps []string) []string {
	out := append([]string(nil), ps...)
	sort.Strings(out)
	return out
}

// boundaryWords states a return's boundary (G14) in words; "" when none.
func boundaryWords(b *ledger.Boundary) string {
	if b == nil {
		return ""
	}
	var parts []string
	if b.Consolidation != "" {
		parts = append(parts, "consolidation by "+strings.ReplaceAll(b.Consolidation, "_", " "))
	}
	if b.TowerEnergy != "" {
		parts = append(parts, "energy of leased tower sites "+b.TowerEnergy)
	}
	return strings.Join(parts, "; ")
}

// gridFactorsUsed lists the grid factors the quarters' derivations cite
// (factor keys "grid.KEY.FIELD" or "grid.KEY.alternatives[i].value"),
// each looked up in the factor set the quarter was computed with, once
// per set and key, in the order of the set and key.
func gridFactorsUsed(in *inputs, quarters []*calculators.Metrics) []templates.GridFactorUse {
	type use struct{ set, key string }
	seen := map[use]bool{}
	var out []templates.GridFactorUse
	for _, q := range quarters {
		fs := in.factorSets[q.FactorSet]
		if fs == nil {
			continue
		}
		for _, d := range q.Derivations {
			for _, f := range d.Factors {
				u := use{q.FactorSet, f.Key}
				if !strings.HasPrefix(f.Key, "grid.") || seen[u] {
					continue
				}
				seen[u] = true
				if g, ok := gridFactorOf(fs, f.Key); ok {
					out = append(out, g)
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].FactorSet != out[j].FactorSet {
			return out[i].FactorSet < out[j].FactorSet
		}
		return out[i].Grid < out[j].Grid
	})
	return out
}

// gridFactorOf finds the grid factor a derivation's factor key names.
func gridFactorOf(fs *ledger.FactorSet, key string) (templates.GridFactorUse, bool) {
	grid, field, _ := strings.Cut(strings.TrimPrefix(key, "grid."), ".")
	top, ok := fs.Grid[grid]
	if !ok {
		return templates.GridFactorUse{}, false
	}
	f := top
	if rest, ok := strings.CutPrefix(field, "alternatives["); ok {
		i, err := strconv.Atoi(rest[:max(strings.IndexByte(rest, ']'), 0)])
		if err != nil || i < 0 || i >= len(top.Alternatives) {
			return templates.GridFactorUse{}, false
		}
		f = top.Alternatives[i]
	}
	g := templates.GridFactorUse{Grid: grid, Name: top.Name, FactorSet: fs.Version, Value: f.Factor(),
		Unit: "kg CO₂e/kWh", Basis: basisWords(f.Basis), Evidence: f.Evidence, Source: factorSource(f)}
	if f.Gas == "co2" {
		g.Unit = "kg CO₂/kWh"
	}
	if y, ok := f.DataYearOf(); ok {
		g.DataYear = strconv.Itoa(y)
	}
	return g, true
}

// factorSource names a grid factor's publisher, the publisher's own name
// of the factor and the edition, as far as the set gives them.
func factorSource(f ledger.GridFactor) string {
	s := f.Publisher
	if f.PublisherLabel != "" {
		s += ", \u201c" + f.PublisherLabel + "\u201d"
	}
	if f.Period != "" {
		s += ", " + f.Period
	}
	return strings.TrimPrefix(s, ", ")
}

// basisWords says which basis a location-based factor is on, and that a
// basis other than direct stands in for a missing direct factor
// (methodology 2026.1 G1).
func basisWords(b string) string {
	switch b {
	case "":
		return "not stated"
	case ledger.BasisDirect:
		return "direct"
	}
	return strings.ReplaceAll(b, "_", " ") + " (fallback: no direct factor)"
}

// dataQualityGroups groups the quarters' data-quality flags by code, in
// the order each code first appears.
func dataQualityGroups(quarters []*calculators.Metrics) []templates.DataQualityGroup {
	var out []templates.DataQualityGroup
	at := map[string]int{}
	for _, q := range quarters {
		for _, f := range q.DataQuality {
			i, ok := at[f.Code]
			if !ok {
				i = len(out)
				at[f.Code] = i
				out = append(out, templates.DataQualityGroup{Code: f.Code, Meaning: calculators.DataQualityMeaning(f.Code)})
			}
			about := f.Metric
			if f.Grid != "" {
				about += ", grid " + f.Grid
			}
			if f.Row != "" {
				about += ", " + f.Row
			}
			out[i].Flags = append(out[i].Flags, templates.DataQualityFlag{Period: q.Period, About: about, Message: f.Message})
		}
	}
	return out
}
