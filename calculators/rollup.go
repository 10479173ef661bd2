package calculators

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// sumE2 adds E2 results and recomputes every ratio from the summed parts
// (never an average of ratios). AcrossTime takes the quarters of a year in
// order: flows add, while the rolling-window and history parts (the
// collection rates, ewaste_generated_kg and the MCI's generated basis) are
// the last part's, whose rolling year ends with the span. AcrossOperators
// adds everything; a window counts as complete only if it is complete for
// every operator. Nil parts are skipped; nil when there are none. The
// reasons for nulls go to tr (which may be nil).
func sumE2(how Combine, parts []*E2, tr *Trace) *E2 {
	var ps []*E2
	for _, p := range parts {
		if p != nil {
			ps = append(ps, p)
		}
	}
	if len(ps) == 0 {
		return nil
	}
	cells := map[string]E2Cell{}
	for _, p := range ps {
		for k, c := range p.Cells {
			prev, ok := cells[k]
			if !ok {
				cells[k] = c
				continue
			}
			if how == AcrossTime {
				prev.Parts = addFlows(prev.Parts, c.Parts)
				prev.Factors = c.Factors // the later quarter's factor set
			} else {
				prev.Parts = addParts(prev.Parts, c.Parts)
			}
			cells[k] = prev
		}
	}
	if how == AcrossTime {
		last := ps[len(ps)-1]
		lastReturns, lastEnd := 0, ""
		for _, c := range last.Cells {
			lastReturns, lastEnd = c.Parts.WindowReturns, c.Parts.WindowEnd
			break
		}
		for k, c := range cells {
			lc, ok := last.Cells[k]
			if !ok {
				lc = E2Cell{Parts: E2Parts{WindowReturns: lastReturns, WindowEnd: lastEnd}}
				if c.Factors.hasWeibull() {
					zero := decimal.Zero
					lc.Parts.EwasteGeneratedKg = &zero
				}
			}
			c.Parts = withWindow(c.Parts, lc.Parts)
			cells[k] = c
		}
	}
	return buildE2(cells, ps[len(ps)-1].methodology, tr)
}

// addFlows adds the period flows of b to a, leaving a's window parts.
func addFlows(a, b E2Parts) E2Parts {
	w := a
	s := addParts(a, b)
	return withWindow(s, w)
}

// withWindow returns p with the rolling-window and history parts of w.
func withWindow(p, w E2Parts) E2Parts {
	p.WindowReturns = w.WindowReturns
	p.WindowCollectedKg = w.WindowCollectedKg
	p.WindowReusedKg = w.WindowReusedKg
	p.WindowRecycledKg = w.WindowRecycledKg
	p.WindowCustomerCollectedKg = w.WindowCustomerCollectedKg
	p.PriorCustomerInflowKg = w.PriorCustomerInflowKg
	p.PriorQuartersMissing = w.PriorQuartersMissing
	p.EwasteGeneratedKg = w.EwasteGeneratedKg
	p.WindowCollectedGeneratedKg = w.WindowCollectedGeneratedKg
	return withWindow2026(p, w)
}

// sumE3 adds E3 results and recomputes the ratios. AcrossTime takes the
// quarters of a year in order: stocks (site counts, backup bands, hazard
// counts, population) are the last part's, outages and alerts add, and
// availability is over the site-hours of all the quarters. AcrossOperators
// adds everything (a stock only over the operators that give it). Nil
// parts are skipped; nil when there are none. The reasons for nulls go
// to tr (which may be nil).
func sumE3(how Combine, parts []*E3, tr *Trace) *E3 {
	var ps []*E3
	for _, p := range parts {
		if p != nil {
			ps = append(ps, p)
		}
	}
	if len(ps) == 0 {
		return nil
	}
	s := ps[0].Parts
	for _, e := range ps[1:] {
		p := e.Parts
		if how == AcrossTime {
			s.SitesTotal, s.SitesWithBackup = p.SitesTotal, p.SitesWithBackup
			s.BackupAutonomy = p.BackupAutonomy
			s.SitesHazardAssessed, s.SitesHighHazard, s.SitesHighHazardHardened = p.SitesHazardAssessed, p.SitesHighHazard, p.SitesHighHazardHardened
			s.OffgridRenewableSites = p.OffgridRenewableSites
			s.PopulationCovered, s.PopulationServed = p.PopulationCovered, p.PopulationServed
			// Availability over all quarters needs every quarter's site-hours.
			if s.SiteHours == nil || p.SiteHours == nil {
				s.SiteHours = nil
			} else {
				sh := s.SiteHours.Add(*p.SiteHours)
				s.SiteHours = &sh
			}
			s.Hours += p.Hours
		} else {
			s.SitesTotal = addInt(s.SitesTotal, p.SitesTotal)
			s.SitesWithBackup = addInt(s.SitesWithBackup, p.SitesWithBackup)
			s.BackupAutonomy = addBands(s.BackupAutonomy, p.BackupAutonomy)
			s.SitesHazardAssessed = addInt(s.SitesHazardAssessed, p.SitesHazardAssessed)
			s.SitesHighHazard = addInt(s.SitesHighHazard, p.SitesHighHazard)
			s.SitesHighHazardHardened = addInt(s.SitesHighHazardHardened, p.SitesHighHazardHardened)
			s.OffgridRenewableSites = addInt(s.OffgridRenewableSites, p.OffgridRenewableSites)
			s.PopulationCovered = addInt(s.PopulationCovered, p.PopulationCovered)
			s.PopulationServed = addInt(s.PopulationServed, p.PopulationServed)
			s.SiteHours = addDec(s.SiteHours, p.SiteHours)
			s.Hours = max(s.Hours, p.Hours)
		}
		s.OutageEvents += p.OutageEvents
		s.SiteHoursLost = s.SiteHoursLost.Add(p.SiteHoursLost)
		s.HoursToRestoreSum = s.HoursToRestoreSum.Add(p.HoursToRestoreSum)
		s.AlertsDisseminated = addInt(s.AlertsDisseminated, p.AlertsDisseminated)
		sumE3V2026(how, &s, p)
	}
	return finishE3(s, tr)
}

// addInt adds two optional counts; nil only when both are.
func addInt(a, b *int64) *int64 {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	s := *a + *b
	return &s
}

func addDec(a, b *decimal.Decimal) *decimal.Decimal {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	s := a.Add(*b)
	return &s
}

func addBands(a, b *ledger.BackupAutonomy) *ledger.BackupAutonomy {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return &ledger.BackupAutonomy{LT4h: a.LT4h + b.LT4h, H4to8: a.H4to8 + b.H4to8, H8to24: a.H8to24 + b.H8to24,
		H24to72: a.H24to72 + b.H24to72, GE72h: a.GE72h + b.GE72h}
}

// QuarterE2E3 is one quarter's E2 and E3 of one operator (latest version).
type QuarterE2E3 struct {
	Period ledger.Period
	E2     *E2
	E3     *E3
}

// Coverage says which quarters a year roll-up found. A year is complete
// only with all four.
type Coverage struct {
	Quarters []string `json:"quarters"`
	Missing  []string `json:"missing"`
	Complete bool     `json:"complete"`
}

// YearE2E3Result is one operator's calendar year of E2 and E3.
type YearE2E3Result struct {
	Year     int      `json:"year"`
	Coverage Coverage `json:"coverage"`
	E2       *E2      `json:"e2"`
	E3       *E3      `json:"e3"`
	Notes    []string `json:"notes"`
	// Unavailable says why each null value is null.
	Unavailable []Unavailable `json:"unavailable"`
	// dataQuality are the flags raised by adding the quarters.
	dataQuality []DataQuality
}

// YearE2E3 rolls up the quarters found of one calendar year (any order,
// at most one per quarter) with AcrossTime and says what the year covers:
// a partial year lists its missing quarters and is never reported as
// whole.
func YearE2E3(year int, quarters []QuarterE2E3) (*YearE2E3Result, error) {
	qs := append([]QuarterE2E3(nil), quarters...)
	sort.Slice(qs, func(i, j int) bool { return qs[i].Period.Before(qs[j].Period) })
	res := &YearE2E3Result{Year: year, Coverage: Coverage{Quarters: []string{}, Missing: []string{}}, Notes: []string{},
		Unavailable: []Unavailable{}}
	seen := map[ledger.Period]bool{}
	var e2s []*E2
	var e3s []*E3
	for _, q := range qs {
		if q.Period.Year != year {
			return nil, fmt.Errorf("year %d roll-up: quarter %s is outside the year", year, q.Period)
		}
		if seen[q.Period] {
			return nil, fmt.Errorf("year %d roll-up: quarter %s given twice", year, q.Period)
		}
		seen[q.Period] = true
		res.Coverage.Quarters = append(res.Coverage.Quarters, q.Period.String())
		e2s = append(e2s, q.E2)
		e3s = append(e3s, q.E3)
	}
	for _, p := range (ledger.Span{Year: year}).Quarters() {
		if !seen[p] {
			res.Coverage.Missing = append(res.Coverage.Missing, p.String())
		}
	}
	res.Coverage.Complete = len(res.Coverage.Missing) == 0
	if len(qs) == 0 {
		res.Notes = append(res.Notes, "no quarter of the year has a return")
		return res, nil
	}
	tr := &Trace{}
	res.E2 = sumE2(AcrossTime, e2s, tr)
	res.E3 = sumE3(AcrossTime, e3s, tr)
	res.Unavailable = nonNilUnavailable(tr.Unavailable)
	res.dataQuality = tr.DataQuality
	last := qs[len(qs)-1].Period
	if !res.Coverage.Complete {
		res.Notes = append(res.Notes, fmt.Sprintf("partial year: flows, outages and alerts cover %v only; %v have no return",
			res.Coverage.Quarters, res.Coverage.Missing))
	}
	window := "the calendar year"
	if last.Quarter != 4 {
		window = last.Add(-3).String() + " to " + last.String() + ", not the calendar year"
	}
	res.Notes = append(res.Notes,
		"e2 collection_rate_pom_pct, ewaste_generated_kg, collection_rate_generated_pct and the generated basis of mci are those of "+
			last.String()+", whose rolling window is "+window,
		"e3 site counts, backup bands, hazard counts and early-warning population are those of "+last.String()+
			"; climate_availability_pct is over the site-hours of the quarters found")
	return res, nil
}

// OperatorE2E3 is one operator's E2 and E3 for a span (a quarter, or a
// year from YearE2E3).
type OperatorE2E3 struct {
	Operator string
	Country  string // ISO 3166-1 alpha-2
	E2       *E2
	E3       *E3
}

// SectorE2E3 is the sum of operators, in total and per country.
type SectorE2E3 struct {
	Operators []string               `json:"operators"`
	E2        *E2                    `json:"e2"`
	E3        *E3                    `json:"e3"`
	ByCountry map[string]*SectorE2E3 `json:"by_country,omitempty"`
	// Unavailable says why each null value is null.
	Unavailable []Unavailable `json:"unavailable"`
	// LeftOut names, for each E3 ratio over a stock (e.g.
	// "e3.backup_power_coverage_pct"), the operators left out of both its
	// numerator and its denominator because they did not file both (R2).
	// Nil in a sum made as before that fix.
	LeftOut map[string][]string `json:"left_out,omitempty"`
	// dataQuality are the flags raised by adding the operators.
	dataQuality []DataQuality
}

// SumSectorE2E3 adds operators of one span (AcrossOperators), per country
// and in total, listing the operators included. Each E3 ratio over a
// stock is over the operators that filed both of its terms (R2).
func SumSectorE2E3(ops []OperatorE2E3) *SectorE2E3 { return sumSectorE2E3(ops, false) }

// sumSectorE2E3 is SumSectorE2E3; legacy adds every E3 term over the
// operators that filed it, as sector documents issued before the R2 fix
// did, so that they render again exactly.
func sumSectorE2E3(ops []OperatorE2E3, legacy bool) *SectorE2E3 {
	sorted := append([]OperatorE2E3(nil), ops...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Operator < sorted[j].Operator })
	sum := func(os []OperatorE2E3) *SectorE2E3 {
		s := &SectorE2E3{Operators: []string{}}
		var e2s []*E2
		var e3s []*E3
		for _, o := range os {
			s.Operators = append(s.Operators, o.Operator)
			e2s = append(e2s, o.E2)
			e3s = append(e3s, o.E3)
		}
		tr := &Trace{}
		s.E2 = sumE2(AcrossOperators, e2s, tr)
		if legacy {
			s.E3 = sumE3(AcrossOperators, e3s, tr)
		} else {
			s.E3, s.LeftOut = sumOperatorsE3(s.Operators, e3s, tr)
		}
		s.Unavailable = nonNilUnavailable(tr.Unavailable)
		s.dataQuality = tr.DataQuality
		return s
	}
	total := sum(sorted)
	byCountry := map[string][]OperatorE2E3{}
	for _, o := range sorted {
		byCountry[o.Country] = append(byCountry[o.Country], o)
	}
	total.ByCountry = map[string]*SectorE2E3{}
	for c, os := range byCountry {
		total.ByCountry[c] = sum(os)
	}
	return total
}

func nonNilUnavailable(u []Unavailable) []Unavailable {
	if u == nil {
		return []Unavailable{}
	}
	return u
}
