package calculators

import (
	"fmt"
	"sort"

	"github.com/ictledger/ictledger/ledger"
)

// Metrics is the result for one return, as GET /v1/returns/{rid}/metrics
// shows it.
type Metrics struct {
	Operator    string           `json:"operator"`
	Period      string           `json:"period"`
	Return      string           `json:"return"`
	Version     int              `json:"version"`
	FactorSet   string           `json:"factor_set"`
	GWP         string           `json:"gwp"`
	Methodology string           `json:"methodology"`
	E1          *E1              `json:"e1"`
	E2          *E2              `json:"e2"`
	E3          *E3              `json:"e3"`
	Derivations []Derivation     `json:"derivations"`
	Unavailable []Unavailable    `json:"unavailable"`
	DataQuality []DataQuality    `json:"data_quality"`
	Warnings    []ledger.Warning `json:"warnings"`
}

// Compute runs the E1, E2 and E3 calculators over one return. Warnings
// are the caller's to fill: they were raised at filing.
func Compute(req Request) (*Metrics, error) {
	if req.Return == nil || req.Factors == nil {
		return nil, fmt.Errorf("calculators: a return and a factor set are required")
	}
	if req.GWP == "" {
		req.GWP = req.Factors.GWPDefault
	}
	if req.GWP != "ar6" && req.GWP != "ar5" {
		return nil, &ledger.Error{Code: ledger.EInvalid, Message: "unknown GWP set",
			Fields: []ledger.FieldError{{Path: "gwp", Message: "must be ar6 or ar5"}}}
	}
	m, err := resolveMethodology(req)
	if err != nil {
		return nil, err
	}
	req.Methodology = m
	e1, t1, err := ComputeE1(req)
	if err != nil {
		return nil, err
	}
	e2, t2, err := ComputeE2(req)
	if err != nil {
		return nil, err
	}
	e3, t3, err := ComputeE3(req)
	if err != nil {
		return nil, err
	}
	t := &Trace{}
	t.Merge(t1)
	t.Merge(t2)
	t.Merge(t3)
	out := &Metrics{
		Operator: req.Return.Operator, Period: req.Return.Period.String(), Return: req.ID, Version: req.Version,
		FactorSet: req.Factors.Version, GWP: req.GWP, Methodology: req.Methodology, E1: e1, E2: e2, E3: e3,
		Derivations: t.Derivations, Unavailable: t.Unavailable, DataQuality: t.DataQuality, Warnings: []ledger.Warning{},
	}
	if out.Derivations == nil || req.FiguresOnly {
		out.Derivations = []Derivation{}
	}
	for i := range out.Derivations {
		out.Derivations[i].Methodology = req.Methodology
	}
	labelInputs(req, out.Derivations)
	numberSources(out.Derivations)
	if out.Unavailable == nil {
		out.Unavailable = []Unavailable{}
	}
	if out.DataQuality == nil {
		out.DataQuality = []DataQuality{}
	}
	return out, nil
}

// Rollup is one operator's metrics over a span: a quarter (one return) or
// a calendar year (the latest version of each quarter found).
type Rollup struct {
	Operator    string        `json:"operator"`
	Period      string        `json:"period"`
	Returns     []string      `json:"returns"`
	FactorSets  []string      `json:"factor_sets"`
	GWP         string        `json:"gwp"`
	Coverage    Coverage      `json:"coverage"`
	E1          *E1           `json:"e1"`
	E2          *E2           `json:"e2"`
	E3          *E3           `json:"e3"`
	Notes       []string      `json:"notes"`
	Unavailable []Unavailable `json:"unavailable"`
	// DataQuality are the data-quality flags of the quarters rolled up,
	// each once, then those raised by adding them (e.g. boundary_mixed
	// when the quarters state different boundaries).
	DataQuality []DataQuality `json:"data_quality"`
}

// Year rolls up the quarter metrics found for one operator's calendar
// year: flows and emissions add, ratios are recomputed from the summed
// parts, stocks take the last quarter, and coverage lists what was found.
func Year(operator string, year int, quarters []*Metrics) (*Rollup, error) {
	qs := append([]*Metrics(nil), quarters...)
	sort.Slice(qs, func(i, j int) bool { return qs[i].Period < qs[j].Period })
	var e23 []QuarterE2E3
	var e1s []*E1
	r := &Rollup{Operator: operator, Period: fmt.Sprintf("%04d", year), Returns: []string{}, FactorSets: []string{}}
	for _, q := range qs {
		p, err := ledger.ParsePeriod(q.Period)
		if err != nil {
			return nil, err
		}
		e23 = append(e23, QuarterE2E3{Period: p, E2: q.E2, E3: q.E3})
		e1s = append(e1s, q.E1)
		r.Returns = append(r.Returns, q.Return)
		if !contains(r.FactorSets, q.FactorSet) {
			r.FactorSets = append(r.FactorSets, q.FactorSet)
		}
		r.GWP = q.GWP
	}
	y, err := YearE2E3(year, e23)
	if err != nil {
		return nil, err
	}
	r.Coverage, r.E2, r.E3, r.Notes, r.Unavailable = y.Coverage, y.E2, y.E3, y.Notes, y.Unavailable
	var flags [][]DataQuality
	for _, q := range qs {
		flags = append(flags, q.DataQuality)
	}
	flags = append(flags, y.dataQuality)
	if len(e1s) > 0 {
		e1, t := SumE1(AcrossTime, e1s)
		r.E1 = e1
		r.Unavailable = append(r.Unavailable, t.Unavailable...)
		flags = append(flags, t.DataQuality)
	}
	r.DataQuality = mergeFlags(flags...)
	if len(r.FactorSets) > 1 {
		r.Notes = append(r.Notes, fmt.Sprintf("the quarters were computed with different factor sets %v", r.FactorSets))
	}
	return r, nil
}

// Quarter wraps one return's metrics as a roll-up of one quarter.
func Quarter(m *Metrics) *Rollup {
	return &Rollup{Operator: m.Operator, Period: m.Period, Returns: []string{m.Return}, FactorSets: []string{m.FactorSet},
		GWP: m.GWP, Coverage: Coverage{Quarters: []string{m.Period}, Missing: []string{}, Complete: true},
		E1: m.E1, E2: m.E2, E3: m.E3, Notes: []string{}, Unavailable: m.Unavailable, DataQuality: mergeFlags(m.DataQuality)}
}

// mergeFlags joins lists of data-quality flags in order, keeping each
// flag once (a yearly roll-up would otherwise list a grid's fallback once
// per quarter). The result is never nil, so that it encodes as a list.
func mergeFlags(lists ...[]DataQuality) []DataQuality {
	out := []DataQuality{}
	seen := map[DataQuality]bool{}
	for _, l := range lists {
		for _, d := range l {
			if !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	return out
}

// SectorTotal is a sum of operators' roll-ups of one span.
type SectorTotal struct {
	Operators   []string      `json:"operators"`
	E1          *E1           `json:"e1"`
	E2          *E2           `json:"e2"`
	E3          *E3           `json:"e3"`
	Unavailable []Unavailable `json:"unavailable"`
	// DataQuality are the data-quality flags raised by adding the
	// operators' figures, e.g. boundary_mixed when they state different
	// boundaries; each operator's own flags are on its roll-up.
	DataQuality []DataQuality `json:"data_quality"`
	// Coverage says whom the total leaves out of what. Nil in a total
	// made as sector documents issued before the R1 and R2 fixes were.
	Coverage *SectorCoverage `json:"coverage,omitempty"`
}

// SectorCoverage says what a sector total covers.
type SectorCoverage struct {
	// Partial lists the operators with fewer quarters than the span
	// (R5): their flows count only the quarters they filed, and their
	// stocks are those of the last quarter they filed.
	Partial []PartialOperator `json:"partial"`
	// LeftOut names, for each ratio over a stock, the operators left out
	// of both its numerator and its denominator for not filing both
	// (R2); a ratio every operator counts in has no key.
	LeftOut map[string][]string `json:"left_out"`
}

// PartialOperator is an operator that filed only some quarters of the span.
type PartialOperator struct {
	Operator string   `json:"operator"`
	Quarters []string `json:"quarters"`
	Missing  []string `json:"missing"`
}

// OperatorRollup is one operator's roll-up with its country, for sector sums.
type OperatorRollup struct {
	Country string
	*Rollup
}

// Sector adds operators' roll-ups of one span (AcrossOperators), in total
// and per country. A data centre is keyed by its operator and id (R1);
// each ratio over a stock is over the operators that filed both its
// terms (R2); Coverage names the operators left out of a ratio and those
// with fewer quarters than the span (R5).
func Sector(ops []OperatorRollup) (total *SectorTotal, byCountry map[string]*SectorTotal) {
	return sector(ops, false)
}

// SectorBeforeFixes adds operators' roll-ups as Sector did before the
// fixes R1 and R2: data centres merged by bare id across operators, and
// each term of a ratio over a stock summed over the operators that filed
// that term. It has no Coverage. It exists so that sector documents
// issued with those figures render again exactly, and so that a
// verification can say which figures were corrected since.
func SectorBeforeFixes(ops []OperatorRollup) (total *SectorTotal, byCountry map[string]*SectorTotal) {
	return sector(ops, true)
}

func sector(ops []OperatorRollup, legacy bool) (total *SectorTotal, byCountry map[string]*SectorTotal) {
	sorted := append([]OperatorRollup(nil), ops...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Operator < sorted[j].Operator })
	var e23 []OperatorE2E3
	for _, o := range sorted {
		e23 = append(e23, OperatorE2E3{Operator: o.Operator, Country: o.Country, E2: o.E2, E3: o.E3})
	}
	s := sumSectorE2E3(e23, legacy)
	sumE1 := func(os []OperatorRollup) (*E1, *Trace) {
		var e1s []*E1
		var names []string
		for _, o := range os {
			if o.E1 != nil {
				e1s, names = append(e1s, o.E1), append(names, o.Operator)
			}
		}
		if len(e1s) == 0 {
			return nil, &Trace{}
		}
		if legacy {
			return SumE1(AcrossOperators, e1s)
		}
		e, t, _ := SumOperatorsE1(names, e1s) // names and e1s have the same length
		return e, t
	}
	mk := func(part *SectorE2E3, os []OperatorRollup) *SectorTotal {
		e1, tr := sumE1(os)
		t := &SectorTotal{Operators: part.Operators, E1: e1, E2: part.E2, E3: part.E3,
			Unavailable: append(append([]Unavailable{}, part.Unavailable...), tr.Unavailable...),
			DataQuality: mergeFlags(part.dataQuality, tr.DataQuality)}
		if !legacy {
			t.Coverage = sectorCoverage(os, part.LeftOut)
		}
		return t
	}
	total = mk(s, sorted)
	byCountry = map[string]*SectorTotal{}
	for c, part := range s.ByCountry {
		var os []OperatorRollup
		for _, o := range sorted {
			if o.Country == c {
				os = append(os, o)
			}
		}
		byCountry[c] = mk(part, os)
	}
	return total, byCountry
}

// sectorCoverage lists the operators of os (sorted) with fewer quarters
// than the span, and the operators left out of each ratio over a stock.
func sectorCoverage(os []OperatorRollup, leftOut map[string][]string) *SectorCoverage {
	c := &SectorCoverage{Partial: []PartialOperator{}, LeftOut: leftOut}
	if c.LeftOut == nil {
		c.LeftOut = map[string][]string{}
	}
	for _, o := range os {
		if !o.Coverage.Complete {
			c.Partial = append(c.Partial, PartialOperator{Operator: o.Operator,
				Quarters: append([]string{}, o.Coverage.Quarters...), Missing: append([]string{}, o.Coverage.Missing...)})
		}
	}
	return c
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
