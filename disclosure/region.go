package disclosure

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/templates"
)

// regionReport builds the view model of a public regional report: for
// each country with an accepted return in the span, its operators'
// accepted returns summed and the headline intensities recomputed from
// the sums (calculators.Sector, as the regional view computes them), the
// coverage, the region's totals and the median of the countries'
// intensities. Only accepted quarters reach it: the bundle's basis must
// be BasisAccepted, which drops every other quarter before this runs.
func regionReport(b *Bundle, in *inputs) (*templates.RegionReport, error) {
	if b.Basis != BasisAccepted {
		return nil, fmt.Errorf("a regional document uses accepted returns only; its basis must be %q, not %q", BasisAccepted, b.Basis)
	}
	span, err := ledger.ParseSpan(b.Period)
	if err != nil {
		return nil, err
	}
	cp, err := b.checkpointOf()
	if err != nil {
		return nil, err
	}
	if b.CountedAt == 0 || b.CountedAt > cp.Size {
		return nil, fmt.Errorf("a regional document counts operators in a tree of %d entries, not in its checkpoint's of %d", b.CountedAt, cp.Size)
	}
	r := &templates.RegionReport{Period: span.String(), Methodology: b.Methodology,
		Checkpoint: templates.Checkpoint{Origin: cp.Origin, Size: cp.Size, Root: cp.Root.String(), Note: b.Checkpoint},
		LedgerTime: in.last}
	coverage, counted, err := regionCoverage(b, in, span)
	if err != nil {
		return nil, err
	}
	gwps, factorSets := map[string]bool{}, map[string]bool{}
	for _, o := range counted {
		gwps[strings.ToUpper(o.GWP)] = true
		for _, v := range o.FactorSets {
			factorSets[v] = true
		}
	}
	// Sorted: the document must render to the same bytes every time.
	r.FactorSet = strings.Join(slices.Sorted(maps.Keys(factorSets)), ", ")
	r.GWP = strings.Join(slices.Sorted(maps.Keys(gwps)), ", ")
	var total *calculators.SectorTotal
	byCountry := map[string]*calculators.SectorTotal{}
	if len(counted) > 0 {
		total, byCountry = calculators.Sector(counted)
	}
	heads := calculators.RegionHeadlines()
	for _, cc := range slices.Sorted(maps.Keys(byCountry)) {
		t := byCountry[cc]
		c := templates.RegionCountry{Country: cc, Name: regionName(in, cc), Coverage: *coverage[cc]}
		for _, h := range heads {
			c.Figures = append(c.Figures, h.Get(t.E1, t.E2, t.E3))
		}
		r.Countries = append(r.Countries, c)
	}
	r.Metrics = regionMetrics(heads, total, r.Countries)
	for _, cc := range slices.Sorted(maps.Keys(coverage)) {
		c := coverage[cc]
		r.Coverage.Due += c.Due
		r.Coverage.Filed += c.Filed
		r.Coverage.Accepted += c.Accepted
		r.Coverage.Counted = append(r.Coverage.Counted, c.Counted...)
	}
	if total != nil && total.Coverage != nil {
		for _, p := range total.Coverage.Partial {
			r.Partial = append(r.Partial, fmt.Sprintf("%s: accepted returns for %s only (none for %s); its flows count those quarters, its stocks are those of the last.",
				in.operators[p.Operator].Name, strings.Join(p.Quarters, ", "), strings.Join(p.Missing, ", ")))
		}
	}
	return r, nil
}

// regionCoverage counts, by country, the operators due for the span
// and those that filed (the bundle's statement, Bundle.Coverage) and the
// operators with accepted returns, whose roll-ups it returns (in
// operator id order) for summing. The statement must hold what the
// entries prove, or the bundle does not render: every country with an
// accepted operator is stated, with at least as many filed and due.
func regionCoverage(b *Bundle, in *inputs, span ledger.Span) (map[string]*templates.RegionCoverage, []calculators.OperatorRollup, error) {
	coverage := map[string]*templates.RegionCoverage{}
	for cc, n := range b.Coverage {
		if n.Filed < 0 || n.Due < n.Filed {
			return nil, nil, fmt.Errorf("coverage of %s: %d filed of %d due", cc, n.Filed, n.Due)
		}
		coverage[cc] = &templates.RegionCoverage{Due: n.Due, Filed: n.Filed}
	}
	var counted []calculators.OperatorRollup
	for _, id := range slices.Sorted(maps.Keys(in.operators)) {
		op := in.operators[id]
		roll, err := regionRollup(in, id, span)
		if err != nil {
			return nil, nil, err
		}
		if roll == nil {
			continue
		}
		c := coverage[op.Country]
		if c == nil || c.Accepted == c.Filed {
			return nil, nil, fmt.Errorf("coverage of %s: the bundle states fewer filing operators than it holds accepted", op.Country)
		}
		c.Accepted++
		c.Counted = append(c.Counted, op.Name)
		counted = append(counted, calculators.OperatorRollup{Country: op.Country, Rollup: roll})
	}
	return coverage, counted, nil
}

// regionRollup is an operator's roll-up of the span over the quarters
// the bundle holds (accepted ones only, see applyBasis), or nil when it
// has none there. Like the regional view, each quarter is computed under
// the factor set of the span's latest counted quarter, with that set's
// GWP and methodology, and with the operator's earlier quarters in the
// bundle as its history.
func regionRollup(in *inputs, operator string, span ledger.Span) (*calculators.Rollup, error) {
	var ps []ledger.Period
	for _, p := range span.Quarters() {
		if in.returns[operator][p] != nil {
			ps = append(ps, p)
		}
	}
	if len(ps) == 0 {
		return nil, nil
	}
	latest := in.returns[operator][ps[len(ps)-1]]
	fs := in.factorSets[latest.FactorSet]
	if fs == nil {
		return nil, fmt.Errorf("the bundle lacks factor set %s used by %s", latest.FactorSet, latest.ID)
	}
	var quarters []*calculators.Metrics
	for _, p := range ps {
		f := in.returns[operator][p]
		m, err := calculators.Compute(calculators.Request{Return: &f.Return, ID: f.ID, Version: f.Version,
			Earlier: in.earlier(operator, p), Factors: fs, GWP: fs.GWPDefault, Methodology: fs.MethodologyOf(), Densities: in.densities})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.ID, err)
		}
		quarters = append(quarters, m)
	}
	if !span.IsYear() {
		return calculators.Quarter(quarters[0]), nil
	}
	return calculators.Year(operator, span.Year, quarters)
}

// regionMetrics describes the report's figures: the region's value of
// each and, for an intensity, the median of the countries that have one.
func regionMetrics(heads []calculators.RegionHeadline, total *calculators.SectorTotal, countries []templates.RegionCountry) []templates.RegionMetric {
	out := make([]templates.RegionMetric, 0, len(heads))
	for i, h := range heads {
		m := templates.RegionMetric{Key: h.Key, Label: h.Label, Unit: unitOf(h.Unit), Intensity: h.Intensity,
			Region: calculators.None, Median: calculators.None}
		if total != nil {
			m.Region = h.Get(total.E1, total.E2, total.E3)
		}
		var values []calculators.Value
		for _, c := range countries {
			if v := c.Figures[i]; v.OK {
				values = append(values, v)
			}
		}
		m.Reporting = len(values)
		if h.Intensity && len(values) > 0 {
			ds := make([]decimal.Decimal, len(values))
			for k, v := range values {
				ds[k] = v.D
			}
			m.Median = calculators.Some(calculators.Median(ds))
		}
		out = append(out, m)
	}
	return out
}

// regionName is how the regional report names a country: its
// administration's name (with its own-language name) from the
// jurisdiction record given, or the country code without one.
func regionName(in *inputs, cc string) string {
	if j, ok := in.jurisdictions[cc]; ok && j.Name != "" {
		return AdministrationName(j)
	}
	return cc
}
