package service

import (
	"sort"
	"time"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
)

// SectorRow is one operator in a sector view.
type SectorRow struct {
	Operator string                       `json:"operator"`
	Name     string                       `json:"name"`
	Country  string                       `json:"country"`
	State    FilingState                  `json:"state"` // of the span's last quarter
	Late     bool                         `json:"late"`
	Returns  []string                     `json:"returns"`
	Coverage *calculators.Coverage        `json:"coverage"`
	Metrics  map[string]calculators.Value `json:"metrics"`  // headline metrics by key
	Ranks    map[string]int               `json:"ranks"`    // 1 = best; absent when unavailable
	Warnings int                          `json:"warnings"` // raised at filing, kept with the return
	// Outliers are intensity outliers against the median of the other
	// operators in this view, computed now (markOutliers).
	Outliers []ledger.Warning `json:"outliers"`
	rollup   *calculators.Rollup
}

// HeadlineStat is the sector median of one headline metric.
type HeadlineStat struct {
	Key           string            `json:"key"`
	Label         string            `json:"label"`
	Unit          string            `json:"unit"`
	LowerIsBetter bool              `json:"lower_is_better"`
	Median        calculators.Value `json:"median"`
	Reporting     int               `json:"reporting"` // operators with a value

	// Direction is how the view ranks the metric: "lower" or "higher" is
	// better, or "none" (not ranked; methodology 2026.1, R6).
	Direction string `json:"direction"`
}

// SectorMetrics is the sector view of one span: a row per registered
// operator, medians and ranks of the headline metrics, and totals over the
// operators that filed, per country and overall.
type SectorMetrics struct {
	Period    string                              `json:"period"`
	Country   string                              `json:"country,omitempty"`
	Filed     int                                 `json:"filed"`
	Missing   int                                 `json:"missing"`
	Late      int                                 `json:"late"`
	Headlines []HeadlineStat                      `json:"headlines"`
	Rows      []SectorRow                         `json:"operators"`
	Totals    *calculators.SectorTotal            `json:"totals"`
	ByCountry map[string]*calculators.SectorTotal `json:"by_country"`
	// Status is the filing status of the span's last quarter that the
	// view was built from, for pages that show both.
	Status *SectorStatus `json:"-"`
}

// SectorMetrics builds the sector view of a quarter or year, optionally
// for one country (regulator, admin). Only the operators the caller sees
// are in it; a regulator bound to one jurisdiction gets that country's
// view by default (viewCountry). An operator counts as filed when it
// has a return for at least one quarter of the span; a partial year says
// so in its row's coverage.
func (s *Service) SectorMetrics(a ledger.Actor, span ledger.Span, country string) (*SectorMetrics, error) {
	if err := requireRole(a, ledger.RoleRegulator, ledger.RoleAdmin); err != nil {
		return nil, err
	}
	country, err := s.viewCountry(a, country)
	if err != nil {
		return nil, err
	}
	return s.sectorMetrics(s.scopeOf(a, country), span, country, s.now())
}

// sectorMetrics is the sector view of span for the operators of scope
// (country, when set, is its one country), lateness counted at now.
func (s *Service) sectorMetrics(scope []string, span ledger.Span, country string, now time.Time) (*SectorMetrics, error) {
	out, filed, err := s.sectorRows(scope, span, country, now)
	if err != nil {
		return nil, err
	}
	rolls := make([]*calculators.Rollup, len(out.Rows))
	for i, row := range out.Rows {
		rolls[i] = row.rollup
	}
	for _, rk := range calculators.RankHeadlines(rolls, s.viewMethodology(rolls)) {
		for i, row := range out.Rows {
			if row.rollup != nil {
				row.Metrics[rk.Key] = rk.Values[i]
			}
			if rk.Ranks[i] > 0 {
				row.Ranks[rk.Key] = rk.Ranks[i]
			}
		}
		out.Headlines = append(out.Headlines, HeadlineStat{Key: rk.Key, Label: rk.Label, Unit: rk.Unit,
			LowerIsBetter: rk.Direction == calculators.RankLower, Direction: rk.Direction, Median: rk.Median, Reporting: rk.Reporting})
	}
	sort.SliceStable(out.Rows, func(i, j int) bool { return out.Rows[i].Operator < out.Rows[j].Operator })
	markOutliers(out)
	s.markCertificateNearMisses(out)
	if len(filed) > 0 {
		out.Totals, out.ByCountry = calculators.Sector(filed)
	}
	return out, nil
}

// sectorRows is the filing status and a row per operator of the sector
// view of span (sectorMetrics), each with its roll-up when it filed, and
// those roll-ups by country; nothing ranked or summed yet. A sector
// record (SectorView) ranks and sums them as the report does.
func (s *Service) sectorRows(scope []string, span ledger.Span, country string, now time.Time) (*SectorMetrics, []calculators.OperatorRollup, error) {
	status := s.sectorStatus(scope, span.Last(), country, now)
	stateOf := map[string]OperatorStatus{}
	for _, st := range status.Operators {
		stateOf[st.Operator] = st
	}
	out := &SectorMetrics{Period: span.String(), Country: country, Rows: []SectorRow{}, ByCountry: map[string]*calculators.SectorTotal{}, Status: status}
	var filed []calculators.OperatorRollup
	for _, op := range s.st.Operators() {
		if !ledger.Covers(scope, op.Country) {
			continue
		}
		if span.Last().Before(op.DueFrom()) && !s.hasAny(op.ID, span) {
			continue // due from a later quarter, and filed nothing here
		}
		st := stateOf[op.ID]
		row := SectorRow{Operator: op.ID, Name: op.Name, Country: op.Country, State: st.State, Late: st.Late,
			Returns: []string{}, Metrics: map[string]calculators.Value{}, Ranks: map[string]int{}, Warnings: st.Warnings}
		if !s.hasAny(op.ID, span) {
			out.Missing++
		} else {
			r, err := s.rollup(op.ID, span, "")
			if err != nil {
				return nil, nil, err
			}
			row.rollup, row.Returns, row.Coverage = r, r.Returns, &r.Coverage
			filed = append(filed, calculators.OperatorRollup{Country: op.Country, Rollup: r})
			out.Filed++
		}
		if row.Late {
			out.Late++
		}
		out.Rows = append(out.Rows, row)
	}
	return out, filed, nil
}

// viewMethodology is the methodology a sector view ranks by: the latest
// among the factor sets of the roll-ups, as a sector document of the
// same returns would choose (bundleMethodology).
func (s *Service) viewMethodology(rolls []*calculators.Rollup) string {
	m := ledger.Methodology20251
	for _, r := range rolls {
		if r == nil {
			continue
		}
		for _, v := range r.FactorSets {
			if fs := s.st.FactorSet(v); fs != nil && !ledger.MethodologyAtLeast(m, fs.Set.MethodologyOf()) {
				m = fs.Set.MethodologyOf()
			}
		}
	}
	return m
}

// hasAny reports whether the operator filed for any quarter of the span.
func (s *Service) hasAny(operator string, span ledger.Span) bool {
	for _, p := range span.Quarters() {
		if s.st.Latest(operator, p) != nil {
			return true
		}
	}
	return false
}
